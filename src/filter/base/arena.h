/*
 * arena.h - the bump allocator a compile context owns.
 *
 * Everything the compiler builds for one compile (tokens, AST, IR) lives in
 * the context's arena and is released in one call.  Allocation failure
 * returns NULL; callers turn it into a FILTER_ERR_NOMEM diagnostic.
 */
#ifndef BPFCAP_FILTER_ARENA_H
#define BPFCAP_FILTER_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;  /* bytes handed out, for limits */
	size_t limit; /* 0: none */
};

void arena_init(struct arena *a, size_t limit);
/* Zeroed memory aligned for any object, or NULL. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_memdup(struct arena *a, const void *src, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_release(struct arena *a);

#endif
