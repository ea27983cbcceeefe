/* print_arp.c - ARP and RARP (RFC 826, RFC 903), as tcpdump's print-arp.c
 * lays them out. */
#include "priv.h"

static const char *op_name(unsigned op)
{
	switch (op) {
	case 1: return "Request";
	case 2: return "Reply";
	case 3: return "Reverse Request";
	case 4: return "Reverse Reply";
	case 8: return "Inverse Request";
	case 9: return "Inverse Reply";
	case 10: return "NACK Reply";
	default: return NULL;
	}
}

static const char *hrd_name(unsigned h)
{
	switch (h) {
	case 1: return "Ethernet";
	case 6: return "IEEE 802";
	case 7: return "ARCNET";
	case 15: return "Frame Relay";
	case 23: return "Strip";
	case 27: return "IEEE 1394";
	case 32: return "InfiniBand";
	default: return NULL;
	}
}

/* A hardware address of N bytes: colon-separated hex. */
static void linkaddr(struct decode_ctx *c, struct cursor *cu, uint32_t at, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (i)
			ob_chr(&c->out, ':');
		ob_hex(&c->out, cur_u8(cu, at + i), 2);
	}
}

static void paddr(struct decode_ctx *c, struct cursor *cu, uint32_t at, unsigned pro, unsigned pln)
{
	if (pro != 0x0800 && pro != 0x1000)
		ob_str(&c->out, "<wrong proto type>");
	else if (pln != 4)
		ob_str(&c->out, "<wrong len>");
	else
		ip4_at(c, cu, at);
}

static int nonzero(struct cursor *cu, uint32_t at, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (cur_u8(cu, at + i))
			return 1;
	return 0;
}

void print_arp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "arp");
	unsigned hrd = cur_u16(cu, 0), pro = cur_u16(cu, 2);
	unsigned hln = cur_u8(cu, 4), pln = cur_u8(cu, 5), op = cur_u16(cu, 6);
	uint32_t sha = 8, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
	if (!cur_avail(cu, 0, 8) || !cur_avail(cu, tpa, pln)) {
		trunc_whole(c, "arp"); /* tcpdump's ND_TCHECK: its -x dumps it all */
		return;
	}
	if (!c->o.link)
		ob_str(&c->out, "ARP, ");
	if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0 || c->o.verbose) {
		const char *h = hrd_name(hrd);
		if (h)
			ob_fmt(&c->out, "%s (len %u), ", h, hln);
		else
			ob_fmt(&c->out, "Unknown Hardware (%u) (len %u), ", hrd, hln);
		const char *p = ethertype_name(pro);
		if (pro > 1500 && p[0] != 'U')
			ob_fmt(&c->out, "%s (len %u)", p, pln);
		else
			ob_fmt(&c->out, "Unknown Protocol (0x%04x) (len %u)", pro, pln);
		if (!c->o.verbose)
			goto out;
	}
	const char *o = op_name(op);
	ob_str(&c->out, c->o.verbose ? ", " : "");
	if (o)
		ob_fmt(&c->out, "%s ", o);
	else
		ob_fmt(&c->out, "Unknown (%u) ", op);
	switch (op) {
	case 1:
		ob_str(&c->out, "who-has ");
		paddr(c, cu, tpa, pro, pln);
		if (nonzero(cu, tha, hln)) {
			ob_str(&c->out, " (");
			linkaddr(c, cu, tha, hln);
			ob_chr(&c->out, ')');
		}
		ob_str(&c->out, " tell ");
		paddr(c, cu, spa, pro, pln);
		break;
	case 2:
		paddr(c, cu, spa, pro, pln);
		ob_str(&c->out, " is-at ");
		linkaddr(c, cu, sha, hln);
		break;
	case 3:
	case 8:
		ob_str(&c->out, "who-is ");
		linkaddr(c, cu, tha, hln);
		ob_str(&c->out, " tell ");
		linkaddr(c, cu, sha, hln);
		break;
	case 4:
		linkaddr(c, cu, tha, hln);
		ob_str(&c->out, " at ");
		paddr(c, cu, tpa, pro, pln);
		break;
	case 9:
		linkaddr(c, cu, sha, hln);
		ob_str(&c->out, " at ");
		paddr(c, cu, spa, pro, pln);
		break;
	default: /* tcpdump's ND_DEFAULTPRINT, whatever the options */
		print_hex_ident(c, cu, "\n\t", 1);
		return;
	}
out:
	c->f.length = len;
	ob_fmt(&c->out, ", length %u", len);
}
