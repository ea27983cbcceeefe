/*
 * join.c - a generated filter in front of a clang-built program.
 *
 * Why a tail call: the generated program (filter_emit_ebpf() with
 * FILTER_EBPF_TAIL_CALL) is loaded on its own and, when it accepts,
 * tail-calls slot 0 of a BPF_MAP_TYPE_PROG_ARRAY that holds the counting
 * (or capture) program; the generated program is the one attached.
 *  - fentry/freplace would let us keep the clang program attached and hook
 *    the filter in, but this kernel refuses them (EPERM);
 *  - splicing the instructions into a NOP sled of the clang program works,
 *    but ties generated code to the clang program's registers, stack and
 *    labels, and the program the kernel verifies is then neither the one -d
 *    lists nor the one clang built;
 *  - with a tail call the generated program is exactly the artifact -d
 *    shows and is verified alone, the clang program needs no register ABI
 *    with it (it re-parses the packet from its context), and the cost is
 *    one tail call per accepted packet.
 * The kernel only lets programs of the same type, expected attach type and
 * XDP frags flag share a program array, hence the copy of TARGET's.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader/loader.h"
#include "loader/loader_priv.h"

#define VLOG_SIZE (1u << 20)

static int patch(const struct filter_ebpf_prog *gen, int map_fd, struct bpf_insn **out, char *err,
		 size_t errlen)
{
	size_t at = gen->prog_array_insn;
	if (!gen->len || gen->len > FILTER_EBPF_MAX_INSNS) {
		loader_seterr(err, errlen, "the generated filter has %zu instructions", gen->len);
		return -EINVAL;
	}
	if (at == SIZE_MAX || at + 1 >= gen->len ||
	    gen->insns[at].code != (BPF_LD | BPF_DW | BPF_IMM)) {
		loader_seterr(err, errlen,
			      "the generated filter does not load a program array at instruction "
			      "%zu (was it emitted with FILTER_EBPF_TAIL_CALL?)",
			      at);
		return -EINVAL;
	}
	_Static_assert(sizeof(struct bpf_insn) == sizeof(struct filter_ebpf_insn),
		       "struct filter_ebpf_insn is laid out as struct bpf_insn");
	struct bpf_insn *insns = malloc(gen->len * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns, gen->insns, gen->len * sizeof(*insns));
	insns[at].src_reg = BPF_PSEUDO_MAP_FD;
	insns[at].imm = map_fd;
	*out = insns;
	return 0;
}

/* Load; on failure load again with a verifier log, which goes to the log
 * (-v), not into the user's message. */
static int load(const struct bpf_program *target, const struct bpf_insn *insns, size_t n, char *err,
		size_t errlen)
{
	enum bpf_prog_type type = bpf_program__type(target);
	LIBBPF_OPTS(bpf_prog_load_opts, o,
		    .expected_attach_type = bpf_program__expected_attach_type(target),
		    .prog_flags = bpf_program__flags(target));
	/* libbpf 1.1 adds the frags flag of an "xdp.frags" section at load
	 * time without recording it in the program's flags */
	const char *sec = bpf_program__section_name(target);
	if (type == BPF_PROG_TYPE_XDP && sec && strstr(sec, ".frags"))
		o.prog_flags |= BPF_F_XDP_HAS_FRAGS;
	const char *name = type == BPF_PROG_TYPE_XDP ? "bpfcap_filt_xdp" : "bpfcap_filt_tc";
	int fd = bpf_prog_load(type, name, "GPL", insns, n, &o);
	if (fd >= 0)
		return fd;
	int rc = -errno;
	char *vlog = malloc(VLOG_SIZE);
	if (vlog) {
		o.log_buf = vlog;
		o.log_size = VLOG_SIZE;
		o.log_level = 1;
		vlog[0] = '\0';
		int again = bpf_prog_load(type, name, "GPL", insns, n, &o);
		if (again >= 0)
			close(again);
		static const char head[] = "verifier log of the generated filter:\n";
		loader_log_append(head, sizeof(head) - 1);
		loader_log_append(vlog, strlen(vlog));
		free(vlog);
	}
	loader_seterr(err, errlen,
		      "the kernel refused the generated filter program (%s); -v shows the "
		      "verifier's log",
		      strerror(-rc));
	return rc;
}

int loader_join(const struct filter_ebpf_prog *gen, const struct bpf_program *target,
		int prog_array_fd, char *err, size_t errlen)
{
	struct bpf_insn *insns;
	int rc = patch(gen, prog_array_fd, &insns, err, errlen);
	if (rc < 0)
		return rc;
	int fd = load(target, insns, gen->len, err, errlen);
	free(insns);
	if (fd < 0)
		return fd;
	uint32_t slot = 0;
	int tfd = bpf_program__fd(target);
	if (bpf_map_update_elem(prog_array_fd, &slot, &tfd, BPF_ANY) < 0) {
		rc = -errno;
		loader_seterr(err, errlen,
			      "cannot put the counting program behind the generated filter: %s",
			      strerror(-rc));
		close(fd);
		return rc;
	}
	return fd;
}
