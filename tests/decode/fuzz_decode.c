/*
 * fuzz_decode.c - libFuzzer target over the packet printer: any bytes as a
 * packet of any supported link type, with any printing options.
 *
 * Input: byte 0 picks the link type (dlts[] below), byte 1 the options
 * (bit 0 -v, 1 -vv, 2 -e, 3 -x, 4 -X, 5 -A, 6 --json, 7 -q), byte 2 how many
 * bytes short of the packet's length the capture is (caplen < len); the rest
 * is the packet.  The same packet is printed twice through one context, so
 * the TCP conversation table is exercised too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const int dlts[] = {DECODE_DLT_EN10MB, DECODE_DLT_LINUX_SLL, DECODE_DLT_LINUX_SLL2,
			   DECODE_DLT_RAW,    DECODE_DLT_IPV4,	    DECODE_DLT_IPV6,
			   DECODE_DLT_NULL,   DECODE_DLT_LOOP};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 3)
		return 0;
	int dlt = dlts[d[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	unsigned f = d[1];
	struct decode_opts o = {
		.verbose = (f & 1) + ((f >> 1) & 1),
		.link = (f >> 2) & 1,
		.hex = (f >> 3) & 1,
		.hexascii = (f >> 4) & 1,
		.ascii = (f >> 5) & 1,
		.json = (f >> 6) & 1,
		.quiet = (f >> 7) & 1,
		.tstamp = d[2] % 6,
	};
	struct decode_ctx *c = decode_ctx_new(&o, dlt);
	if (!c)
		return 0;
	const uint8_t *pkt = d + 3;
	uint32_t caplen = (uint32_t)(n - 3);
	struct decode_hdr h = {1700000000, 123456789, caplen, caplen + d[2]};
	static char buf[1 << 16];
	for (int i = 0; i < 2; i++) {
		decode_packet_buf(c, &h, pkt, i ? "eth0 In " : NULL, buf, sizeof(buf));
		h.ts_sec++;
	}
	decode_ctx_free(c);
	return 0;
}
