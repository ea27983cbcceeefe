/* btf.h - the BTF that goes with one eBPF program in an object file
 * (src/filter/back/ebpf/btf.c): the .BTF section (int, the hook's context
 * struct as an opaque struct of the uapi's size, a pointer to it, the function's
 * prototype and the function itself with global linkage) and the .BTF.ext
 * section (func_info and one line_info for the program's one function:
 * file "bpfcap", the line "int NAME(struct CTX *ctx)").  Both in the host's
 * byte order, as the ELF file around them. */
#ifndef BPFCAP_FILTER_BACK_EBPF_BTF_H
#define BPFCAP_FILTER_BACK_EBPF_BTF_H

#include <stddef.h>
#include <stdint.h>

#include "filter.h"

/* The type ids the .BTF section holds, in order. */
enum ebpf_btf_id {
	EBPF_BTF_INT = 1,   /* int */
	EBPF_BTF_CTX = 2,   /* struct xdp_md / struct __sk_buff, no members */
	EBPF_BTF_PTR = 3,   /* pointer to it */
	EBPF_BTF_PROTO = 4, /* int (struct CTX *ctx) */
	EBPF_BTF_FUNC = 5,  /* NAME, global */
};

struct ebpf_btf {
	uint8_t *btf; /* malloc'd: .BTF */
	size_t btf_len;
	uint8_t *ext; /* malloc'd: .BTF.ext */
	size_t ext_len;
};

/* The name of the context struct a program at HOOK receives, or NULL. */
const char *ebpf_btf_ctx_name(enum filter_hook hook);

/* Build both sections for the function NAME in section SEC at HOOK.  0, or
 * -1 with errno (EINVAL: HOOK unknown; ENOMEM). */
int ebpf_btf_build(enum filter_hook hook, const char *sec, const char *name, struct ebpf_btf *out);

void ebpf_btf_free(struct ebpf_btf *b);

#endif
