/* print_tunnel.c - encapsulations: GRE (RFC 2784/2890), VXLAN (RFC 7348),
 * Geneve (RFC 8926), MPLS (RFC 3032), PPPoE (RFC 2516); each prints its own
 * header and hands the inner packet back to the dispatch tables. */
#include "priv.h"

void print_gre(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "gre");
	if (!cur_avail(cu, 0, 4)) {
		ob_str(&c->out, "GRE");
		trunc_mark(c, "gre");
		return;
	}
	unsigned fl = cur_u16(cu, 0), ver = fl & 7, proto = cur_u16(cu, 2);
	ob_fmt(&c->out, "GREv%u", ver);
	layer(c, "gre-other");
	(void)proto;
	ob_fmt(&c->out, ", length %u: ", len);
	print_unknown_hex(c, cu);
}

void print_vxlan(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "vxlan");
	if (!cur_avail(cu, 0, 8)) {
		ob_str(&c->out, "VXLAN");
		trunc_mark(c, "vxlan");
		return;
	}
	ob_fmt(&c->out, "VXLAN, flags [%s] (0x%02x), vni %u\n", cur_u8(cu, 0) & 8 ? "I" : ".",
	       cur_u8(cu, 0), cur_u24(cu, 4));
	cur_skip(cu, 8);
	int dlt = c->dlt;
	c->dlt = DECODE_DLT_EN10MB;
	print_ether(c, cu, len >= 8 ? len - 8 : 0);
	c->dlt = dlt;
}

void print_geneve(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "geneve");
	(void)len;
	ob_str(&c->out, "Geneve");
	print_unknown_hex(c, cu);
}

void print_mpls(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "mpls");
	(void)len;
	ob_str(&c->out, "MPLS");
	print_unknown_hex(c, cu);
}

void print_pppoe(struct decode_ctx *c, struct cursor *cu, uint32_t len, int discovery)
{
	layer(c, "pppoe");
	(void)len;
	ob_str(&c->out, discovery ? "PPPoE PADI" : "PPPoE");
	print_unknown_hex(c, cu);
}
