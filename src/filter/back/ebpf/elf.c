/* elf.c - filter_ebpf_write_object(): one eBPF program as an ELF
 * relocatable object that ip, tc, bpftool and libbpf load as it is.
 *
 * Layout (the host's byte order, ELFCLASS64, ET_REL, EM_BPF):
 *   [1] SEC        PROGBITS AX  the instructions
 *   [2] license    PROGBITS WA  "Dual BSD/GPL"
 *   [3] .BTF       PROGBITS     int, struct CTX (opaque), CTX *, int (CTX *ctx), NAME
 *   [4] .BTF.ext   PROGBITS     func_info and line_info: NAME at instruction 0 of SEC
 *   [5] .symtab    SYMTAB       SEC's section symbol (local), NAME (global FUNC)
 *   [6] .strtab    STRTAB
 *   [7] .shstrtab  STRTAB
 * No relocations and no maps: a program that refers to a map (a tail call)
 * is refused, the loader joins those itself.
 *
 * The file is written to a temporary name in PATH's directory, synced and
 * renamed over PATH, so that it appears complete or not at all. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "filter.h"
#include "back/ebpf/btf.h"

/* GPL-compatible for the kernel (gpl_only helpers stay usable) without
 * putting the user's own filter under the GPL alone. */
#define LICENSE	     "Dual BSD/GPL"
#define DEFAULT_NAME "bpfcap_filter"

enum { S_PROG = 1, S_LICENSE, S_BTF, S_BTF_EXT, S_SYMTAB, S_STRTAB, S_SHSTRTAB, S_N };

static const char *const fixed_names[S_N] = {
	[S_LICENSE] = "license", [S_BTF] = ".BTF",	 [S_BTF_EXT] = ".BTF.ext",
	[S_SYMTAB] = ".symtab",	 [S_STRTAB] = ".strtab", [S_SHSTRTAB] = ".shstrtab",
};

/* Everything the ELF descriptor points into until elf_update() is done. */
struct image {
	struct ebpf_btf btf;
	char shstr[512];
	uint32_t shname[S_N];
	size_t shstr_len;
	char str[256];
	size_t str_len;
	Elf64_Sym syms[3];
};

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = e;
	return -1;
}

static int is_ident(const char *s)
{
	if (!s[0] || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* What only a loader can resolve: a map reference (BPF_LD_IMM64 with a
 * pseudo source) or a tail call -> 1; a call that is not to a helper (a
 * BPF subprogram, whose BTF this object would lack, or a kfunc) -> 2. */
static int needs_loader(const struct filter_ebpf_prog *p)
{
	if (p->prog_array_insn != SIZE_MAX)
		return 1;
	for (size_t i = 0; i < p->len; i++) {
		const struct filter_ebpf_insn *in = &p->insns[i];
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg != 0)
			return 1;
		if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg != 0)
			return 2;
		if (in->code == (BPF_JMP | BPF_CALL) && in->imm == BPF_FUNC_tail_call)
			return 1;
	}
	return 0;
}

static int check_args(const struct filter_ebpf_prog *p, const char *path, const char *sec,
		      const char *name, char *err, size_t errlen)
{
	if (!path || !path[0])
		return fail(err, errlen, EINVAL, "no file name for the eBPF object");
	if (!p || !p->insns || p->len == 0 || p->len > FILTER_EBPF_MAX_INSNS)
		return fail(err, errlen, EINVAL, "%s: no eBPF program to write (or longer than %d)",
			    path, FILTER_EBPF_MAX_INSNS);
	if (!ebpf_btf_ctx_name(p->hook))
		return fail(err, errlen, EINVAL, "%s: the eBPF program has no hook (XDP or tc)",
			    path);
	int loader = needs_loader(p);
	if (loader == 2)
		return fail(err, errlen, EINVAL,
			    "%s: this eBPF program calls a subprogram or a kernel function; an "
			    "object file holds one function that calls only helpers",
			    path);
	if (loader)
		return fail(err, errlen, EINVAL,
			    "%s: this eBPF program tail-calls through a map, which only bpfcap's "
			    "own loader can provide; an object file needs a program that returns "
			    "its verdict",
			    path);
	if (!is_ident(name) || strlen(name) > 128)
		return fail(err, errlen, EINVAL,
			    "%s: '%s' cannot name the program (letters, digits and '_', at most "
			    "128, not starting with a digit)",
			    path, name);
	if (!sec[0] || sec[0] == '.' || strlen(sec) > 128 || !strcmp(sec, "license") ||
	    !strcmp(sec, "version") || !strcmp(sec, "maps"))
		return fail(err, errlen, EINVAL,
			    "%s: '%s' cannot be the program's section (empty, reserved or "
			    "starting with '.')",
			    path, sec);
	return 0;
}

static void fill_tables(struct image *im, const char *sec, const char *name, size_t len)
{
	size_t at = 1;
	im->shstr[0] = '\0';
	for (int i = S_PROG; i < S_N; i++) {
		const char *n = i == S_PROG ? sec : fixed_names[i];
		im->shname[i] = (uint32_t)at;
		memcpy(im->shstr + at, n, strlen(n) + 1);
		at += strlen(n) + 1;
	}
	im->shstr_len = at;
	im->str[0] = '\0';
	memcpy(im->str + 1, name, strlen(name) + 1);
	im->str_len = strlen(name) + 2;
	memset(im->syms, 0, sizeof(im->syms));
	im->syms[1].st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
	im->syms[1].st_shndx = S_PROG;
	im->syms[2].st_name = 1;
	im->syms[2].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	im->syms[2].st_other = STV_DEFAULT;
	im->syms[2].st_shndx = S_PROG;
	im->syms[2].st_size = len * sizeof(struct filter_ebpf_insn);
}

struct scn_spec {
	uint32_t type;
	uint64_t flags;
	const void *buf;
	size_t size;
	size_t align;
	size_t entsize;
	uint32_t link, info;
	Elf_Type dtype;
};

/* Add section number IDX (they are added in order). */
static int add_scn(Elf *e, const struct image *im, int idx, const struct scn_spec *s)
{
	Elf_Scn *scn = elf_newscn(e);
	if (!scn || elf_ndxscn(scn) != (size_t)idx)
		return -1;
	Elf_Data *d = elf_newdata(scn);
	if (!d)
		return -1;
	d->d_buf = (void *)s->buf;
	d->d_size = s->size;
	d->d_type = s->dtype;
	d->d_align = s->align;
	d->d_version = EV_CURRENT;
	GElf_Shdr sh;
	if (!gelf_getshdr(scn, &sh))
		return -1;
	sh.sh_name = im->shname[idx];
	sh.sh_type = s->type;
	sh.sh_flags = s->flags;
	sh.sh_addralign = s->align;
	sh.sh_entsize = s->entsize;
	sh.sh_link = s->link;
	sh.sh_info = s->info;
	return gelf_update_shdr(scn, &sh) ? 0 : -1;
}

static int build(Elf *e, const struct image *im, const struct filter_ebpf_prog *p)
{
	GElf_Ehdr eh;
	if (!gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
		return -1;
	eh.e_ident[EI_DATA] = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = EM_BPF;
	eh.e_version = EV_CURRENT;
	eh.e_shstrndx = S_SHSTRTAB;
	if (!gelf_update_ehdr(e, &eh))
		return -1;
	const struct scn_spec specs[S_N] = {
		[S_PROG] = {SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, p->insns,
			    p->len * sizeof(*p->insns), 8, 0, 0, 0, ELF_T_BYTE},
		[S_LICENSE] = {SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, LICENSE, sizeof(LICENSE), 1, 0,
			       0, 0, ELF_T_BYTE},
		[S_BTF] = {SHT_PROGBITS, 0, im->btf.btf, im->btf.btf_len, 4, 0, 0, 0, ELF_T_BYTE},
		[S_BTF_EXT] = {SHT_PROGBITS, 0, im->btf.ext, im->btf.ext_len, 4, 0, 0, 0,
			       ELF_T_BYTE},
		[S_SYMTAB] = {SHT_SYMTAB, 0, im->syms, sizeof(im->syms), 8, sizeof(Elf64_Sym),
			      S_STRTAB, 2, ELF_T_SYM},
		[S_STRTAB] = {SHT_STRTAB, 0, im->str, im->str_len, 1, 0, 0, 0, ELF_T_BYTE},
		[S_SHSTRTAB] = {SHT_STRTAB, 0, im->shstr, im->shstr_len, 1, 0, 0, 0, ELF_T_BYTE},
	};
	for (int i = S_PROG; i < S_N; i++)
		if (add_scn(e, im, i, &specs[i]) < 0)
			return -1;
	return elf_update(e, ELF_C_WRITE) < 0 ? -1 : 0;
}

/* A new file beside PATH (PATH.XXXXXX), created with O_EXCL so that the
 * umask applies as for any other file. */
static int tmp_open(const char *path, char *tmp, size_t tmplen)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long r = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
	for (int tries = 0; tries < 100; tries++) {
		r = r * 6364136223846793005UL + 1442695040888963407UL;
		if ((size_t)snprintf(tmp, tmplen, "%s.%06lx", path, (r >> 40) & 0xffffff) >=
		    tmplen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* Write the image into FD; 0 or -1 with errno and a message. */
static int write_fd(int fd, const struct image *im, const struct filter_ebpf_prog *p,
		    const char *path, char *err, size_t errlen)
{
	Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e)
		return fail(err, errlen, EIO, "%s: libelf: %s", path, elf_errmsg(-1));
	errno = 0;
	int rc = build(e, im, p);
	int sys = errno; /* libelf leaves a failed write(2)'s errno */
	const char *msg = elf_errmsg(-1);
	elf_end(e);
	if (rc < 0)
		return fail(err, errlen, sys ? sys : EIO, "%s: cannot write the eBPF object: %s",
			    path, sys ? strerror(sys) : msg);
	if (fsync(fd) < 0)
		return fail(err, errlen, errno, "%s: cannot write the eBPF object: %s", path,
			    strerror(errno));
	return 0;
}

/* After the rename: the directory entry too (best effort, the file is
 * complete either way). */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if ((size_t)(slash - path) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	else
		return;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int filter_ebpf_write_object(const struct filter_ebpf_prog *prog, const char *path, const char *sec,
			     const char *name, char *err, size_t errlen)
{
	if (!name)
		name = DEFAULT_NAME;
	if (!sec && prog)
		sec = prog->hook == FILTER_HOOK_TC ? "tc" : "xdp";
	if (check_args(prog, path, sec ? sec : "", name, err, errlen) < 0)
		return -1;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(err, errlen, EIO, "%s: libelf is too old for this ELF version", path);
	struct image im;
	if (ebpf_btf_build(prog->hook, sec, name, &im.btf) < 0)
		return fail(err, errlen, errno, "%s: %s", path, strerror(errno));
	fill_tables(&im, sec, name, prog->len);
	size_t tmplen = strlen(path) + 16;
	char *tmp = malloc(tmplen);
	int fd = tmp ? tmp_open(path, tmp, tmplen) : -1;
	if (fd < 0) {
		int e = tmp ? errno : ENOMEM;
		free(tmp);
		ebpf_btf_free(&im.btf);
		return fail(err, errlen, e, "%s: cannot create: %s", path, strerror(e));
	}
	int rc = write_fd(fd, &im, prog, path, err, errlen);
	int e = errno;
	if (close(fd) < 0 && rc == 0) {
		e = errno;
		rc = fail(err, errlen, e, "%s: cannot write the eBPF object: %s", path,
			  strerror(e));
	}
	if (rc == 0 && rename(tmp, path) < 0) {
		e = errno;
		rc = fail(err, errlen, e, "%s: cannot rename %s to it: %s", path, tmp, strerror(e));
	}
	if (rc < 0)
		unlink(tmp);
	else
		sync_dir(path);
	free(tmp);
	ebpf_btf_free(&im.btf);
	errno = e;
	return rc;
}
