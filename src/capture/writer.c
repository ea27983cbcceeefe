/*
 * writer.c - the pcap writer; see capture.h.
 *
 * Whole records only: a record (16-byte header and data) is copied into one
 * buffer and the buffer goes to the file with write(2), so the file never
 * holds a torn record in its middle.  A failed or short write is trimmed back
 * to the last complete record (ftruncate; a pipe cannot be trimmed, so a
 * pipe's reader may see one partial record at the end), and from then on the
 * writer refuses more.  The count of records in the file is exact.
 */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	PCAP_MAGIC_US = 0xa1b2c3d4,
	PCAP_MAGIC_NS = 0xa1b23c4d,
	REC_HDR = 16,
	BUF_SIZE = 1 << 20,	       /* at most 1 MiB at risk */
	FLUSH_NS = 1000 * 1000 * 1000, /* ... or 1 s */
};

struct capture_writer {
	char *path;
	int fd;
	int own_fd;	  /* 0 for stdout */
	int can_truncate; /* a regular file */
	int nano;
	int flush_each;
	size_t flush_at; /* write out once this much is buffered */
	uint32_t snaplen;
	uint8_t *buf;
	size_t used, cap;
	uint64_t buf_records;
	uint64_t records;    /* complete records in the file */
	uint64_t file_bytes; /* bytes in the file, all complete */
	int64_t oldest_ns;   /* monotonic time of the oldest unflushed record */
	int err;	     /* errno of the first failure, 0 if none */
};

static int64_t mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4); /* host order, as the magic says */
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static int fail(struct capture_writer *w, int e)
{
	if (!w->err)
		w->err = e ? e : EIO;
	return -1;
}

/* Bytes [0, n) of the buffer reached the file: count the complete records
 * among them and trim a partial one. */
static void account_short_write(struct capture_writer *w, size_t n, size_t start)
{
	size_t off = start, done = start;
	uint64_t recs = 0;
	while (off + REC_HDR <= w->used) {
		uint32_t caplen;
		memcpy(&caplen, w->buf + off + 8, 4);
		if (off + REC_HDR + caplen > n)
			break;
		off += REC_HDR + caplen;
		done = off;
		recs++;
	}
	w->records += recs;
	w->file_bytes += done;
	if (n > done && w->can_truncate && ftruncate(w->fd, (off_t)w->file_bytes) == 0)
		lseek(w->fd, (off_t)w->file_bytes, SEEK_SET);
}

/* START: bytes at the buffer's head that are not a record (the file header). */
static int flush_from(struct capture_writer *w, size_t start)
{
	size_t n = 0;
	while (n < w->used) {
		ssize_t k = write(w->fd, w->buf + n, w->used - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int e = k < 0 ? errno : ENOSPC;
			account_short_write(w, n, start);
			w->used = 0;
			w->buf_records = 0;
			return fail(w, e);
		}
		n += (size_t)k;
	}
	w->records += w->buf_records;
	w->file_bytes += w->used;
	w->used = 0;
	w->buf_records = 0;
	return 0;
}

int capture_writer_flush(struct capture_writer *w)
{
	if (w->err)
		return -1;
	return w->used ? flush_from(w, 0) : 0;
}

static int write_header(struct capture_writer *w, int dlt)
{
	uint8_t *h = w->buf;
	put32(h, w->nano ? PCAP_MAGIC_NS : PCAP_MAGIC_US);
	put16(h + 4, 2);
	put16(h + 6, 4);
	put32(h + 8, 0);
	put32(h + 12, 0);
	put32(h + 16, w->snaplen);
	put32(h + 20, (uint32_t)dlt);
	w->used = 24;
	int rc = flush_from(w, 24);
	w->file_bytes = rc == 0 ? 24 : 0;
	return rc;
}

static int open_fd(struct capture_writer *w, const char *path)
{
	if (strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
		w->own_fd = 0;
	} else {
		w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (w->fd < 0)
			return -1;
		w->own_fd = 1;
	}
	struct stat st;
	w->can_truncate = fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode);
	return 0;
}

int capture_writer_open(const char *path, const struct capture_writer_opts *o,
			struct capture_writer **out, char *err, size_t errlen)
{
	struct capture_writer *w = calloc(1, sizeof(*w));
	if (w) {
		w->path = strdup(path);
		w->buf = malloc(BUF_SIZE);
	}
	if (!w || !w->path || !w->buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		if (w) {
			free(w->path);
			free(w->buf);
		}
		free(w);
		return -1;
	}
	w->cap = BUF_SIZE;
	w->nano = o->nano;
	w->flush_each = o->flush_each;
	w->flush_at = o->flush_bytes && o->flush_bytes < BUF_SIZE ? o->flush_bytes : BUF_SIZE;
	w->snaplen = o->snaplen ? o->snaplen : 262144;
	if (open_fd(w, path) < 0 || write_header(w, o->dlt) < 0) {
		int e = w->err ? w->err : errno;
		snprintf(err, errlen, "%s: cannot %s: %s", path, w->fd >= 0 ? "write" : "create",
			 strerror(e));
		if (w->own_fd && w->fd >= 0)
			close(w->fd);
		free(w->path);
		free(w->buf);
		free(w);
		return -1;
	}
	*out = w;
	return 0;
}

int capture_writer_put(struct capture_writer *w, const struct capture_pkt *p)
{
	if (w->err)
		return -1;
	uint32_t caplen = p->caplen < w->snaplen ? p->caplen : w->snaplen;
	size_t need = REC_HDR + (size_t)caplen;
	if (w->used + need > w->cap && capture_writer_flush(w) < 0)
		return -1;
	if (need > w->cap) { /* cannot happen with snaplen <= 262144 */
		return fail(w, EMSGSIZE);
	}
	uint8_t *r = w->buf + w->used;
	uint32_t frac = w->nano ? p->ts_nsec : p->ts_nsec / 1000;
	put32(r, (uint32_t)p->ts_sec);
	put32(r + 4, frac);
	put32(r + 8, caplen);
	put32(r + 12, p->len);
	memcpy(r + REC_HDR, p->data, caplen);
	if (w->used == 0)
		w->oldest_ns = mono_ns();
	w->used += need;
	w->buf_records++;
	if (w->flush_each || w->used >= w->flush_at)
		return capture_writer_flush(w);
	return 0;
}

int capture_writer_tick(struct capture_writer *w)
{
	if (w->err || !w->used)
		return w->err ? -1 : 0;
	if (mono_ns() - w->oldest_ns < FLUSH_NS)
		return 0;
	return capture_writer_flush(w);
}

uint64_t capture_writer_records(const struct capture_writer *w)
{
	return w->records;
}

uint64_t capture_writer_bytes(const struct capture_writer *w)
{
	return w->file_bytes + w->used;
}

int capture_writer_error(const struct capture_writer *w)
{
	return w->err;
}

int capture_writer_close(struct capture_writer *w, char *err, size_t errlen)
{
	if (!w)
		return 0;
	capture_writer_flush(w);
	if (w->own_fd && close(w->fd) < 0)
		fail(w, errno);
	int rc = 0;
	if (w->err) {
		snprintf(err, errlen, "%s: write failed: %s", w->path, strerror(w->err));
		rc = -1;
	}
	free(w->path);
	free(w->buf);
	free(w);
	return rc;
}
