/*
 * priv.h - giving up privileges once a capture is set up: -Z's user
 * switch, every capability cleared (effective, permitted, inheritable,
 * ambient and the bounding set) and no_new_privs.  Linux only; no library.
 */
#ifndef BPFCAP_PRIV_H
#define BPFCAP_PRIV_H

#include <stddef.h>
#include <sys/types.h>

struct priv_user {
	uid_t uid;
	gid_t gid;
	char name[64];
};

/* Look USER up (a name or a number); -1 with a message if unknown. */
int priv_lookup(const char *user, struct priv_user *u, char *err, size_t errlen);

/* Become U (NULL: stay who we are), then clear every capability and set
 * no_new_privs.  -1 with a message on any failure: the caller must stop. */
int priv_drop(const struct priv_user *u, char *err, size_t errlen);

#endif
