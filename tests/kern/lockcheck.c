/*
 * lockcheck - is the packet socket of a running process locked?
 *
 *   lockcheck PID
 *
 * Takes a copy of each AF_PACKET socket of PID (pidfd_getfd, as root) and
 * tries to replace and to detach its filter.  SO_LOCK_FILTER is a property
 * of the socket, so both must fail with EPERM.  Exit 0 when every packet
 * socket found is locked, 1 when one is not (or none is found), 77 when the
 * kernel lacks pidfd_getfd.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static int check(int fd)
{
	struct sock_filter all = {BPF_RET | BPF_K, 0, 0, 0xffff};
	struct sock_fprog fp = {1, &all};
	int dummy = 0;
	int r1 = setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp));
	int e1 = errno;
	int r2 = setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof(dummy));
	int e2 = errno;
	printf("attach: %s, detach: %s\n", r1 ? strerror(e1) : "allowed",
	       r2 ? strerror(e2) : "allowed");
	return r1 < 0 && e1 == EPERM && r2 < 0 && e2 == EPERM;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	int pid = atoi(argv[1]);
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		perror("pidfd_open");
		return errno == ENOSYS ? 77 : 1;
	}
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	DIR *d = opendir(dir);
	if (!d)
		return 1;
	struct dirent *e;
	int found = 0, locked = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		int fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(e->d_name), 0);
		if (fd < 0)
			continue;
		int dom = 0;
		socklen_t len = sizeof(dom);
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len) == 0 && dom == AF_PACKET) {
			found++;
			locked += check(fd);
		}
		close(fd);
	}
	closedir(d);
	printf("%d packet socket(s), %d locked\n", found, locked);
	return found > 0 && locked == found ? 0 : 1;
}
