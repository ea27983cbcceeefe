/* rates.c - deltas between two reads, rates, idle flows, totals; no I/O.
 * See flow.h. */
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"

static int cmp_key(const void *a, const void *b)
{
	return memcmp(&((const struct flow_rec *)a)->key, &((const struct flow_rec *)b)->key,
		      sizeof(struct flow_key));
}

size_t flow_sort_by_key(struct flow_rec *recs, size_t n)
{
	if (n < 2)
		return n;
	qsort(recs, n, sizeof(*recs), cmp_key);
	/* a walk of the map while flows are evicted and created can meet one
	 * twice; keep the first */
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (cmp_key(&recs[k - 1], &recs[i]))
			recs[k++] = recs[i];
	return k;
}

static uint64_t delta(uint64_t now, uint64_t before)
{
	/* a flow evicted and created again counts from its new start */
	return now >= before ? now - before : now;
}

void flow_rates(const struct flow_rec *prev, size_t nprev, struct flow_rec *cur, size_t n,
		double secs)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		struct flow_rec *c = &cur[i];
		int d = 1;
		while (j < nprev && (d = memcmp(&prev[j].key, &c->key, sizeof(c->key))) < 0)
			j++;
		if (j < nprev && d == 0) {
			c->dpackets = delta(c->packets, prev[j].packets);
			c->dbytes = delta(c->bytes, prev[j].bytes);
		} else {
			c->dpackets = c->packets;
			c->dbytes = c->bytes;
		}
		c->pps = secs > 0 ? (double)c->dpackets / secs : 0;
		c->bps = secs > 0 ? (double)c->dbytes * 8 / secs : 0;
	}
}

int flow_is_idle(const struct flow_rec *rec, uint64_t now_ns, uint64_t idle_ns)
{
	return now_ns > rec->last_ns && now_ns - rec->last_ns > idle_ns;
}

void flow_totals_set(struct flow_totals *t, const uint64_t s[FLOW_STAT_MAX], const uint64_t *prev_s,
		     double secs, size_t live, uint64_t expired)
{
	memset(t, 0, sizeof(*t));
	t->packets = s[FLOW_STAT_PACKETS];
	t->bytes = s[FLOW_STAT_BYTES];
	t->inserts = s[FLOW_STAT_INSERTS];
	t->insert_failed = s[FLOW_STAT_INSERT_FAILED];
	t->flows = live;
	t->expired = expired;
	uint64_t gone = (uint64_t)live + expired;
	t->evictions = t->inserts > gone ? t->inserts - gone : 0;
	if (prev_s && secs > 0) {
		t->pps = (double)delta(t->packets, prev_s[FLOW_STAT_PACKETS]) / secs;
		t->bps = (double)delta(t->bytes, prev_s[FLOW_STAT_BYTES]) * 8 / secs;
	}
}
