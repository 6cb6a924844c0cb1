#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-deps.sh: install every Debian package lguest needs to build and
# test, idempotently.  Each area lists its packages in tools/deps.d/*.list
# (whitespace-separated names; "#" starts a comment).  Nothing is done when
# everything is already installed, so "make check" can run this every time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

mapfile -t wanted < <(cat "$here"/deps.d/*.list | sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)

missing=()
for pkg in "${wanted[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#wanted[@]} packages installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'sudo make deps' (installing needs root)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# i386 packages (the 32-bit Guest's user space) need the architecture.
if printf '%s\n' "${missing[@]}" | grep -q ':i386$' &&
	! dpkg --print-foreign-architectures | grep -qx i386; then
	dpkg --add-architecture i386
fi
echo "deps: installing ${missing[*]}"
# A mirror caught mid-sync fails "apt-get update" for a minute or two:
# retry, and carry on with the lists we have if it keeps failing.
for try in 1 2 3; do
	apt-get update -qq && break
	echo "deps: apt-get update failed (try $try of 3)" >&2
	sleep $((try * 20))
done
for try in 1 2 3; do
	if apt-get install -y -qq --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null; then
		echo "deps: installed ${#missing[@]} packages"
		exit 0
	fi
	echo "deps: apt-get install failed (try $try of 3)" >&2
	sleep $((try * 20))
	apt-get update -qq || true
done
echo "deps: could not install: ${missing[*]}" >&2
exit 1
