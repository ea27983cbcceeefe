/*
 * tcnonlin - real traffic through bpfcap's tc programs, with packets whose
 * bytes lie beyond the skb's linear part (TCP over veth: GSO packets keep
 * their payload in page fragments).
 *
 *   tcnonlin recv IFACE PORT BYTES EXPR...   (in the receiving namespace)
 *   tcnonlin send ADDR PORT BYTES            (in the sending one)
 *
 * recv attaches one tc ingress filter per EXPR (priority 1, 2, ...), each
 * the expression's program in observe mode (every packet goes on) whose
 * accept path tail-calls a counter: packets accepted, and of those the ones
 * that were not linear (skb->len > data_end - data).  It then takes one TCP
 * connection on PORT, reads BYTES, and prints "EXPR<TAB>accepted<TAB>
 * nonlinear" per expression; the filters go with the clsact qdisc it made.
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "filter/filter.h"

#define INSN(c, d, s, o, i) ((struct bpf_insn){(c), (d), (s), (o), (i)})

static int die(const char *what)
{
	fprintf(stderr, "tcnonlin: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The counter: values[SLOT] = {accepted, nonlinear}; returns TC_ACT_UNSPEC. */
static int counter(int map, int slot)
{
	struct bpf_insn p[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0),
		INSN(BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, slot),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4),
		INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 8, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 1),
		INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 0, 1, 0, BPF_ADD),
		INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 6, offsetof(struct __sk_buff, len), 0),
		INSN(BPF_LDX | BPF_MEM | BPF_W, 3, 6, offsetof(struct __sk_buff, data), 0),
		INSN(BPF_LDX | BPF_MEM | BPF_W, 4, 6, offsetof(struct __sk_buff, data_end), 0),
		INSN(BPF_ALU64 | BPF_SUB | BPF_X, 4, 3, 0, 0),
		INSN(BPF_JMP32 | BPF_JEQ | BPF_X, 4, 2, 1, 0),
		INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 0, 1, 8, BPF_ADD),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, -1),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "count", "GPL", p, sizeof(p) / sizeof(p[0]),
			       NULL);
	if (fd < 0)
		die("loading the counter");
	return fd;
}

/* EXPR for tc, observing, tail-calling slot 0 of a new program array that
 * holds COUNTER. */
static int filter(const char *expr, int count)
{
	struct filter_options fo = {.dlt = FILTER_DLT_EN10MB, .netmask = FILTER_NETMASK_UNKNOWN};
	struct filter_ctx *c = filter_ctx_new(&fo);
	struct filter_ebpf_opts eo = {
		.hook = FILTER_HOOK_TC, .accept = FILTER_EBPF_TAIL_CALL, .observe = 1};
	struct filter_ebpf_prog ep;
	if (!c || filter_compile(c, expr, strlen(expr)) < 0 || filter_emit_ebpf(c, &eo, &ep) < 0) {
		fprintf(stderr, "tcnonlin: '%s': %s\n", expr,
			c ? filter_ctx_diag(c)->message : "no memory");
		exit(1);
	}
	filter_ctx_free(c);
	int pa = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "pa", 4, 4, 1, NULL);
	uint32_t k = 0;
	if (pa < 0 || bpf_map_update_elem(pa, &k, &count, 0) < 0)
		die("making the program array");
	ep.insns[ep.prog_array_insn].src_reg = BPF_PSEUDO_MAP_FD;
	ep.insns[ep.prog_array_insn].imm = pa;
	static char log[1 << 16];
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log), .log_level = 1);
	int fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "bpfcap", "GPL",
			       (const struct bpf_insn *)ep.insns, ep.len, &o);
	if (fd < 0) {
		fprintf(stderr, "%s\n", log);
		die(expr);
	}
	filter_ebpf_release(&ep);
	return fd;
}

static int recv_mode(const char *ifname, int port, long bytes, int nexpr, char **exprs)
{
	int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "counts", 4, 16, (uint32_t)nexpr, NULL);
	if (map < 0)
		die("making the counter map");
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)if_nametoindex(ifname),
		    .attach_point = BPF_TC_INGRESS);
	if (!hook.ifindex)
		die(ifname);
	if (bpf_tc_hook_create(&hook) < 0)
		die("creating the clsact qdisc");
	for (int i = 0; i < nexpr; i++) {
		LIBBPF_OPTS(bpf_tc_opts, t, .prog_fd = filter(exprs[i], counter(map, i)),
			    .priority = (uint32_t)i + 1, .handle = 1);
		if (bpf_tc_attach(&hook, &t) < 0)
			die("attaching a tc filter");
	}
	int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 1) < 0)
		die("listening");
	printf("READY\n");
	fflush(stdout);
	int s = accept(ls, NULL, NULL);
	if (s < 0)
		die("accept");
	static char buf[1 << 16];
	long got = 0;
	for (ssize_t n; got < bytes && (n = read(s, buf, sizeof(buf))) > 0;)
		got += n;
	close(s);
	usleep(100000);
	for (uint32_t i = 0; i < (uint32_t)nexpr; i++) {
		uint64_t v[2] = {0, 0};
		bpf_map_lookup_elem(map, &i, v);
		printf("%s\t%llu\t%llu\n", exprs[i], (unsigned long long)v[0],
		       (unsigned long long)v[1]);
	}
	hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
	bpf_tc_hook_destroy(&hook);
	fprintf(stderr, "tcnonlin: read %ld bytes\n", got);
	return got == bytes ? 0 : 1;
}

static int send_mode(const char *addr, int port, long bytes)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (s < 0 || inet_pton(AF_INET, addr, &a.sin_addr) != 1 ||
	    connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connecting");
	static char buf[1 << 16];
	memset(buf, 'A', sizeof(buf));
	for (long left = bytes; left > 0;) {
		ssize_t n = write(s, buf, left < (long)sizeof(buf) ? (size_t)left : sizeof(buf));
		if (n <= 0)
			die("sending");
		left -= n;
	}
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 6 && !strcmp(argv[1], "recv"))
		return recv_mode(argv[2], atoi(argv[3]), atol(argv[4]), argc - 5, argv + 5);
	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_mode(argv[2], atoi(argv[3]), atol(argv[4]));
	fprintf(stderr, "usage: tcnonlin recv IFACE PORT BYTES EXPR... | send ADDR PORT BYTES\n");
	return 2;
}
