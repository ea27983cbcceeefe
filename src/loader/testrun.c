/* testrun.c - BPF_PROG_TEST_RUN on a frame; see loader.h. */
#include <errno.h>
#include <stdint.h>

#include <bpf/bpf.h>

#include "loader/loader.h"

int loader_test_run(int prog_fd, const void *data, size_t len, uint32_t repeat, uint32_t *retval,
		    uint32_t *ns_per_run)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = (uint32_t)len,
		    .repeat = repeat ? repeat : 1);
	if (bpf_prog_test_run_opts(prog_fd, &o) < 0)
		return -errno;
	if (retval)
		*retval = o.retval;
	if (ns_per_run)
		*ns_per_run = o.duration;
	return 0;
}
