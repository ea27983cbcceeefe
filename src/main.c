/* main.c - wiring: options to compiler, file reader, writer and output.
 * The one place that maps failures to exit statuses: 1 for usage and filter
 * errors, 2 for I/O and file errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/capture.h"
#include "config.h"
#include "filter/filter.h"
#include "options.h"
#include "app.h"

struct run {
	const struct config *cfg;
	struct capture_writer *w;
	const char *dlt_name;
	struct decode_ctx *printer;
	unsigned long matched;
	int write_failed;
};

/* -F: lines starting with '#' are comments; they become blank so that
 * line:column in messages still point into the file. */
static char *read_expr_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "bpfcap: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *s = malloc(cap), line[4096];
	int at_bol = 1, comment = 0;
	while (s && fgets(line, sizeof(line), fp)) {
		size_t l = strlen(line);
		if (at_bol)
			comment = line[strspn(line, " \t")] == '#';
		at_bol = l && line[l - 1] == '\n';
		if (comment)
			for (size_t i = 0; i < l; i++)
				line[i] = line[i] == '\n' ? '\n' : ' ';
		if (n + l + 1 > cap) {
			char *t = realloc(s, cap = 2 * (n + l + 1));
			if (!t) {
				free(s);
				s = NULL;
				break;
			}
			s = t;
		}
		memcpy(s + n, line, l);
		n += l;
	}
	if (s)
		s[n] = '\0';
	if (ferror(fp)) {
		fprintf(stderr, "bpfcap: %s: read error\n", path);
		free(s);
		s = NULL;
	}
	fclose(fp);
	return s;
}

static int on_packet(void *opaque, const struct capture_pkt *p)
{
	struct run *r = opaque;
	if (r->w) {
		if (capture_writer_put(r->w, p) < 0) {
			r->write_failed = 1;
			return 1;
		}
	} else if (!r->cfg->count_only && app_print_pkt(r->printer, p, NULL)) {
		return 1;
	}
	r->matched++;
	return r->cfg->max_packets >= 0 && r->matched >= (unsigned long)r->cfg->max_packets;
}

/* The eBPF program EP as -o's object; 0 or EXIT_IO after a message. */
static int write_object(const struct config *cfg, const struct filter_ebpf_prog *ep)
{
	char err[512];
	if (filter_ebpf_write_object(ep, cfg->object_file, NULL, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_IO;
	}
	return 0;
}

/* -d/-dd/-ddd and -o: the program, listed or written, for the socket or a hook. */
static int program_mode(const struct config *cfg)
{
	int dlt = FILTER_DLT_EN10MB;
	uint32_t snaplen = cfg->snaplen;
	if (cfg->read_file) {
		char err[512];
		struct capture_file *f;
		if (capture_file_open(cfg->read_file, &f, err, sizeof(err)) < 0) {
			fprintf(stderr, "bpfcap: %s\n", err);
			return EXIT_IO;
		}
		dlt = capture_file_dlt(f);
		if (!cfg->snaplen_set)
			snaplen = capture_file_snaplen(f);
		capture_file_close(f);
	} else if (cfg->iface) {
		if ((dlt = live_dlt(cfg)) < 0)
			return EXIT_USAGE;
	} else if (cfg->linktype) {
		dlt = filter_dlt_from_name(cfg->linktype);
		if (dlt < 0) {
			fprintf(stderr,
				"bpfcap: unknown or unsupported link type '%s' (supported: "
				"EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL, LOOP)\n",
				cfg->linktype);
			return EXIT_USAGE;
		}
	} else if (!cfg->target) {
		/* XDP and tc programs always read Ethernet frames */
		fprintf(stderr, "Warning: assuming Ethernet\n");
	}
	char *text;
	if (cfg->target) {
		struct filter_ebpf_prog ep;
		struct filter_ebpf_opts eo = {.hook = (enum filter_hook)cfg->target};
		if (app_compile_ebpf(cfg, cfg->expr, dlt, snaplen, cfg->iface ? APP_HOOK : 0, &eo,
				     &ep) < 0)
			return EXIT_USAGE;
		int rc = cfg->object_file ? write_object(cfg, &ep) : 0;
		text = rc || !cfg->dump_level
			       ? NULL
			       : filter_ebpf_dump(&ep, cfg->dump_level > 3 ? 3 : cfg->dump_level);
		filter_ebpf_release(&ep);
		if (rc || !cfg->dump_level)
			return rc;
	} else {
		struct filter_prog prog;
		if (app_compile(cfg, cfg->expr, dlt, snaplen, cfg->iface ? APP_LIVE : 0, &prog) < 0)
			return EXIT_USAGE;
		text = filter_prog_dump(&prog, cfg->dump_level);
		filter_prog_release(&prog);
	}
	if (!text) {
		fprintf(stderr, "bpfcap: out of memory\n");
		return EXIT_IO;
	}
	int rc = fputs(text, stdout) < 0 || fflush(stdout) ? EXIT_IO : 0;
	free(text);
	return rc;
}

static int read_mode(const struct config *cfg)
{
	char err[512];
	struct capture_file *f;
	if (capture_file_open(cfg->read_file, &f, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_IO;
	}
	struct run r = {.cfg = cfg, .dlt_name = capture_file_dlt_name(f)};
	struct filter_prog prog = {0, NULL};
	int has_filter = cfg->expr[strspn(cfg->expr, " \t\r\n")] != '\0';
	uint32_t snaplen = cfg->snaplen_set ? cfg->snaplen : capture_file_snaplen(f);
	if (has_filter && app_compile(cfg, cfg->expr, capture_file_dlt(f), snaplen, 0, &prog) < 0) {
		capture_file_close(f);
		return EXIT_USAGE;
	}
	int rc = 0;
	if (!cfg->count_only && !cfg->write_file &&
	    !(r.printer = app_printer_new(cfg, capture_file_dlt(f)))) {
		filter_prog_release(&prog);
		capture_file_close(f);
		return EXIT_IO;
	}
	fprintf(stderr, "reading from file %s, link-type %s (%s), snapshot length %u\n",
		cfg->read_file, r.dlt_name, capture_file_dlt_desc(f), capture_file_snaplen(f));
	struct capture_writer_opts wo = {.dlt = capture_file_dlt(f),
					 .snaplen = capture_file_snaplen(f),
					 .nano = cfg->nano,
					 .flush_each = cfg->unbuffered};
	if (cfg->write_file &&
	    capture_writer_open(cfg->write_file, &wo, &r.w, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		rc = EXIT_IO;
	} else if (capture_file_run(f, has_filter ? &prog : NULL, on_packet, &r, err, sizeof(err)) <
		   0) {
		fflush(stdout);
		fprintf(stderr, "bpfcap: %s: %s\n", cfg->read_file, err);
		rc = EXIT_IO;
	}
	if (r.w && capture_writer_close(r.w, err, sizeof(err)) < 0) {
		fprintf(stderr,
			"bpfcap: %s (%lu packets written; the file is complete up to the "
			"last of them)\n",
			err, r.matched);
		rc = EXIT_IO;
	}
	if (cfg->count_only)
		printf("%lu packet%s\n", r.matched, r.matched == 1 ? "" : "s");
	if (fflush(stdout) != 0 && rc == 0)
		rc = EXIT_IO;
	filter_prog_release(&prog);
	capture_file_close(f);
	app_printer_free(r.printer);
	return rc;
}

int main(int argc, char **argv)
{
	struct config cfg;
	if (options_parse(argc, argv, &cfg) < 0) {
		options_release(&cfg);
		return EXIT_USAGE;
	}
	int rc;
	if (cfg.line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	if (cfg.help) {
		options_usage(stdout);
		rc = 0;
	} else if (cfg.version) {
		printf("bpfcap %s\n", PACKAGE_VERSION);
		rc = 0;
	} else if (cfg.expr_file && !(free(cfg.expr), cfg.expr = read_expr_file(cfg.expr_file))) {
		rc = EXIT_USAGE;
	} else if (cfg.top) {
		rc = top_main(&cfg);
	} else if (cfg.dump_level || cfg.object_file) {
		rc = program_mode(&cfg);
	} else if (cfg.list_ifaces) {
		rc = live_list_ifaces();
	} else if (cfg.list_dlts) {
		char dflt[64];
		if (!cfg.iface)
			cfg.iface = live_default_iface(dflt, sizeof(dflt));
		rc = live_list_dlts(&cfg);
	} else if (cfg.read_file) {
		rc = read_mode(&cfg);
	} else if (cfg.backend_set) {
		if (!cfg.iface) {
			fprintf(stderr, "bpfcap: --backend needs -i interface\n");
			rc = EXIT_USAGE;
		} else {
			rc = hook_main(&cfg);
		}
	} else {
		char dflt[64];
		if (!cfg.iface)
			cfg.iface = live_default_iface(dflt, sizeof(dflt));
		rc = live_main(&cfg);
	}
	options_release(&cfg);
	return rc;
}
