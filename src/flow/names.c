/* names.c - address to host name, asynchronously, for the curses view: a
 * fixed cache filled by one resolver thread, so that drawing never waits
 * for DNS.  See names.h. */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "flow/names.h"

#define SLOTS 4096

enum { EMPTY, PENDING, DONE };

struct slot {
	int state, family;
	uint8_t addr[16];
	char name[NI_MAXHOST];
};

struct flow_names {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	int stop, started;
	struct slot slots[SLOTS];
};

static unsigned hash(int family, const uint8_t *a)
{
	unsigned h = (unsigned)family * 2654435761u;
	for (int i = 0; i < 16; i++)
		h = (h ^ a[i]) * 16777619u;
	return h % SLOTS;
}

static void resolve(struct slot *s, char *out, size_t len)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t sl;
	if (s->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, s->addr, 4);
		sl = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, s->addr, 16);
		sl = sizeof(*in6);
	}
	if (getnameinfo((struct sockaddr *)&ss, sl, out, (socklen_t)len, NULL, 0, NI_NAMEREQD))
		out[0] = '\0';
}

static void *worker(void *opaque)
{
	struct flow_names *n = opaque;
	pthread_mutex_lock(&n->lock);
	while (!n->stop) {
		struct slot *todo = NULL;
		for (int i = 0; i < SLOTS && !todo; i++)
			if (n->slots[i].state == PENDING)
				todo = &n->slots[i];
		if (!todo) {
			pthread_cond_wait(&n->cond, &n->lock);
			continue;
		}
		struct slot copy = *todo;
		pthread_mutex_unlock(&n->lock);
		char name[NI_MAXHOST];
		resolve(&copy, name, sizeof(name));
		pthread_mutex_lock(&n->lock);
		/* the slot may have been taken by another address meanwhile */
		if (todo->state == PENDING && todo->family == copy.family &&
		    !memcmp(todo->addr, copy.addr, 16)) {
			strcpy(todo->name, name);
			todo->state = DONE;
		}
	}
	pthread_mutex_unlock(&n->lock);
	return NULL;
}

struct flow_names *flow_names_new(void)
{
	struct flow_names *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->cond, NULL);
	if (pthread_create(&n->thread, NULL, worker, n) == 0)
		n->started = 1;
	return n;
}

/* A resolver thread may be inside getnameinfo() for seconds (DNS
 * timeouts), which cannot be cancelled cleanly; quitting must not wait for
 * it, so its state is left to the thread and the process's exit. */
static struct flow_names *volatile abandoned;

void flow_names_free(struct flow_names *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	n->stop = 1;
	pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
	if (n->started) {
		pthread_detach(n->thread);
		abandoned = n; /* still reachable: the thread may use it */
		return;
	}
	pthread_mutex_destroy(&n->lock);
	pthread_cond_destroy(&n->cond);
	free(n);
}

int flow_names_get(struct flow_names *n, int family, const uint8_t *addr, char *buf, size_t len)
{
	uint8_t a[16] = {0};
	memcpy(a, addr, family == AF_INET ? 4 : 16);
	struct slot *s = &n->slots[hash(family, a)];
	int found = 0;
	pthread_mutex_lock(&n->lock);
	if (s->state != EMPTY && s->family == family && !memcmp(s->addr, a, 16)) {
		if (s->state == DONE && s->name[0]) {
			snprintf(buf, len, "%s", s->name);
			found = 1;
		}
	} else if (s->state != PENDING) {
		s->state = PENDING;
		s->family = family;
		memcpy(s->addr, a, 16);
		pthread_cond_signal(&n->cond);
	}
	pthread_mutex_unlock(&n->lock);
	return found;
}
