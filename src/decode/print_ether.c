/* print_ether.c - link layers: Ethernet (-e header, 802.1Q/802.1ad tags),
 * Linux cooked v1 and v2, BSD loopback (NULL/LOOP); the EtherType table and
 * dispatch; a minimal 802.2 LLC. */
#include <net/if.h>
#include <string.h>

#include "priv.h"

/* tcpdump 4.99.3's ethertype_values, in its order */
const char *ethertype_name(unsigned t)
{
	switch (t) {
	case 0x0800: return "IPv4";
	case 0x8847: return "MPLS unicast";
	case 0x8848: return "MPLS multicast";
	case 0x86dd: return "IPv6";
	case 0x8100: return "802.1Q";
	case 0x9100: return "802.1Q-9100";
	case 0x88a8: return "802.1Q-QinQ";
	case 0x9200: return "802.1Q-9200";
	case 0x88e5: return "802.1AE MACsec";
	case 0x0200: return "PUP";
	case 0x0806: return "ARP";
	case 0x8035: return "Reverse ARP";
	case 0x0600: return "NS";
	case 0x0500: return "Sprite";
	case 0x1000: return "Trail";
	case 0x6001: return "MOP DL";
	case 0x6002: return "MOP RC";
	case 0x6003: return "DN";
	case 0x6004: return "LAT";
	case 0x6007: return "SCA";
	case 0x6558: return "TEB";
	case 0x8038: return "Lanbridge";
	case 0x803c: return "DEC DNS";
	case 0x803e: return "DEC DTS";
	case 0x805b: return "VEXP";
	case 0x805c: return "VPROD";
	case 0x809b: return "Appletalk";
	case 0x80f3: return "Appletalk ARP";
	case 0x8137: return "IPX";
	case 0x880b: return "PPP";
	case 0x8808: return "MPCP";
	case 0x8809: return "Slow Protocols";
	case 0x8863: return "PPPoE D";
	case 0x8864: return "PPPoE S";
	case 0x888e: return "EAPOL";
	case 0x8899: return "Realtek protocols";
	case 0x886f: return "MS NLB heartbeat";
	case 0x8870: return "Jumbo";
	case 0x894f: return "NSH";
	case 0x9000: return "Loopback";
	case 0xfefe: return "OSI";
	case 0x00fe: return "GRE-OSI";
	case 0xabcd: return "CFM (old)";
	case 0x8902: return "CFM";
	case 0x893a: return "IEEE1905.1";
	case 0x88cc: return "LLDP";
	case 0x88ca: return "TIPC";
	case 0x0707: return "GeoNet (old)";
	case 0x8947: return "GeoNet";
	case 0x1111: return "CALM FAST";
	case 0x88a2: return "AoE";
	case 0x88f7: return "PTP";
	case 0xd28b: return "Arista Vendor Specific Protocol";
	default: return "Unknown";
	}
}

/* tcpdump's ether_type_print: -q gives the name alone */
static void ethertype_text(struct decode_ctx *c, unsigned t)
{
	if (c->o.quiet) {
		const char *n = ethertype_name(t);
		if (strcmp(n, "Unknown"))
			ob_str(&c->out, n);
		else
			ob_fmt(&c->out, "Unknown Ethertype (0x%04x)", t);
		return;
	}
	ob_str(&c->out, "ethertype ");
	ob_str(&c->out, ethertype_name(t));
	ob_str(&c->out, " (0x");
	ob_hex(&c->out, t, 4);
	ob_chr(&c->out, ')');
}

/* The protocol an EtherType names; 0 when there is no printer for it. */
int print_ethertype(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned type)
{
	if (c->f.ethertype < 0)
		c->f.ethertype = (int)type;
	switch (type) {
	case 0x0800: print_ip(c, cu, len); return 1;
	case 0x86dd: print_ip6(c, cu, len); return 1;
	case 0x0806:
	case 0x8035: print_arp(c, cu, len); return 1;
	case 0x8847:
	case 0x8848: print_mpls(c, cu, len); return 1;
	case 0x8863: print_pppoe(c, cu, len, 1); return 1;
	case 0x8864: print_pppoe(c, cu, len, 0); return 1;
	default: return 0;
	}
}

static void macs(struct decode_ctx *c, struct cursor *cu)
{
	uint8_t d[6], s[6];
	cur_copy(cu, 0, d, 6);
	cur_copy(cu, 6, s, 6);
	size_t at = c->out.len;
	ob_mac(&c->out, s);
	memcpy(c->f.l2src, c->out.s + at, 17);
	ob_str(&c->out, " > ");
	at = c->out.len;
	ob_mac(&c->out, d);
	memcpy(c->f.l2dst, c->out.s + at, 17);
	ob_str(&c->out, ", ");
}

/* 802.1Q tags; returns the EtherType after them with CU past them. */
static unsigned vlan_tags(struct decode_ctx *c, struct cursor *cu, uint32_t *len, unsigned type)
{
	while ((type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200) &&
	       cur_avail(cu, 0, 4)) {
		unsigned tci = cur_u16(cu, 0);
		if (c->f.vlan < 0)
			c->f.vlan = (int)(tci & 0xfff);
		layer(c, "vlan");
		type = cur_u16(cu, 2);
		if (c->o.link) {
			ob_fmt(&c->out, "vlan %u, p %u%s, ", tci & 0xfff, tci >> 13,
			       tci & 0x1000 ? ", DEI" : "");
			if (type > 1500) {
				ethertype_text(c, type);
				ob_str(&c->out, ", ");
			} else
				ob_str(&c->out, "802.3"); /* and no length: tcpdump's */
		}
		cur_skip(cu, 4);
		*len = *len >= 4 ? *len - 4 : 0;
	}
	return type;
}

static void ether_payload(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned type,
			  struct cursor *frame, uint32_t flen)
{
	if (type <= 1500) {
		struct cursor llc = cur_sub(cu, type < len ? type : len);
		print_llc(c, &llc, type < len ? type : len);
		return;
	}
	if (print_ethertype(c, cu, len, type))
		return;
	layer(c, "ether-other");
	if (!c->o.link) {
		macs(c, frame);
		ethertype_text(c, type);
		ob_fmt(&c->out, ", length %u: ", flen);
	}
	print_unknown_hex(c, cu);
}

void print_ether(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	switch (c->dlt) {
	case DECODE_DLT_LINUX_SLL:
	case DECODE_DLT_LINUX_SLL2:
	case DECODE_DLT_NULL:
	case DECODE_DLT_LOOP: break;
	default: goto ether;
	}
	print_cooked(c, cu, len);
	return;
ether:
	layer(c, "ether");
	if (!cur_avail(cu, 0, 14)) {
		trunc_mark(c, "ether");
		return;
	}
	struct cursor frame = *cu;
	unsigned type = cur_u16(cu, 12);
	if (c->o.link) {
		macs(c, cu);
		if (type <= 1500) {
			/* tcpdump: the 802.3 length when it is the shorter */
			ob_fmt(&c->out, "802.3, length %u: ", type < len - 14 ? type : len - 14);
		} else {
			ethertype_text(c, type);
			ob_fmt(&c->out, ", length %u: ", len);
		}
	} else {
		uint8_t d[6], s[6];
		cur_copy(cu, 0, d, 6);
		cur_copy(cu, 6, s, 6);
		struct obuf t = {c->f.l2src, 0, sizeof(c->f.l2src)};
		ob_mac(&t, s);
		struct obuf u = {c->f.l2dst, 0, sizeof(c->f.l2dst)};
		ob_mac(&u, d);
	}
	cur_skip(cu, 14);
	uint32_t l = len >= 14 ? len - 14 : 0;
	type = vlan_tags(c, cu, &l, type);
	ether_payload(c, cu, l, type, &frame, len);
}

static const char *sll_pkttype(unsigned t)
{
	switch (t) {
	case 0: return "In";
	case 1: return "B";
	case 2: return "M";
	case 3: return "P";
	case 4: return "Out";
	default: return "?";
	}
}

/* tcpdump's null_hdr_print: the address family, by name alone with -q. */
static void null_header(struct decode_ctx *c, uint32_t af, uint32_t len)
{
	const char *n = af == 2				   ? "IPv4"
			: af == 24 || af == 28 || af == 30 ? "IPv6"
			: af == 6			   ? "NS"
			: af == 7			   ? "ISO"
			: af == 23			   ? "IPX"
			: af == 16			   ? "Appletalk"
							   : "Unknown";
	if (!c->o.quiet)
		ob_fmt(&c->out, "AF %s (%u)", n, af);
	else if (strcmp(n, "Unknown"))
		ob_str(&c->out, n);
	else
		ob_fmt(&c->out, "Unknown AF %u", af);
	ob_fmt(&c->out, ", length %u: ", len);
}

/* tcpdump's sll_print and sll2_print: the -e header; -q leaves out the
 * protocol and the length. */
static void sll_header(struct decode_ctx *c, struct cursor *cu, int v2, uint32_t len)
{
	unsigned proto = v2 ? cur_u16(cu, 0) : cur_u16(cu, 14);
	unsigned halen = v2 ? cur_u8(cu, 11) : cur_u16(cu, 4);
	if (v2)
		ob_fmt(&c->out, "ifindex %u ", cur_u32(cu, 4));
	else
		ob_fmt(&c->out, "%3s ", sll_pkttype(cur_u16(cu, 0)));
	if (halen == 6) {
		uint8_t a[6];
		cur_copy(cu, v2 ? 12 : 6, a, 6);
		ob_mac(&c->out, a);
		ob_chr(&c->out, ' ');
	}
	if (c->o.quiet)
		return;
	if (proto == 1)
		ob_str(&c->out, "802.3");
	else if (proto == 4)
		ob_str(&c->out, "802.2");
	else if (proto <= 1500)
		ob_fmt(&c->out, "ethertype Unknown (0x%04x)", proto);
	else
		ethertype_text(c, proto);
	ob_fmt(&c->out, ", length %u: ", len);
}

/* Linux cooked headers and loopback; their payload by protocol. */
void print_cooked(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	if (c->dlt == DECODE_DLT_NULL || c->dlt == DECODE_DLT_LOOP) {
		layer(c, "null");
		if (!cur_avail(cu, 0, 4)) {
			trunc_mark(c, "null");
			return;
		}
		/* NULL: the capturing host's byte order; LOOP: network order */
		uint32_t af = c->dlt == DECODE_DLT_LOOP ? cur_u32(cu, 0) : cur_le32(cu, 0);
		if (af & 0xffff0000)
			af = __builtin_bswap32(af);
		if (c->o.link)
			null_header(c, af, len);
		cur_skip(cu, 4);
		uint32_t l = len >= 4 ? len - 4 : 0;
		if (af == 2) {
			print_ip(c, cu, l);
		} else if (af == 24 || af == 28 || af == 30) {
			print_ip6(c, cu, l);
		} else {
			layer(c, "null-other");
			if (!c->o.link)
				null_header(c, af, len);
			print_unknown_hex(c, cu);
		}
		return;
	}
	int v2 = c->dlt == DECODE_DLT_LINUX_SLL2;
	uint32_t hl = v2 ? 20 : 16;
	layer(c, v2 ? "sll2" : "sll");
	if (!cur_avail(cu, 0, hl)) {
		trunc_mark(c, v2 ? "sll2" : "sll");
		return;
	}
	unsigned proto = v2 ? cur_u16(cu, 0) : cur_u16(cu, 14);
	unsigned pkttype = v2 ? cur_u8(cu, 10) : cur_u16(cu, 0);
	struct cursor frame = *cu;
	if (v2) {
		char name[IF_NAMESIZE];
		unsigned idx = cur_u32(cu, 4);
		/* as tcpdump: the name this host gives the index */
		if (if_indextoname(idx, name))
			ob_fmt(&c->out, "%-5s ", name);
		else
			ob_fmt(&c->out, "ifindex %u ", idx);
		ob_fmt(&c->out, "%-3s ", sll_pkttype(pkttype));
	}
	if (c->o.link)
		sll_header(c, cu, v2, len);
	cur_skip(cu, hl);
	uint32_t l = len >= hl ? len - hl : 0;
	while (proto == 0x8100 && cur_avail(cu, 0, 4)) {
		unsigned tci = cur_u16(cu, 0);
		layer(c, "vlan");
		if (c->f.vlan < 0)
			c->f.vlan = (int)(tci & 0xfff);
		if (c->o.link)
			ob_fmt(&c->out, "vlan %u, p %u%s, ", tci & 0xfff, tci >> 13,
			       tci & 0x1000 ? ", DEI" : "");
		proto = cur_u16(cu, 2);
		if (!c->o.quiet)
			ob_fmt(&c->out, "ethertype %s, ",
			       proto <= 1500 ? "Unknown" : ethertype_name(proto));
		cur_skip(cu, 4);
		l = l >= 4 ? l - 4 : 0;
	}
	if (proto == 4) { /* 802.2 */
		print_llc(c, cu, l);
		return;
	}
	if (proto <= 1500) {
		layer(c, "sll-other");
		print_unknown_hex(c, cu);
		return;
	}
	if (!print_ethertype(c, cu, l, proto)) {
		layer(c, "sll-other");
		if (!c->o.link)
			sll_header(c, &frame, v2, l + hl);
		print_unknown_hex(c, cu);
	}
}
