/* tstamp.c - the timestamp a line starts with, -t to -ttttt as tcpdump. */

#include "priv.h"

static void frac(struct decode_ctx *c, uint32_t nsec)
{
	ob_chr(&c->out, '.');
	if (c->o.nano) {
		ob_fmt(&c->out, "%09u", nsec);
	} else {
		uint32_t us = nsec / 1000;
		char t[6];
		if (us > 999999) { /* a bad file's microseconds, printed as they are */
			ob_u(&c->out, us);
			return;
		}
		for (int i = 5; i >= 0; i--, us /= 10)
			t[i] = (char)('0' + us % 10);
		ob_mem(&c->out, t, 6);
	}
}

static void two(struct obuf *b, int v)
{
	ob_chr(b, (char)('0' + v / 10 % 10));
	ob_chr(b, (char)('0' + v % 10));
}

static void hms(struct decode_ctx *c, int64_t sec, uint32_t nsec, int date)
{
	/* one conversion a second of capture, not one a packet */
	struct tm tm;
	if (c->tm_valid && c->tm_sec == sec) {
		tm = c->tm;
	} else {
		time_t t = (time_t)sec;
		if (!localtime_r(&t, &tm)) {
			ob_str(&c->out, "[Error converting time]");
			return;
		}
		c->tm = tm;
		c->tm_sec = sec;
		c->tm_valid = 1;
	}
	if (date) {
		ob_fmt(&c->out, "%04d-", tm.tm_year + 1900);
		two(&c->out, tm.tm_mon + 1);
		ob_chr(&c->out, '-');
		two(&c->out, tm.tm_mday);
		ob_chr(&c->out, ' ');
	}
	two(&c->out, tm.tm_hour);
	ob_chr(&c->out, ':');
	two(&c->out, tm.tm_min);
	ob_chr(&c->out, ':');
	two(&c->out, tm.tm_sec);
	frac(c, nsec);
}

/* -ttt and -ttttt: a difference, as hours:minutes:seconds after a sign
 * column (blank when positive, as tcpdump). */
static void delta(struct decode_ctx *c, int64_t s1, uint32_t n1, int64_t s0, uint32_t n0)
{
	int64_t ns = (s1 - s0) * 1000000000 + ((int64_t)n1 - (int64_t)n0);
	ob_chr(&c->out, ns < 0 ? '-' : ' ');
	if (ns < 0)
		ns = -ns;
	int64_t s = ns / 1000000000;
	ob_fmt(&c->out, "%02lld:", (long long)(s / 3600));
	two(&c->out, (int)(s / 60 % 60));
	ob_chr(&c->out, ':');
	two(&c->out, (int)(s % 60));
	frac(c, (uint32_t)(ns % 1000000000));
}

void print_tstamp(struct decode_ctx *c, const struct decode_hdr *h)
{
	switch (c->o.tstamp) {
	case DECODE_TS_NONE: return;
	case DECODE_TS_EPOCH:
		ob_i(&c->out, h->ts_sec);
		frac(c, h->ts_nsec);
		break;
	case DECODE_TS_DELTA:
		if (c->have_prev)
			delta(c, h->ts_sec, h->ts_nsec, c->prev_sec, c->prev_nsec);
		else
			delta(c, 0, 0, 0, 0);
		break;
	case DECODE_TS_SINCE_FIRST:
		if (!c->have_prev) {
			c->first_sec = h->ts_sec;
			c->first_nsec = h->ts_nsec;
		}
		delta(c, h->ts_sec, h->ts_nsec, c->first_sec, c->first_nsec);
		break;
	case DECODE_TS_DATE: hms(c, h->ts_sec, h->ts_nsec, 1); break;
	default: hms(c, h->ts_sec, h->ts_nsec, 0); break;
	}
	c->prev_sec = h->ts_sec;
	c->prev_nsec = h->ts_nsec;
	c->have_prev = 1;
	ob_chr(&c->out, ' ');
}
