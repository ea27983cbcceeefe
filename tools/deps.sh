#!/bin/sh
# deps.sh - install the Debian 12 packages bpfcap builds and tests with
# (only what is missing; needs root).  xdp-tools is for bench/hook.sh only
# (xdpdump, the reference of the capture at XDP); hyperfine and time are
# for bench/run.sh's end-to-end timings.
set -e
pkgs="build-essential autoconf automake libtool pkg-config libpcap-dev libbpf-dev libelf-dev xdp-tools
libncurses-dev libcmocka-dev clang llvm libclang-rt-14-dev clang-format tcpdump iproute2 mandoc netbase tcpreplay
bpftool iputils-ping tmux libfixbuf-dev nfdump python3 hyperfine time"
missing=""
for p in $pkgs; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
