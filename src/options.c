/* options.c - command-line parsing; see options.h. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_COUNT = 256, OPT_VLAN, OPT_VERSION };

static const struct option longopts[] = {
	{"count", no_argument, NULL, OPT_COUNT},
	{"vlan", required_argument, NULL, OPT_VLAN},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

void options_usage(FILE *out)
{
	fprintf(out, "Usage: bpfcap -d | -dd | -ddd [-O] [-s snaplen] [-y linktype | -r file]\n"
		     "              [--vlan raw|live] [-F file | expression]\n"
		     "       bpfcap -r file [-w file] [-c count] [--count] [-O] [-s snaplen]\n"
		     "              [--vlan raw|live] [-F file | expression]\n"
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
	default: options_usage(stderr); return -1;
	}
}

int options_parse(int argc, char **argv, struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_packets = -1;
	int c;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "+dOc:s:y:r:w:F:h", longopts, NULL)) != -1)
		if (short_opt(cfg, c, optarg) < 0)
			return -1;
	if (cfg->expr_file && optind < argc) {
		fprintf(stderr, "bpfcap: give the expression either with -F or as arguments, "
				"not both\n");
		return -1;
	}
	if (cfg->linktype && cfg->read_file) {
		fprintf(stderr,
			"bpfcap: -y and -r cannot be combined (the file has a link type)\n");
		return -1;
	}
	cfg->expr = join(argc - optind, argv + optind);
	return cfg->expr ? 0 : -1;
}

void options_release(struct config *cfg)
{
	free(cfg->expr);
	cfg->expr = NULL;
}
