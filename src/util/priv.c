/* priv.c - see priv.h. */
#include "priv.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int priv_lookup(const char *user, struct priv_user *u, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(user);
	char *end;
	if (!pw) {
		errno = 0;
		unsigned long id = strtoul(user, &end, 10);
		if (*user && !*end && id < 0xffffffffUL)
			pw = getpwuid((uid_t)id);
	}
	if (!pw) {
		snprintf(err, errlen, "-Z: unknown user '%s'", user);
		return -1;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
	return 0;
}

static int last_cap(void)
{
	FILE *fp = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int n = 40;
	if (fp) {
		if (fscanf(fp, "%d", &n) != 1)
			n = 40;
		fclose(fp);
	}
	return n;
}

static int clear_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	return (int)syscall(SYS_capset, &h, d);
}

static int drop_bounding(void)
{
	int last = last_cap();
	for (int c = 0; c <= last; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	return 0;
}

int priv_drop(const struct priv_user *u, char *err, size_t errlen)
{
	/* the bounding set needs CAP_SETPCAP, so it goes first; without it
	 * (an unprivileged run) there is nothing in it to lose that matters */
	if (drop_bounding() < 0 && errno != EPERM) {
		snprintf(err, errlen, "cannot drop the bounding capabilities: %s", strerror(errno));
		return -1;
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (u) {
		if (initgroups(u->name, u->gid) < 0 && setgroups(1, &u->gid) < 0) {
			snprintf(err, errlen, "-Z %s: cannot set the groups: %s", u->name,
				 strerror(errno));
			return -1;
		}
		if (setresgid(u->gid, u->gid, u->gid) < 0 ||
		    setresuid(u->uid, u->uid, u->uid) < 0) {
			snprintf(err, errlen, "-Z %s: cannot switch user: %s", u->name,
				 strerror(errno));
			return -1;
		}
	}
	if (clear_caps() < 0) {
		snprintf(err, errlen, "cannot clear the capabilities: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	return 0;
}
