/*
 * vlanpush.c - for the tests: put a VLAN tag into the metadata of every
 * packet leaving IFACE (bpf_skb_vlan_push at tcx egress, attached first,
 * so that programs attached later see the tag as the kernel's VLAN
 * offload leaves it), until killed; the link goes with the process.  The
 * kernel here has no 8021q devices, which would do this themselves.
 *   vlanpush IFACE VID   prints "ready" once attached
 */
#include <linux/bpf.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/bpf.h>

#ifndef BPF_TCX_EGRESS
#define BPF_TCX_EGRESS 47
#endif

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: vlanpush IFACE VID\n");
		return 2;
	}
	unsigned ifindex = if_nametoindex(argv[1]);
	int vid = atoi(argv[2]);
	if (!ifindex) {
		perror(argv[1]);
		return 1;
	}
	struct bpf_insn prog[] = {
		/* bpf_skb_vlan_push(skb, htons(0x8100), vid); return TC_ACT_UNSPEC */
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2, .imm = 0x0081},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3, .imm = vid},
		{.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_skb_vlan_push},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = -1},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TCX_EGRESS);
	int fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "vlanpush", "GPL", prog, 5, &o);
	if (fd < 0) {
		perror("vlanpush: load");
		return 1;
	}
	int link = bpf_link_create(fd, (int)ifindex, (enum bpf_attach_type)BPF_TCX_EGRESS, NULL);
	if (link < 0) {
		perror("vlanpush: attach");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
