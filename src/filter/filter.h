/*
 * filter.h - bpfcap's compiler for the pcap-filter(7) language: the public API.
 *
 * This module owns everything between an expression string and a program:
 * lexing, parsing to an AST, semantic checks, lowering to an IR of basic
 * blocks with true/false edges, the optimizer and the classic-BPF backend
 * (with its -d/-dd/-ddd listings).  It does no I/O of its own; names are
 * resolved through a caller-supplied resolver (or the system databases when
 * none is given) and listings are returned as strings.
 *
 * Lifecycle: filter_ctx_new() -> filter_compile() -> filter_emit_cbpf() or
 * filter_emit_ebpf() (any number of times, for any backend) ->
 * filter_ctx_free().
 * A context is one compile; it holds no global state, so separate contexts
 * may be used from separate threads.  Programs handed out by the emitters
 * belong to the caller and outlive the context: release them with
 * filter_prog_release().  Diagnostics are owned by the context and valid
 * until the next compile or filter_ctx_free().
 */
#ifndef BPFCAP_FILTER_H
#define BPFCAP_FILTER_H

#include <stddef.h>
#include <stdint.h>

/* Link types, numbered as libpcap's DLT_* values. */
enum filter_dlt {
	FILTER_DLT_NULL = 0,
	FILTER_DLT_EN10MB = 1,
	FILTER_DLT_RAW = 12, /* DLT_RAW on Linux (LINKTYPE_RAW 101) */
	FILTER_DLT_LOOP = 108,
	FILTER_DLT_LINUX_SLL = 113,
	FILTER_DLT_IPV4 = 228,
	FILTER_DLT_IPV6 = 229,
	FILTER_DLT_LINUX_SLL2 = 276,
};

/* Look a link type up by tcpdump's name ("EN10MB", "LINUX_SLL", ...,
 * case-insensitive, an optional "DLT_" prefix allowed).  Returns the DLT or
 * -1 if bpfcap's compiler does not support it. */
int filter_dlt_from_name(const char *name);
/* The name of a supported DLT, or NULL. */
const char *filter_dlt_name(int dlt);
/* Map a LINKTYPE_* value as stored in a capture file to the DLT, or -1. */
int filter_dlt_from_linktype(int linktype);

/* VLAN semantics: the bytes as a savefile holds them (libpcap's offline
 * code), or a Linux live socket where the kernel hands the outer tag over as
 * metadata (ancillary loads, tcpdump's live semantics).  LIVE also allows
 * the other ancillary data: inbound/outbound and ifindex on link types whose
 * header does not carry them. */
enum filter_vlan_mode {
	FILTER_VLAN_RAW = 0,
	FILTER_VLAN_LIVE = 1,
};

/* Name resolution.  Each callback returns the number of results written
 * (0 = not found) or -1 on error.  A NULL callback means "not found". */
struct filter_addr {
	int family; /* 4 or 6 */
	uint8_t bytes[16];
};

struct filter_resolver {
	void *opaque;
	int (*host)(void *opaque, const char *name, struct filter_addr *out, int max);
	/* proto is "tcp", "udp" or "sctp"; *port in host order. */
	int (*service)(void *opaque, const char *name, const char *proto, uint16_t *port);
	int (*protocol)(void *opaque, const char *name, uint8_t *proto);
	/* *net in host order, left-aligned as getnetbyname() returns it. */
	int (*network)(void *opaque, const char *name, uint32_t *net);
	int (*ether)(void *opaque, const char *name, uint8_t mac[6]);
};

/* The resolver that uses the system databases (getaddrinfo, /etc/services,
 * /etc/protocols, /etc/networks, /etc/ethers). */
const struct filter_resolver *filter_system_resolver(void);

struct filter_options {
	int dlt;	  /* enum filter_dlt */
	uint32_t snaplen; /* accept return value; 0 means 262144 */
	int no_optimize;  /* 1: emit the unoptimized program (-O) */
	enum filter_vlan_mode vlan;
	uint32_t netmask; /* for 'ip broadcast', host order (0 as tcpdump passes it) */
	const struct filter_resolver *resolver; /* NULL: filter_system_resolver() */
	int savefile;	   /* compiling for a capture file (libpcap's rfile != NULL): NULL/LOOP
			    * ip6 then matches the BSD AF_INET6 values 24, 28 and 30 */
	int cooked_socket; /* LINUX_SLL/SLL2 only: the program will run in the kernel on a
			    * cooked (SOCK_DGRAM) socket, which sees the packet from its
			    * network header; header fields become ancillary loads.
			    * filter_emit_cbpf() fails with FILTER_ERR_SEMANTIC when the
			    * expression reads a field the kernel does not provide (the
			    * link address): run the plain program in user space then. */
};

/* One classic BPF instruction, laid out as struct bpf_insn / sock_filter. */
struct filter_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

struct filter_prog {
	size_t len;
	struct filter_insn *insns; /* malloc'd; filter_prog_release() frees */
};

/* filter_options.netmask when no netmask is known: 'ip broadcast' is refused
 * (libpcap's PCAP_NETMASK_UNKNOWN). */
#define FILTER_NETMASK_UNKNOWN 0xffffffffu

/* The kernel's limit for a socket filter (BPF_MAXINSNS). */
#define FILTER_CBPF_MAX_INSNS 4096

/* Error classes, for tests and callers; the message says the rest. */
enum filter_err {
	FILTER_OK = 0,
	FILTER_ERR_SYNTAX,   /* the expression does not parse */
	FILTER_ERR_RANGE,    /* a number out of the range its place allows */
	FILTER_ERR_NAME,     /* a name that does not resolve */
	FILTER_ERR_SEMANTIC, /* qualifiers that do not fit together or the link type */
	FILTER_ERR_NEVER,    /* the expression rejects every packet */
	FILTER_ERR_LIMIT,    /* too deep, too long, too many instructions */
	FILTER_ERR_NOMEM,
};

struct filter_diag {
	enum filter_err code;
	size_t begin, end; /* byte span in the expression, end exclusive */
	char message[256];
};

struct filter_ctx;

/* NULL on allocation failure or an unsupported DLT (errno set). */
struct filter_ctx *filter_ctx_new(const struct filter_options *opts);
void filter_ctx_free(struct filter_ctx *ctx);

/* Parse, check and lower EXPR (LEN bytes, need not be NUL-terminated) into
 * the context's IR.  0 on success, -1 with a diagnostic. */
int filter_compile(struct filter_ctx *ctx, const char *expr, size_t len);

/* The classic-BPF program for the compiled expression.  0 or -1 with a
 * diagnostic (for instance more than FILTER_CBPF_MAX_INSNS instructions). */
int filter_emit_cbpf(struct filter_ctx *ctx, struct filter_prog *out);

/* The diagnostic of the last failure, or NULL. */
const struct filter_diag *filter_ctx_diag(const struct filter_ctx *ctx);

/* Format a diagnostic for people: "LINE:COL: message\n" followed, when
 * CARET is non-zero, by the offending line of EXPR and a caret line, each
 * indented by two spaces.  Returns a malloc'd string or NULL. */
char *filter_diag_format(const struct filter_diag *d, const char *expr, size_t len, int caret);

void filter_prog_release(struct filter_prog *prog);

/* A listing in libpcap's bpf_dump() formats: LEVEL 1 (-d), 2 (-dd) or
 * 3 (-ddd).  Returns a malloc'd string or NULL. */
char *filter_prog_dump(const struct filter_prog *prog, int level);

/* ---- eBPF: the same compiled expression for XDP and tc ---------------- */

/* Where an eBPF program runs. */
enum filter_hook {
	FILTER_HOOK_XDP = 1, /* struct xdp_md: the frame as the driver received it */
	FILTER_HOOK_TC = 2,  /* struct __sk_buff (tc clsact / tcx, ingress or egress) */
};

/* What an eBPF program does with the packets it accepts. */
enum filter_ebpf_accept {
	FILTER_EBPF_VERDICT = 0, /* return the accept verdict */
	/* tail-call slot 0 of a BPF_MAP_TYPE_PROG_ARRAY (the loader's way to
	 * join a counting or capture program); when the call fails, return the
	 * accept verdict */
	FILTER_EBPF_TAIL_CALL = 1,
};

struct filter_ebpf_opts {
	enum filter_hook hook;
	enum filter_ebpf_accept accept;
	/* 0: an allow-list, accept = XDP_PASS / TC_ACT_OK, reject = XDP_DROP /
	 * TC_ACT_SHOT.  1: the program never changes a packet's fate, both
	 * verdicts are XDP_PASS / TC_ACT_UNSPEC (flow counting, capture). */
	int observe;
	/* tc: leave out the copy of the program for linear skbs (where every
	 * byte is in data..data_end), so that every packet takes the path that
	 * reads beyond the linear part with bpf_skb_load_bytes().  Slower; for
	 * tests, since BPF_PROG_TEST_RUN only makes linear skbs. */
	int tc_helper_only;
};

/* The kernel's limit for one eBPF program's length (BPF_COMPLEXITY_LIMIT_INSNS
 * is about instructions processed; this is the length we allow ourselves). */
#define FILTER_EBPF_MAX_INSNS 65536

/* One eBPF instruction, laid out as the kernel's struct bpf_insn (which
 * <linux/bpf.h> defines; <pcap/bpf.h> defines a classic struct of the same
 * name, so this header names neither).  dst_reg is the low nibble. */
struct filter_ebpf_insn {
	uint8_t code;
	uint8_t dst_reg : 4;
	uint8_t src_reg : 4;
	int16_t off;
	int32_t imm;
};

struct filter_ebpf_prog {
	size_t len;
	struct filter_ebpf_insn *insns; /* malloc'd; filter_ebpf_release() frees */
	enum filter_hook hook;
	/* With FILTER_EBPF_TAIL_CALL: the index of the first half of the
	 * BPF_LD_IMM64 that loads the program array, emitted with src_reg 0 and
	 * imm 0; the loader sets src_reg = BPF_PSEUDO_MAP_FD and imm = the map's
	 * fd before it loads the program.  SIZE_MAX otherwise. */
	size_t prog_array_insn;
};

/* The eBPF program for the compiled expression at O->hook.  0, or -1 with a
 * diagnostic when the expression cannot be expressed at that hook (said at
 * compile time: a program we hand out is one the verifier accepts). */
int filter_emit_ebpf(struct filter_ctx *ctx, const struct filter_ebpf_opts *o,
		     struct filter_ebpf_prog *out);

void filter_ebpf_release(struct filter_ebpf_prog *prog);

/* A listing: LEVEL 1 (-d) one instruction per line with its index in the
 * syntax of 'bpftool prog dump xlated'; 2 (-dd) a C initializer of struct
 * bpf_insn; 3 (-ddd) the count, then one instruction per line in decimal
 * (code dst src off imm).  Returns a malloc'd string or NULL. */
char *filter_ebpf_dump(const struct filter_ebpf_prog *prog, int level);

/* Write PROG as an ELF relocatable object for the BPF machine (the host's
 * byte order) that ip, tc, bpftool and libbpf load as it is: the program in
 * section SEC (NULL: "xdp" or "tc" after the hook) as the function NAME
 * (NULL: "bpfcap_filter"), a "license" section and the BTF the loaders need.
 * The file appears complete or not at all.  0, or -1 with errno set and a
 * message for people (naming PATH) in ERR. */
int filter_ebpf_write_object(const struct filter_ebpf_prog *prog, const char *path, const char *sec,
			     const char *name, char *err, size_t errlen);

#endif
