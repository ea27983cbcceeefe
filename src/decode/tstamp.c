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

/* "[YYYY-MM-DD ]HH:MM:SS" of SEC into T; its length. */
static size_t sec_text(char *t, const struct tm *tm, int date)
{
	struct obuf b = {t, 0, 32};
	if (date) {
		ob_fmt(&b, "%04d-", tm->tm_year + 1900);
		two(&b, tm->tm_mon + 1);
		ob_chr(&b, '-');
		two(&b, tm->tm_mday);
		ob_chr(&b, ' ');
	}
	two(&b, tm->tm_hour);
	ob_chr(&b, ':');
	two(&b, tm->tm_min);
	ob_chr(&b, ':');
	two(&b, tm->tm_sec);
	return b.len;
}

/* tcpdump 4.99.3 formats a time only when its seconds, taken as 32 bits,
 * are below 2^31 (a pcap file's seconds are signed 32-bit: such a time is
 * before 1970, or a difference of more than 68 years). */
static int bad_sec(struct decode_ctx *c, int64_t sec)
{
	if (!((uint32_t)sec & 0x80000000u))
		return 0;
	ob_str(&c->out, "[Error converting time]");
	return 1;
}

static void hms(struct decode_ctx *c, int64_t sec, uint32_t nsec, int date)
{
	if (bad_sec(c, sec))
		return;
	/* one conversion and one formatting a second of capture, not one a
	 * packet: the text of the second is kept */
	if (!c->tm_valid || c->tm_sec != sec || c->tm_date != date) {
		struct tm tm;
		time_t t = (time_t)sec;
		if (!localtime_r(&t, &tm)) {
			ob_str(&c->out, "[Error converting time]");
			return;
		}
		c->tm = tm;
		c->tm_sec = sec;
		c->tm_date = date;
		c->tm_textlen = sec_text(c->tm_text, &tm, date);
		c->tm_valid = 1;
	}
	ob_mem(&c->out, c->tm_text, c->tm_textlen);
	frac(c, nsec);
}

/* -ttt and -ttttt: a difference, as hours:minutes:seconds after a sign
 * column (blank when positive), as tcpdump 4.99.3, whose gmtime() of the
 * difference leaves whole days out. */
static void delta(struct decode_ctx *c, int64_t s1, uint32_t n1, int64_t s0, uint32_t n0)
{
	int64_t ns = (s1 - s0) * 1000000000 + ((int64_t)n1 - (int64_t)n0);
	ob_chr(&c->out, ns < 0 ? '-' : ' ');
	if (ns < 0)
		ns = -ns;
	int64_t s = ns / 1000000000;
	if (bad_sec(c, s))
		return;
	two(&c->out, (int)(s / 3600 % 24));
	ob_chr(&c->out, ':');
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
		if (bad_sec(c, h->ts_sec))
			break;
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
