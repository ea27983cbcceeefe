/* postrotate.c - tcpdump's -z: a command run on each file a rotation closes,
 * in the background, at the lowest priority, so that it never holds up the
 * capture.  Children are not waited for: SIGCHLD is set not to leave
 * zombies (SA_NOCLDWAIT). */
#include "app.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

void postrotate_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

/* In the child: the signal state a freshly started command expects. */
static void reset_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE, SIGCHLD};
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* an inherited SIG_IGN (nohup) stays ignored, as it was for us */
		if (sigs[i] == SIGHUP && sigaction(SIGHUP, NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void postrotate_run(const char *command, const char *file)
{
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bpfcap: -z %s %s: cannot start it: %s\n", command, file,
			strerror(errno));
		return;
	}
	if (pid > 0)
		return;
	reset_signals();
	(void)setpriority(PRIO_PROCESS, 0, 19); /* not worth failing for */
	execlp(command, command, file, (char *)NULL);
	fprintf(stderr, "bpfcap: -z %s %s: %s\n", command, file, strerror(errno));
	_exit(127);
}
