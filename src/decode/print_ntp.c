/* print_ntp.c - NTP (RFC 5905) as tcpdump 4.99's print-ntp.c: the summary
 * line, and with -v the time message (stratum, poll, root delay and
 * dispersion, reference ID, the four timestamps with their UTC dates, the
 * deltas, key ID and digest) or the control message header.  A read past
 * the capture unwinds as tcpdump's GET_ macros (" [|ntp]"). */
#include <setjmp.h>
#include <time.h>

#include "priv.h"

static uint32_t frac9(uint32_t uf)
{
	return (uint32_t)((double)uf / 4294967296.0 * 1000000000.0);
}

/* p_ntp_time: seconds.nanoseconds and the UTC date. */
static void ntp_time(struct jread *n, uint32_t at)
{
	uint32_t i = jr_u32(n, at), uf = jr_u32(n, at + 4);
	ob_fmt(&n->c->out, "%u.%09u", i, frac9(uf));
	if (!i)
		return;
	time_t s = (time_t)((int64_t)i - 2208988800LL);
	struct tm tm;
	char buf[64];
	if (!gmtime_r(&s, &tm)) {
		ob_str(&n->c->out, " (unrepresentable)");
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ob_fmt(&n->c->out, " (%s)", buf);
}

/* p_ntp_delta: the timestamp at AT less the one at O. */
static void ntp_delta(struct jread *n, uint32_t o, uint32_t at)
{
	uint32_t u = jr_u32(n, at), ou = jr_u32(n, o), uf = jr_u32(n, at + 4),
		 ouf = jr_u32(n, o + 4), i, f;
	int neg;
	if (ou == 0 && ouf == 0) {
		ntp_time(n, at);
		return;
	}
	if (u > ou) {
		neg = 0;
		i = u - ou - (ouf > uf);
		f = uf - ouf;
	} else if (u < ou) {
		neg = 1;
		i = ou - u - (uf > ouf);
		f = ouf - uf;
	} else {
		i = 0;
		neg = !(uf > ouf);
		f = neg ? ouf - uf : uf - ouf;
	}
	ob_fmt(&n->c->out, "%s%u.%09u", neg ? "-" : "+", i, frac9(f));
}

static void sfix(struct jread *n, uint32_t at)
{
	int i = (int)jr_u16(n, at), f = (int)jr_u16(n, at + 2);
	ob_fmt(&n->c->out, "%d.%06d", i, (int)(f / 65536.0 * 1000000.0));
}

/* ntp_time_print; 0 on truncation found by a length check. */
static int time_msg(struct jread *n, uint32_t len)
{
	struct obuf *o = &n->c->out;
	if (len < 48) {
		ob_str(o, " (invalid)");
		return cur_avail(n->cu, 0, len);
	}
	unsigned st = jr_u8(n, 1);
	ob_fmt(o, ", Stratum %u (%s)", st,
	       st == 0	  ? "unspecified"
	       : st == 1  ? "primary reference"
	       : st <= 15 ? "secondary reference"
			  : "reserved");
	int poll = (int8_t)jr_u8(n, 2);
	ob_fmt(o, ", poll %d", poll);
	if (poll > -32 && poll < 32) {
		if (poll >= 0)
			ob_fmt(o, " (%us)", 1U << poll);
		else
			ob_fmt(o, " (1/%us)", 1U << -poll);
	}
	ob_fmt(o, ", precision %d", (int8_t)jr_u8(n, 3));
	static const char *const lbl[] = {"\n\tRoot Delay: ", ", Root dispersion: "};
	for (uint32_t k = 0; k < 2; k++) {
		if (!cur_avail(n->cu, 4 + 4 * k, 4))
			return 0;
		ob_str(o, lbl[k]);
		sfix(n, 4 + 4 * k);
	}
	if (!cur_avail(n->cu, 12, 4))
		return 0;
	ob_str(o, ", Reference-ID: ");
	if (st == 0)
		ob_str(o, "(unspec)");
	else if (st == 1) {
		for (uint32_t k = 12; k < 16; k++) {
			uint8_t ch = (uint8_t)jr_u8(n, k);
			ob_safe(o, &ch, 1);
		}
	} else if (st == 62 || st == 63) {
		uint8_t a[4];
		cur_copy(n->cu, 12, a, 4);
		ob_ip4(o, a);
		ob_str(o, st == 62 ? " INFO_QUERY" : " INFO_REPLY");
		return 1;
	} else
		ob_fmt(o, "0x%08x", jr_u32(n, 12));
	static const char *const ts[] = {"Reference Timestamp:  ", "Originator Timestamp: ",
					 "Receive Timestamp:    ", "Transmit Timestamp:   "};
	for (uint32_t k = 0; k < 4; k++) {
		if (!cur_avail(n->cu, 16 + 8 * k, 8))
			return 0;
		ob_fmt(o, "\n\t  %s", ts[k]);
		ntp_time(n, 16 + 8 * k);
	}
	ob_str(o, "\n\t    Originator - Receive Timestamp:  ");
	ntp_delta(n, 24, 32);
	ob_str(o, "\n\t    Originator - Transmit Timestamp: ");
	ntp_delta(n, 24, 40);
	if (len == 52 || len == 68 || len == 72) {
		ob_fmt(o, "\n\tKey id: %u", jr_u32(n, 48));
		if (len > 52) {
			if (!cur_avail(n->cu, 52, len - 52))
				return 0;
			ob_str(o, "\n\tAuthentication: ");
			for (uint32_t k = 52; k < len; k += 4)
				ob_fmt(o, "%08x", jr_u32(n, k));
		}
	} else if (len > 48)
		ob_fmt(o, "\n\t(%u more bytes after the header)", len - 48);
	return 1;
}

/* ntp_control_print. */
static int control_msg(struct jread *n, uint32_t len)
{
	struct obuf *o = &n->c->out;
	if (len < 12) {
		ob_str(o, " (invalid)");
		return cur_avail(n->cu, 0, len);
	}
	unsigned ctl = jr_u8(n, 1);
	ob_fmt(o, ", %s, %s, %s, OpCode=%u\n", ctl & 0x80 ? "Response" : "Request",
	       ctl & 0x40 ? "Error" : "OK", ctl & 0x20 ? "More" : "Last", ctl & 0x1f);
	ob_fmt(o, "\tSequence=%u", jr_u16(n, 2));
	unsigned st = jr_u16(n, 4);
	if (st)
		ob_fmt(o, ", Status=%#x", st);
	else
		ob_str(o, ", Status=0");
	ob_fmt(o, ", Assoc.=%u", jr_u16(n, 6));
	ob_fmt(o, ", Offset=%u", jr_u16(n, 8));
	unsigned count = jr_u16(n, 10);
	ob_fmt(o, ", Count=%u", count);
	if (12 + count > len) {
		ob_str(o, " (invalid)");
		return cur_avail(n->cu, 0, len);
	}
	if (count) {
		if (!cur_avail(n->cu, 12, count))
			return 0;
		ob_str(o, "\n\tTO-BE-DONE: data not interpreted");
	}
	return 1;
}

void print_ntp(struct decode_ctx *c, struct cursor *cu, uint32_t len)
{
	static const char *const modes[] = {
		"unspecified", "symmetric active", "symmetric passive", "Client",
		"Server",      "Broadcast",	   "Control Message",	"Reserved"};
	static const char *const leap[] = {"", "+1s", "-1s", "clock unsynchronized"};
	layer(c, "ntp");
	struct jread n;
	n.c = c;
	n.cu = cu;
	if (setjmp(n.out)) {
		trunc_whole(c, "ntp");
		return;
	}
	unsigned st = jr_u8(&n, 0), m = st & 7;
	if (m == 6 || m == 7)
		layer(c, "ntp-other");
	ob_fmt(&c->out, "NTPv%u, %s, length %u", (st >> 3) & 7, modes[m], len);
	if (!c->o.verbose)
		return;
	layer(c, "ntp-v");
	ob_fmt(&c->out, "\n\tLeap indicator: %s (%u)", leap[st >> 6], st & 0xc0);
	int ok = 1;
	if (m < 6)
		ok = time_msg(&n, len);
	else if (m == 6)
		ok = control_msg(&n, len);
	if (!ok)
		trunc_mark(c, "ntp");
}
