/* maps.c - the flow map and the statistics array, read with batch
 * operations and summed over the CPUs; see flow.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "flow/flow.h"

struct flow_reader {
	int map_fd, stats_fd, ncpus;
	uint32_t max;
	struct flow_key *keys;
	struct flow_value *vals; /* max * ncpus */
	struct flow_rec *recs;
};

int flow_reader_new(int map_fd, int stats_fd, uint32_t max_entries, struct flow_reader **out)
{
	struct flow_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->map_fd = map_fd;
	r->stats_fd = stats_fd;
	r->max = max_entries;
	r->ncpus = libbpf_num_possible_cpus();
	if (r->ncpus <= 0) {
		int rc = r->ncpus < 0 ? r->ncpus : -EINVAL;
		free(r);
		return rc;
	}
	r->keys = calloc(max_entries, sizeof(*r->keys));
	r->vals = calloc((size_t)max_entries * (size_t)r->ncpus, sizeof(*r->vals));
	r->recs = calloc(max_entries, sizeof(*r->recs));
	if (!r->keys || !r->vals || !r->recs) {
		flow_reader_free(r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

void flow_reader_free(struct flow_reader *r)
{
	if (!r)
		return;
	free(r->keys);
	free(r->vals);
	free(r->recs);
	free(r);
}

/* The CPUs' values of one flow, summed. */
static void sum(struct flow_rec *rec, const struct flow_key *k, const struct flow_value *v,
		int ncpus)
{
	memset(rec, 0, sizeof(*rec));
	rec->key = *k;
	for (int c = 0; c < ncpus; c++) {
		rec->packets += v[c].packets;
		rec->bytes += v[c].bytes;
		rec->tcp_flags |= v[c].tcp_flags;
		if (v[c].first_ns && (!rec->first_ns || v[c].first_ns < rec->first_ns))
			rec->first_ns = v[c].first_ns;
		if (v[c].last_ns > rec->last_ns)
			rec->last_ns = v[c].last_ns;
	}
}

int flow_reader_read(struct flow_reader *r, struct flow_rec **recs, size_t *n)
{
	/* the hash map's batch position is a bucket number */
	uint64_t in = 0, out = 0;
	int first = 1;
	size_t got = 0;
	for (;;) {
		__u32 count = r->max - (uint32_t)got;
		if (!count)
			break;
		LIBBPF_OPTS(bpf_map_batch_opts, o);
		int rc = bpf_map_lookup_batch(r->map_fd, first ? NULL : &in, &out, r->keys + got,
					      r->vals + got * (size_t)r->ncpus, &count, &o);
		int e = rc < 0 ? errno : 0;
		got += count;
		/* ENOSPC: a bucket holds more flows than there is room left,
		 * which flows created during the walk can cause: the rest is
		 * read next time */
		if (e == ENOENT || (e == ENOSPC && got))
			break;
		if (e)
			return -e;
		in = out;
		first = 0;
	}
	for (size_t i = 0; i < got; i++)
		sum(&r->recs[i], &r->keys[i], r->vals + i * (size_t)r->ncpus, r->ncpus);
	*recs = r->recs;
	*n = got;
	return 0;
}

int flow_reader_stats(struct flow_reader *r, uint64_t out[FLOW_STAT_MAX])
{
	uint64_t v[r->ncpus];
	for (uint32_t i = 0; i < FLOW_STAT_MAX; i++) {
		if (bpf_map_lookup_elem(r->stats_fd, &i, v) < 0)
			return -errno;
		out[i] = 0;
		for (int c = 0; c < r->ncpus; c++)
			out[i] += v[c];
	}
	return 0;
}

int flow_reader_take(struct flow_reader *r, const struct flow_key *k, struct flow_rec *rec)
{
	struct flow_value v[r->ncpus];
	if (bpf_map_lookup_and_delete_elem(r->map_fd, k, v) < 0)
		return -errno;
	sum(rec, k, v, r->ncpus);
	return 0;
}
