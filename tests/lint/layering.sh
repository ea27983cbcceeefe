#!/bin/sh
# layering.sh - the layer rule of DESIGN.md, read off the #include lines.
#
# Between the program's folders: src/filter and src/util include nothing of
# ours outside themselves; loader may use filter's public header and util;
# capture, decode and flow sit above it and never include each other; only
# main (src/*.c) wires them.  Outside a folder only its public header may be
# included.
#
# Inside the compiler, the folders are its pipeline and includes go one
# way: front (lexer, parser, AST, names) and ir (the IR and its passes) stand
# on base (arena, diagnostics) alone; gen (AST -> IR) reads front and ir; a
# backend under back/ reads only ir and itself; ctx.c, the driver, joins
# them.  Includes there name the folder ("gen/l3.h"), and the include graph
# of src/filter has no cycle (tsort finds one).
top=${top_srcdir:-$(dirname "$0")/../..}
bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}
# includes FILE: the quoted includes of FILE, one per line
includes() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"; }

# -- inside src/filter ------------------------------------------------------
f_allowed() { # FOLDER (relative to src/filter; "." for the driver)
	case $1 in
	.) echo "base front gen ir back" ;;
	base) echo "base" ;;
	front) echo "base front" ;;
	ir) echo "base ir" ;;
	gen) echo "base front ir gen" ;;
	back/*) echo "base ir $1" ;;
	*) echo "" ;;
	esac
}
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in $(cd "$top/src/filter" && find . -name '*.[ch]' | sed 's|^\./||' | sort); do
	dir=$(dirname "$f")
	allowed=$(f_allowed "$dir")
	[ -n "$allowed" ] || fail "src/filter/$f: folder '$dir' has no place in the layer rule"
	for inc in $(includes "$top/src/filter/$f"); do
		[ "$inc" = filter.h ] && continue
		[ "$inc" = config.h ] && continue
		case $inc in
		../* | capture/* | util/* | decode/* | flow/* | loader/*)
			fail "src/filter/$f includes $inc, outside the compiler"
			continue
			;;
		esac
		[ -f "$top/src/filter/$inc" ] ||
			fail "src/filter/$f includes \"$inc\": name it from src/filter (\"gen/l3.h\")"
		ok=0
		for a in $allowed; do
			case $inc in "$a"/*) ok=1 ;; esac
		done
		# the driver's own header, beside it
		[ "$dir" = . ] && [ "${inc#*/}" = "$inc" ] && ok=1
		[ $ok = 1 ] || fail "src/filter/$f ($dir) includes $inc: against the pipeline's direction"
		# one node per module: x.c and x.h are the same
		echo "${f%.*} ${inc%.*}" >>"$edges"
	done
done
# a module including its own header is not a cycle
if ! awk '$1 != $2' "$edges" | tsort >/dev/null 2>"$edges.err"; then
	fail "the includes of src/filter form a cycle:"
	sed 's/^/  /' "$edges.err"
fi
rm -f "$edges.err"

# -- between the program's folders -----------------------------------------
# check FOLDER PATTERN...: files in src/FOLDER include, of ours, only
# headers of their own folder and those matching a PATTERN
check() {
	folder=$1
	shift
	[ -d "$top/src/$folder" ] || return 0
	for f in "$top/src/$folder"/*.[ch]; do
		[ -e "$f" ] || continue
		for inc in $(includes "$f"); do
			case $inc in */*) ;; *) continue ;; esac # its own folder's, by bare name
			case $inc in "$folder"/*) continue ;; esac
			ok=0
			for a in "$@"; do
				# shellcheck disable=SC2254 # the patterns are globs
				case $inc in $a) ok=1 ;; esac
			done
			[ $ok = 1 ] || fail "src/$folder/${f##*/} includes $inc (allowed: $*)"
		done
	done
}
check util
check loader filter/filter.h 'util/*' 'xdp/*'
check capture filter/filter.h loader/loader.h 'util/*' 'xdp/*'
check decode 'util/*'
check flow loader/loader.h 'util/*' 'xdp/flow.h'
# skeletons belong to the loader; curses to the flow view alone
for f in "$top"/src/*.[ch] "$top"/src/*/*.[ch]; do
	case $f in */src/loader/*) ;; *)
		grep -q '#include "xdp/.*\.skel\.h"' "$f" && fail "${f#"$top"/}: includes a skeleton (src/loader owns them)" ;;
	esac
	case $f in */src/flow/view_curses.c) ;; *)
		grep -qE '#include <n?curses' "$f" && fail "${f#"$top"/}: includes curses (only src/flow/view_curses.c may)" ;;
	esac
done
[ $bad = 0 ] && echo "layering: ok"
exit $bad
