/* json.c - --json: the fields the printers recorded, and the text line
 * itself, as one JSON object; it replaces the text in the buffer. */
#include <string.h>

#include "priv.h"

/* A JSON string of N bytes from S, or (S NULL) from offset OFF of B
 * itself, read by index as B may move while it grows. */
static void str_from(struct obuf *b, const char *s, size_t off, size_t n)
{
	ob_chr(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)(s ? s[i] : b->s[off + i]);
		if (ch == '"' || ch == '\\') {
			ob_chr(b, '\\');
			ob_chr(b, (char)ch);
		} else if (ch == '\n') {
			ob_str(b, "\\n");
		} else if (ch == '\t') {
			ob_str(b, "\\t");
		} else if (ch < 0x20 || ch >= 0x7f) {
			ob_fmt(b, "\\u%04x", ch);
		} else {
			ob_chr(b, (char)ch);
		}
	}
	ob_chr(b, '"');
}

static void str(struct obuf *b, const char *s, size_t n)
{
	str_from(b, s, 0, n);
}

static void key(struct obuf *b, const char *k)
{
	ob_str(b, ",\"");
	ob_str(b, k);
	ob_str(b, "\":");
}

static void num(struct obuf *b, const char *k, long v)
{
	if (v < 0)
		return;
	key(b, k);
	ob_i(b, v);
}

static void text(struct obuf *b, const char *k, const char *v)
{
	if (!v || !v[0])
		return;
	key(b, k);
	str(b, v, strlen(v));
}

void print_json(struct decode_ctx *c, const struct decode_hdr *h, size_t text_start)
{
	struct obuf *b = &c->out;
	size_t tlen = b->len - text_start;
	/* build after the text, then move the object over it */
	size_t at = b->len;
	const struct fields *f = &c->f;
	ob_fmt(b, "{\"num\":%llu,\"ts\":%lld.%09u,\"caplen\":%u,\"len\":%u",
	       (unsigned long long)c->count, (long long)h->ts_sec, h->ts_nsec, h->caplen, h->len);
	key(b, "layers");
	ob_chr(b, '[');
	for (int i = 0; i < f->nlayers; i++) {
		if (i)
			ob_chr(b, ',');
		str(b, f->layers[i], strlen(f->layers[i]));
	}
	ob_chr(b, ']');
	text(b, "proto", f->proto);
	text(b, "eth_src", f->l2src);
	text(b, "eth_dst", f->l2dst);
	num(b, "ethertype", f->ethertype);
	num(b, "vlan", f->vlan);
	num(b, "ip_version", f->ipver ? f->ipver : -1);
	text(b, "src", f->src);
	text(b, "dst", f->dst);
	num(b, "ip_proto", f->ipproto);
	num(b, "ttl", f->ttl);
	num(b, "ip_len", f->iplen);
	num(b, "sport", f->sport);
	num(b, "dport", f->dport);
	text(b, "tcp_flags", f->flags);
	num(b, "length", f->length);
	key(b, "text");
	if (b->s)
		str_from(b, NULL, text_start, tlen);
	ob_chr(b, '}');
	if (b->len > at && b->s) {
		memmove(b->s, b->s + at, b->len - at);
		b->len -= at;
	}
}
