#!/bin/sh
# man.sh - the man pages pass mandoc's lint, and every option the program
# takes (src/options.c) is documented in bpfcap.8, and nothing more.
top=${top_srcdir:-$(dirname "$0")/../..}
command -v mandoc >/dev/null || { echo "SKIP: mandoc not installed (Debian: mandoc)"; exit 77; }
cd "$top" || exit 99
bad=0
mandoc -Tlint -W warning man/bpfcap.8 man/bpfcap-filter.7 || bad=1
# short options from the getopt string, long ones from the option table
shorts=$(sed -n 's/.*getopt_long(argc, argv, "+\([^"]*\)".*/\1/p' src/options.c | tr -d ':')
longs=$(sed -n 's/^[[:space:]]*{"\([a-z-]*\)", [a-z_]*_argument.*/\1/p' src/options.c)
[ -n "$shorts" ] && [ -n "$longs" ] || { echo "FAIL: cannot read the options of src/options.c"; exit 1; }
documented=$(grep '^\.It Fl' man/bpfcap.8 | grep -o 'Fl [^ ]*' | awk '{print $2}' | sed 's/^\\-/-/')
for o in $(echo "$shorts" | sed 's/./& /g'); do
	echo "$documented" | grep -qx -- "$o" || { echo "FAIL: -$o is not documented in bpfcap.8"; bad=1; }
done
for o in $longs; do
	echo "$documented" | grep -qx -- "-$o" || { echo "FAIL: --$o is not documented in bpfcap.8"; bad=1; }
done
for d in $documented; do
	case $d in
	-*) echo "$longs" | grep -qx -- "${d#-}" ;;
	dd | ddd) true ;;
	*) echo "$shorts" | grep -q -- "$d" ;;
	esac || { echo "FAIL: bpfcap.8 documents $d, which bpfcap does not take"; bad=1; }
done
[ $bad = 0 ] && echo "man: ok"
exit $bad
