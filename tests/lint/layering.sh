#!/bin/sh
# layering.sh - the layer rule of DESIGN.md: src/filter includes nothing of
# ours outside src/filter; capture may include only filter's public header.
top=${top_srcdir:-$(dirname "$0")/../..}
bad=0
for f in "$top"/src/filter/*.[ch]; do
	if grep -nE '#include "(\.\./|capture/|util/|decode/|flow/|loader/)' "$f"; then
		echo "FAIL: $f includes something outside src/filter"; bad=1
	fi
done
for f in "$top"/src/capture/*.[ch]; do
	if grep -nE '#include "filter/' "$f" | grep -v 'filter/filter.h'; then
		echo "FAIL: $f includes a private header of src/filter"; bad=1
	fi
	if grep -nE '#include "(decode|flow)/' "$f"; then
		echo "FAIL: $f includes a sibling layer"; bad=1
	fi
done
# loader (L1): filter's public header, its own headers, xdp/ contracts
for f in "$top"/src/loader/*.[ch]; do
	if grep -nE '#include "(capture|decode|flow)/|#include "filter/' "$f" | grep -v 'filter/filter.h'; then
		echo "FAIL: $f includes something above src/loader or private to src/filter"; bad=1
	fi
done
# flow (L2): loader.h, xdp/ contracts, its own headers; curses only in view_curses.c
for f in "$top"/src/flow/*.[ch]; do
	if grep -nE '#include "(capture|decode|filter)/|#include "loader/' "$f" | grep -v 'loader/loader.h'; then
		echo "FAIL: $f includes a sibling layer or a private header of src/loader"; bad=1
	fi
	case $f in */view_curses.c) ;; *)
		if grep -nE '#include <n?curses' "$f"; then
			echo "FAIL: $f includes curses (only view_curses.c may)"; bad=1
		fi ;;
	esac
done
for f in "$top"/src/capture/*.[ch] "$top"/src/flow/*.[ch]; do
	if grep -nE '#include "xdp/.*\.skel\.h"' "$f"; then
		echo "FAIL: $f includes a skeleton (src/loader owns them)"; bad=1
	fi
done
[ $bad = 0 ] && echo "layering: ok"
exit $bad
