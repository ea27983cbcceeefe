/*
 * output.c - -w with tcpdump's rotation (-C, -G, -W); see capture.h.
 *
 * Naming, as tcpdump 4.99: with -G the name goes through strftime(3) at the
 * time of the rotation; with -C and -W N, a counter of width digits(N-1) is
 * appended, starting at 0 and wrapping; with -C alone the first file has the
 * plain name and later ones 1, 2, ...; with -G and -W N (no -C), no counter,
 * and the capture stops after N files.  A file is closed, complete,
 * before the next one opens.
 */
#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct capture_output {
	struct capture_output_opts o;
	struct capture_writer *w;
	char name[4096];
	int width;	    /* counter digits, 0: none for the first -C file */
	unsigned long cnt;  /* -C counter */
	unsigned long gcnt; /* files opened by -G */
	time_t gtime;	    /* start of the current -G interval */
	uint64_t prior;	    /* records in files already closed */
};

int capture_output_width(unsigned long w)
{
	/* tcpdump's getWflagChars(): the digits of W-1, none for -W 1 */
	int c = 0;
	for (unsigned long x = w ? w - 1 : 0; x > 0; x /= 10)
		c++;
	return c;
}

int capture_output_name(char *buf, size_t len, const char *base, int use_time, time_t t,
			unsigned long cnt, int width)
{
	char tmp[4096];
	const char *name = base;
	if (use_time) {
		struct tm tm;
		localtime_r(&t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		size_t n = strftime(tmp, sizeof(tmp), base, &tm); /* the user's -w name */
#pragma GCC diagnostic pop
		if (n == 0 && *base)
			return -1;
		name = tmp;
	}
	int n = cnt == 0 && width == 0 ? snprintf(buf, len, "%s", name)
				       : snprintf(buf, len, "%s%0*lu", name, width, cnt);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int open_current(struct capture_output *out, char *err, size_t errlen)
{
	int rotating = out->o.rotate_bytes || out->o.rotate_secs;
	if (rotating &&
	    capture_output_name(out->name, sizeof(out->name), out->o.path, out->o.rotate_secs != 0,
				out->gtime, out->cnt, out->width) < 0) {
		snprintf(err, errlen, "%s: the file name is too long", out->o.path);
		return -1;
	} else if (!rotating) {
		snprintf(out->name, sizeof(out->name), "%s", out->o.path);
	}
	return capture_writer_open(out->name, &out->o.w, &out->w, err, errlen);
}

int capture_output_open(const struct capture_output_opts *o, struct capture_output **res, char *err,
			size_t errlen)
{
	struct capture_output *out = calloc(1, sizeof(*out));
	if (!out) {
		snprintf(err, errlen, "%s: out of memory", o->path);
		return -1;
	}
	out->o = *o;
	/* tcpdump numbers files only for -C: -G -W names are the strftime ones */
	out->width = o->files && o->rotate_bytes ? capture_output_width(o->files) : 0;
	out->gtime = time(NULL);
	if (open_current(out, err, errlen) < 0) {
		free(out);
		return -1;
	}
	*res = out;
	return 0;
}

static int close_current(struct capture_output *out, char *err, size_t errlen)
{
	capture_writer_flush(out->w);
	uint64_t n = capture_writer_records(out->w);
	int rc = capture_writer_close(out->w, err, errlen);
	out->w = NULL;
	out->prior += n;
	return rc;
}

/* RC of a writer call: -1 becomes the message for people. */
static int write_result(struct capture_output *out, int rc, char *err, size_t errlen)
{
	if (rc < 0)
		snprintf(err, errlen, "%s: write failed: %s", out->name,
			 strerror(capture_writer_error(out->w)));
	return rc < 0 ? -1 : 0;
}

/* 1: the -G -W limit is reached (stop), 0: go on, -1: error. */
static int rotate(struct capture_output *out, int by_time, time_t now, char *err, size_t errlen)
{
	if (close_current(out, err, errlen) < 0)
		return -1;
	if (out->o.rotated)
		out->o.rotated(out->o.opaque, out->name);
	if (by_time) {
		out->gtime = now;
		if (out->o.files && ++out->gcnt >= out->o.files)
			return 1;
		out->cnt = 0;
	} else {
		out->cnt++;
		if (out->o.files && out->cnt >= out->o.files)
			out->cnt = 0;
	}
	return open_current(out, err, errlen) < 0 ? -1 : 0;
}

int capture_output_put(struct capture_output *out, const struct capture_pkt *p, char *err,
		       size_t errlen)
{
	if (!out->w) {
		snprintf(err, errlen, "%s: the output is closed", out->o.path);
		return -1;
	}
	if (out->o.rotate_secs) {
		time_t now = time(NULL);
		if (now - out->gtime >= (time_t)out->o.rotate_secs) {
			int rc = rotate(out, 1, now, err, errlen);
			if (rc)
				return rc;
		}
	}
	if (out->o.rotate_bytes && capture_writer_bytes(out->w) > out->o.rotate_bytes) {
		int rc = rotate(out, 0, 0, err, errlen);
		if (rc)
			return rc;
	}
	return write_result(out, capture_writer_put(out->w, p), err, errlen);
}

int capture_output_tick(struct capture_output *out, char *err, size_t errlen)
{
	return out->w ? write_result(out, capture_writer_tick(out->w), err, errlen) : 0;
}

int capture_output_flush(struct capture_output *out, char *err, size_t errlen)
{
	return out->w ? write_result(out, capture_writer_flush(out->w), err, errlen) : 0;
}

uint64_t capture_output_records(const struct capture_output *out)
{
	return out->prior + (out->w ? capture_writer_records(out->w) : 0);
}

int capture_output_close(struct capture_output *out, char *err, size_t errlen)
{
	if (!out)
		return 0;
	int rc = out->w ? close_current(out, err, errlen) : 0;
	free(out);
	return rc;
}
