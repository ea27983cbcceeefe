/* opt.c - the optimizer; see opt.h. */
#include "opt.h"

int opt_run(struct ir *ir)
{
	(void)ir;
	return 0;
}
