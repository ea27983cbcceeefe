#!/bin/sh
# format.sh - the C sources follow .clang-format (clang-format 14, as on
# Debian 12).  Fix with: clang-format -i FILE.
top=${top_srcdir:-$(dirname "$0")/../..}
cf=$(command -v clang-format-14 || command -v clang-format) ||
	{ echo "SKIP: clang-format not installed (Debian: clang-format)"; exit 77; }
cd "$top" || exit 99
# every C file of ours, at any depth (generated skeletons excluded)
files=$(find src tests bench xdp -name '*.[ch]' ! -name '*.skel.h' 2>/dev/null | sort)
if ! "$cf" --dry-run -Werror $files 2>/tmp/format.$$; then
	head -40 /tmp/format.$$
	rm -f /tmp/format.$$
	echo "FAIL: not formatted as .clang-format says"
	exit 1
fi
rm -f /tmp/format.$$
echo "format: ok ($(echo "$files" | wc -w) files)"
