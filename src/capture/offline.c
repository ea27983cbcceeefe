/* offline.c - capture files through libpcap (timestamps in nanoseconds);
 * see capture.h. */
#include "capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct capture_file {
	pcap_t *p;
	FILE *fp;
	/* a classic pcap file mapped whole: its records are read in place
	 * (no copy through stdio and libpcap's buffer); libpcap takes over
	 * at the first record it would have to judge (see fast_run()) */
	const uint8_t *map;
	size_t maplen;
	int swapped, nano;
	uint32_t snaplen;
};

/* Map FP's file when it is a regular, classic (not pcapng) pcap file. */
static void map_classic(struct capture_file *f)
{
	struct stat st;
	if (fstat(fileno(f->fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24 ||
	    pcap_major_version(f->p) != 2)
		return;
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fileno(f->fp), 0);
	if (m == MAP_FAILED)
		return;
	const uint8_t *b = m;
	uint32_t magic =
		(uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	uint32_t le = 1;
	int host_le = *(const uint8_t *)&le == 1;
	uint32_t want[4] = {0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1};
	int kind = -1;
	for (int i = 0; i < 4; i++)
		if (magic == want[i])
			kind = i;
	if (kind < 0) {
		munmap(m, (size_t)st.st_size);
		return;
	}
	/* MAGIC read little-endian: kinds 0, 1 are a little-endian file */
	f->swapped = (kind < 2) != host_le;
	f->nano = kind == 1 || kind == 3;
	f->snaplen = (uint32_t)pcap_snapshot(f->p);
	madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	f->map = b;
	f->maplen = (size_t)st.st_size;
}

int capture_file_open(const char *path, struct capture_file **out, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct capture_file *f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	/* libpcap reads each record with two fread()s; a 1 MiB stdio buffer
	 * instead of the file system's block size (4 KiB) makes that one
	 * read(2) a MiB rather than one every few records */
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(f);
		return -1;
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	f->p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!f->p) {
		if (fp != stdin)
			fclose(fp);
		snprintf(err, errlen, "%s", ebuf);
		free(f);
		return -1;
	}
	f->fp = fp;
	map_classic(f);
	*out = f;
	return 0;
}

int capture_file_dlt(const struct capture_file *f)
{
	return pcap_datalink(f->p);
}

const char *capture_file_dlt_name(const struct capture_file *f)
{
	const char *n = pcap_datalink_val_to_name(pcap_datalink(f->p));
	return n ? n : "unknown";
}

const char *capture_file_dlt_desc(const struct capture_file *f)
{
	const char *n = pcap_datalink_val_to_description(pcap_datalink(f->p));
	return n ? n : "unknown";
}

uint32_t capture_file_snaplen(const struct capture_file *f)
{
	return (uint32_t)pcap_snapshot(f->p);
}

void capture_file_close(struct capture_file *f)
{
	if (!f)
		return;
	if (f->map)
		munmap((void *)(uintptr_t)f->map, f->maplen);
	pcap_close(f->p);
	free(f);
}

/* One pcap_dispatch() callback's context. */
struct run {
	pcap_t *p;
	const struct bpf_insn *insns;
	capture_sink sink;
	void *opaque;
	int stopped;
	uint64_t records; /* read so far */
	uint64_t end;	  /* byte offset after the last of them (classic pcap) */
};

static void run_one(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct run *r = (struct run *)(void *)user;
	r->records++;
	r->end += 16 + h->caplen;
	if (r->stopped || (r->insns && bpf_filter(r->insns, data, h->len, h->caplen) == 0))
		return;
	struct capture_pkt p = {
		h->ts.tv_sec,	    (uint32_t)h->ts.tv_usec, h->caplen, h->len, data, 0,
		CAPTURE_DIR_UNKNOWN};
	if (r->sink(r->opaque, &p)) {
		r->stopped = 1;
		pcap_breakloop(r->p);
	}
}

static uint32_t rd32(const struct capture_file *f, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return f->swapped ? __builtin_bswap32(v) : v;
}

/* The records of a mapped file, from R->end on, while each is whole and
 * within the snapshot length; returns 1 when the sink stopped, 0 when
 * libpcap is to go on from R->end (the end, or a record it must judge:
 * its checks and messages stay libpcap's). */
static int fast_run(struct capture_file *f, struct run *r)
{
	size_t off = (size_t)r->end;
	uint32_t max = f->snaplen > 262144 ? f->snaplen : 262144;
	while (off + 16 <= f->maplen) {
		const uint8_t *h = f->map + off;
		uint32_t caplen = rd32(f, h + 8), len = rd32(f, h + 12);
		if (caplen > max || caplen > f->snaplen || caplen > f->maplen - off - 16)
			break;
		const uint8_t *data = h + 16;
		r->records++;
		off += 16 + caplen;
		r->end = off;
		if (r->insns && bpf_filter(r->insns, data, len, caplen) == 0)
			continue;
		uint32_t frac = rd32(f, h + 4);
		/* as libpcap: the fields are signed 32-bit, microseconds scaled */
		int64_t ns = f->nano ? (int64_t)frac : (int64_t)(int32_t)frac * 1000;
		struct capture_pkt p = {
			(int64_t)(int32_t)rd32(f, h), (uint32_t)ns, caplen, len, data, 0,
			CAPTURE_DIR_UNKNOWN};
		if (r->sink(r->opaque, &p))
			return 1;
	}
	return 0;
}

/* A mapped file that shrinks under us (truncated by another process while
 * we read it) raises SIGBUS at the first page past its new end: the one
 * handler, installed only while mapped records are read, ends that read. */
static sigjmp_buf *bus_jmp;

static void on_bus(int sig)
{
	(void)sig;
	if (bus_jmp)
		siglongjmp(*bus_jmp, 1);
	_exit(128 + SIGBUS);
}

/* The mapped part of the run: -1 (ERR set) when the file shrank, 1 when
 * the sink stopped, 0 when libpcap is to go on from R->end (where a
 * record it must judge starts, or the end, which may have moved on). */
static int mapped_run(struct capture_file *f, struct run *r, char *err, size_t errlen)
{
	sigjmp_buf jb;
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_bus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	bus_jmp = &jb;
	volatile int rc = -1;
	if (sigsetjmp(jb, 1) == 0)
		rc = fast_run(f, r);
	bus_jmp = NULL;
	sigaction(SIGBUS, &old, NULL);
	if (rc < 0) {
		snprintf(err, errlen,
			 "the file shrank while being read: stopped at byte offset %llu, after "
			 "%llu good packets",
			 (unsigned long long)r->end, (unsigned long long)r->records);
		return -1;
	}
	if (rc == 0 && fseek(f->fp, (long)r->end, SEEK_SET) != 0) {
		snprintf(err, errlen, "damaged at byte offset %llu, after %llu good packets",
			 (unsigned long long)r->end, (unsigned long long)r->records);
		return -1;
	}
	return rc;
}

/* pcap_dispatch() rather than pcap_next_ex(): one call into libpcap per
 * batch of records instead of one per record. */
int capture_file_run(struct capture_file *f, const struct filter_prog *prog, capture_sink sink,
		     void *opaque, char *err, size_t errlen)
{
	/* struct filter_insn has struct bpf_insn's layout */
	struct run r = {f->p, prog ? (const struct bpf_insn *)(void *)prog->insns : NULL,
			sink, opaque,
			0,    0,
			24};
	int rc;
	if (f->map && (rc = mapped_run(f, &r, err, errlen)) != 0)
		return rc > 0 ? 0 : -1;
	while ((rc = pcap_dispatch(f->p, 4096, run_one, (u_char *)&r)) > 0 && !r.stopped)
		;
	if (r.stopped || rc == 0 || rc == PCAP_ERROR_BREAK)
		return 0;
	/* where the damage is: after the last good record of a classic file
	 * (pcapng: where reading stopped) */
	long at = pcap_major_version(f->p) == 2 ? (long)r.end : ftell(pcap_file(f->p));
	snprintf(err, errlen, "damaged at byte offset %ld, after %llu good packets: %s", at,
		 (unsigned long long)r.records, pcap_geterr(f->p));
	return -1;
}
