/* table.c - the order of the flows and the display filter; no I/O.
 * See flow.h. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"

static int by_u64(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b;
}

static int tie(const struct flow_rec *a, const struct flow_rec *b)
{
	return memcmp(&a->key, &b->key, sizeof(a->key));
}

static int cmp_bytes(const void *x, const void *y)
{
	const struct flow_rec *a = x, *b = y;
	int c = by_u64(a->bytes, b->bytes);
	return c ? c : tie(a, b);
}

static int cmp_packets(const void *x, const void *y)
{
	const struct flow_rec *a = x, *b = y;
	int c = by_u64(a->packets, b->packets);
	return c ? c : tie(a, b);
}

static int cmp_rate(const void *x, const void *y)
{
	const struct flow_rec *a = x, *b = y;
	int c = a->bps > b->bps ? -1 : a->bps < b->bps;
	return c ? c : cmp_bytes(x, y);
}

static int cmp_age(const void *x, const void *y)
{
	const struct flow_rec *a = x, *b = y;
	/* the oldest (smallest first seen) first */
	int c = a->first_ns < b->first_ns ? -1 : a->first_ns > b->first_ns;
	return c ? c : tie(a, b);
}

void flow_sort(struct flow_rec *recs, size_t n, enum flow_sort s)
{
	static int (*const cmp[])(const void *, const void *) = {
		[FLOW_SORT_BYTES] = cmp_bytes,
		[FLOW_SORT_PACKETS] = cmp_packets,
		[FLOW_SORT_RATE] = cmp_rate,
		[FLOW_SORT_AGE] = cmp_age,
	};
	if (n > 1 && (unsigned)s < sizeof(cmp) / sizeof(cmp[0]))
		qsort(recs, n, sizeof(*recs), cmp[s]);
}

int flow_match(const struct flow_rec *rec, const char *text)
{
	if (!text || !*text)
		return 1;
	const struct flow_key *k = &rec->key;
	uint8_t a[16];
	if (k->ethertype == 0x0800 && inet_pton(AF_INET, text, a) == 1)
		return !memcmp(k->src, a, 4) || !memcmp(k->dst, a, 4);
	if (k->ethertype == 0x86dd && inet_pton(AF_INET6, text, a) == 1)
		return !memcmp(k->src, a, 16) || !memcmp(k->dst, a, 16);
	char *end;
	unsigned long port = strtoul(text, &end, 10);
	if (!*end && end != text && port <= 65535) {
		int ports = k->l4proto == 6 || k->l4proto == 17 || k->l4proto == 132 ||
			    k->l4proto == 136;
		return ports && (k->sport == port || k->dport == port);
	}
	return 0;
}
