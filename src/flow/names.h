/* names.h - private to src/flow: asynchronous reverse lookups for the
 * curses view.  flow_names_get() never blocks on the network: it answers
 * from the cache or queues the address for the resolver thread. */
#ifndef BPFCAP_FLOW_NAMES_H
#define BPFCAP_FLOW_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct flow_names;

struct flow_names *flow_names_new(void);
void flow_names_free(struct flow_names *n);
/* 1 and the name in BUF when known; 0 (and the lookup queued) otherwise.
 * FAMILY is AF_INET or AF_INET6. */
int flow_names_get(struct flow_names *n, int family, const uint8_t *addr, char *buf, size_t len);

#endif
