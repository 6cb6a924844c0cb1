# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for the lguest test bench.  Source, don't run.

# Everything big lives outside the checkout, keyed by version, so a re-run
# (or a second clone) reuses it and a fresh machine rebuilds it from nothing.
LGUEST_CACHE=${LGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lguest}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${LGUEST_BUILD:-$TOP/build}

die() {
	echo "bench: $*" >&2
	exit 1
}

note() {
	echo "bench: $*" >&2
}

# cache_lock NAME: hold a lock in the cache until this script exits, so two
# concurrent runs never fill the same cache entry at once.
cache_lock() {
	mkdir -p "$LGUEST_CACHE/locks"
	exec 9>"$LGUEST_CACHE/locks/$1"
	flock 9
}

# apt_download DIR PKG...: download .debs into DIR (apt's sandbox user may
# not write there, which only costs a warning).
apt_download() {
	local dir=$1
	shift
	# A stale package list names versions the mirror no longer has:
	# refresh it once and try again.
	(cd "$dir" && apt-get download "$@" >"$dir/apt.log" 2>&1) ||
		{ apt-get update -qq >&2 && (cd "$dir" && apt-get download "$@" >"$dir/apt.log" 2>&1); } ||
		die "apt-get download $* failed: $(tail -1 "$dir/apt.log")"
}

# pkg_dep PKG: the first package PKG depends on (how Debian's meta packages
# such as linux-image-amd64 name the real, versioned one).
pkg_dep() {
	apt-cache depends "$1" 2>/dev/null | awk '$1 == "Depends:" { print $2; exit }'
}

# pkg_version PKG: the candidate version apt would install.
pkg_version() {
	apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2; exit }'
}
