#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# trixie-machine.sh DEBS ARCHIVES KREL...: the user's packaging story on a
# Debian 13
# machine, run as root inside a writable trixie environment
# (tools/trixie-buildenv.sh -w): install lguest-dkms and lguest-launcher
# from DEBS (with their .changes), then the headers of each KREL (trixie's
# and trixie-backports' kernels), and check that DKMS built and installed
# the module for each, that the lguest user and lguest@.service are there
# (and systemd-analyze verify takes the unit), that trixie's lintian finds
# nothing, and that a purge leaves nothing behind.  One PASS/FAIL line per
# check.
#
# Packages apt downloads are kept in ARCHIVES (a directory in the cache,
# bound by the caller), so a second run needs the network only for apt's
# package lists.
set -uo pipefail
debs=$1
archives=$2
shift 2
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$archives/partial"
apt=(apt-get -y -q -o "Dir::Cache::Archives=$archives")
. "$(dirname "$0")/../lib.sh"

# The backports suite beside the release, from the same mirror.
sed 's/ trixie / trixie-backports /' /etc/apt/sources.list \
	>/etc/apt/sources.list.d/backports.list
if ! "${apt[@]}" update >"$debs/update.log" 2>&1; then
	fail trixie-apt-update "$(tail -1 "$debs/update.log")"
	exit 0
fi

start=$(date +%s)
if "${apt[@]}" install "$debs"/lguest-dkms_*_all.deb "$debs"/lguest-launcher_*_amd64.deb \
	>"$debs/install.log" 2>&1; then
	pass trixie-deb-install "apt-get install lguest-dkms lguest-launcher in $(($(date +%s) - start)) s"
else
	fail trixie-deb-install "$(tail -1 "$debs/install.log")"
	exit 0
fi

# The user lguest@.service runs Guests as, made by the launcher package.
pw=$(getent passwd lguest)
IFS=: read -r _ _ uid gid _ home _ <<<"$pw"
st=$(stat -c '%U:%G %a' /var/lib/lguest 2>/dev/null)
if [ -n "$pw" ] && [ "$uid" -lt 1000 ] && [ "$gid" = "$(getent group lguest | cut -d: -f3)" ] &&
	[ "$home" = /var/lib/lguest ] && [ "$st" = "lguest:lguest 750" ] && [ -d /etc/lguest ] &&
	[ -f /usr/lib/systemd/system/lguest@.service ]; then
	pass trixie-service-user "$pw, /var/lib/lguest $st, lguest@.service"
else
	fail trixie-service-user "user '${pw:-none}', /var/lib/lguest '${st:-missing}', /etc/lguest or lguest@.service missing"
fi

# What a user does next: the headers of the kernels they run.  Their
# install hook has DKMS build the module for each.
headers=()
for krel in "$@"; do
	headers+=("linux-headers-$krel")
done
start=$(date +%s)
if "${apt[@]}" install "${headers[@]}" >"$debs/headers.log" 2>&1; then
	pass trixie-headers-install "${headers[*]} in $(($(date +%s) - start)) s"
else
	fail trixie-headers-install "$(tail -1 "$debs/headers.log")"
fi
for krel in "$@"; do
	st=$(dkms status -m lguest -k "$krel" 2>/dev/null)
	ko=$(find "/lib/modules/$krel/updates" -name 'lguest.ko*' 2>/dev/null | head -1)
	if grep -q ': installed' <<<"$st" && [ -n "$ko" ]; then
		pass "trixie-dkms-installed-${krel%-amd64}" "$(dkms --version): $st, $ko"
	else
		fail "trixie-dkms-installed-${krel%-amd64}" "dkms status '${st:-nothing}', module '${ko:-none}'"
	fi
done

# Debian 13's lintian is stricter than 12's (files under /lib, for one),
# and so is its systemd-analyze verify (the man page is checked on the
# Debian 12 machine: this one has no man-db).
"${apt[@]}" install --no-install-recommends lintian systemd >"$debs/lintian-install.log" 2>&1
if ! command -v systemd-analyze >/dev/null; then
	fail trixie-service-verify "systemd did not install: $(tail -1 "$debs/lintian-install.log")"
elif out=$(systemd-analyze verify --man=no lguest@demo.service 2>&1) && [ -z "$out" ]; then
	pass trixie-service-verify "$(systemd-analyze --version | head -1)"
else
	fail trixie-service-verify "systemd-analyze verify lguest@demo.service: '$out'"
fi
if ! command -v lintian >/dev/null; then
	fail trixie-lintian "lintian did not install: $(tail -1 "$debs/lintian-install.log")"
elif lintian --fail-on error,warning --display-level '>=warning' "$debs"/*.changes \
	>"$debs/lintian.log" 2>&1 && ! grep -qE '^[EW]: ' "$debs/lintian.log"; then
	pass trixie-lintian "$(lintian --version)"
else
	fail trixie-lintian "$(grep -E '^[EW]: ' "$debs/lintian.log" | head -5 | tr '\n' ' ')"
fi

"${apt[@]}" purge lguest-dkms lguest-launcher >"$debs/purge.log" 2>&1
left=$({ find /lib/modules -path '*/updates/*' -name 'lguest.ko*'; ls -d /usr/src/lguest-* \
	/var/lib/dkms/lguest /usr/lib/udev/rules.d/60-lguest.rules \
	/usr/lib/systemd/system/lguest@.service /etc/lguest /var/lib/lguest; } 2>/dev/null)
if [ -z "$left" ]; then
	pass trixie-deb-purge "no module, sources, DKMS tree, udev rule, unit or directories left"
else
	fail trixie-deb-purge "left behind: $(echo $left)"
fi
"${apt[@]}" autoclean >/dev/null 2>&1
exit 0
