/*
 * options.h - the command line: one table of options yields getopt_long's
 * arguments, the usage text and struct config.  No I/O beyond -F's file.
 */
#ifndef BPFCAP_OPTIONS_H
#define BPFCAP_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

struct config {
	int dump_level;	  /* -d count */
	int no_optimize;  /* -O */
	int count_only;	  /* --count */
	long max_packets; /* -c, -1 none */
	uint32_t snaplen; /* -s, 0 default */
	int snaplen_set;
	const char *linktype;	/* -y */
	const char *read_file;	/* -r */
	const char *write_file; /* -w */
	const char *expr_file;	/* -F */
	int vlan_live;		/* --vlan live */
	int vlan_set;
	int target;		 /* --target: 0 socket (classic), else enum filter_hook */
	const char *object_file; /* -o: the eBPF program as an ELF object (with --target) */
	/* live capture */
	const char *iface;	  /* -i */
	unsigned buffer_kib;	  /* -B, 0 default */
	int immediate;		  /* --immediate-mode */
	int no_promisc;		  /* -p */
	int direction;		  /* -Q: 0 inout, 1 in, 2 out (CAPTURE_Q_*) */
	int list_ifaces;	  /* -D */
	int list_dlts;		  /* -L */
	int nano;		  /* --time-stamp-precision nano */
	int numeric;		  /* -n (names are never resolved in output) */
	int verbose;		  /* -v count (and libbpf's and the verifier's messages) */
	int quiet;		  /* -q */
	int link_header;	  /* -e */
	int tstamp;		  /* -t count + 1 (decode.h's DECODE_TS_*), 0 default */
	int hex, hexascii, ascii; /* -x/-xx, -X/-XX, -A */
	int number;		  /* --number, -# */
	int json;		  /* --json */
	int unbuffered;		  /* -U */
	int line_buffered;	  /* -l */
	uint64_t rotate_bytes;	  /* -C, in bytes */
	unsigned rotate_secs;	  /* -G */
	unsigned long files;	  /* -W */
	const char *user;	  /* -Z */
	const char *postrotate;	  /* -z: run with each file a rotation closed */
	/* --backend: where to capture or count (XDP or tc) */
	int backend;	 /* 0 xdp, 1 tc */
	int backend_set; /* --backend given: without --top, capture at the hook, not the ring */
	int xdp_mode;	 /* 0 auto, 1 native, 2 generic (enum loader_xdp_mode) */
	/* --top: flow counting */
	int top;
	uint32_t flows;	   /* --flows, 0 default */
	unsigned idle;	   /* --idle seconds, 0 default (30) */
	double interval;   /* --interval seconds, 0 default (1) */
	int batch;	   /* --batch (--json: JSON lines) */
	const char *ipfix; /* --ipfix host:port */
	int ipfix_quiet;   /* --quiet: only export */
	int help, version;
	char *expr; /* joined expression (malloc'd) */
};

/* 0 on success; -1 after printing a usage error to stderr. */
int options_parse(int argc, char **argv, struct config *cfg);
void options_usage(FILE *out);
void options_release(struct config *cfg);

#endif
