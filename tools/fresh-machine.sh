#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fresh-machine.sh [--cold] [COMMAND]: run COMMAND (default: CI's own
# "bash .ci/run", with CI=true) in a clean clone of this checkout's HEAD on
# a new Debian 12 machine: a chroot of debootstrap --variant=minbase
# bookworm plus make (tests/fresh-machine/chroot.sh).  Needs root.
#
#   --cold   share nothing with this machine: no apt .debs, an empty
#            LGUEST_CACHE, so every Host kernel, the Guest kernel and the
#            Debian image are fetched and built from nothing.  This is the
#            check that make check fits CI's time on a new machine.
#
# The chroot lives in build/fresh-machine-run/ and is removed afterwards
# (FRESH_KEEP=1 keeps it); its output is COMMAND's, followed by the time
# it took.  Exits with COMMAND's status.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/fresh-machine/chroot.sh"
cold=
if [ "${1:-}" = --cold ]; then
	cold=--cold
	shift
fi
cmd=${1:-CI=true bash .ci/run}
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root" >&2; exit 2; }
fresh_base || exit 1
start=$(date +%s)
fresh_enter "$TOP" "$TOP/build/fresh-machine-run" "$cmd" $cold
rc=$?
secs=$(($(date +%s) - start))
echo "fresh-machine: '$cmd' exited $rc after $((secs / 60)) min $((secs % 60)) s${cold:+ (cold)}"
exit $rc
