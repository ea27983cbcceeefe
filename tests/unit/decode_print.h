/* decode_print.h - for the decoder's unit tests (after cmocka.h): a packet
 * printed as one text, without the timestamp. */
#ifndef BPFCAP_TESTS_DECODE_PRINT_H
#define BPFCAP_TESTS_DECODE_PRINT_H

#include "decode/decode.h"

/* PKT printed with O: LEN bytes captured of WIRE; the text stays until the
 * next call. */
static const char *print_cut(const struct decode_opts *o, int dlt, const uint8_t *pkt, uint32_t len,
			     uint32_t wire)
{
	static char buf[8192];
	struct decode_opts x = *o;
	x.tstamp = DECODE_TS_NONE;
	struct decode_ctx *c = decode_ctx_new(&x, dlt);
	assert_non_null(c);
	struct decode_hdr h = {0, 0, len, wire};
	decode_packet_buf(c, &h, pkt, NULL, buf, sizeof(buf));
	decode_ctx_free(c);
	return buf;
}

#endif
