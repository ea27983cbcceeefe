/* print_igmp.c - the IGMP messages beyond queries, reports and leaves, as
 * tcpdump 4.99.3's print-igmp.c and print-pim.c: IGMPv3 reports' group
 * records (-v), PIMv1 (RFC 2362's predecessor, over IGMP type 0x14) and
 * mtrace.  The common types stay in print_other.c's print_igmp(), which
 * hands these over. */
#include "priv.h"

/* tcpdump's unsigned_relts_print(): 4m30s. */
static void relts(struct obuf *b, uint32_t s)
{
	static const char *const unit[] = {"y", "w", "d", "h", "m", "s"};
	static const uint32_t secs[] = {31536000, 604800, 86400, 3600, 60, 1};
	if (s == 0) {
		ob_str(b, "0s");
		return;
	}
	for (int i = 0; s > 0; i++)
		if (s >= secs[i]) {
			ob_u(b, s / secs[i]);
			ob_str(b, unit[i]);
			s %= secs[i];
		}
}

/* IGMPv3's and MLDv2's group records (tcpdump's print_igmpv3_report and
 * mldv2_report_print): ", NG group record(s)" and with -v each record
 * (addresses of ALEN bytes, unknown types as "[VER-report-#T]"); 0 when
 * truncated. */
int group_records(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned ng, uint32_t alen,
		  const char *ver)
{
	static const char *const kind[] = {NULL,    "is_in", "is_ex", "to_in",
					   "to_ex", "allow", "block"};
	void (*addr)(struct decode_ctx *, struct cursor *, uint32_t) = alen == 4 ? ip4_at : ip6_at;
	const uint32_t rh = 4 + alen; /* a record's header: type, aux, count, group */
	ob_fmt(&c->out, ", %u group record(s)", ng);
	if (!c->o.verbose)
		return 1;
	uint32_t g = 8;
	for (unsigned i = 0; i < ng; i++) {
		if (len < g + rh) {
			ob_str(&c->out, " [invalid number of groups]");
			return 1;
		}
		if (!cur_avail(cu, g, rh))
			return 0;
		ob_str(&c->out, " [gaddr ");
		addr(c, cu, g + 4);
		unsigned t = cur_u8(cu, g), ns = cur_u16(cu, g + 2);
		if (t >= 1 && t <= 6)
			ob_fmt(&c->out, " %s", kind[t]);
		else
			ob_fmt(&c->out, "  [%s-report-#%u]", ver, t);
		if (len < g + rh + ns * alen) {
			ob_fmt(&c->out, " [invalid number of sources %u]", ns);
			return 1;
		}
		if (c->o.verbose == 1) {
			ob_fmt(&c->out, ", %u source(s)", ns);
		} else {
			ob_str(&c->out, " {");
			for (unsigned j = 0; j < ns; j++) {
				if (!cur_avail(cu, g + rh + j * alen, alen))
					return 0;
				ob_chr(&c->out, ' ');
				addr(c, cu, g + rh + j * alen);
			}
			ob_str(&c->out, " }");
		}
		g += rh + ns * alen;
		ob_chr(&c->out, ']');
	}
	return 1;
}

/* IGMPv3 report; 0 when truncated. */
int igmp_v3_report(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	if (len < 16 || (len & 3)) {
		ob_fmt(&c->out, " [invalid len %u]", len);
		return 1;
	}
	return group_records(c, cu, len, cur_u16(cu, 6), 4, "v3");
}

/* " ADDR" and "/MASK" unless the mask is all ones. */
static void addr_mask(struct decode_ctx *c, struct cursor *cu, uint32_t a, uint32_t m)
{
	ip4_at(c, cu, a);
	if (cur_u32(cu, m) != 0xffffffffu) {
		ob_chr(&c->out, '/');
		ip4_at(c, cu, m);
	}
}

/* PIMv1 join/prune (and graft) after the 8-byte header, -v. */
static int pim1_join_prune(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	const uint32_t b = 8;
	unsigned nj;
	if (cur_avail(cu, b, 30) && cur_u8(cu, b + 11) == 1 &&
	    (nj = cur_u16(cu, b + 20)) + cur_u16(cu, b + 22) == 1) {
		ob_str(&c->out, " RPF ");
		ip4_at(c, cu, b);
		ob_chr(&c->out, ' ');
		unsigned hold = cur_u16(cu, b + 6), fl = cur_u8(cu, b + 25);
		if (hold != 180) {
			ob_str(&c->out, "Hold ");
			relts(&c->out, hold);
		}
		ob_fmt(&c->out, "%s (", nj ? "Join" : "Prune");
		ip4_at(c, cu, b + 26);
		ob_fmt(&c->out, "/%u, ", fl & 0x3f);
		addr_mask(c, cu, b + 12, b + 16);
		ob_fmt(&c->out, ") %s%s %s", (cur_u8(cu, b + 24) & 1) ? "Sparse" : "Dense",
		       (fl & 0x80) ? " WC" : "", (fl & 0x40) ? "RP" : "SPT");
		return 1;
	}
	if (len < 4 || !cur_avail(cu, b, 4))
		return 0;
	ob_str(&c->out, c->o.verbose > 1 ? "\n Upstream Nbr: " : " Upstream Nbr: ");
	ip4_at(c, cu, b);
	if (len < 8 || !cur_avail(cu, b + 4, 4))
		return 0;
	ob_str(&c->out, c->o.verbose > 1 ? "\n Hold time: " : " Hold time: ");
	relts(&c->out, cur_u16(cu, b + 6));
	if (c->o.verbose < 2)
		return 1;
	/* -vv's group list */
	uint32_t at = b + 8, end = b + len;
	if (at + 4 > end || !cur_avail(cu, at, 4))
		return 0;
	unsigned ng = cur_u8(cu, at + 3);
	for (at += 4; ng; ng--) {
		if (at + 12 > end || !cur_avail(cu, at, 12))
			return 0;
		ob_str(&c->out, "\n\tGroup: ");
		addr_mask(c, cu, at, at + 4);
		unsigned j = cur_u16(cu, at + 8), p = cur_u16(cu, at + 10);
		ob_fmt(&c->out, " joined: %u pruned: %u", j, p);
		at += 12;
		for (unsigned k = 0; k < j + p; k++, at += 6) {
			if (at + 6 > end || !cur_avail(cu, at, 6))
				return 0;
			unsigned f0 = cur_u8(cu, at), f1 = cur_u8(cu, at + 1);
			ob_fmt(&c->out, "\n\t%s %s%s%s", k < j ? "Join " : "Prune",
			       (f0 & 1) ? "Sparse " : "Dense ", (f1 & 0x80) ? "WC " : "",
			       (f1 & 0x40) ? "RP " : "SPT ");
			ip4_at(c, cu, at + 2);
			ob_fmt(&c->out, "/%u", f1 & 0x3f);
		}
	}
	return 1;
}

/* PIMv1 (tcpdump's pimv1_print()); 0 when truncated. */
static int pimv1(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	static const char *const names[] = {"Query",	  "Register",	  "Register-Stop",
					    "Join/Prune", "RP-reachable", "Assert",
					    "Graft",	  "Graft-ACK"};
	unsigned type = cur_u8(cu, 1);
	if (type < 8)
		ob_fmt(&c->out, " %s", names[type]);
	else
		ob_fmt(&c->out, " [type %u]", type);
	switch (type) {
	case 0:
		if (cur_avail(cu, 8, 1)) {
			static const char *const mode[] = {" Dense-mode", " Sparse-mode",
							   " Sparse-Dense-mode"};
			unsigned m = cur_u8(cu, 8) >> 4;
			if (m < 3)
				ob_str(&c->out, mode[m]);
			else
				ob_fmt(&c->out, " mode-%u", m);
		}
		if (c->o.verbose) {
			if (!cur_avail(cu, 10, 2))
				return 0;
			ob_str(&c->out, " (Hold-time ");
			relts(&c->out, cur_u16(cu, 10));
			ob_chr(&c->out, ')');
		}
		break;
	case 1:
	case 2: {
		uint32_t a = type == 1 ? 20 : 8;
		if (!cur_avail(cu, type == 1 ? 8 : a, type == 1 ? 20 : 8))
			return 0;
		ob_str(&c->out, " for ");
		ip4_at(c, cu, a);
		ob_str(&c->out, " > ");
		ip4_at(c, cu, a + 4);
		break;
	}
	case 4:
		if (c->o.verbose) {
			if (!cur_avail(cu, 8, 16))
				return 0;
			ob_str(&c->out, " group ");
			addr_mask(c, cu, 8, 12);
			ob_str(&c->out, " RP ");
			ip4_at(c, cu, 16);
			ob_str(&c->out, " hold ");
			relts(&c->out, cur_u16(cu, 22));
		}
		break;
	case 5:
		if (!cur_avail(cu, 8, 20))
			return 0;
		ob_str(&c->out, " for ");
		ip4_at(c, cu, 16);
		ob_str(&c->out, " > ");
		addr_mask(c, cu, 8, 12);
		ob_fmt(&c->out, " %s pref %u metric %u",
		       (cur_u8(cu, 20) & 0x80) ? "RP-tree" : "SPT", cur_u32(cu, 20) & 0x7fffffffu,
		       cur_u32(cu, 24));
		break;
	case 3:
	case 6:
	case 7:
		if (c->o.verbose && (len < 8 || !pim1_join_prune(c, cu, len - 8)))
			return 0;
		break;
	default: break;
	}
	if (!cur_avail(cu, 4, 1))
		return 0;
	if ((cur_u8(cu, 4) >> 4) != 1)
		ob_fmt(&c->out, " [v%u]", cur_u8(cu, 4) >> 4);
	return 1;
}

/* mtrace and its response (tcpdump's print_mtrace()). */
static int mtrace(struct decode_ctx *c, struct cursor *cu, uint32_t len, const char *what)
{
	if (len < 8 + 16) {
		ob_fmt(&c->out, " [invalid len %u]", len);
		return 1;
	}
	if (!cur_avail(cu, 8, 16))
		return 0;
	ob_fmt(&c->out, "%s %u: ", what, cur_u24(cu, 21));
	ip4_at(c, cu, 8);
	ob_str(&c->out, " to ");
	ip4_at(c, cu, 12);
	ob_str(&c->out, " reply-to ");
	ip4_at(c, cu, 16);
	if ((cur_u8(cu, 16) & 0xf0) == 0xe0)
		ob_fmt(&c->out, " with-ttl %u", cur_u8(cu, 20));
	return 1;
}

/* The types above: 1 when printed, 0 when truncated (" [|igmp]" printed),
 * -1 when TYPE is none of them. */
int igmp_more(struct decode_ctx *c, struct cursor *cu, uint32_t len, unsigned type)
{
	int r;
	switch (type) {
	case 0x14:
		ob_str(&c->out, "igmp pimv1");
		r = pimv1(c, cu, len);
		break;
	case 0x1e: r = mtrace(c, cu, len, "mresp"); break;
	case 0x1f: r = mtrace(c, cu, len, "mtrace"); break;
	default: return -1;
	}
	if (!r)
		trunc_mark(c, "igmp");
	return r;
}
