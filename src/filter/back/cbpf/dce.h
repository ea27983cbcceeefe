/*
 * dce.h - dead code in emitted classic BPF: instructions whose results
 * nothing reads afterwards, on any path, are removed (a scratch store never
 * loaded, the zeroing of a slot that every path stores before it reads, an
 * arithmetic result that is overwritten).  Instructions that can reject a
 * packet stay, whatever they compute: packet loads (out of bounds) and
 * divisions by X (zero), as do jumps and returns.
 *
 * Runs between emission and code sharing (share.h), on the same blocks.
 */
#ifndef BPFCAP_FILTER_DCE_H
#define BPFCAP_FILTER_DCE_H

#include <stddef.h>

#include "back/cbpf/layout.h"

/* CODE holds NBLOCKS blocks, block b at
 * CODE[FIRST[b] .. FIRST[b+1]), jumps naming later blocks.  Compacts CODE and
 * FIRST in place; returns the new instruction count.  LIVE is scratch room
 * for NBLOCKS masks. */
size_t dce_run(struct linsn *code, size_t *first, size_t nblocks, uint32_t *live);

#endif
