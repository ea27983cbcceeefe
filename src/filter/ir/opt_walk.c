/* opt_walk.c - skipping header walks whose results are known; see opt_walk.h.
 *
 * A forward data-flow problem over the keys of the walks in the program:
 * a key is available on entry to a block when every path there passes an
 * exit of that key after the last block that stores anything (a store could
 * change the slots the exit reads).  One pass in topological order is exact
 * because the graph is acyclic. */
#include "ir/opt_walk.h"

#include <stdint.h>
#include <stdlib.h>

enum { MAX_KEYS = 64 };

/* The bit for KEY in KEYS (adding it when there is room), or 0. */
static uint64_t key_bit(uint32_t *keys, int *nkeys, uint32_t key)
{
	for (int i = 0; i < *nkeys; i++)
		if (keys[i] == key)
			return 1ull << i;
	if (*nkeys == MAX_KEYS)
		return 0;
	keys[*nkeys] = key;
	return 1ull << (*nkeys)++;
}

static void redirect(struct ir *ir, struct ir_block **list, size_t n, struct ir_block *from,
		     struct ir_block *to)
{
	if (ir->root == from)
		ir->root = to;
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 2 && list[i]->op != IR_RET; s++)
			if (list[i]->succ[s] == from)
				list[i]->succ[s] = to;
}

int opt_walks(struct ir *ir)
{
	size_t nb = ir->nblocks;
	struct ir_block **list = malloc(nb * sizeof(*list));
	uint64_t *in = malloc(nb * sizeof(*in));
	unsigned char *seen = calloc(nb, 1);
	uint32_t keys[MAX_KEYS];
	int nkeys = 0, skipped = 0, any = 0;
	if (!list || !in || !seen) {
		skipped = -1;
		goto done;
	}
	size_t n = ir_order(ir, list);
	for (size_t i = 0; i < n; i++)
		any |= list[i]->walk_key != 0;
	if (!any)
		goto done;
	in[ir->root->id] = 0;
	seen[ir->root->id] = 1;
	for (size_t i = 0; i < n; i++) {
		struct ir_block *b = list[i];
		if (b->op == IR_RET)
			continue;
		uint64_t out = b->stmts ? 0 : in[b->id];
		if (b->walk_key && !b->walk_exit)
			out |= key_bit(keys, &nkeys, b->walk_key);
		for (int s = 0; s < 2; s++) {
			uint32_t t = b->succ[s]->id;
			in[t] = seen[t] ? in[t] & out : out;
			seen[t] = 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct ir_block *b = list[i];
		if (!b->walk_key || !b->walk_exit)
			continue;
		uint64_t bit = key_bit(keys, &nkeys, b->walk_key);
		if (bit && (in[b->id] & bit)) {
			redirect(ir, list, n, b, b->walk_exit);
			skipped++;
		}
	}
done:
	free(list);
	free(in);
	free(seen);
	return skipped;
}
