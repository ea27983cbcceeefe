/* dispatch.c - the entry point (decode.h): timestamp, link type, the dumps
 * after the line; and the IP protocol table.  EtherTypes are dispatched in
 * print_ether.c, ports in print_udp.c and print_tcp.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "priv.h"

struct decode_ctx *decode_ctx_new(const struct decode_opts *o, int dlt)
{
	struct decode_ctx *c = calloc(1, sizeof(*c));
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	c->o = *o;
	c->dlt = dlt;
	ob_grow(&c->out, 4096);
	return c;
}

void decode_ctx_free(struct decode_ctx *c)
{
	if (!c)
		return;
	tcp_state_free(c);
	free(c->out.s);
	free(c);
}

int decode_dlt_supported(int dlt)
{
	switch (dlt) {
	case DECODE_DLT_NULL:
	case DECODE_DLT_EN10MB:
	case DECODE_DLT_RAW:
	case DECODE_DLT_RAW14:
	case DECODE_DLT_LOOP:
	case DECODE_DLT_LINUX_SLL:
	case DECODE_DLT_IPV4:
	case DECODE_DLT_IPV6:
	case DECODE_DLT_LINUX_SLL2: return 1;
	default: return 0;
	}
}

void layer(struct decode_ctx *c, const char *proto)
{
	c->f.proto = proto;
	if (c->f.nlayers < (int)(sizeof(c->f.layers) / sizeof(c->f.layers[0])))
		c->f.layers[c->f.nlayers++] = proto;
}

void trunc_whole(struct decode_ctx *c, const char *proto)
{
	c->truncated = 1;
	trunc_mark(c, proto);
}

void trunc_mark(struct decode_ctx *c, const char *proto)
{
	ob_str(&c->out, " [|");
	ob_str(&c->out, proto);
	ob_chr(&c->out, ']');
}

static void reset_fields(struct fields *f)
{
	memset(f, 0, sizeof(*f));
	f->ethertype = f->vlan = f->ipproto = f->ttl = -1;
	f->iplen = f->sport = f->dport = f->length = -1;
	f->proto = "unknown";
}

/* The link-layer header's length, for -x (the dump starts after it). */
static uint32_t link_hdr_len(struct decode_ctx *c, struct cursor *cu);

static void build(struct decode_ctx *c, const struct decode_hdr *h, const uint8_t *data,
		  const char *prefix)
{
	c->out.len = 0;
	c->truncated = 0;
	c->llc_len = 0;
	reset_fields(&c->f);
	c->count++;
	if (c->o.number)
		ob_fmt(&c->out, "%5llu  ", (unsigned long long)c->count);
	size_t text_start = c->out.len;
	print_tstamp(c, h);
	if (prefix) {
		ob_str(&c->out, prefix);
		ob_chr(&c->out, ' ');
	}
	struct cursor cu = cur_make(data, h->caplen);
	if (h->caplen == 0) {
		ob_str(&c->out, "[Invalid header: caplen==0]");
	} else {
		print_link(c, &cu, h->len);
		struct cursor all = cur_make(data, h->caplen);
		/* as tcpdump: a packet cut short is dumped whole */
		uint32_t hl = c->truncated ? 0 : link_hdr_len(c, &all);
		struct cursor rest = cur_make(data, h->caplen);
		if (!(c->o.hex > 1 || c->o.hexascii > 1 || c->o.ascii > 1))
			cur_skip(&rest, hl < h->caplen ? hl : h->caplen);
		if (c->o.hexascii)
			print_hex(c, &rest, 1);
		else if (c->o.hex)
			print_hex(c, &rest, 0);
		else if (c->o.ascii && cur_left(&rest)) /* tcpdump: caplen > hdrlen */
			print_ascii(c, &rest);
	}
	if (c->o.json)
		print_json(c, h, text_start);
	ob_chr(&c->out, '\n');
}

int decode_packet(struct decode_ctx *c, const struct decode_hdr *h, const uint8_t *data,
		  const char *prefix, FILE *out)
{
	build(c, h, data, prefix);
	return fwrite(c->out.s, 1, c->out.len, out) == c->out.len ? 0 : -1;
}

size_t decode_packet_buf(struct decode_ctx *c, const struct decode_hdr *h, const uint8_t *data,
			 const char *prefix, char *buf, size_t len)
{
	build(c, h, data, prefix);
	if (len) {
		size_t n = c->out.len < len - 1 ? c->out.len : len - 1;
		memcpy(buf, c->out.s, n);
		buf[n] = '\0';
	}
	return c->out.len;
}

static uint32_t link_hdr_len(struct decode_ctx *c, struct cursor *cu)
{
	switch (c->dlt) {
	case DECODE_DLT_EN10MB: {
		uint32_t off = 12;
		unsigned t = cur_u16(cu, off);
		while ((t == 0x8100 || t == 0x88a8 || t == 0x9100) && cur_avail(cu, off + 4, 2)) {
			off += 4;
			t = cur_u16(cu, off);
		}
		return off + 2 + c->llc_len;
	}
	case DECODE_DLT_LINUX_SLL:
	case DECODE_DLT_LINUX_SLL2: {
		/* VLAN tags after the header count as link layer, as on Ethernet */
		uint32_t off = c->dlt == DECODE_DLT_LINUX_SLL ? 16 : 20;
		unsigned t = cur_u16(cu, c->dlt == DECODE_DLT_LINUX_SLL ? 14 : 0);
		while ((t == 0x8100 || t == 0x88a8 || t == 0x9100) && cur_avail(cu, off, 4)) {
			t = cur_u16(cu, off + 2);
			off += 4;
		}
		return off + c->llc_len;
	}
	case DECODE_DLT_NULL:
	case DECODE_DLT_LOOP: return 4;
	default: return 0;
	}
}

/* The link layer's own printer, then what it carries. */
void print_link(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	switch (c->dlt) {
	case DECODE_DLT_EN10MB: print_ether(c, cu, len); return;
	case DECODE_DLT_RAW:
	case DECODE_DLT_RAW14:
	case DECODE_DLT_IPV4:
	case DECODE_DLT_IPV6: {
		if (c->o.link)
			ob_str(&c->out, "ip: ");
		if (c->dlt == DECODE_DLT_IPV4) {
			print_ip(c, cu, len);
			return;
		}
		if (c->dlt == DECODE_DLT_IPV6) {
			print_ip6(c, cu, len);
			return;
		}
		unsigned v = cur_u8(cu, 0) >> 4;
		if (v == 6)
			print_ip6(c, cu, len);
		else if (v == 4)
			print_ip(c, cu, len);
		else
			ob_fmt(&c->out, "IP%u ", v), trunc_mark(c, "ip");
		return;
	}
	default: break;
	}
	print_ether(c, cu, len); /* sll, sll2, null, loop: print_ether.c */
}

/* tcpdump's names of IP protocols (its ipproto_values). */
const char *ipproto_name(unsigned p)
{
	switch (p) {
	case 0: return "Options";
	case 1: return "ICMP";
	case 2: return "IGMP";
	case 4: return "IPIP";
	case 6: return "TCP";
	case 8: return "EGP";
	case 9: return "IGRP";
	case 17: return "UDP";
	case 33: return "DCCP";
	case 41: return "IPv6";
	case 43: return "Routing";
	case 44: return "Fragment";
	case 46: return "RSVP";
	case 47: return "GRE";
	case 50: return "ESP";
	case 51: return "AH";
	case 55: return "Mobile IP";
	case 58: return "ICMPv6";
	case 62: return "Mobile IP (old)";
	case 88: return "EIGRP";
	case 89: return "OSPF";
	case 103: return "PIM";
	case 108: return "Compressed IP";
	case 112: return "VRRP";
	case 113: return "PGM";
	case 132: return "SCTP";
	case 135: return "Mobility";
	default: return "unknown";
	}
}

/* The payload of IPv4 or IPv6 (after its extension headers). */
void print_ipproto(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned proto)
{
	c->f.ipproto = (int)proto;
	switch (proto) {
	case 6: print_tcp(c, cu, len); return;
	case 17: print_udp(c, cu, len); return;
	case 1: print_icmp(c, cu, len); return;
	case 58: print_icmp6(c, cu, len); return;
	case 2: print_igmp(c, cu, len); return;
	case 47: print_gre(c, cu, len); return;
	case 132: print_sctp(c, cu, len); return;
	case 50: print_esp(c, cu, len); return;
	case 51: print_ah(c, cu, len); return;
	case 4:
		layer(c, "ipip");
		print_ip(c, cu, len);
		return;
	case 41:
		layer(c, "ip6ip");
		print_ip6(c, cu, len);
		return;
	default:
		layer(c, "ip-other");
		ob_fmt(&c->out, " ip-proto-%u %u", proto, len);
		return;
	}
}
