/*
 * cursor.h - the only way a printer reads packet bytes.  A cursor is a
 * window [base, base + len) of captured bytes and a read position; every
 * read is checked against the window, and a read past it returns 0 and sets
 * the sticky flag TRUNC, which the printer tests to print " [|proto]".
 * Sub-cursors narrow a window to a header's own length; they share nothing
 * with their parent but the bytes.
 */
#ifndef BPFCAP_DECODE_CURSOR_H
#define BPFCAP_DECODE_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t *base;
	uint32_t len; /* bytes in the window */
	uint32_t off; /* read position, <= len */
	int trunc;    /* a read went past the window */
};

static inline struct cursor cur_make(const uint8_t *p, uint32_t len)
{
	struct cursor c = {p, len, 0, 0};
	return c;
}

/* Bytes left after the read position. */
static inline uint32_t cur_left(const struct cursor *c)
{
	return c->len - c->off;
}

/* N bytes readable at AT (from the read position)?  Sets TRUNC if not. */
static inline int cur_has(struct cursor *c, uint32_t at, uint32_t n)
{
	uint32_t left = c->len - c->off;
	if (at > left || n > left - at) {
		c->trunc = 1;
		return 0;
	}
	return 1;
}

/* Like cur_has() without touching TRUNC: for "is there more?" tests. */
static inline int cur_avail(const struct cursor *c, uint32_t at, uint32_t n)
{
	uint32_t left = c->len - c->off;
	return at <= left && n <= left - at;
}

static inline uint8_t cur_u8(struct cursor *c, uint32_t at)
{
	return cur_has(c, at, 1) ? c->base[c->off + at] : 0;
}

static inline uint16_t cur_u16(struct cursor *c, uint32_t at)
{
	if (!cur_has(c, at, 2))
		return 0;
	const uint8_t *p = c->base + c->off + at;
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t cur_u24(struct cursor *c, uint32_t at)
{
	if (!cur_has(c, at, 3))
		return 0;
	const uint8_t *p = c->base + c->off + at;
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t cur_u32(struct cursor *c, uint32_t at)
{
	if (!cur_has(c, at, 4))
		return 0;
	const uint8_t *p = c->base + c->off + at;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t cur_le16(struct cursor *c, uint32_t at)
{
	if (!cur_has(c, at, 2))
		return 0;
	const uint8_t *p = c->base + c->off + at;
	return (uint16_t)(p[1] << 8 | p[0]);
}

static inline uint32_t cur_le32(struct cursor *c, uint32_t at)
{
	if (!cur_has(c, at, 4))
		return 0;
	const uint8_t *p = c->base + c->off + at;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Copy N bytes at AT into DST (zeros and TRUNC when short). */
static inline int cur_copy(struct cursor *c, uint32_t at, void *dst, uint32_t n)
{
	if (!cur_has(c, at, n)) {
		memset(dst, 0, n);
		return 0;
	}
	memcpy(dst, c->base + c->off + at, n);
	return 1;
}

/* Move the read position N bytes on (to the end and TRUNC when short). */
static inline int cur_skip(struct cursor *c, uint32_t n)
{
	if (!cur_has(c, 0, n)) {
		c->off = c->len;
		return 0;
	}
	c->off += n;
	return 1;
}

/* The bytes after the read position, at most N of them (a protocol's own
 * length): the parent's truncation is not inherited. */
static inline struct cursor cur_sub(const struct cursor *c, uint32_t n)
{
	uint32_t left = c->len - c->off;
	return cur_make(c->base + c->off, n < left ? n : left);
}

#endif
