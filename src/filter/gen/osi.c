/* osi.c - the OSI family (iso, clnp, esis, isis and the IS-IS PDU
 * types) and DECnet addresses, as libpcap tests them. */
#include "gen/osi.h"

#include "gen/l2.h"

enum { ISO_CLNP = 0x81, ISO_ESIS = 0x82, ISO_ISIS = 0x83 };

/* The OSI network layer starts after the 3-byte LLC header on Ethernet;
 * libpcap puts it at the payload itself on the other link types. */
static uint32_t osi_off(struct gen *g)
{
	return g->kind == LINK_ETHER ? 3 : 0;
}

struct frag gen_iso_proto(struct gen *g, uint32_t proto)
{
	return frag_and(g, gen_linktype(g, SAP_ISONS),
			frag_cmp(g, g->off_pl, osi_off(g), 1, 0xffffffffu, proto));
}

struct frag gen_isis_proto(struct gen *g, uint32_t pdu)
{
	if (pdu > 31) {
		gen_fail(g, FILTER_ERR_RANGE, "IS-IS PDU type %u is out of range (0-31)", pdu);
		return frag_const(0);
	}
	return frag_and(g, gen_iso_proto(g, ISO_ISIS),
			frag_cmp(g, g->off_pl, osi_off(g) + 4, 1, 0xffffffffu, pdu));
}

/* The OSI keywords; returns 0 if KW is not one. */
int gen_osi_kw(struct gen *g, enum kw kw, struct frag *out)
{
	static const struct {
		enum kw kw;
		uint8_t n, pdu[5];
	} isis[] = {
		{KW_L1, 5, {0x1a, 0x18, 0x12, 0x0f, 0x11}},
		{KW_L2, 5, {0x1b, 0x19, 0x14, 0x10, 0x11}},
		{KW_IIH, 3, {0x11, 0x0f, 0x10}},
		{KW_LSP, 2, {0x12, 0x14}},
		{KW_SNP, 4, {0x1b, 0x1a, 0x18, 0x19}},
		{KW_CSNP, 2, {0x18, 0x19}},
		{KW_PSNP, 2, {0x1a, 0x1b}},
	};
	switch (kw) {
	case KW_CLNP: *out = gen_iso_proto(g, ISO_CLNP); return 1;
	case KW_ESIS: *out = gen_iso_proto(g, ISO_ESIS); return 1;
	case KW_ISIS: *out = gen_iso_proto(g, ISO_ISIS); return 1;
	default: break;
	}
	for (size_t i = 0; i < sizeof(isis) / sizeof(isis[0]); i++) {
		if (isis[i].kw != kw)
			continue;
		struct frag f = frag_const(0);
		for (int j = 0; j < isis[i].n; j++)
			f = frag_or(g, f, gen_isis_proto(g, isis[i].pdu[j]));
		*out = f;
		return 1;
	}
	return 0;
}

/* One side of a DECnet address test, in the four header layouts libpcap
 * knows (short and long data headers, with and without padding). */
static struct frag dn_side(struct gen *g, int dst, uint32_t addr)
{
	static const uint32_t off[2][4] = {{5, 6, 17, 18}, {3, 4, 9, 10}};
	static const struct {
		uint8_t size;
		uint32_t mask, v;
	} layout[4] = {{1, 0x07, 0x02}, {2, 0xff07, 0x8102}, {1, 0x07, 0x06}, {2, 0xff07, 0x8106}};
	struct frag f = frag_const(0);
	for (int i = 0; i < 4; i++) {
		struct frag t =
			frag_cmp(g, g->off_pl, 2, layout[i].size, layout[i].mask, layout[i].v);
		f = frag_or(
			g, f,
			frag_and(g, t, frag_cmp(g, g->off_pl, off[dst][i], 2, 0xffffffffu, addr)));
	}
	return frag_and(g, gen_linktype(g, ET_DN), f);
}

/* decnet [src|dst] [host] AREA.NODE; DIR as in id.c. */
struct frag gen_decnet(struct gen *g, const struct token *id, int dir)
{
	uint32_t a;
	if (id->kind == TOK_HID && id->parts == 2) {
		if (id->part[0] > 63 || id->part[1] > 1023) {
			gen_fail(g, FILTER_ERR_RANGE,
				 "DECnet address %.*s is out of range (area 0-63, node 0-1023)",
				 (int)id->textlen, id->text);
			return frag_const(0);
		}
		a = id->part[0] << 10 | id->part[1];
	} else {
		gen_fail(g, FILTER_ERR_SEMANTIC, "expected a DECnet address AREA.NODE");
		return frag_const(0);
	}
	a = (a >> 8 | a << 8) & 0xffff; /* stored little-endian */
	if (dir == 0 || dir == 1)
		return dn_side(g, dir, a);
	struct frag s = dn_side(g, 0, a), d = dn_side(g, 1, a);
	return dir == 3 ? frag_and(g, s, d) : frag_or(g, s, d);
}
