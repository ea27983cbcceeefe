/* pktline.c - what a packet prints: the options of struct config handed to
 * the printer of src/decode; see app.h. */
#include <stdio.h>

#include "app.h"
#include "decode/decode.h"

struct decode_ctx *app_printer_new(const struct config *cfg, int dlt)
{
	struct decode_opts o = {
		.verbose = cfg->verbose,
		.quiet = cfg->quiet,
		.link = cfg->link_header,
		.tstamp = cfg->tstamp,
		.nano = cfg->nano,
		.hex = cfg->hex,
		.hexascii = cfg->hexascii,
		.ascii = cfg->ascii,
		.number = cfg->number,
		.json = cfg->json,
		.numeric = cfg->numeric,
	};
	struct decode_ctx *d = decode_ctx_new(&o, dlt);
	if (!d)
		fprintf(stderr, "bpfcap: out of memory\n");
	return d;
}

void app_printer_free(struct decode_ctx *d)
{
	decode_ctx_free(d);
}

int app_print_pkt(struct decode_ctx *d, const struct capture_pkt *p, const char *where)
{
	struct decode_hdr h = {p->ts_sec, p->ts_nsec, p->caplen, p->len};
	return decode_packet(d, &h, p->data, where, stdout);
}
