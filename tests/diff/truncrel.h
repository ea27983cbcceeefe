/*
 * truncrel.h - the verdict relation between bpfcap's programs and libpcap's
 * unoptimized one, shared by the differential, kernel, fuzz and unit tests.
 *
 * bpfcap-filter(7), "Short packets": where libpcap's unoptimized program
 * reads only bytes that are present, the verdicts are equal; on a packet
 * that ends inside a field the filter reads, bpfcap accepts at least what
 * libpcap's unoptimized program accepts, and more only when every value of
 * the missing bytes (wire length unchanged) makes the expression true.
 *
 * A verdict of ours that accepts where the reference rejects is therefore
 * allowed only if the reference accepts the packet on every completion we
 * try: the captured bytes followed by zeros, by 0xff and by a few
 * pseudo-random fillings, up to TRUNCREL_EXT bytes (past any offset the
 * corpus' loads read), the wire length unchanged.  The reverse (ours
 * rejects, the reference accepts) is always a mismatch.
 */
#ifndef BPFCAP_TEST_TRUNCREL_H
#define BPFCAP_TEST_TRUNCREL_H

#include <pcap/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The completed packet's length: 65535 and a margin for loads past an
 * IPv4 header (at most 60 bytes) or an offset up to 64 KiB. */
#define TRUNCREL_EXT (65536u + 1024u)
/* Completions tried: zeros, 0xff, then pseudo-random fillings. */
#define TRUNCREL_FILLS 6

enum truncrel {
	TRUNCREL_EQUAL,	   /* same verdict (acceptance) */
	TRUNCREL_TRUNC,	   /* ours accepts, reference rejects, every completion accepts */
	TRUNCREL_MISMATCH, /* anything else */
};

/* Counts for a summary line. */
struct truncrel_stats {
	unsigned long equal, trunc, mismatch;
	unsigned long completions; /* completions run for the TRUNC verdicts */
};

/* REF on PKT[0, CAPLEN) completed with fill number FILL, wire length
 * WIRELEN; BUF has room for TRUNCREL_EXT bytes. */
static inline unsigned truncrel_completed(const struct bpf_insn *ref, const uint8_t *pkt,
					  unsigned caplen, unsigned wirelen, uint8_t *buf, int fill)
{
	uint32_t x = 0x9e3779b9u * (uint32_t)(fill + 1) ^ caplen;
	memcpy(buf, pkt, caplen);
	if (fill < 2) {
		memset(buf + caplen, fill ? 0xff : 0, TRUNCREL_EXT - caplen);
	} else {
		for (unsigned i = caplen; i < TRUNCREL_EXT; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			buf[i] = (uint8_t)(x >> 7);
		}
	}
	return bpf_filter(ref, buf, wirelen, TRUNCREL_EXT);
}

/* Classify OURS (the verdict of the program under test) against REF_V,
 * the verdict of REF (libpcap's unoptimized program) on PKT (CAPLEN bytes
 * captured of WIRELEN; CAPLEN < TRUNCREL_EXT).  Only the acceptance
 * matters (a snap length is not a difference).  S, if not NULL, counts. */
static inline enum truncrel truncrel_check(const struct bpf_insn *ref, unsigned ref_v,
					   unsigned ours, const uint8_t *pkt, unsigned caplen,
					   unsigned wirelen, struct truncrel_stats *s)
{
	static _Thread_local uint8_t *buf;
	enum truncrel r = TRUNCREL_EQUAL;
	if ((ours != 0) == (ref_v != 0)) {
		r = TRUNCREL_EQUAL;
	} else if (!ours || caplen >= TRUNCREL_EXT) {
		r = TRUNCREL_MISMATCH;
	} else {
		if (!buf)
			buf = malloc(TRUNCREL_EXT);
		r = buf ? TRUNCREL_TRUNC : TRUNCREL_MISMATCH;
		for (int f = 0; f < TRUNCREL_FILLS && r == TRUNCREL_TRUNC; f++)
			if (!truncrel_completed(ref, pkt, caplen, wirelen, buf, f))
				r = TRUNCREL_MISMATCH;
		if (s && r == TRUNCREL_TRUNC)
			s->completions += TRUNCREL_FILLS;
	}
	if (s)
		*(r == TRUNCREL_EQUAL	? &s->equal
		  : r == TRUNCREL_TRUNC ? &s->trunc
					: &s->mismatch) += 1;
	return r;
}

#endif
