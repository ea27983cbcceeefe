/* btf.c - the .BTF and .BTF.ext sections of an eBPF object, written by
 * hand (see btf.h).  The formats are the kernel's (Documentation/bpf/btf.rst,
 * <linux/btf.h>); .BTF.ext has no uapi header, its layout is the one libbpf
 * and LLVM agree on: a header, then func_info as a record size followed by
 * one block per ELF section (section name, count, records), where a
 * record's insn_off counts bytes, not instructions; line_info alike. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>
#include <linux/btf.h>

#include "back/ebpf/btf.h"

#define BTF_MAGIC_ 0xeB9F
#define INFO(kind, kflag, vlen) \
	((uint32_t)(kflag) << 31 | (uint32_t)(kind) << 24 | (uint32_t)(vlen))

/* .BTF.ext's header (libbpf's struct btf_ext_header, with the CO-RE part) */
struct ext_header {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t func_info_off;
	uint32_t func_info_len;
	uint32_t line_info_off;
	uint32_t line_info_len;
	uint32_t core_relo_off;
	uint32_t core_relo_len;
};

const char *ebpf_btf_ctx_name(enum filter_hook hook)
{
	switch (hook) {
	case FILTER_HOOK_XDP: return "xdp_md";
	case FILTER_HOOK_TC: return "__sk_buff";
	}
	return NULL;
}

/* The context struct is opaque (no members) but has the uapi's size: the
 * kernel takes a pointer to a struct of the hook's context name as the
 * context argument, while a FWD makes it mark the program's BTF function
 * information unreliable ("size cannot be determined"). */
static uint32_t ctx_size(enum filter_hook hook)
{
	return hook == FILTER_HOOK_TC ? sizeof(struct __sk_buff) : sizeof(struct xdp_md);
}

/* Strings: "", then each of NAMES; OFFS receives their offsets. */
static char *strings(const char *const *names, size_t n, uint32_t *offs, size_t *len)
{
	size_t total = 1;
	for (size_t i = 0; i < n; i++)
		total += strlen(names[i]) + 1;
	char *s = calloc(1, total);
	if (!s)
		return NULL;
	size_t at = 1;
	for (size_t i = 0; i < n; i++) {
		offs[i] = (uint32_t)at;
		memcpy(s + at, names[i], strlen(names[i]) + 1);
		at += strlen(names[i]) + 1;
	}
	*len = total;
	return s;
}

static int build_btf(const uint32_t *so, uint32_t ctx_size, const char *str, size_t str_len,
		     struct ebpf_btf *out)
{
	/* so[]: 0 "int", 1 the ctx struct, 2 "ctx", 3 NAME */
	const uint32_t types[] = {
		/* 1 */ so[0],
		INFO(BTF_KIND_INT, 0, 0),
		4,
		(uint32_t)BTF_INT_SIGNED << 24 | 32,
		/* 2 */ so[1],
		INFO(BTF_KIND_STRUCT, 0, 0),
		ctx_size,
		/* 3 */ 0,
		INFO(BTF_KIND_PTR, 0, 0),
		EBPF_BTF_CTX,
		/* 4 */ 0,
		INFO(BTF_KIND_FUNC_PROTO, 0, 1),
		EBPF_BTF_INT,
		so[2],
		EBPF_BTF_PTR,
		/* 5 */ so[3],
		INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL),
		EBPF_BTF_PROTO,
	};
	struct btf_header h = {
		.magic = BTF_MAGIC_,
		.version = 1,
		.hdr_len = sizeof(h),
		.type_off = 0,
		.type_len = sizeof(types),
		.str_off = sizeof(types),
		.str_len = (uint32_t)str_len,
	};
	out->btf_len = sizeof(h) + sizeof(types) + str_len;
	out->btf = malloc(out->btf_len);
	if (!out->btf)
		return -1;
	memcpy(out->btf, &h, sizeof(h));
	memcpy(out->btf + sizeof(h), types, sizeof(types));
	memcpy(out->btf + sizeof(h) + sizeof(types), str, str_len);
	return 0;
}

/* so[]: 4 SEC, 5 the file name, 6 the source line */
static int build_ext(const uint32_t *so, struct ebpf_btf *out)
{
	const uint32_t func_info[] = {
		sizeof(struct bpf_func_info),
		so[4],
		1, /* the program's section, one record */
		0,
		EBPF_BTF_FUNC, /* at byte 0: the function */
	};
	/* libbpf 1.1 drops all of .BTF.ext's line info (with a warning) when
	 * the program has none: one line for instruction 0, line 1 column 1 */
	const uint32_t line_info[] = {
		sizeof(struct bpf_line_info), so[4], 1, 0, so[5], so[6], 1 << 10 | 1,
	};
	struct ext_header h = {
		.magic = BTF_MAGIC_,
		.version = 1,
		.hdr_len = sizeof(h),
		.func_info_off = 0,
		.func_info_len = sizeof(func_info),
		.line_info_off = sizeof(func_info),
		.line_info_len = sizeof(line_info),
		.core_relo_off = sizeof(func_info) + sizeof(line_info),
		.core_relo_len = 0,
	};
	out->ext_len = sizeof(h) + sizeof(func_info) + sizeof(line_info);
	out->ext = malloc(out->ext_len);
	if (!out->ext)
		return -1;
	memcpy(out->ext, &h, sizeof(h));
	memcpy(out->ext + sizeof(h), func_info, sizeof(func_info));
	memcpy(out->ext + sizeof(h) + sizeof(func_info), line_info, sizeof(line_info));
	return 0;
}

int ebpf_btf_build(enum filter_hook hook, const char *sec, const char *name, struct ebpf_btf *out)
{
	memset(out, 0, sizeof(*out));
	const char *ctx = ebpf_btf_ctx_name(hook);
	if (!ctx) {
		errno = EINVAL;
		return -1;
	}
	char *line = malloc(strlen(name) + strlen(ctx) + 32);
	if (line)
		snprintf(line, strlen(name) + strlen(ctx) + 32, "int %s(struct %s *ctx)", name,
			 ctx);
	const char *names[] = {"int", ctx, "ctx", name, sec, "bpfcap", line ? line : ""};
	uint32_t so[7];
	size_t str_len;
	char *str = line ? strings(names, 7, so, &str_len) : NULL;
	free(line);
	if (!str || build_btf(so, ctx_size(hook), str, str_len, out) < 0 ||
	    build_ext(so, out) < 0) {
		free(str);
		ebpf_btf_free(out);
		errno = ENOMEM;
		return -1;
	}
	free(str);
	return 0;
}

void ebpf_btf_free(struct ebpf_btf *b)
{
	free(b->btf);
	free(b->ext);
	b->btf = b->ext = NULL;
	b->btf_len = b->ext_len = 0;
}
