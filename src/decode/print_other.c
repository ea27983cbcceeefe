/* print_other.c - small IP protocols: IGMP (RFC 1112/2236/3376), SCTP
 * (RFC 9260: DATA, INIT, SACK, the other chunks by name), NTP (RFC 5905, summary), BOOTP/DHCP (RFC
 * 951, RFC 2131, summary). */
#include "priv.h"

/* tcpdump's relative-time format: 1w2d3h4m5s. */
static void relts(struct decode_ctx *c, uint32_t secs)
{
	static const char *const unit[] = {"y", "w", "d", "h", "m", "s"};
	static const uint32_t size[] = {31536000, 604800, 86400, 3600, 60, 1};
	if (secs == 0) {
		ob_str(&c->out, "0s");
		return;
	}
	for (int i = 0; i < 6; i++)
		if (secs >= size[i]) {
			ob_fmt(&c->out, "%u%s", secs / size[i], unit[i]);
			secs %= size[i];
		}
}

static void ip4_at(struct decode_ctx *c, struct cursor *cu, uint32_t at)
{
	uint8_t a[4];
	cur_copy(cu, at, a, 4);
	ob_ip4(&c->out, a);
}

static void igmp_query(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	if (len >= 12) {
		unsigned mrc = cur_u8(cu, 1);
		uint32_t mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
		ob_str(&c->out, " v3");
		if (mrc != 100) {
			ob_str(&c->out, " [max resp time ");
			if (mrt < 600)
				ob_fmt(&c->out, "%.1fs", mrt * 0.1);
			else
				relts(c, mrt / 10);
			ob_chr(&c->out, ']');
		}
		if (!cur_u32(cu, 4))
			return;
		ob_str(&c->out, " [gaddr ");
		ip4_at(c, cu, 4);
		unsigned n = cur_u16(cu, 10);
		if (n > 0) {
			if (len < 12 + (n << 2))
				ob_str(&c->out, " [invalid number of sources]");
			else if (c->o.verbose > 1)
				layer(c, "igmp-other");
			else
				ob_fmt(&c->out, ", %u source(s)", n);
		}
		ob_chr(&c->out, ']');
		return;
	}
	unsigned mrt = cur_u8(cu, 1);
	if (mrt) {
		ob_str(&c->out, " v2");
		if (mrt != 100)
			ob_fmt(&c->out, " [max resp time %u]", mrt);
	} else {
		ob_str(&c->out, " v1");
	}
	if (cur_u32(cu, 4)) {
		ob_str(&c->out, " [gaddr ");
		ip4_at(c, cu, 4);
		ob_chr(&c->out, ']');
	}
	if (len != 8)
		ob_fmt(&c->out, " [len %u]", len);
}

void print_igmp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "igmp");
	if (!cur_avail(cu, 0, 8)) {
		trunc_mark(c, "igmp");
		return;
	}
	unsigned type = cur_u8(cu, 0);
	switch (type) {
	case 0x11:
		ob_str(&c->out, "igmp query");
		igmp_query(c, cu, len);
		break;
	case 0x12:
		ob_str(&c->out, "igmp v1 report ");
		ip4_at(c, cu, 4);
		if (len != 8)
			ob_fmt(&c->out, " [len %u]", len);
		break;
	case 0x16:
		ob_str(&c->out, "igmp v2 report ");
		ip4_at(c, cu, 4);
		break;
	case 0x17:
		ob_str(&c->out, "igmp leave ");
		ip4_at(c, cu, 4);
		break;
	case 0x22:
		ob_str(&c->out, "igmp v3 report");
		if (!igmp_v3_report(c, cu, len)) { /* print_igmp.c */
			trunc_mark(c, "igmp");
			return;
		}
		break;
	default: {
		int r = igmp_more(c, cu, len, type); /* print_igmp.c */
		if (r == 0)
			return;
		if (r > 0)
			break;
		/* DVMRP: not decoded */
		layer(c, "igmp-other");
		ob_fmt(&c->out, "igmp-%u", type);
		return;
	}
	}
	if (c->o.verbose && len >= 4 && cur_avail(cu, 0, len) &&
	    cksum_fold(cksum_add(cu, 0, len, 0)))
		ob_fmt(&c->out, " bad igmp cksum %x!", cur_u16(cu, 2));
}

static const char *chunk_name(unsigned t)
{
	static const char *const n[] = {
		"DATA",	       "INIT",	     "INIT ACK", "SACK",	 "HB REQ",
		"HB ACK",      "ABORT",	     "SHUTDOWN", "SHUTDOWN ACK", "OP ERR",
		"COOKIE ECHO", "COOKIE ACK", "ECN ECHO", "ECN CWR",	 "SHUTDOWN COMPLETE"};
	return t < 15 ? n[t] : NULL;
}

/* One chunk's fields after "[NAME] "; 0 when truncated. */
static int chunk(struct decode_ctx *c, struct cursor *cu, uint32_t at, unsigned type)
{
	switch (type) {
	case 0: {
		if (!cur_avail(cu, at, 16))
			return 0;
		unsigned fl = cur_u8(cu, at + 1);
		if (fl & 4)
			ob_str(&c->out, "(U)");
		if (fl & 2)
			ob_str(&c->out, "(B)");
		if (fl & 1)
			ob_str(&c->out, "(E)");
		if (fl & 7)
			ob_chr(&c->out, ' ');
		ob_fmt(&c->out, "[TSN: %u] [SID: %u] [SSEQ %u] [PPID 0x%x] ", cur_u32(cu, at + 4),
		       cur_u16(cu, at + 8), cur_u16(cu, at + 10), cur_u32(cu, at + 12));
		if (c->o.verbose > 1 || cur_u32(cu, at + 12))
			layer(c, "sctp-other"); /* payload printers */
		return 1;
	}
	case 1:
	case 2:
		if (!cur_avail(cu, at, 20))
			return 0;
		ob_fmt(&c->out, "[init tag: %u] [rwnd: %u] [OS: %u] [MIS: %u] [init TSN: %u] ",
		       cur_u32(cu, at + 4), cur_u32(cu, at + 8), cur_u16(cu, at + 12),
		       cur_u16(cu, at + 14), cur_u32(cu, at + 16));
		return 1;
	case 3:
		if (!cur_avail(cu, at, 16))
			return 0;
		ob_fmt(&c->out, "[cum ack %u] [a_rwnd %u] [#gap acks %u] [#dup tsns %u] ",
		       cur_u32(cu, at + 4), cur_u32(cu, at + 8), cur_u16(cu, at + 12),
		       cur_u16(cu, at + 14));
		if (cur_u16(cu, at + 12) || cur_u16(cu, at + 14))
			layer(c, "sctp-other");
		return 1;
	default: return 1;
	}
}

void print_sctp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "sctp");
	if (!cur_avail(cu, 0, 12)) {
		trunc_mark(c, "sctp");
		return;
	}
	unsigned sp = cur_u16(cu, 0), dp = cur_u16(cu, 2);
	c->f.sport = sp;
	c->f.dport = dp;
	if (c->ip.direct)
		ob_fmt(&c->out, "%s.%u > %s.%u: sctp", c->f.src, sp, c->f.dst, dp);
	else
		ob_fmt(&c->out, "%u > %u: sctp", sp, dp);
	if ((sp >= 6700 && sp <= 6706) || (dp >= 6700 && dp <= 6706) || c->o.verbose) {
		layer(c, "sctp-other"); /* ForCES, -v's chunk details */
		return;
	}
	uint32_t at = 12;
	for (unsigned n = 1; at + 4 <= len; n++) {
		if (!cur_avail(cu, at, 4)) {
			trunc_mark(c, "sctp");
			return;
		}
		unsigned type = cur_u8(cu, at), cl = cur_u16(cu, at + 2);
		if (cl < 4)
			break;
		ob_fmt(&c->out, "%s%u) ", n == 1 ? " (" : ", (", n);
		const char *name = chunk_name(type);
		if (name)
			ob_fmt(&c->out, "[%s] ", name);
		else
			ob_fmt(&c->out, "[Unknown chunk type: 0x%x] ", type);
		if (!name || type > 3)
			layer(c, "sctp-other");
		if (!chunk(c, cu, at, type)) {
			trunc_mark(c, "sctp");
			return;
		}
		at += (cl + 3) & ~3u;
	}
}

void print_ntp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "ntp");
	if (!cur_avail(cu, 0, 1)) {
		ob_str(&c->out, "NTP");
		trunc_mark(c, "ntp");
		return;
	}
	static const char *const modes[] = {
		"Reserved", "Symmetric Active", "Symmetric Passive", "Client",
		"Server",   "Broadcast",	"Control Message",   "Reserved"};
	unsigned b = cur_u8(cu, 0), v = (b >> 3) & 7, m = b & 7;
	if (m == 6 || m == 7)
		layer(c, "ntp-other");
	ob_fmt(&c->out, "NTPv%u, %s, length %u", v, modes[m], len);
	if (c->o.verbose)
		layer(c, "ntp-v");
}

void print_bootp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	layer(c, "bootp");
	if (!cur_avail(cu, 0, 1)) {
		ob_str(&c->out, "BOOTP/DHCP");
		trunc_mark(c, "bootp");
		return;
	}
	unsigned op = cur_u8(cu, 0);
	ob_fmt(&c->out, "BOOTP/DHCP, %s", op == 1 ? "Request" : op == 2 ? "Reply" : "unknown");
	if (op == 1 && cur_avail(cu, 28, 6) && cur_u8(cu, 1) == 1 && cur_u8(cu, 2) == 6) {
		uint8_t a[6];
		cur_copy(cu, 28, a, 6);
		ob_str(&c->out, " from ");
		ob_mac(&c->out, a);
	}
	ob_fmt(&c->out, ", length %u", len);
	if (c->o.verbose)
		layer(c, "bootp-v");
}
