/* options.c - command-line parsing; see options.h. */
#include "options.h"

#include "filter/filter.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_COUNT = 256,
	OPT_VLAN,
	OPT_VERSION,
	OPT_IMMEDIATE,
	OPT_TSPREC,
	OPT_TOP,
	OPT_BACKEND,
	OPT_XDP_MODE,
	OPT_FLOWS,
	OPT_IDLE,
	OPT_INTERVAL,
	OPT_BATCH,
	OPT_JSON,
	OPT_IPFIX,
	OPT_IPFIX_QUIET,
	OPT_TARGET
};

static const struct option longopts[] = {
	{"count", no_argument, NULL, OPT_COUNT},
	{"vlan", required_argument, NULL, OPT_VLAN},
	{"target", required_argument, NULL, OPT_TARGET},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"immediate-mode", no_argument, NULL, OPT_IMMEDIATE},
	{"time-stamp-precision", required_argument, NULL, OPT_TSPREC},
	{"interface", required_argument, NULL, 'i'},
	{"buffer-size", required_argument, NULL, 'B'},
	{"direction", required_argument, NULL, 'Q'},
	{"list-interfaces", no_argument, NULL, 'D'},
	{"list-data-link-types", no_argument, NULL, 'L'},
	{"no-promiscuous-mode", no_argument, NULL, 'p'},
	{"packet-buffered", no_argument, NULL, 'U'},
	{"relinquish-privileges", required_argument, NULL, 'Z'},
	{"postrotate-command", required_argument, NULL, 'z'},
	{"verbose", no_argument, NULL, 'v'},
	{"top", no_argument, NULL, OPT_TOP},
	{"backend", required_argument, NULL, OPT_BACKEND},
	{"xdp-mode", required_argument, NULL, OPT_XDP_MODE},
	{"flows", required_argument, NULL, OPT_FLOWS},
	{"idle", required_argument, NULL, OPT_IDLE},
	{"interval", required_argument, NULL, OPT_INTERVAL},
	{"batch", no_argument, NULL, OPT_BATCH},
	{"json", no_argument, NULL, OPT_JSON},
	{"ipfix", required_argument, NULL, OPT_IPFIX},
	{"quiet", no_argument, NULL, OPT_IPFIX_QUIET},
	{"number", no_argument, NULL, '#'},
	{NULL, 0, NULL, 0},
};

void options_usage(FILE *out)
{
	fprintf(out,
		"Usage: bpfcap -d | -dd | -ddd [-O] [-s snaplen] [-y linktype | -r file]\n"
		"              [--vlan raw|live] [--target socket|xdp|tc]\n"
		"              [-F file | expression]\n"
		"       bpfcap --target xdp|tc -o file [-d] [-O] [-s snaplen] [--vlan raw|live]\n"
		"              [-F file | expression]\n"
		"       bpfcap -r file [-w file] [-c count] [--count] [-O] [-s snaplen]\n"
		"              [--vlan raw|live] [-F file | expression]\n"
		"       bpfcap -i interface [-lpnU] [-B KiB] [-c count] [-Q in|out|inout]\n"
		"              [-s snaplen] [-y linktype] [--immediate-mode]\n"
		"              [--time-stamp-precision micro|nano] [-w file [-C size]\n"
		"              [-G seconds] [-W count] [-z command]] [-Z user]\n"
		"              [-F file | expression]\n"
		"       bpfcap -i interface --backend xdp|tc [-vU]\n"
		"              [--xdp-mode native|generic] [--direction ingress|egress|both]\n"
		"              [-B KiB] [-c count] [-s snaplen] [-w file [-C size]\n"
		"              [-G seconds] [-W count] [-z command]] [-Z user]\n"
		"              [-F file | expression]\n"
		"       bpfcap --top -i interface [-v] [--backend xdp|tc]\n"
		"              [--xdp-mode native|generic] [--direction ingress|egress|both]\n"
		"              [--flows N] [--idle seconds] [--interval seconds] [-c count]\n"
		"              [--batch [--json]] [--ipfix host:port [--quiet]]\n"
		"              [-F file | expression]\n"
		"       bpfcap -D | -L [-i interface]\n"
		"       bpfcap -h | --help | --version\n");
}

static int parse_ulong(const char *opt, const char *s, unsigned long max, unsigned long *v)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || x > max) {
		fprintf(stderr, "bpfcap: invalid %s '%s' (expected a number from 0 to %lu)\n", opt,
			s, max);
		return -1;
	}
	*v = x;
	return 0;
}

/* tcpdump joins the remaining words with single spaces. */
static char *join(int argc, char **argv)
{
	size_t n = 1;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *s = malloc(n), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);
		memcpy(p, argv[i], l);
		p += l;
		if (i + 1 < argc)
			*p++ = ' ';
		*p = '\0';
	}
	return s;
}

/* A count that must be at least 1 (-G, -W). */
static int parse_positive(const char *opt, const char *s, unsigned long *v)
{
	if (parse_ulong(opt, s, 0x7fffffffUL, v) < 0)
		return -1;
	if (*v == 0) {
		fprintf(stderr, "bpfcap: invalid %s '0' (expected a number from 1 to %lu)\n", opt,
			0x7fffffffUL);
		return -1;
	}
	return 0;
}

/* -C: millions of bytes, or KiB/MiB/GiB with a k, m or g suffix. */
static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	uint64_t unit = 1000000;
	if (end != s && *end && !end[1]) {
		switch (*end) {
		case 'k':
		case 'K':
			unit = 1024;
			end++;
			break;
		case 'm':
		case 'M':
			unit = 1024 * 1024;
			end++;
			break;
		case 'g':
		case 'G':
			unit = 1024 * 1024 * 1024;
			end++;
			break;
		default: break;
		}
	}
	if (errno || end == s || *end || s[0] == '-' || x == 0 || x > (1ULL << 40)) {
		fprintf(stderr,
			"bpfcap: invalid -C file size '%s' (expected a number of millions "
			"of bytes, or a number with a k, m or g suffix)\n",
			s);
		return -1;
	}
	*v = (uint64_t)x * unit;
	return 0;
}

static int word_opt(const char *opt, const char *arg, const char *const *words, int *out)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(arg, words[i]) == 0) {
			*out = i;
			return 0;
		}
	fprintf(stderr, "bpfcap: %s takes", opt);
	for (int i = 0; words[i]; i++)
		fprintf(stderr, "%s '%s'", i ? (words[i + 1] ? "," : " or") : "", words[i]);
	fprintf(stderr, ", not '%s'\n", arg);
	return -1;
}

static int print_opt(struct config *cfg, int c);

/* --interval: seconds, with a fraction allowed. */
static int parse_seconds(const char *opt, const char *s, double *v)
{
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	if (errno || end == s || *end || !(x >= 0.01 && x <= 86400)) {
		fprintf(stderr, "bpfcap: invalid %s '%s' (expected seconds from 0.01 to 86400)\n",
			opt, s);
		return -1;
	}
	*v = x;
	return 0;
}

/* --backend, --top and the options of the flow view. */
static int top_opt(struct config *cfg, int c, const char *arg)
{
	static const char *const backends[] = {"xdp", "tc", NULL};
	static const char *const modes[] = {"native", "generic", NULL};
	unsigned long v;
	switch (c) {
	case OPT_TOP: cfg->top = 1; return 0;
	case OPT_BACKEND:
		cfg->backend_set = 1;
		return word_opt("--backend", arg, backends, &cfg->backend);
	case OPT_XDP_MODE:
		if (word_opt("--xdp-mode", arg, modes, &cfg->xdp_mode) < 0)
			return -1;
		cfg->xdp_mode++; /* 0 stays "native where the driver has it" */
		return 0;
	case OPT_FLOWS:
		if (parse_positive("--flows", arg, &v) < 0)
			return -1;
		if (v > (1UL << 24)) {
			fprintf(stderr, "bpfcap: invalid --flows '%s' (at most %lu)\n", arg,
				1UL << 24);
			return -1;
		}
		cfg->flows = (uint32_t)v;
		return 0;
	case OPT_IDLE:
		if (parse_positive("--idle seconds", arg, &v) < 0)
			return -1;
		cfg->idle = (unsigned)v;
		return 0;
	case OPT_INTERVAL: return parse_seconds("--interval", arg, &cfg->interval);
	case OPT_BATCH: cfg->batch = 1; return 0;
	case OPT_IPFIX: cfg->ipfix = arg; return 0;
	case OPT_IPFIX_QUIET: cfg->ipfix_quiet = 1; return 0;
	default: return print_opt(cfg, c);
	}
}

static int live_opt(struct config *cfg, int c, const char *arg)
{
	/* --direction's tc words are the same three choices */
	static const char *const dirs[] = {"inout", "in", "out", "both", "ingress", "egress", NULL};
	static const char *const precs[] = {"micro", "nano", NULL};
	unsigned long v;
	switch (c) {
	case 'i': cfg->iface = arg; return 0;
	case 'B':
		if (parse_ulong("-B buffer size (KiB)", arg, 4UL << 20, &v) < 0)
			return -1;
		cfg->buffer_kib = (unsigned)(v ? v : 1);
		return 0;
	case 'p': cfg->no_promisc = 1; return 0;
	case 'Q':
		if (word_opt("-Q", arg, dirs, &cfg->direction) < 0)
			return -1;
		cfg->direction %= 3;
		return 0;
	case 'D': cfg->list_ifaces = 1; return 0;
	case 'L': cfg->list_dlts = 1; return 0;
	case 'n': cfg->numeric = 1; return 0;
	case 'U': cfg->unbuffered = 1; return 0;
	case 'l': cfg->line_buffered = 1; return 0;
	case 'C': return parse_size(arg, &cfg->rotate_bytes);
	case 'G':
		if (parse_positive("-G seconds", arg, &v) < 0)
			return -1;
		cfg->rotate_secs = (unsigned)v;
		return 0;
	case 'W':
		if (parse_positive("-W count", arg, &v) < 0)
			return -1;
		cfg->files = v;
		return 0;
	case 'Z': cfg->user = arg; return 0;
	case 'z': cfg->postrotate = arg; return 0;
	case OPT_IMMEDIATE: cfg->immediate = 1; return 0;
	case OPT_TSPREC: return word_opt("--time-stamp-precision", arg, precs, &cfg->nano);
	default: return top_opt(cfg, c, arg);
	}
}

/* The options that change what a packet prints (src/decode). */
static int print_opt(struct config *cfg, int c)
{
	switch (c) {
	case 'v': cfg->verbose++; return 0;
	case 'q': cfg->quiet++; return 0;
	case 'e': cfg->link_header = 1; return 0;
	case 't': cfg->tstamp += cfg->tstamp < 5; return 0;
	case 'x': cfg->hex++; return 0;
	case 'X': cfg->hexascii++; return 0;
	case 'A': cfg->ascii++; return 0;
	case '#': cfg->number = 1; return 0;
	case OPT_JSON: cfg->json = 1; return 0;
	default: options_usage(stderr); return -1;
	}
}

static int short_opt(struct config *cfg, int c, const char *arg)
{
	unsigned long v;
	switch (c) {
	case 'd': cfg->dump_level++; return 0;
	case 'O': cfg->no_optimize = 1; return 0;
	case 'c':
		if (parse_ulong("-c count", arg, 0x7fffffffUL, &v) < 0)
			return -1;
		cfg->max_packets = (long)v;
		return 0;
	case 's':
		if (parse_ulong("-s snaplen", arg, 262144, &v) < 0)
			return -1;
		cfg->snaplen = (uint32_t)v;
		cfg->snaplen_set = 1;
		return 0;
	case 'y': cfg->linktype = arg; return 0;
	case 'r': cfg->read_file = arg; return 0;
	case 'w': cfg->write_file = arg; return 0;
	case 'o': cfg->object_file = arg; return 0;
	case 'F': cfg->expr_file = arg; return 0;
	case 'h': cfg->help = 1; return 0;
	case OPT_COUNT: cfg->count_only = 1; return 0;
	case OPT_VERSION: cfg->version = 1; return 0;
	case OPT_VLAN:
		if (strcmp(arg, "raw") && strcmp(arg, "live")) {
			fprintf(stderr, "bpfcap: --vlan takes 'raw' or 'live', not '%s'\n", arg);
			return -1;
		}
		cfg->vlan_live = strcmp(arg, "live") == 0;
		cfg->vlan_set = 1;
		return 0;
	case OPT_TARGET:
		if (!strcmp(arg, "socket"))
			cfg->target = 0;
		else if (!strcmp(arg, "xdp"))
			cfg->target = FILTER_HOOK_XDP;
		else if (!strcmp(arg, "tc"))
			cfg->target = FILTER_HOOK_TC;
		else {
			fprintf(stderr,
				"bpfcap: --target takes 'socket', 'xdp' or 'tc', not '%s'\n", arg);
			return -1;
		}
		return 0;
	default: return live_opt(cfg, c, arg);
	}
}

/* Combinations that make no sense are refused before anything is opened. */
static int check_combinations(const struct config *cfg)
{
	const char *msg = NULL;
	if (cfg->linktype && cfg->read_file)
		msg = "-y and -r cannot be combined (the file has a link type)";
	else if (cfg->iface && cfg->read_file)
		msg = "-i and -r cannot be combined: capture from an interface or read a file";
	else if ((cfg->rotate_bytes || cfg->rotate_secs || cfg->files) && !cfg->write_file)
		msg = "-C, -G and -W need -w FILE";
	else if (cfg->files && !cfg->rotate_bytes && !cfg->rotate_secs)
		msg = "-W needs -C or -G";
	else if (cfg->postrotate && !cfg->rotate_bytes && !cfg->rotate_secs)
		msg = "-z needs -C or -G (it runs on each file a rotation closes)";
	else if (cfg->write_file && !strcmp(cfg->write_file, "-") &&
		 (cfg->rotate_bytes || cfg->rotate_secs))
		msg = "-C and -G cannot rotate the standard output (-w -)";
	else if (cfg->user && (cfg->read_file || cfg->dump_level))
		msg = "-Z only applies to live capture";
	else if (!cfg->top && (cfg->flows || cfg->idle || cfg->interval > 0 || cfg->batch ||
			       cfg->ipfix || cfg->ipfix_quiet))
		msg = "--flows, --idle, --interval, --batch, --ipfix and --quiet need --top";
	else if (cfg->top && (cfg->read_file || cfg->write_file || cfg->dump_level))
		msg = "--top counts flows on an interface (-i): it takes no -r, -w or -d";
	else if ((cfg->top || cfg->backend_set) && cfg->backend == 0 && cfg->direction == 2)
		msg = "XDP sees only received packets: use --backend tc for --direction egress";
	else if (cfg->xdp_mode && !((cfg->top || cfg->backend_set) && cfg->backend == 0))
		msg = "--xdp-mode applies to --backend xdp";
	else if (cfg->backend_set && !cfg->top && (cfg->read_file || cfg->dump_level))
		msg = "--backend captures on an interface (-i): it takes no -r or -d";
	else if (cfg->backend_set && cfg->linktype)
		msg = "--backend captures Ethernet frames (EN10MB): it takes no -y";
	else if (cfg->backend_set && cfg->iface && !strcmp(cfg->iface, "any"))
		msg = "--backend attaches to one interface: it cannot capture on 'any'";
	else if (cfg->object_file && !cfg->target)
		msg = "-o writes an eBPF object: say for which hook, --target xdp or --target tc";
	else if (cfg->target && !cfg->dump_level && !cfg->object_file)
		msg = "--target xdp and --target tc go with -d, -dd or -ddd (a listing of the "
		      "eBPF program) or -o FILE (the program as an ELF object)";
	else if (cfg->object_file && (cfg->iface || cfg->write_file || cfg->top))
		msg = "-o writes an object and captures nothing: it takes no -i, -w or --top";
	if (msg)
		fprintf(stderr, "bpfcap: %s\n", msg);
	return msg ? -1 : 0;
}

int options_parse(int argc, char **argv, struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_packets = -1;
	int c;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "+dOo:c:s:y:r:w:F:hi:B:pQ:DLnUlC:G:W:Z:z:vqetxXA#",
				longopts, NULL)) != -1)
		if (short_opt(cfg, c, optarg) < 0)
			return -1;
	if (cfg->expr_file && optind < argc) {
		fprintf(stderr, "bpfcap: give the expression either with -F or as arguments, "
				"not both\n");
		return -1;
	}
	if (check_combinations(cfg) < 0)
		return -1;
	cfg->expr = join(argc - optind, argv + optind);
	return cfg->expr ? 0 : -1;
}

void options_release(struct config *cfg)
{
	free(cfg->expr);
	cfg->expr = NULL;
}
