/* writer_test.c - the pcap writer and -w's rotation (src/capture/writer.c,
 * output.c): files read back by libpcap, the nanosecond magic, snap
 * length, a failing write trimmed to the last whole record with an exact
 * count, and tcpdump's file names for -C, -G and -W. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "capture/capture.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/bpfcap-wt.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static uint8_t frame[2000];

static struct capture_pkt pkt(uint32_t i, uint32_t caplen)
{
	for (uint32_t k = 0; k < caplen && k < sizeof(frame); k++)
		frame[k] = (uint8_t)(i + k);
	struct capture_pkt p = {1700000000 + i, 123456789, caplen, caplen + 10, frame, 0, -1};
	return p;
}

/* Read PATH back; returns the number of records, checks each one. */
static int read_back(const char *path, int nano, uint32_t caplen)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, eb);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), 1);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0, rc;
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		assert_int_equal(h->ts.tv_sec, 1700000000 + n);
		assert_int_equal(h->ts.tv_usec, nano ? 123456789 : 123456);
		assert_int_equal(h->caplen, caplen);
		assert_int_equal(h->len, caplen + 10);
		assert_int_equal(d[0], (uint8_t)n);
		n++;
	}
	assert_int_equal(rc, PCAP_ERROR_BREAK); /* a clean end, no torn record */
	pcap_close(p);
	return n;
}

static struct capture_writer *open_w(const char *path, int nano, uint32_t snaplen)
{
	struct capture_writer_opts o = {.dlt = 1, .snaplen = snaplen, .nano = nano};
	struct capture_writer *w = NULL;
	char err[256];
	assert_int_equal(capture_writer_open(path, &o, &w, err, sizeof(err)), 0);
	return w;
}

static void test_roundtrip(void **state)
{
	(void)state;
	for (int nano = 0; nano <= 1; nano++) {
		char path[128], err[256];
		path_of(path, sizeof(path), nano ? "ns.pcap" : "us.pcap");
		struct capture_writer *w = open_w(path, nano, 0);
		for (uint32_t i = 0; i < 100; i++) {
			struct capture_pkt p = pkt(i, 60);
			assert_int_equal(capture_writer_put(w, &p), 0);
		}
		assert_int_equal(capture_writer_flush(w), 0);
		assert_int_equal(capture_writer_records(w), 100);
		assert_int_equal(capture_writer_close(w, err, sizeof(err)), 0);
		assert_int_equal(read_back(path, nano, 60), 100);
	}
}

static void test_snaplen(void **state)
{
	(void)state;
	char path[128], err[256];
	path_of(path, sizeof(path), "snap.pcap");
	struct capture_writer *w = open_w(path, 0, 64);
	struct capture_pkt p = pkt(0, 1500);
	p.len = 74; /* read_back wants caplen + 10 */
	assert_int_equal(capture_writer_put(w, &p), 0);
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), 0);
	assert_int_equal(read_back(path, 0, 64), 1);
}

/* A file size limit makes write(2) short, then fail: the file must end at
 * the last whole record and the count must say exactly how many. */
static void test_short_write(void **state)
{
	(void)state;
	char path[128], err[256];
	path_of(path, sizeof(path), "short.pcap");
	struct capture_writer *w = open_w(path, 0, 0);
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 24 + 3 * (16 + 100) + 50; /* three and a half records */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	int failed = 0;
	for (uint32_t i = 0; i < 10; i++) {
		struct capture_pkt p = pkt(i, 100);
		failed |= capture_writer_put(w, &p) < 0;
	}
	failed |= capture_writer_flush(w) < 0;
	setrlimit(RLIMIT_FSIZE, &old);
	assert_true(failed);
	assert_int_equal(capture_writer_records(w), 3);
	struct capture_pkt p = pkt(11, 100);
	assert_int_equal(capture_writer_put(w, &p), -1); /* refuses after a failure */
	assert_int_equal(capture_writer_close(w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "write failed"));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 24 + 3 * (16 + 100));
	assert_int_equal(read_back(path, 0, 100), 3);
}

static void test_open_error(void **state)
{
	(void)state;
	struct capture_writer_opts o = {.dlt = 1};
	struct capture_writer *w = NULL;
	char err[256];
	assert_int_equal(capture_writer_open("/nonexistent/dir/x.pcap", &o, &w, err, sizeof(err)),
			 -1);
	assert_string_equal(err,
			    "/nonexistent/dir/x.pcap: cannot create: No such file or directory");
}

static void test_names(void **state)
{
	(void)state;
	/* tcpdump's getWflagChars: the digits of W-1 */
	assert_int_equal(capture_output_width(1), 0);
	assert_int_equal(capture_output_width(2), 1);
	assert_int_equal(capture_output_width(10), 1);
	assert_int_equal(capture_output_width(11), 2);
	assert_int_equal(capture_output_width(1000), 3);
	char b[64];
	assert_int_equal(capture_output_name(b, sizeof(b), "r", 0, 0, 0, 0), 0);
	assert_string_equal(b, "r");
	assert_int_equal(capture_output_name(b, sizeof(b), "r", 0, 0, 7, 0), 0);
	assert_string_equal(b, "r7");
	assert_int_equal(capture_output_name(b, sizeof(b), "r", 0, 0, 0, 2), 0);
	assert_string_equal(b, "r00");
	setenv("TZ", "UTC", 1);
	assert_int_equal(
		capture_output_name(b, sizeof(b), "t-%Y%m%d-%H%M.pcap", 1, 1796169600, 0, 0), 0);
	assert_string_equal(b, "t-20261202-0000.pcap");
	assert_int_equal(capture_output_name(b, 8, "a-much-longer-name", 0, 0, 3, 1), -1);
}

/* -C 1000 bytes, -W 3: names r0 r1 r2 wrapping; every packet counted. */
static void test_rotation(void **state)
{
	(void)state;
	char base[128], err[256];
	path_of(base, sizeof(base), "r");
	struct capture_output_opts o = {
		.path = base, .w = {.dlt = 1}, .rotate_bytes = 1000, .files = 3};
	struct capture_output *out;
	assert_int_equal(capture_output_open(&o, &out, err, sizeof(err)), 0);
	for (uint32_t i = 0; i < 40; i++) {
		struct capture_pkt p = pkt(i, 100);
		assert_int_equal(capture_output_put(out, &p, err, sizeof(err)), 0);
	}
	assert_int_equal(capture_output_flush(out, err, sizeof(err)), 0);
	assert_int_equal(capture_output_records(out), 40); /* in files, all of them */
	assert_int_equal(capture_output_close(out, err, sizeof(err)), 0);
	struct stat st;
	for (int i = 0; i < 3; i++) {
		char f[160];
		snprintf(f, sizeof(f), "%s%d", base, i);
		assert_int_equal(stat(f, &st), 0);
		/* rotated once the file is over 1000 bytes: at most one record more */
		assert_true(st.st_size <= 1000 + 116);
	}
	char f[160];
	snprintf(f, sizeof(f), "%s3", base);
	assert_int_not_equal(stat(f, &st), 0);
	assert_int_not_equal(stat(base, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),   cmocka_unit_test(test_snaplen),
		cmocka_unit_test(test_short_write), cmocka_unit_test(test_open_error),
		cmocka_unit_test(test_names),	    cmocka_unit_test(test_rotation),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
