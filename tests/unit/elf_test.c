/* elf_test.c - filter_ebpf_write_object() (src/filter/back/ebpf/elf.c):
 * the object's layout read back with libelf and libbpf, objects opened and
 * loaded by libbpf and run with BPF_PROG_TEST_RUN on an IPv4 and an ARP
 * frame at XDP and tc, the BTF the kernel keeps for the program, and the
 * failures: an unwritable directory, a missing directory, a write that
 * fails half-way, a program that tail-calls -- never a partial file or a
 * temporary left behind.  The loading tests need bpf(); without it they are
 * skipped and the binary exits 77 after the others pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <gelf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "ebpf_progs.h"

static char dir[64];
static char warnings[4096]; /* libbpf's warnings while opening and loading */

static int print_warn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		size_t at = strlen(warnings);
		vsnprintf(warnings + at, sizeof(warnings) - at, fmt, ap);
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/bpfcap-elf.XXXXXX");
	return mkdtemp(dir) && chmod(dir, 0755) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct prog {
	struct filter_ebpf_insn insns[16];
	struct filter_ebpf_prog p;
};

static void make(struct prog *t, enum test_prog kind, enum filter_hook hook)
{
	t->p.insns = t->insns;
	t->p.hook = hook;
	t->p.len = test_prog(kind, hook, t->insns, &t->p.prog_array_insn);
}

/* The names in directory D, sorted, joined by ' ' */
static void names_in(const char *d, char *buf, size_t len)
{
	struct dirent **ents;
	int n = scandir(d, &ents, NULL, alphasort);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' ||
		    (strcmp(ents[i]->d_name, ".") && strcmp(ents[i]->d_name, ".."))) {
			size_t at = strlen(buf);
			snprintf(buf + at, len - at, "%s%s", at ? " " : "", ents[i]->d_name);
		}
		free(ents[i]);
	}
	free(ents);
}

static void write_ok(const struct prog *t, const char *file, const char *sec, const char *name,
		     char *path, size_t len)
{
	char err[256] = "";
	snprintf(path, len, "%s/%s", dir, file);
	int rc = filter_ebpf_write_object(&t->p, path, sec, name, err, sizeof(err));
	if (rc != 0)
		print_message("write_object: %s\n", err);
	assert_int_equal(rc, 0);
}

/* ---- the object's layout, read back ------------------------------------ */

struct scn {
	char name[32];
	GElf_Shdr sh;
	unsigned char data[1024];
	size_t size;
};

/* The sections of PATH (1..n into S); checks the ELF header. */
static size_t read_elf(const char *path, struct scn *s, size_t max)
{
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(e);
	GElf_Ehdr eh;
	assert_non_null(gelf_getehdr(e, &eh));
	assert_int_equal(eh.e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh.e_ident[EI_DATA],
			 __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB);
	assert_int_equal(eh.e_type, ET_REL);
	assert_int_equal(eh.e_machine, EM_BPF);
	size_t shstrndx, n = 0;
	assert_int_equal(elf_getshdrstrndx(e, &shstrndx), 0);
	for (Elf_Scn *c = elf_nextscn(e, NULL); c && n + 1 < max; c = elf_nextscn(e, c)) {
		struct scn *x = &s[++n];
		assert_non_null(gelf_getshdr(c, &x->sh));
		snprintf(x->name, sizeof(x->name), "%s", elf_strptr(e, shstrndx, x->sh.sh_name));
		Elf_Data *d = elf_getdata(c, NULL);
		x->size = d ? d->d_size : 0;
		assert_true(x->size <= sizeof(x->data));
		if (x->size)
			memcpy(x->data, d->d_buf, x->size);
	}
	elf_end(e);
	close(fd);
	return n;
}

/* The symbol NAME in the symbol table S (with its string table). */
static const Elf64_Sym *sym_named(const struct scn *s, size_t n, const char *name)
{
	for (size_t i = 1; i <= n; i++) {
		if (s[i].sh.sh_type != SHT_SYMTAB)
			continue;
		const struct scn *str = &s[s[i].sh.sh_link];
		const Elf64_Sym *sym = (const void *)s[i].data;
		for (size_t k = 0; k < s[i].size / sizeof(*sym); k++)
			if (!strcmp((const char *)str->data + sym[k].st_name, name))
				return &sym[k];
	}
	return NULL;
}

/* The object's BTF: NAME a global FUNC taking (struct CTX *ctx), returning
 * int; and a .BTF.ext. */
static void check_btf(const char *path, const char *name, const char *ctx, size_t ctx_size)
{
	struct btf_ext *ext = NULL;
	struct btf *btf = btf__parse(path, &ext);
	assert_non_null(btf);
	assert_non_null(ext);
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	assert_true(id > 0);
	const struct btf_type *f = btf__type_by_id(btf, id);
	assert_int_equal(btf_vlen(f), BTF_FUNC_GLOBAL);
	const struct btf_type *proto = btf__type_by_id(btf, f->type);
	assert_true(btf_is_func_proto(proto));
	assert_int_equal(btf_vlen(proto), 1);
	assert_string_equal(btf__name_by_offset(btf, btf__type_by_id(btf, proto->type)->name_off),
			    "int");
	const struct btf_param *arg = btf_params(proto);
	assert_string_equal(btf__name_by_offset(btf, arg->name_off), "ctx");
	const struct btf_type *ptr = btf__type_by_id(btf, arg->type);
	assert_true(btf_is_ptr(ptr));
	const struct btf_type *st = btf__type_by_id(btf, ptr->type);
	assert_true(btf_is_struct(st)); /* opaque, not a FWD: see btf.c */
	assert_int_equal(btf_vlen(st), 0);
	assert_int_equal(st->size, ctx_size);
	assert_string_equal(btf__name_by_offset(btf, st->name_off), ctx);

	btf_ext__free(ext);
	btf__free(btf);
}

static void check_layout(const struct prog *t, const char *path, const char *sec, const char *name,
			 const char *ctx)
{
	struct scn s[16];
	size_t n = read_elf(path, s, 16);
	const char *want[] = {sec,	 "license", ".BTF",	".BTF.ext",
			      ".symtab", ".strtab", ".shstrtab"};
	assert_int_equal(n, 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(s[i + 1].name, want[i]);
	assert_int_equal(s[1].sh.sh_type, SHT_PROGBITS);
	assert_int_equal(s[1].sh.sh_flags, SHF_ALLOC | SHF_EXECINSTR);
	assert_int_equal(s[1].size, t->p.len * 8);
	assert_memory_equal(s[1].data, t->insns, t->p.len * 8);
	assert_string_equal((const char *)s[2].data, "Dual BSD/GPL");
	/* .BTF.ext (libbpf 1.1 exports no btf_ext__raw_data): one func_info
	 * and one line_info record, both for instruction 0 */
	uint32_t h[16];
	memcpy(h, s[4].data, sizeof(h));
	assert_int_equal(h[0] & 0xffff, 0xeB9F);
	assert_int_equal(h[1], 32);  /* hdr_len, with the CO-RE part */
	assert_int_equal(h[3], 20);  /* func_info: size, section, count, record */
	assert_int_equal(h[5], 28);  /* line_info: size, section, count, record */
	assert_int_equal(h[8], 8);   /* sizeof(struct bpf_func_info) */
	assert_int_equal(h[10], 1);  /* one record */
	assert_int_equal(h[11], 0);  /* at byte 0 */
	assert_int_equal(h[12], 5);  /* the FUNC */
	assert_int_equal(h[13], 16); /* sizeof(struct bpf_line_info) */
	assert_int_equal(h[15], 1);  /* one record */
	assert_int_equal(s[5].sh.sh_type, SHT_SYMTAB);
	const Elf64_Sym *sym = sym_named(s, n, name);
	assert_non_null(sym);
	assert_int_equal(ELF64_ST_BIND(sym->st_info), STB_GLOBAL);
	assert_int_equal(ELF64_ST_TYPE(sym->st_info), STT_FUNC);
	assert_int_equal(sym->st_shndx, 1);
	assert_int_equal(sym->st_value, 0);
	assert_int_equal(sym->st_size, t->p.len * 8);
	check_btf(path, name, ctx,
		  !strcmp(ctx, "xdp_md") ? sizeof(struct xdp_md) : sizeof(struct __sk_buff));
}

static void test_layout_xdp(void **state)
{
	(void)state;
	struct prog t;
	char path[128], names[256];
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	write_ok(&t, "x.o", NULL, NULL, path, sizeof(path));
	check_layout(&t, path, "xdp", "bpfcap_filter", "xdp_md");
	names_in(dir, names, sizeof(names));
	assert_string_equal(names, "x.o"); /* and no temporary */
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	mode_t um = umask(022);
	umask(um);
	assert_int_equal(st.st_mode & 0777, 0666 & ~um);
}

static void test_layout_tc_named(void **state)
{
	(void)state;
	struct prog t;
	char path[128];
	make(&t, TP_IPV4_ARP, FILTER_HOOK_TC);
	write_ok(&t, "t.o", NULL, "allow_ipv4_arp", path, sizeof(path));
	check_layout(&t, path, "tc", "allow_ipv4_arp", "__sk_buff");
	/* an existing file is replaced */
	make(&t, TP_DROP, FILTER_HOOK_TC);
	write_ok(&t, "t.o", "classifier", NULL, path, sizeof(path));
	check_layout(&t, path, "classifier", "bpfcap_filter", "__sk_buff");
}

/* libbpf opens them (no kernel needed): the program by name, its section,
 * its type from the section name, the same instructions, no warnings. */
static void open_check(const char *path, const char *name, const char *sec, enum bpf_prog_type type,
		       const struct prog *t)
{
	warnings[0] = '\0';
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	assert_non_null(obj);
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);
	assert_non_null(p);
	assert_string_equal(bpf_program__section_name(p), sec);
	assert_int_equal(bpf_program__type(p), type);
	assert_int_equal(bpf_program__insn_cnt(p), t->p.len);
	assert_memory_equal(bpf_program__insns(p), t->insns, t->p.len * 8);
	assert_non_null(bpf_object__btf(obj));
	bpf_object__close(obj);
	assert_string_equal(warnings, "");
}

static void test_libbpf_open(void **state)
{
	(void)state;
	struct prog t;
	char path[128];
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	write_ok(&t, "x.o", NULL, NULL, path, sizeof(path));
	open_check(path, "bpfcap_filter", "xdp", BPF_PROG_TYPE_XDP, &t);
	make(&t, TP_IPV4, FILTER_HOOK_TC);
	write_ok(&t, "t.o", NULL, NULL, path, sizeof(path));
	open_check(path, "bpfcap_filter", "tc", BPF_PROG_TYPE_SCHED_CLS, &t);
}

/* ---- failures: -1, errno, a message naming the file, nothing left ----- */

static void expect_fail(const struct prog *t, const char *path, const char *sec, const char *name,
			int want_errno, const char *want_msg)
{
	char err[512] = "";
	errno = 0;
	assert_int_equal(filter_ebpf_write_object(&t->p, path, sec, name, err, sizeof(err)), -1);
	assert_int_equal(errno, want_errno);
	if (!strstr(err, path) || !strstr(err, want_msg))
		fail_msg("message '%s' lacks '%s' or '%s'", err, path, want_msg);
}

static void test_missing_dir(void **state)
{
	(void)state;
	struct prog t;
	char path[128], names[256];
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	snprintf(path, sizeof(path), "%s/nodir/x.o", dir);
	expect_fail(&t, path, NULL, NULL, ENOENT, "cannot create: No such file or directory");
	names_in(dir, names, sizeof(names));
	assert_string_equal(names, "");
}

/* A directory nobody may write to, tried as nobody when we are root (root
 * writes anywhere). */
static void test_unwritable_dir(void **state)
{
	(void)state;
	struct prog t;
	char ro[96], path[128], names[256];
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	snprintf(ro, sizeof(ro), "%s/ro", dir);
	assert_int_equal(mkdir(ro, 0555), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	snprintf(path, sizeof(path), "%s/x.o", ro);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(3);
		char err[512] = "";
		errno = 0;
		int rc = filter_ebpf_write_object(&t.p, path, NULL, NULL, err, sizeof(err));
		int ok = rc == -1 && errno == EACCES && strstr(err, path) &&
			 strstr(err, "Permission denied");
		if (!ok)
			fprintf(stderr, "rc %d errno %d: %s\n", rc, errno, err);
		_exit(ok ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	names_in(ro, names, sizeof(names));
	assert_string_equal(names, "");
}

/* write(2) fails after part of the file (RLIMIT_FSIZE, EFBIG): the old
 * file stays as it was, no temporary is left. */
static void test_write_fails_midway(void **state)
{
	(void)state;
	struct prog t;
	char path[128], names[256], buf[16] = "";
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	snprintf(path, sizeof(path), "%s/keep.o", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("old", f);
	fclose(f);
	struct rlimit old, lim = {300, 300};
	getrlimit(RLIMIT_FSIZE, &old);
	lim.rlim_max = old.rlim_max;
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	char err[512] = "";
	errno = 0;
	int rc = filter_ebpf_write_object(&t.p, path, NULL, NULL, err, sizeof(err));
	int e = errno;
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, prev);
	assert_int_equal(rc, -1);
	assert_int_equal(e, EFBIG);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "cannot write the eBPF object: File too large"));
	names_in(dir, names, sizeof(names));
	assert_string_equal(names, "keep.o");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "old");
}

static void test_tail_call_refused(void **state)
{
	(void)state;
	struct prog t;
	char path[128], names[256];
	make(&t, TP_TAIL, FILTER_HOOK_XDP);
	snprintf(path, sizeof(path), "%s/tail.o", dir);
	expect_fail(&t, path, NULL, NULL, EINVAL, "tail-calls through a map");
	/* the same without prog_array_insn: the map reference alone */
	t.p.prog_array_insn = SIZE_MAX;
	expect_fail(&t, path, NULL, NULL, EINVAL, "tail-calls through a map");
	/* and a bpf_tail_call() without the map reference */
	t.insns[10] = EI(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0);
	t.insns[11] = EI(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0);
	expect_fail(&t, path, NULL, NULL, EINVAL, "tail-calls through a map");
	/* a call to a BPF subprogram (BPF_PSEUDO_CALL) */
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	t.insns[9] = EI(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 1);
	expect_fail(&t, path, NULL, NULL, EINVAL, "calls a subprogram or a kernel function");
	names_in(dir, names, sizeof(names));
	assert_string_equal(names, "");
}

static void test_bad_args(void **state)
{
	(void)state;
	struct prog t;
	char path[128], names[256];
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	snprintf(path, sizeof(path), "%s/bad.o", dir);
	expect_fail(&t, path, NULL, "1st", EINVAL, "'1st' cannot name the program");
	expect_fail(&t, path, NULL, "a-b", EINVAL, "'a-b' cannot name the program");
	expect_fail(&t, path, ".text", NULL, EINVAL, "'.text' cannot be the program's section");
	expect_fail(&t, path, "license", NULL, EINVAL, "'license' cannot be");
	t.p.hook = 0;
	expect_fail(&t, path, "xdp", NULL, EINVAL, "no hook");
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	t.p.len = 0;
	expect_fail(&t, path, NULL, NULL, EINVAL, "no eBPF program");
	/* no message buffer: still -1 and errno */
	errno = 0;
	assert_int_equal(filter_ebpf_write_object(&t.p, path, NULL, NULL, NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
	names_in(dir, names, sizeof(names));
	assert_string_equal(names, "");
}

/* ---- loaded by libbpf, run by the kernel ------------------------------ */

static const char *bpf_unavailable(void)
{
	static char why[160];
	const struct bpf_insn ret0[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", ret0, 2, NULL);
	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	snprintf(why, sizeof(why), "bpf(BPF_PROG_LOAD) of an XDP program fails (%s)%s",
		 strerror(errno), geteuid() ? "; run as root" : "");
	return why;
}

/* A 64-byte frame: Ethernet with EtherType TYPE, zeros after it. */
static void frame(unsigned char *f, size_t len, uint16_t type)
{
	memset(f, 0, len);
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	f[12] = (unsigned char)(type >> 8);
	f[13] = (unsigned char)type;
	f[14] = type == 0x0800 ? 0x45 : 0;
}

static int run(int fd, uint16_t type)
{
	unsigned char f[64];
	frame(f, sizeof(f), type);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = sizeof(f), .repeat = 1);
	assert_int_equal(bpf_prog_test_run_opts(fd, &o), 0);
	return (int)o.retval;
}

/* Load PATH with libbpf; the program NAME runs with the verdicts VERDICTS
 * for IPv4, ARP, IPv6; the kernel keeps its name and its BTF. */
static void load_check(const char *path, const char *name, const int verdicts[3])
{
	warnings[0] = '\0';
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	assert_non_null(obj);
	int rc = bpf_object__load(obj);
	if (rc)
		fail_msg("bpf_object__load: %s: %s", strerror(-rc), warnings);
	assert_string_equal(warnings, "");
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);
	assert_non_null(p);
	int fd = bpf_program__fd(p);
	assert_true(fd >= 0);
	assert_int_equal(run(fd, 0x0800), verdicts[0]);
	assert_int_equal(run(fd, 0x0806), verdicts[1]);
	assert_int_equal(run(fd, 0x86dd), verdicts[2]);
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, len);
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	char want[BPF_OBJ_NAME_LEN];
	snprintf(want, sizeof(want), "%s", name); /* the kernel keeps 15 characters */
	assert_string_equal(info.name, want);
	assert_int_not_equal(info.btf_id, 0);
	assert_int_equal(info.nr_func_info, 1);
	struct btf *kbtf = btf__load_from_kernel_by_id(info.btf_id);
	assert_non_null(kbtf);
	assert_true(btf__find_by_name_kind(kbtf, name, BTF_KIND_FUNC) > 0);
	btf__free(kbtf);
	bpf_object__close(obj);
}

static void test_load_xdp(void **state)
{
	(void)state;
	struct prog t;
	char path[128];
	make(&t, TP_IPV4, FILTER_HOOK_XDP);
	write_ok(&t, "ipv4.o", NULL, NULL, path, sizeof(path));
	load_check(path, "bpfcap_filter", (const int[]){XDP_PASS, XDP_DROP, XDP_DROP});
	make(&t, TP_IPV4_ARP, FILTER_HOOK_XDP);
	write_ok(&t, "ipv4arp.o", NULL, NULL, path, sizeof(path));
	load_check(path, "bpfcap_filter", (const int[]){XDP_PASS, XDP_PASS, XDP_DROP});
	make(&t, TP_DROP, FILTER_HOOK_XDP);
	write_ok(&t, "drop.o", NULL, NULL, path, sizeof(path));
	load_check(path, "bpfcap_filter", (const int[]){XDP_DROP, XDP_DROP, XDP_DROP});
}

static void test_load_tc(void **state)
{
	(void)state;
	struct prog t;
	char path[128];
	make(&t, TP_IPV4, FILTER_HOOK_TC);
	write_ok(&t, "ipv4.o", NULL, NULL, path, sizeof(path));
	load_check(path, "bpfcap_filter", (const int[]){TC_ACT_OK, TC_ACT_SHOT, TC_ACT_SHOT});
	make(&t, TP_IPV4_ARP, FILTER_HOOK_TC);
	write_ok(&t, "ipv4arp.o", NULL, NULL, path, sizeof(path));
	load_check(path, "bpfcap_filter", (const int[]){TC_ACT_OK, TC_ACT_OK, TC_ACT_SHOT});
}

/* Another section name libbpf knows, and a long name (the kernel keeps 15
 * characters, BTF the whole). */
static void test_load_named(void **state)
{
	(void)state;
	struct prog t;
	char path[128];
	make(&t, TP_IPV4_ARP, FILTER_HOOK_TC);
	write_ok(&t, "c.o", "classifier", "allow_ipv4_and_arp", path, sizeof(path));
	load_check(path, "allow_ipv4_and_arp", (const int[]){TC_ACT_OK, TC_ACT_OK, TC_ACT_SHOT});
}

/* A long program (10000 instructions, 80000 bytes of section): the symbol's
 * size and libbpf's view of it, and it runs. */
static void test_load_long(void **state)
{
	(void)state;
	enum { N = 10000 };
	struct filter_ebpf_insn *insns = calloc(N, sizeof(*insns));
	assert_non_null(insns);
	insns[0] = EI(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS);
	for (size_t i = 1; i < N - 1; i++)
		insns[i] = EI(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, (int32_t)i);
	insns[1] = EI(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0);
	insns[N - 1] = EI(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	struct filter_ebpf_prog p = {N, insns, FILTER_HOOK_XDP, SIZE_MAX};
	char path[128], err[256] = "";
	snprintf(path, sizeof(path), "%s/long.o", dir);
	assert_int_equal(filter_ebpf_write_object(&p, path, NULL, NULL, err, sizeof(err)), 0);
	warnings[0] = '\0';
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	assert_non_null(obj);
	assert_int_equal(bpf_object__load(obj), 0);
	assert_string_equal(warnings, "");
	struct bpf_program *bp = bpf_object__find_program_by_name(obj, "bpfcap_filter");
	assert_non_null(bp);
	assert_int_equal(bpf_program__insn_cnt(bp), N);
	assert_int_equal(run(bpf_program__fd(bp), 0x0800), XDP_PASS);
	bpf_object__close(obj);
	free(insns);
}

int main(void)
{
	const struct CMUnitTest files[] = {
		cmocka_unit_test_setup_teardown(test_layout_xdp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_tc_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_libbpf_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_fails_midway, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tail_call_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_args, setup, teardown),
	};
	const struct CMUnitTest kernel[] = {
		cmocka_unit_test_setup_teardown(test_load_xdp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_tc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_long, setup, teardown),
	};
	libbpf_set_print(print_warn);
	int bad = cmocka_run_group_tests_name("object files", files, NULL, NULL);
	const char *why = bpf_unavailable();
	if (why) {
		printf("SKIP: loading the objects: %s\n", why);
		return bad ? bad : 77;
	}
	return bad + cmocka_run_group_tests_name("loaded by libbpf", kernel, NULL, NULL);
}
