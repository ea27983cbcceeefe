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
[ $bad = 0 ] && echo "layering: ok"
exit $bad
