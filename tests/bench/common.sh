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

# Extra options for every apt command below: empty for this machine's own
# apt, or what apt_private sets (with APT_DIR, its directory).
APT_OPTS=()
APT_DIR=

# apt_get, apt_cache: apt-get and apt-cache with APT_OPTS.
apt_get() {
	apt-get ${APT_OPTS[@]+"${APT_OPTS[@]}"} "$@"
}

apt_cache() {
	apt-cache ${APT_OPTS[@]+"${APT_OPTS[@]}"} "$@"
}

# apt_private SUITE: point the apt commands below at Debian suite SUITE
# alone, through an apt configuration of its own in the cache (sources,
# lists, status and download cache), so a release this machine does not
# run (trixie, trixie-backports) can be looked up and downloaded without
# touching /etc/apt.  The lists are refreshed when older than a day.
apt_private() {
	local suite=$1 a mirror
	a=$LGUEST_CACHE/apt/$suite
	mkdir -p "$a/lists/partial" "$a/archives/partial" "$a/parts" "$a/prefs"
	if [ ! -f "$a/sources.list" ]; then
		mirror=$(. "$TOP/tests/rootfs/apt-mirror.sh" && mirror_from_apt bookworm | head -1)
		mirror=${LGUEST_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
			>"$a/sources.list.tmp"
		mv "$a/sources.list.tmp" "$a/sources.list"
	fi
	[ -f "$a/status" ] || : >"$a/status"
	APT_DIR=$a
	APT_OPTS=(-o "Dir::Etc::SourceList=$a/sources.list"
		-o "Dir::Etc::SourceParts=$a/parts"
		-o "Dir::Etc::Preferences=$a/prefs/none"
		-o "Dir::Etc::PreferencesParts=$a/prefs"
		-o "Dir::State::Lists=$a/lists"
		-o "Dir::State::status=$a/status"
		-o "Dir::Cache=$a"
		-o "Dir::Cache::Archives=$a/archives"
		-o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
		-o APT::Architecture=amd64 -o APT::Architectures=amd64)
	(
		exec 8>"$a/lock"
		flock 8
		if [ -z "$(find "$a/updated" -mtime -1 2>/dev/null)" ]; then
			if apt_get update -qq >"$a/update.log" 2>&1; then
				touch "$a/updated"
			elif [ -e "$a/updated" ]; then
				# Offline, or the mirror is down: the last lists will do.
				note "apt-get update for $suite failed; using its lists of $(date -r "$a/updated" +%F)"
			else
				die "apt-get update for $suite failed: $(tail -1 "$a/update.log")"
			fi
		fi
	)
}

# apt_download DIR PKG...: download .debs into DIR (apt's sandbox user may
# not write there, which only costs a warning).
apt_download() {
	local dir=$1
	shift
	# A stale package list names versions the mirror no longer has:
	# refresh it once and try again.
	(cd "$dir" && apt_get download "$@" >"$dir/apt.log" 2>&1) ||
		{ apt_get update -qq >&2 && (cd "$dir" && apt_get download "$@" >"$dir/apt.log" 2>&1); } ||
		die "apt-get download $* failed: $(tail -1 "$dir/apt.log")"
}

# pkg_dep PKG [REGEX]: the first package PKG depends on (how Debian's meta
# packages such as linux-image-amd64 name the real, versioned one), or the
# first whose name matches REGEX.
pkg_dep() {
	apt_cache depends "$1" 2>/dev/null |
		awk -v re="${2:-.}" '$1 == "Depends:" && $2 ~ re { print $2; exit }'
}

# apt_stamp: a checksum of everything apt's answers depend on, the names
# and times of its package lists and of its configuration.  While it stays
# the same, a question asked of apt gets the answer it got before.
apt_stamp() {
	local lists=/var/lib/apt/lists etc=/etc/apt
	[ -z "$APT_DIR" ] || { lists=$APT_DIR/lists; etc=$APT_DIR/sources.list; }
	find "$lists" "$etc" -maxdepth 2 -printf '%p %T@ %s\n' 2>/dev/null |
		sort | cksum | cut -d' ' -f1
}

# pkg_version PKG: the candidate version apt would install.
pkg_version() {
	apt_cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2; exit }'
}
