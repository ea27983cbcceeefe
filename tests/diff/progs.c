/* progs.c - diffcheck's captures and programs: loading a capture, running
 * a program on a packet, compiling with libpcap and with bpfcap, and the
 * checks every bpfcap program must pass (bpf_validate, structure, the
 * kernel's SO_ATTACH_FILTER).  See diffcheck.h. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <pcap/pcap.h>
#include <pcap/bpf.h>

#include "diffcheck.h"

/* ---- captures -------------------------------------------------------------- */

int capture_load(const char *path, struct capture *c)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	int r;

	memset(c, 0, sizeof *c);
	c->path = path;
	if (!p) {
		say(0, "CAPTURE-UNREADABLE %s: %s", path, err);
		return -1;
	}
	c->dlt = pcap_datalink(p);
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		if ((c->n & (c->n - 1)) == 0) /* grow at powers of two */
			c->pkts = xrealloc(c->pkts, (c->n ? 2 * c->n : 1) * sizeof *c->pkts);
		c->pkts[c->n].hdr = *h;
		c->pkts[c->n++].data = memcpy(xcalloc(h->caplen, 1), data, h->caplen);
	}
	if (r == -1)
		say(0, "CAPTURE-TRUNCATED %s after %zu packets: %s", path, c->n, pcap_geterr(p));
	pcap_close(p);
	return 0;
}

void capture_free(struct capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->pkts[i].data);
	free(c->pkts);
	c->pkts = NULL;
	c->n = 0;
}

int verdict(const struct bpf_program *bp, const struct packet *pk)
{
	return bpf_filter(bp->bf_insns, pk->data, pk->hdr.len, pk->hdr.caplen) != 0;
}

const char *word(int v)
{
	return v < 0 ? "n/a" : v ? "accept" : "reject";
}

/* ---- compiling ------------------------------------------------------------ */

void lp_compile(int dlt, const char *expr, int optimize, struct lp_prog *r)
{
	pcap_t *p = pcap_open_dead(dlt, 262144);

	memset(r, 0, sizeof *r);
	if (!p) {
		snprintf(r->err, sizeof r->err, "pcap_open_dead(%d) failed", dlt);
		return;
	}
	if (pcap_compile(p, &r->bp, expr, optimize, PCAP_NETMASK_UNKNOWN) == 0)
		r->ok = 1;
	else
		snprintf(r->err, sizeof r->err, "%s", pcap_geterr(p));
	pcap_close(p);
}

void lp_free(struct lp_prog *r)
{
	if (r->ok)
		pcap_freecode(&r->bp);
	r->ok = 0;
}

void bc_diag(struct bc_prog *r, struct filter_ctx *ctx, const char *expr)
{
	const struct filter_diag *d = filter_ctx_diag(ctx);
	char *s;

	if (!d) {
		snprintf(r->msg, sizeof r->msg, "(no diagnostic)");
		return;
	}
	r->d = *d;
	r->have_diag = 1;
	r->d.message[sizeof r->d.message - 1] = '\0';
	s = filter_diag_format(&r->d, expr, strlen(expr), 0);
	snprintf(r->msg, sizeof r->msg, "%s", s ? s : "(filter_diag_format returned NULL)");
	r->msg[strcspn(r->msg, "\n")] = '\0';
	free(s);
}

void bc_compile(int dlt, const char *expr, int no_optimize, struct bc_prog *r)
{
	struct filter_options o;
	struct filter_ctx *ctx;

	memset(r, 0, sizeof *r);
	memset(&o, 0, sizeof o);
	o.dlt = dlt;
	o.no_optimize = no_optimize;
	o.netmask = FILTER_NETMASK_UNKNOWN; /* as libpcap is called: PCAP_NETMASK_UNKNOWN */
	o.resolver = resolver;
	if (!(ctx = filter_ctx_new(&o))) {
		snprintf(r->msg, sizeof r->msg, "filter_ctx_new: %s", strerror(errno));
		return;
	}
	if (filter_compile(ctx, expr, strlen(expr)) == 0 && filter_emit_cbpf(ctx, &r->fp) == 0)
		r->ok = 1;
	else
		bc_diag(r, ctx, expr);
	filter_ctx_free(ctx);
	if (!r->ok || !r->fp.insns || r->fp.len > UINT_MAX)
		return;
	r->bp.bf_len = (u_int)r->fp.len;
	r->bp.bf_insns = xcalloc(r->fp.len, sizeof *r->bp.bf_insns);
	for (size_t i = 0; i < r->fp.len; i++)
		r->bp.bf_insns[i] = (struct bpf_insn){r->fp.insns[i].code, r->fp.insns[i].jt,
						      r->fp.insns[i].jf, r->fp.insns[i].k};
}

void bc_free(struct bc_prog *r)
{
	if (r->ok)
		filter_prog_release(&r->fp);
	free(r->bp.bf_insns);
	r->ok = 0;
	r->bp.bf_insns = NULL;
}

/* ---- program checks -------------------------------------------------------- */

int ksock = -1; /* for kernel_check(); diffcheck.c opens it */

void kernel_check(const char *which, const struct bpf_program *bp)
{
	struct sock_filter *sf;
	struct sock_fprog fp;

	if (ksock < 0 || bp->bf_len > USHRT_MAX)
		return;
	sf = xcalloc(bp->bf_len, sizeof *sf);
	for (u_int i = 0; i < bp->bf_len; i++)
		sf[i] = (struct sock_filter){bp->bf_insns[i].code, bp->bf_insns[i].jt,
					     bp->bf_insns[i].jf, bp->bf_insns[i].k};
	fp.len = (unsigned short)bp->bf_len;
	fp.filter = sf;
	if (setsockopt(ksock, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) < 0)
		fail_case(0, "KERNEL-REJECTS %s %s: SO_ATTACH_FILTER: %s", cur.label, which,
			  strerror(errno));
	free(sf);
}

/* What the kernel insists on besides bpf_validate(): forward jumps that stay
 * inside the program (1.10.3's bpf_validate() lets a backward ja through,
 * and bpf_filter() would loop), and a ret at the end. */
const char *structure_error(const struct bpf_program *bp)
{
	for (u_int pc = 0; pc < bp->bf_len; pc++) {
		const struct bpf_insn *in = &bp->bf_insns[pc];
		u_int left = bp->bf_len - pc - 1;
		if (BPF_CLASS(in->code) != BPF_JMP)
			continue;
		if (BPF_OP(in->code) == BPF_JA ? in->k >= left : in->jt >= left || in->jf >= left)
			return "a jump goes backwards or past the end";
	}
	if (BPF_CLASS(bp->bf_insns[bp->bf_len - 1].code) != BPF_RET)
		return "the last instruction is not a ret";
	return NULL;
}

/* Check one of bpfcap's programs; set r->safe when it may be run. */
void check_prog(const char *which, struct bc_prog *r)
{
	const char *why;

	if (!r->ok)
		return;
	if (r->fp.len == 0 || !r->bp.bf_insns) {
		fail_case(0, "STRUCTURE %s %s: filter_emit_cbpf() gave %zu instructions", cur.label,
			  which, r->fp.len);
		return;
	}
	if (r->fp.len > FILTER_CBPF_MAX_INSNS)
		fail_case(0, "TOO-LONG %s %s: %zu instructions > %d", cur.label, which, r->fp.len,
			  FILTER_CBPF_MAX_INSNS);
	if ((why = structure_error(&r->bp)) != NULL)
		fail_case(0, "STRUCTURE %s %s: %s", cur.label, which, why);
	else if (r->fp.len > INT_MAX || !bpf_validate(r->bp.bf_insns, (int)r->fp.len))
		fail_case(0, "INVALID %s %s: bpf_validate() refuses it", cur.label, which);
	else
		r->safe = 1;
	kernel_check(which, &r->bp);
}
