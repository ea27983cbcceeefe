/*
 * loader.h - the user-space side of bpfcap's BPF programs (libbpf): opening
 * and loading the skeletons built from xdp/, joining a generated filter
 * (filter_emit_ebpf()) to them, attaching at XDP or tc through BPF links,
 * and BPF_PROG_TEST_RUN.
 *
 * It owns the kernel objects it creates: a struct loader_flow owns its
 * skeleton (programs, maps) and the generated programs joined to it; a
 * struct loader_link owns one link (the kernel detaches when the last fd of
 * the link closes, so also when bpfcap dies).  It prints nothing: errors are
 * written to the caller's ERR buffer (one sentence for people), and what
 * libbpf and the verifier say goes to the log below, which main shows only
 * with -v.  Not thread-safe (libbpf's print hook is process-wide).
 *
 * Functions return 0 (or an fd) on success, a negative errno on failure.
 */
#ifndef BPFCAP_LOADER_H
#define BPFCAP_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "filter/filter.h"

struct bpf_program;

/* Where a program runs.  The values are those of xdp/flow.h's enum
 * flow_hook, so that a flow key's hook and a loader hook compare. */
enum loader_hook {
	LOADER_HOOK_XDP = 1,
	LOADER_HOOK_TC_INGRESS = 2,
	LOADER_HOOK_TC_EGRESS = 3,
};

/* ---- log: libbpf's messages and verifier logs ------------------------- */

/* Route libbpf's messages into the log (call once, before anything else). */
void loader_log_init(void);
/* What was collected so far (never NULL; valid until the next loader call). */
const char *loader_log(void);
void loader_log_clear(void);

/* ---- joining a generated filter ---------------------------------------- */

/*
 * Load GEN (a filter_emit_ebpf() program made with FILTER_EBPF_TAIL_CALL)
 * with the program array PROG_ARRAY_FD patched into its BPF_LD_IMM64 at
 * gen->prog_array_insn, with the program type, expected attach type and
 * flags of TARGET (a loaded skeleton program), and put TARGET in slot 0 of
 * the array.  Returns the fd of the loaded generated program (the caller
 * closes it): attach that one.  See join.c for why this way.
 */
int loader_join(const struct filter_ebpf_prog *gen, const struct bpf_program *target,
		int prog_array_fd, char *err, size_t errlen);

/* ---- attaching ---------------------------------------------------------- */

enum loader_xdp_mode {
	LOADER_XDP_AUTO = 0, /* native where the driver has it, else generic */
	LOADER_XDP_NATIVE = 1,
	LOADER_XDP_GENERIC = 2,
};

struct loader_link;

/*
 * Attach PROG_FD at HOOK of IFINDEX through a BPF link (XDP: BPF_XDP with
 * the mode's flags; tc: a tcx link, which coexists with other tc programs).
 * XDP never replaces a program someone else attached: -EBUSY then, with a
 * message saying so.  For XDP, MODE picks native or generic; with AUTO,
 * loader_link_mode() says which one was taken.
 */
int loader_attach(int prog_fd, int ifindex, enum loader_hook hook, enum loader_xdp_mode mode,
		  struct loader_link **out, char *err, size_t errlen);
/* The XDP mode in use (NATIVE or GENERIC); AUTO for a tc link. */
enum loader_xdp_mode loader_link_mode(const struct loader_link *l);
/* Detach and free (NULL is fine). */
void loader_link_destroy(struct loader_link *l);

/* ---- test runs ------------------------------------------------------------ */

/* Run PROG_FD REPEAT times (0 counts as 1) on the frame DATA..DATA+LEN
 * (BPF_PROG_TEST_RUN); *RETVAL the program's return, *NS_PER_RUN (may be
 * NULL) the kernel's average time per run. */
int loader_test_run(int prog_fd, const void *data, size_t len, uint32_t repeat, uint32_t *retval,
		    uint32_t *ns_per_run);

/* ---- the flow counting programs (xdp/flow.bpf.c) ----------------------- */

struct loader_flow;

struct loader_flow_opts {
	uint32_t flows; /* size of the flow map (--flows); 0: FLOW_DEFAULT_ENTRIES */
};

int loader_flow_open(const struct loader_flow_opts *o, struct loader_flow **out, char *err,
		     size_t errlen);
void loader_flow_close(struct loader_flow *f);

/*
 * The program to attach at HOOK: the counting program itself when GEN is
 * NULL (every packet counted), else GEN joined to it (loader_join()), owned
 * by F.  Returns an fd owned by F.
 */
int loader_flow_entry(struct loader_flow *f, enum loader_hook hook,
		      const struct filter_ebpf_prog *gen, char *err, size_t errlen);

/* The skeleton's pieces, for tests and for src/flow (fds owned by F). */
const struct bpf_program *loader_flow_prog(const struct loader_flow *f, enum loader_hook hook);
int loader_flow_prog_array_fd(const struct loader_flow *f, enum loader_hook hook);
int loader_flow_map_fd(const struct loader_flow *f);
int loader_flow_stats_fd(const struct loader_flow *f);
uint32_t loader_flow_entries(const struct loader_flow *f);

/* ---- the capture programs (xdp/capture.bpf.c), for --backend xdp|tc -----
 * (src/loader/capture.c) */

struct loader_capture;

struct loader_capture_opts {
	uint32_t snaplen;    /* bytes of a frame kept; 0: 262144 */
	uint64_t ring_bytes; /* the ring buffer wanted; 0: 8 MiB; see loader_capture_round() */
	uint64_t wake_bytes; /* unread bytes that wake the reader; 0: a quarter of the ring */
};

/* The ring buffer size a request of WANT bytes becomes: a power of two of
 * pages, at least two records of the largest size class SNAPLEN needs, at
 * most 2 GiB. */
uint64_t loader_capture_round(uint64_t want, uint32_t snaplen);

int loader_capture_open(const struct loader_capture_opts *o, struct loader_capture **out, char *err,
			size_t errlen);
void loader_capture_close(struct loader_capture *c);

/* The program to attach at HOOK: the capture program itself when GEN is
 * NULL (every packet captured), else GEN joined to it (loader_join()).
 * Returns an fd owned by C. */
int loader_capture_entry(struct loader_capture *c, enum loader_hook hook,
			 const struct filter_ebpf_prog *gen, char *err, size_t errlen);

/* The skeleton's pieces (fds owned by C). */
const struct bpf_program *loader_capture_prog(const struct loader_capture *c,
					      enum loader_hook hook);
int loader_capture_prog_array_fd(const struct loader_capture *c, enum loader_hook hook);
int loader_capture_ring_fd(const struct loader_capture *c);
int loader_capture_stats_fd(const struct loader_capture *c);
uint64_t loader_capture_ring_bytes(const struct loader_capture *c);

/* ---- interfaces ------------------------------------------------------------ */

/* The ifindex of the interface NAME, or 0 with ERR set. */
unsigned loader_ifindex(const char *name, char *err, size_t errlen);

#endif
