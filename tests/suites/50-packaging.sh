#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1500
#
# Packaging (issue 6): the version agrees everywhere; the man page renders
# and documents every option and exit status; "make dkms-install" copies
# exactly the module's sources; dpkg-buildpackage builds the .debs (in a
# copy of the tree under build/) and lintian finds nothing; lguest-dkms
# installed on this machine gets lguest.ko built and installed by DKMS for
# both Debian 12 Host kernels (6.1 and 6.12), the 6.1 one is kept as
# build/dkms/lguest.ko for the QEMU bench, and purging removes it all; the
# launcher package installs its program, man page, udev rule and group,
# and the Guest service lguest@.service: the unit systemd-analyze verify
# accepts, the command line its ExecStart= makes with the example
# configuration that lguest-launch accepts, the lguest system user (systemd
# itself does not run here, so no instance is started); rpmbuild -ba builds
# both RPMs with the right file lists.
#
# Installing needs root (CI runs as root); without it those checks SKIP.
# Every run starts by purging what an earlier run may have left installed.
set -euo pipefail
. "$(dirname "$0")/../suite.sh"
. "$TOP/tools/packaging/lib.sh"
. "$TOP/tests/bench/common.sh"
cd "$TOP"

LOGS=$BUILD/packaging
rm -rf "$LOGS"
mkdir -p "$LOGS"
PKG_OUT=$BUILD/pkg
RPM_OUT=$BUILD/rpm
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 -y)

VERSION=$(dkms_version)
echo "lguest version $VERSION (dkms.conf)"

# --- The one version ----------------------------------------------------

make_version=$(make -s --no-print-directory version)
deb_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$make_version" = "$VERSION" ] && [ "$deb_version" = "$VERSION" ]; then
	pass version-agree "$VERSION"
else
	fail version-agree "dkms.conf $VERSION, make version '$make_version', debian/changelog '$deb_version'"
fi

# tools/packaging/set-version.sh moves every version at once (in a copy).
svt=$BUILD/set-version-test
rm -rf "$svt"
copy_tree "$svt"
if (cd "$svt" && tools/packaging/set-version.sh 9.8.7 "Test entry." >"$LOGS/set-version.log" 2>&1) &&
	[ "$(make -s --no-print-directory -C "$svt" version)" = 9.8.7 ] &&
	[ "$(dpkg-parsechangelog -l "$svt/debian/changelog" -S Version)" = 9.8.7 ] &&
	[ "$(grep -l -- '- 9\.8\.7-1$' "$svt"/rpm/*.spec | wc -l)" -eq "$(ls "$svt"/rpm/*.spec | wc -l)" ]; then
	pass set-version "dkms.conf, debian/changelog and rpm/*.spec move together"
else
	fail set-version "tools/packaging/set-version.sh 9.8.7 left the versions disagreeing (see $LOGS/set-version.log)"
fi
rm -rf "$svt"

# --- dkms.conf ------------------------------------------------------------

# BUILD_EXCLUSIVE_KERNEL, matched the way dkms matches it (bash =~).
exclusive=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' dkms.conf)
bad=
for k in 6.1.0-56-amd64 6.12.117+deb12-amd64 6.12.117+deb13-amd64 6.18.44-fc-v669 6.9.0 \
	7.0.0-1-amd64 7.2.12+deb13-amd64 7.3.4+deb13-amd64 7.3.4+deb13-cloud-amd64; do
	if ! [[ $k =~ $exclusive ]]; then bad+=" rejects $k"; fi
done
for k in 6.0.0-1-amd64 5.10.0-30-amd64 4.19.0-27-686-pae 60.1.0 6.; do
	if [[ $k =~ $exclusive ]]; then bad+=" accepts $k"; fi
done
if [ -n "$exclusive" ] && [ -z "$bad" ]; then
	pass dkms-conf-exclusive-kernel
else
	fail dkms-conf-exclusive-kernel "BUILD_EXCLUSIVE_KERNEL '$exclusive'$bad"
fi
check dkms-conf-fields "dkms.conf lacks AUTOINSTALL=yes, BUILD_EXCLUSIVE_ARCH or the module's name/location" \
	bash -c '. ./dkms.conf && [ "$AUTOINSTALL" = yes ] && [ "$BUILD_EXCLUSIVE_ARCH" = x86_64 ] &&
		[ "${BUILT_MODULE_NAME[0]}" = lguest ] && [ -f "${BUILT_MODULE_LOCATION[0]}Makefile" ] &&
		[ "$PACKAGE_NAME" = lguest ]'

# --- The man page -----------------------------------------------------------

man_page=launcher/lguest-launch.1
out=$(groff -man -ww -z "$man_page" 2>&1) && [ -z "$out" ] &&
	pass man-groff-clean || fail man-groff-clean "groff -man -ww -z: ${out:-non-zero exit}"
if out=$(MANWIDTH=80 man --warnings -l "$man_page" 2>&1 >"$LOGS/man.txt") && [ -z "$out" ] &&
	grep -q '^EXIT STATUS' "$LOGS/man.txt"; then
	pass man-render
else
	fail man-render "man --warnings -l $man_page: ${out:-no EXIT STATUS section}"
fi

# Every exit status args.h defines is documented in EXIT STATUS.
section=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$man_page")
missing=
while read -r status; do
	grep -qx "\.B $status" <<<"$section" || missing+=" $status"
done < <(sed -n 's/^#define EXIT_[A-Z_]*[[:space:]]\+\([0-9]\+\).*/\1/p' launcher/args.h)
if [ -n "$section" ] && [ -z "$missing" ]; then
	pass man-exit-statuses
else
	fail man-exit-statuses "exit statuses from launcher/args.h not in EXIT STATUS:${missing:- no section}"
fi

# --- make dkms-install ------------------------------------------------------

dest=$BUILD/dkms-install
rm -rf "$dest"
make -s --no-print-directory dkms-files >"$LOGS/dkms-files.txt"
if make --no-print-directory dkms-install DESTDIR="$dest" >"$LOGS/dkms-install.log" 2>&1; then
	(cd "$dest/usr/src/lguest-$VERSION" && find . -type f | sed 's|^\./||' | sort) >"$LOGS/dkms-installed.txt"
	if diff -u "$LOGS/dkms-files.txt" "$LOGS/dkms-installed.txt" >"$LOGS/dkms-install.diff" &&
		[ "$(find "$dest" -mindepth 1 -maxdepth 3 | wc -l)" -eq 3 ]; then
		pass dkms-install-files "$(wc -l <"$LOGS/dkms-files.txt") files in /usr/src/lguest-$VERSION"
	else
		fail dkms-install-files "installed files differ from 'make dkms-files' or stray files outside /usr/src/lguest-$VERSION (see $LOGS/dkms-install.diff)"
	fi
	junk=$(grep -E '\.(o|ko|mod|mod\.c|cmd|order|symvers)$|compat-probed\.h' "$LOGS/dkms-installed.txt" || true)
	check dkms-install-no-build-products "build products installed: $junk" test -z "$junk"
	check dkms-install-modes "compat-probe.sh lost its execute bit, or a file is not 0644" bash -c \
		"cd '$dest/usr/src/lguest-$VERSION' && [ -x host-module/compat-probe.sh ] &&
		 [ -z \"\$(find . -type f ! -name '*.sh' ! -perm 0644)\" ]"
else
	fail dkms-install-files "make dkms-install failed (see $LOGS/dkms-install.log)"
fi
# The list must hold every module source the tree has, so a new kind of
# file in host-module/ cannot be left out of the package.
if git rev-parse --show-toplevel >/dev/null 2>&1; then
	{ echo dkms.conf; echo include/lguest_abi.h; git ls-files -co --exclude-standard host-module; } |
		sort -u >"$LOGS/dkms-git.txt"
	if diff -u "$LOGS/dkms-git.txt" "$LOGS/dkms-files.txt" >"$LOGS/dkms-git.diff"; then
		pass dkms-files-match-git
	else
		fail dkms-files-match-git "'make dkms-files' and git's host-module/ differ: $(grep '^[-+][^-+]' "$LOGS/dkms-git.diff" | tr '\n' ' ')"
	fi
else
	skip dkms-files-match-git "not a git checkout"
fi

# --- Debian packages --------------------------------------------------------

deb_dkms=$PKG_OUT/lguest-dkms_${VERSION}_all.deb
deb_launcher=$PKG_OUT/lguest-launcher_${VERSION}_amd64.deb
changes=$PKG_OUT/lguest_${VERSION}_amd64.changes
debs_ok=false
start=$(date +%s)
if tools/packaging/build-deb.sh --out="$PKG_OUT" >"$LOGS/deb-build.log" 2>&1 &&
	[ -f "$deb_dkms" ] && [ -f "$deb_launcher" ] && [ -f "$changes" ]; then
	debs_ok=true
	pass deb-build "dpkg-buildpackage -us -uc -b in $(($(date +%s) - start))s"
else
	fail deb-build "dpkg-buildpackage failed or made no lguest-dkms/lguest-launcher .deb (see $LOGS/deb-build.log)"
fi
# The Guest kernel package is built only on request (its build profile).
guest_debs=$(find "$PKG_OUT" -maxdepth 1 -name 'linux-image-lguest-guest_*.deb' 2>/dev/null || true)
check deb-build-no-guest-by-default "the default build made $guest_debs" test -z "$guest_debs"
# The build ran in the copy: nothing of it may appear in the checkout.
left=
for f in debian/files debian/.debhelper debian/tmp debian/lguest-dkms debian/lguest-launcher \
	debian/debhelper-build-stamp ../lguest_"$VERSION"_amd64.changes; do
	if [ -e "$f" ]; then left+=" $f"; fi
done
check deb-build-tree-clean "the package build left$left in the checkout" test -z "$left"

if $debs_ok; then
	dpkg-deb -c "$deb_dkms" | awk '{ print $NF }' >"$LOGS/deb-dkms-files.txt"
	sed -n "s|^\./usr/src/lguest-$VERSION/||p" "$LOGS/deb-dkms-files.txt" | grep -v -e '/$' -e '^$' |
		sort >"$LOGS/deb-dkms-src.txt"
	check deb-dkms-sources "lguest-dkms's /usr/src/lguest-$VERSION differs from 'make dkms-files'" \
		diff -q "$LOGS/dkms-files.txt" "$LOGS/deb-dkms-src.txt"
	depends=$(dpkg-deb -f "$deb_dkms" Depends)
	arch=$(dpkg-deb -f "$deb_dkms" Architecture)
	check deb-dkms-control "Architecture '$arch', Depends '$depends'" \
		bash -c "[ '$arch' = all ] && grep -qE '(^|, )dkms( |,|$)' <<<'$depends'"
	dpkg-deb -c "$deb_launcher" | awk '{ print $NF }' >"$LOGS/deb-launcher-files.txt"
	missing=
	for f in ./usr/bin/lguest-launch ./usr/share/man/man1/lguest-launch.1.gz \
		./usr/lib/udev/rules.d/60-lguest.rules \
		./usr/lib/systemd/system/lguest@.service \
		./usr/share/doc/lguest-launcher/examples/lguest-demo.conf \
		./usr/share/doc/lguest-launcher/examples/lguest-modules-load.conf; do
		grep -qxF "$f" "$LOGS/deb-launcher-files.txt" || missing+=" $f"
	done
	check deb-launcher-files "missing from lguest-launcher:$missing" test -z "$missing"
	rm -rf "$LOGS/ctrl"
	dpkg-deb -e "$deb_launcher" "$LOGS/ctrl"
	check deb-launcher-postinst "postinst does not create the lguest group" \
		grep -q 'addgroup --system --quiet lguest' "$LOGS/ctrl/postinst"

	# lguest@.service: in the package, root's, 0644; a template that no
	# maintainer script enables, starts or stops (there is no instance).
	unit_line=$(dpkg-deb -c "$deb_launcher" | awk '$NF == "./usr/lib/systemd/system/lguest@.service"')
	check deb-launcher-unit "lguest@.service in the .deb: '${unit_line:-missing}'" \
		bash -c '[[ $1 == "-rw-r--r-- root/root "* ]]' _ "$unit_line"
	started=$(grep -HnE 'deb-systemd-(helper|invoke)|systemctl|invoke-rc.d' "$LOGS"/ctrl/p* 2>/dev/null || true)
	check deb-launcher-unit-not-enabled "a maintainer script enables, starts or stops a unit: $started" \
		test -z "$started"
	rm -rf "$LOGS/launcher-deb"
	dpkg-deb -x "$deb_launcher" "$LOGS/launcher-deb"
	unit=$LOGS/launcher-deb/usr/lib/systemd/system/lguest@.service
	example=$LOGS/launcher-deb/usr/share/doc/lguest-launcher/examples/lguest-demo.conf
	# What the unit promises: the user, the instance's configuration, the
	# stop sequence (SIGTERM to the Launcher alone, and systemd's SIGKILL
	# only after the Guest's own --shutdown-timeout has run out).
	bad=
	for want in User=lguest Group=lguest 'ConditionPathExists=/etc/lguest/%i.conf' \
		'EnvironmentFile=/etc/lguest/%i.conf' 'RuntimeDirectory=lguest/%i' KillMode=mixed \
		'Documentation=man:lguest-launch(1)' WantedBy=multi-user.target NoNewPrivileges=yes \
		ProtectSystem=strict ReadWritePaths=-/var/lib/lguest 'DeviceAllow=/dev/lguest rw'; do
		grep -qxF "$want" "$unit" 2>/dev/null || bad+=" no '$want';"
	done
	stop=$(sed -n 's/^TimeoutStopSec=\([0-9]\+\)$/\1/p' "$unit" 2>/dev/null)
	grace=$(sed -n 's/^ExecStart=.* --shutdown-timeout=\([0-9]\+\) .*/\1/p' "$unit" 2>/dev/null)
	if ! [ -n "$stop" ] || ! [ -n "$grace" ] || [ "$stop" -le "$grace" ]; then
		bad+=" TimeoutStopSec '$stop' does not exceed --shutdown-timeout '$grace';"
	fi
	check service-unit-settings "lguest@.service:$bad" test -z "$bad"

	# The command line systemd makes from ExecStart= for instance demo,
	# with the example configuration and with an empty one (every key
	# missing), word by word (tests/packaging/exec-words.sh), and the
	# built Launcher accepts it: it gets as far as opening the kernel,
	# which is checked after the command line is.  (The kernel given to
	# the Launcher is one that does not exist, so nothing can boot.)
	launch=$PKG_OUT/lguest-$VERSION/launcher/lguest-launch
	: >"$LOGS/empty.conf"
	for conf in example empty; do
		case $conf in
		example)
			file=$example
			want=(/usr/bin/lguest-launch --console=socket:/run/lguest/demo/console
				--shutdown-timeout=30 --block=/var/lib/lguest/demo.img
				--sharenet=/var/lib/lguest/lan 256 /usr/lib/lguest/bzImage
				console=hvc0 root=/dev/lgba rw quiet)
			;;
		empty)
			file=$LOGS/empty.conf
			want=(/usr/bin/lguest-launch --console=socket:/run/lguest/demo/console
				--shutdown-timeout=30 128 /usr/lib/lguest/bzImage console=hvc0)
			;;
		esac
		if ! tests/packaging/exec-words.sh "$unit" demo "$file" >"$LOGS/exec-$conf.txt" 2>&1; then
			fail "service-cmdline-$conf" "$(tail -1 "$LOGS/exec-$conf.txt")"
			continue
		fi
		if ! diff -u <(printf '%s\n' "${want[@]}") "$LOGS/exec-$conf.txt" >"$LOGS/exec-$conf.diff"; then
			fail "service-cmdline-$conf" "ExecStart= gives $(tr '\n' ' ' <"$LOGS/exec-$conf.txt")"
			continue
		fi
		nokernel=$LOGS/no-such-kernel
		{ cat "$file"; echo "LGUEST_KERNEL=$nokernel"; } >"$LOGS/$conf-nokernel.conf"
		mapfile -t words < <(tests/packaging/exec-words.sh "$unit" demo "$LOGS/$conf-nokernel.conf")
		rc=0
		err=$("$launch" "${words[@]:1}" 2>&1 >/dev/null) || rc=$?
		if [ $rc -eq 2 ] && [ "$err" = "lguest-launch: cannot open kernel image '$nokernel': No such file or directory" ]; then
			pass "service-cmdline-$conf" "${#want[@]} words, accepted by lguest-launch"
		else
			fail "service-cmdline-$conf" "lguest-launch ${words[*]:1}: status $rc, '$err'"
		fi
	done

	# The man page documents every option the built Launcher's --help
	# shows, each in an item of its own in OPTIONS (the line after .TP).
	launch=$PKG_OUT/lguest-$VERSION/launcher/lguest-launch
	items=$(awk '/^\.SH /{ opts = ($0 ~ /^\.SH OPTIONS/) } opts && tp { print } { tp = /^\.TP/ }' "$man_page")
	missing=
	while read -r opt; do
		grep -qE -- "(^|[ \"])$(sed 's/-/\\\\-/g' <<<"$opt")([ =\"]|$)" <<<"$items" || missing+=" $opt"
	done < <("$launch" --help | grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | tr -d ' ,' | sort -u)
	nopts=$("$launch" --help | grep -cE '^ +-' || true)
	if [ "$nopts" -gt 0 ] && [ -z "$missing" ]; then
		pass man-documents-options "every option of lguest-launch --help"
	else
		fail man-documents-options "not in $man_page:${missing:- (no options in --help)}"
	fi

	if lintian --fail-on error,warning --display-level '>=warning' "$changes" \
		>"$LOGS/lintian.log" 2>&1 && ! grep -qE '^[EW]: ' "$LOGS/lintian.log"; then
		pass lintian "$(lintian --version)"
	else
		fail lintian "$(grep -E '^[EW]: ' "$LOGS/lintian.log" | head -5 | tr '\n' ' ')(see $LOGS/lintian.log)"
	fi
fi

# The Guest kernel package (build profile pkg.lguest.guest), from the
# bzImage "make guest-kernel" built, if one was: this suite does not spend
# minutes building a kernel.
guest_bz=$BUILD/guest/bzImage
if ! $debs_ok; then
	fail deb-guest-profile "no .debs were built"
elif [ ! -s "$guest_bz" ]; then
	skip deb-guest-profile "no $guest_bz (make guest-kernel)"
else
	deb_guest=$BUILD/pkg-guest/linux-image-lguest-guest_${VERSION}_amd64.deb
	if LGUEST_GUEST_BZIMAGE=$guest_bz tools/packaging/build-deb.sh --profiles=pkg.lguest.guest \
		--out="$BUILD/pkg-guest" >"$LOGS/deb-guest-build.log" 2>&1 && [ -f "$deb_guest" ]; then
		rm -rf "$LOGS/guest-deb"
		dpkg-deb -x "$deb_guest" "$LOGS/guest-deb"
		if cmp -s "$guest_bz" "$LOGS/guest-deb/usr/lib/lguest/bzImage" &&
			lintian --fail-on error,warning "$deb_guest" >"$LOGS/lintian-guest.log" 2>&1 &&
			! grep -qE '^[EW]: ' "$LOGS/lintian-guest.log"; then
			pass deb-guest-profile "linux-image-lguest-guest installs /usr/lib/lguest/bzImage, lintian clean"
		else
			fail deb-guest-profile "bzImage missing or different in the package, or lintian complained (see $LOGS/lintian-guest.log)"
		fi
		rm -rf "$LOGS/guest-deb"
	else
		fail deb-guest-profile "dpkg-buildpackage --build-profiles=pkg.lguest.guest failed (see $LOGS/deb-guest-build.log)"
	fi
fi

# --- Installing lguest-dkms and lguest-launcher on this machine -------------

# krel_of META: the kernel release a Debian headers meta package stands for.
krel_of() {
	local dep
	dep=$(pkg_dep "$1")
	echo "${dep#linux-headers-}"
}

RPMDB=$BUILD/rpmdb
# purge_all: remove every trace an earlier run (or a by-hand install) left.
purge_all() {
	local pkg v d
	if [ -d "$RPMDB" ]; then
		rpm --dbpath "$RPMDB" -e --nodeps lguest-dkms >>"$LOGS/purge-old.log" 2>&1 || true
		rm -rf "$RPMDB"
	fi
	for pkg in lguest-launcher lguest-dkms; do
		if dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qv '^not-installed$'; then
			"${APT[@]}" purge "$pkg" >>"$LOGS/purge-old.log" 2>&1 ||
				dpkg --purge --force-remove-reinstreq "$pkg" >>"$LOGS/purge-old.log" 2>&1 || true
		fi
	done
	for d in /var/lib/dkms/lguest/*/; do
		[ -d "$d" ] || continue
		v=$(basename "$d")
		dkms remove -m lguest -v "$v" --all >>"$LOGS/purge-old.log" 2>&1 || true
	done
	rm -rf /var/lib/dkms/lguest
	# The lguest user the launcher package makes, and keeps on purge: gone,
	# so that the install below has to make it again.
	if getent passwd lguest >/dev/null; then
		userdel lguest >>"$LOGS/purge-old.log" 2>&1 || true
	fi
	# A run killed half-way can leave modules DKMS no longer knows about.
	find /lib/modules -path '*/updates/*' -name 'lguest.ko*' -print -delete \
		>>"$LOGS/purge-old.log" 2>&1 || true
	for d in /usr/src/lguest-* /usr/share/licenses/lguest-dkms-*; do
		[ -e "$d" ] || continue
		echo "removing stray $d" >>"$LOGS/purge-old.log"
		rm -rf "$d"
	done
}

# module_path KREL: the lguest module DKMS installed for KREL, if any.
module_path() {
	find "/lib/modules/$1/updates" -name 'lguest.ko*' 2>/dev/null | head -1 || true
}

# The two Host kernels: Debian 12's default (6.1) and 6.12.
krels=()
for meta in linux-headers-amd64 linux-headers-6.12-amd64; do
	krel=$(krel_of "$meta")
	if [ -z "$krel" ] || [ ! -d "/lib/modules/$krel/build/include" ]; then
		fail "headers-$meta" "the headers of ${krel:-$meta} are not installed (make deps)"
	else
		krels+=("$krel")
	fi
done
if [ "$(id -u)" -eq 0 ]; then
	purge_all
fi
if [ "$(id -u)" -ne 0 ]; then
	for t in deb-install dkms-installed-6.1 dkms-installed-6.12 dkms-module-export \
		dkms-build-exclusive deb-launcher-install service-user service-verify deb-purge; do
		skip "$t" "installing packages needs root"
	done
elif ! $debs_ok; then
	fail deb-install "no .debs were built"
else
	start=$(date +%s)
	if "${APT[@]}" install "$deb_dkms" >"$LOGS/deb-install.log" 2>&1; then
		pass deb-install "apt-get install lguest-dkms in $(($(date +%s) - start))s"
	else
		fail deb-install "apt-get install lguest-dkms failed (see $LOGS/deb-install.log and /var/lib/dkms/lguest/$VERSION/build/make.log)"
	fi
	dkms status -m lguest >"$LOGS/dkms-status.txt" 2>/dev/null || true
	cat "$LOGS/dkms-status.txt"

	for krel in "${krels[@]}"; do
		name=${krel%%-*}
		name=${name%.*}
		via=postinst
		# The postinst builds for the running kernel and the newest one
		# when the running kernel is installed; the kernel's own header
		# hook (what a headers install runs) covers any other.
		if ! dkms status -m lguest -v "$VERSION" -k "$krel" 2>/dev/null | grep -q ': installed'; then
			via="kernel header hook"
			/etc/kernel/header_postinst.d/dkms "$krel" >>"$LOGS/header-hook.log" 2>&1 || true
		fi
		st=$(dkms status -m lguest -v "$VERSION" -k "$krel" 2>/dev/null || true)
		if grep -q ": installed" <<<"$st"; then
			pass "dkms-installed-$name" "$st (via $via)"
		else
			fail "dkms-installed-$name" "dkms status for $krel: '${st:-nothing}' (see /var/lib/dkms/lguest/$VERSION/build/make.log)"
			continue
		fi
		ko=$(module_path "$krel")
		vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
		case $vermagic in
		"$krel "*) pass "dkms-module-$name" "$ko" ;;
		*) fail "dkms-module-$name" "module '${ko:-none}' has vermagic '$vermagic', want $krel" ;;
		esac
	done

	# The 6.1 module is the one the QEMU bench inserts (build/dkms/lguest.ko).
	krel61=$(krel_of linux-headers-amd64)
	ko=$(module_path "$krel61")
	mkdir -p "$BUILD/dkms"
	rm -f "$BUILD/dkms/lguest.ko" "$BUILD/dkms/kernel-release"
	case $ko in
	*.ko) cp "$ko" "$BUILD/dkms/lguest.ko" ;;
	*.ko.xz) xz -dc "$ko" >"$BUILD/dkms/lguest.ko" ;;
	*.ko.zst) zstd -qdc "$ko" >"$BUILD/dkms/lguest.ko" ;;
	*.ko.gz) gzip -dc "$ko" >"$BUILD/dkms/lguest.ko" ;;
	esac
	vermagic=$(modinfo -F vermagic "$BUILD/dkms/lguest.ko" 2>/dev/null || true)
	if [ -n "$ko" ] && [ "${vermagic%% *}" = "$krel61" ]; then
		echo "$krel61" >"$BUILD/dkms/kernel-release"
		pass dkms-module-export "build/dkms/lguest.ko for $krel61"
	else
		rm -f "$BUILD/dkms/lguest.ko"
		fail dkms-module-export "no DKMS-built module for $krel61 (found '${ko:-none}')"
	fi

	# A kernel dkms.conf rules out is skipped (status 77), not a failed build.
	rc=0
	out=$(dkms build -m lguest -v "$VERSION" -k 6.0.0-1-amd64 2>&1) || rc=$?
	if [ $rc -eq 77 ] && grep -q BUILD_EXCLUSIVE <<<"$out"; then
		pass dkms-build-exclusive "6.0 is skipped with a BUILD_EXCLUSIVE message"
	else
		fail dkms-build-exclusive "dkms build for 6.0.0-1-amd64 returned $rc: $(tail -1 <<<"$out")"
	fi
	rm -rf /var/lib/dkms/lguest/"$VERSION"/6.0.0-1-amd64

	# The Launcher package: program, man page, udev rule, group.
	if "${APT[@]}" install "$deb_launcher" >"$LOGS/deb-launcher-install.log" 2>&1 &&
		getent group lguest >/dev/null &&
		[ -f /usr/lib/udev/rules.d/60-lguest.rules ] &&
		lguest-launch --version | grep -qF "lguest-launch $VERSION " &&
		man -w lguest-launch >/dev/null 2>&1 &&
		MANWIDTH=80 man lguest-launch 2>/dev/null | grep -q '^EXIT STATUS'; then
		pass deb-launcher-install "lguest-launch $VERSION, man lguest-launch, group lguest, udev rule"
	else
		fail deb-launcher-install "lguest-launcher install incomplete (see $LOGS/deb-launcher-install.log)"
	fi

	# The user lguest@.service runs as: a system user (uid below 1000)
	# whose group is lguest, home /var/lib/lguest (made, the user's, not
	# the world's), no login; /etc/lguest made.  A second configure (an
	# upgrade, a reinstall) keeps it as it is.
	pw=$(getent passwd lguest || true)
	IFS=: read -r _ _ uid gid _ home shell <<<"$pw"
	bad=
	if [ -z "$pw" ]; then
		bad=" no user lguest"
	else
		[ "$uid" -ge 100 ] && [ "$uid" -lt 1000 ] || bad+=" uid $uid is not a system uid;"
		[ "$gid" = "$(getent group lguest | cut -d: -f3)" ] || bad+=" group $gid is not lguest;"
		[ "$home" = /var/lib/lguest ] || bad+=" home $home;"
		[ "$shell" = /usr/sbin/nologin ] || bad+=" shell $shell;"
		st=$(stat -c '%U:%G %a' /var/lib/lguest 2>/dev/null || true)
		[ "$st" = "lguest:lguest 750" ] || bad+=" /var/lib/lguest is '${st:-missing}';"
		[ -d /etc/lguest ] || bad+=" no /etc/lguest;"
		if dpkg -i "$deb_launcher" >"$LOGS/deb-launcher-reinstall.log" 2>&1; then
			[ "$(getent passwd lguest)" = "$pw" ] || bad+=" a reinstall changed the user to '$(getent passwd lguest)';"
		else
			bad+=" a reinstall failed (see $LOGS/deb-launcher-reinstall.log);"
		fi
	fi
	check service-user "after installing lguest-launcher:$bad" test -z "$bad"

	# systemd-analyze verify loads lguest@demo.service as systemd would
	# (the installed template, its ExecStart= program, its man page); it
	# says nothing when all is well and prints a line for each setting it
	# cannot use, as the broken copy shows it does.
	rc=0
	out=$(systemd-analyze verify lguest@demo.service 2>&1) || rc=$?
	rm -rf "$LOGS/units"
	mkdir -p "$LOGS/units"
	sed 's/^KillMode=mixed$/KillMode=mixd/' /usr/lib/systemd/system/lguest@.service \
		>"$LOGS/units/lguest@.service"
	broken=$(SYSTEMD_UNIT_PATH=$LOGS/units: systemd-analyze verify lguest@demo.service 2>&1 || true)
	if [ $rc -eq 0 ] && [ -z "$out" ] && grep -q 'KillMode\|kill mode' <<<"$broken"; then
		pass service-verify "systemd-analyze verify lguest@demo.service: $(systemd-analyze --version | head -1)"
	else
		fail service-verify "systemd-analyze verify lguest@demo.service: status $rc, '${out}' (a broken copy: '$broken')"
	fi

	start=$(date +%s)
	"${APT[@]}" purge lguest-launcher lguest-dkms >"$LOGS/deb-purge.log" 2>&1 || true
	left=$({ find /lib/modules -path '*/updates/*' -name 'lguest.ko*'; ls -d /usr/src/lguest-* /var/lib/dkms/lguest; } 2>/dev/null || true)
	left+=$(dkms status -m lguest 2>/dev/null || true)
	for pkg in lguest-dkms lguest-launcher; do
		if dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qv '^not-installed$'; then
			left+=" package $pkg"
		fi
	done
	for f in /usr/lib/udev/rules.d/60-lguest.rules /usr/lib/systemd/system/lguest@.service \
		/etc/lguest /var/lib/lguest; do
		if [ -e "$f" ]; then left+=" $f"; fi
	done
	if [ -z "$left" ]; then
		pass deb-purge "module, /usr/src/lguest-$VERSION, DKMS tree, udev rule, lguest@.service, empty /etc/lguest and /var/lib/lguest gone in $(($(date +%s) - start))s"
	else
		fail deb-purge "left behind: $(echo $left)"
	fi
fi

# --- A Debian 13 machine -----------------------------------------------------
# The .debs on Debian 13 (tests/packaging/trixie-machine.sh), in a writable
# overlay of the trixie build environment that is thrown away afterwards:
# apt installs them, then the headers of trixie's 6.12 and trixie-backports'
# 7.x (two series), whose hook has trixie's DKMS build and install the
# module for each;
# trixie's lintian checks the packages; a purge leaves nothing.
if [ "$(id -u)" -ne 0 ]; then
	skip trixie-machine "the trixie build environment needs root"
elif ! $debs_ok; then
	fail trixie-machine "no .debs were built"
else
	tm=$BUILD/trixie-machine
	archives=$LGUEST_CACHE/trixie-machine-debs
	rm -rf --one-file-system "$tm"
	mkdir -p "$tm/scratch" "$tm/debs" "$archives"
	cp "$PKG_OUT"/*.deb "$PKG_OUT"/*.changes "$PKG_OUT"/*.buildinfo "$tm/debs/"
	rm -f "$tm"/debs/linux-image-lguest-guest_*.deb
	tkrels=()
	# trixie-backports:7.2, the series before, unless backports dropped it.
	for meta in trixie trixie-backports trixie-backports:7.2; do
		rc=0
		kdir=$("$TOP/tests/bench/fetch-host-kernel.sh" "$meta" 2>>"$LOGS/trixie-machine.log") || rc=$?
		if [ $rc = 0 ]; then
			read -r krel _ <"$kdir/version"
			tkrels+=("$krel")
		elif [ $rc = 3 ]; then
			skip "trixie-machine-$meta" "$(tail -1 "$LOGS/trixie-machine.log")"
		else
			fail "trixie-machine-$meta" "cannot look up the $meta kernel (see $LOGS/trixie-machine.log)"
		fi
	done
	start=$(date +%s)
	"$TOP/tools/trixie-buildenv.sh" -w "$tm/scratch" -b "$tm/debs" -b "$archives" \
		-b "$TOP/tests" \
		bash "$TOP/tests/packaging/trixie-machine.sh" "$tm/debs" "$archives" "${tkrels[@]}" \
		2>>"$LOGS/trixie-machine.log" | tee "$LOGS/trixie-machine.txt"
	grep -q '^PASS trixie-deb-purge' "$LOGS/trixie-machine.txt" ||
		fail trixie-machine "the story stopped early (see $LOGS/trixie-machine.log and $tm/debs/*.log)"
	echo "trixie machine: $(($(date +%s) - start)) s"
	rm -rf --one-file-system "$tm/scratch"
fi

# --- RPMs ---------------------------------------------------------------------

rpm_dkms=$RPM_OUT/RPMS/noarch/lguest-dkms-$VERSION-1.noarch.rpm
rpm_launcher=$RPM_OUT/RPMS/x86_64/lguest-launcher-$VERSION-1.x86_64.rpm
if tools/packaging/build-rpm.sh --out="$RPM_OUT" >"$LOGS/rpm-build.log" 2>&1 &&
	[ -f "$rpm_dkms" ] && [ -f "$rpm_launcher" ] &&
	[ "$(find "$RPM_OUT/SRPMS" -name '*.src.rpm' | wc -l)" -eq 2 ]; then
	pass rpm-build "rpmbuild -ba: $(cd "$RPM_OUT" && find RPMS SRPMS -name '*.rpm' | sort | tr '\n' ' ')"

	rpm -qlp "$rpm_dkms" >"$LOGS/rpm-dkms-files.txt"
	{
		echo "/usr/share/licenses/lguest-dkms-$VERSION"
		echo "/usr/share/licenses/lguest-dkms-$VERSION/LICENSE"
		echo "/usr/src/lguest-$VERSION"
		sed "s|^|/usr/src/lguest-$VERSION/|" "$LOGS/dkms-files.txt"
		sed -n "s|^\(.*\)/[^/]*$|/usr/src/lguest-$VERSION/\1|p" "$LOGS/dkms-files.txt"
	} | sort -u >"$LOGS/rpm-dkms-want.txt"
	check rpm-dkms-files "rpm -qlp lguest-dkms differs from the module's sources (see $LOGS/rpm-dkms-files.txt)" \
		diff -q "$LOGS/rpm-dkms-want.txt" <(sort "$LOGS/rpm-dkms-files.txt")
	arch=$(rpm -qp --qf '%{ARCH}' "$rpm_dkms")
	scripts=$(rpm -qp --scripts "$rpm_dkms")
	check rpm-dkms-header "arch '$arch', or no dkms in Requires, or %post/%preun lack dkms add/install/remove" \
		bash -c "[ '$arch' = noarch ] && rpm -qp --requires '$rpm_dkms' | grep -qx dkms &&
			grep -q 'dkms add -m lguest -v $VERSION' <<<\"\$1\" &&
			grep -q 'dkms install -m lguest -v $VERSION' <<<\"\$1\" &&
			grep -q 'dkms remove -m lguest -v $VERSION --all' <<<\"\$1\"" _ "$scripts"

	rpm -qlp "$rpm_launcher" | grep -v '^/usr/lib/\.build-id' >"$LOGS/rpm-launcher-files.txt"
	cat >"$LOGS/rpm-launcher-want.txt" <<-EOF
	/etc/lguest
	/usr/bin/lguest-launch
	/usr/lib/systemd/system/lguest@.service
	/usr/lib/udev/rules.d/60-lguest.rules
	/usr/share/doc/lguest-launcher-$VERSION
	/usr/share/doc/lguest-launcher-$VERSION/install.md
	/usr/share/doc/lguest-launcher-$VERSION/lguest-demo.conf
	/usr/share/doc/lguest-launcher-$VERSION/lguest-modules-load.conf
	/usr/share/licenses/lguest-launcher-$VERSION
	/usr/share/licenses/lguest-launcher-$VERSION/LICENSE
	/var/lib/lguest
	EOF
	man_in_rpm=$(grep -cE '^/usr/share/man/man1/lguest-launch\.1(\.gz)?$' "$LOGS/rpm-launcher-files.txt" || true)
	if [ "$man_in_rpm" -eq 1 ] &&
		diff -q "$LOGS/rpm-launcher-want.txt" <(grep -v '^/usr/share/man/' "$LOGS/rpm-launcher-files.txt") >/dev/null; then
		pass rpm-launcher-files
	else
		fail rpm-launcher-files "rpm -qlp lguest-launcher: $(tr '\n' ' ' <"$LOGS/rpm-launcher-files.txt")"
	fi
	# The lguest user and group made before the files are, and the state
	# directory theirs; no unit enabled or started.
	pre=$(rpm -qp --scripts "$rpm_launcher" | sed -n '/^preinstall scriptlet/,/^[a-z]* *scriptlet/p')
	varlib=$(rpm -qp --qf '[%{FILEUSERNAME}:%{FILEGROUPNAME} %{FILEMODES:perms} %{FILENAMES}\n]' "$rpm_launcher" |
		grep ' /var/lib/lguest$' || true)
	enables=$(rpm -qp --scripts "$rpm_launcher" | grep -E 'systemctl|systemd_post' || true)
	check rpm-launcher-user "%pre: '$(grep -E 'useradd|groupadd' <<<"$pre" | tr '\n' ' ')', /var/lib/lguest '$varlib', enabling '$enables'" \
		bash -c 'grep -q "groupadd -r lguest" <<<"$1" && grep -q "useradd -r -g lguest -d /var/lib/lguest" <<<"$1" &&
			[ "$2" = "lguest:lguest drwxr-x--- /var/lib/lguest" ] && [ -z "$3" ]' _ "$pre" "$varlib" "$enables"
else
	fail rpm-build "rpmbuild -ba failed or made the wrong RPMs (see $LOGS/rpm-build.log)"
fi

# --- RPM scriptlets: install, upgrade, erase --------------------------------

# rpm_dkms_state V: "ok" if DKMS has exactly lguest/V, installed (the
# installed module being the one it built) for every kernel in $krels, its
# sources in /usr/src/lguest-V and no other version's; else what is wrong.
rpm_dkms_state() {
	local v=$1 krel st bad=
	st=$(dkms status -m lguest 2>/dev/null || true)
	for krel in "${krels[@]}"; do
		grep -qxF "lguest/$v, $krel, x86_64: installed" <<<"$st" || bad+=" not installed for $krel;"
	done
	if grep -v "^lguest/$v[,:]" <<<"$st" | grep -q .; then bad+=" other entries: $(grep -v "^lguest/$v[,:]" <<<"$st" | tr '\n' ' ');"; fi
	[ -d "/usr/src/lguest-$v" ] || bad+=" no /usr/src/lguest-$v;"
	for d in /usr/src/lguest-*; do
		if [ "$d" != "/usr/src/lguest-$v" ] && [ -e "$d" ]; then bad+=" stray $d;"; fi
	done
	echo "${bad:-ok}"
}

if [ "$(id -u)" -ne 0 ] || [ ! -f "$rpm_dkms" ] || [ ${#krels[@]} -eq 0 ]; then
	for t in rpm-dkms-post rpm-dkms-upgrade-release rpm-dkms-upgrade-version rpm-dkms-erase; do
		skip "$t" "needs root, the RPMs and the kernel headers"
	done
else
	# Upgrades: the same version in a new release, and a newer version.
	next=$VERSION.1
	tools/packaging/build-rpm.sh --out="$BUILD/rpm-upgrade/release" --release=2 \
		>"$LOGS/rpm-build-release.log" 2>&1 || true
	tools/packaging/build-rpm.sh --out="$BUILD/rpm-upgrade/next" --set-version="$next" \
		>"$LOGS/rpm-build-next.log" 2>&1 || true
	rpm_rel2=$BUILD/rpm-upgrade/release/RPMS/noarch/lguest-dkms-$VERSION-2.noarch.rpm
	rpm_next=$BUILD/rpm-upgrade/next/RPMS/noarch/lguest-dkms-$next-1.noarch.rpm
	rm -rf "$RPMDB"
	mkdir -p "$RPMDB"
	rpm --dbpath "$RPMDB" --initdb
	RPM=(rpm --dbpath "$RPMDB" --nodeps)
	RPMQ=(rpm --dbpath "$RPMDB")

	"${RPM[@]}" -i "$rpm_dkms" >"$LOGS/rpm-install.log" 2>&1 || true
	state=$(rpm_dkms_state "$VERSION")
	check rpm-dkms-post "after rpm -i lguest-dkms-$VERSION-1:$state (see $LOGS/rpm-install.log)" \
		test "$state" = ok

	if [ -f "$rpm_rel2" ]; then
		"${RPM[@]}" -U "$rpm_rel2" >"$LOGS/rpm-upgrade-release.log" 2>&1 || true
		state=$(rpm_dkms_state "$VERSION")
		q=$("${RPMQ[@]}" -q lguest-dkms 2>&1 || true)
		check rpm-dkms-upgrade-release "after rpm -U to $VERSION-2 ($q):$state (see $LOGS/rpm-upgrade-release.log)" \
			test "$state $q" = "ok lguest-dkms-$VERSION-2.noarch"
	else
		fail rpm-dkms-upgrade-release "could not build release 2 (see $LOGS/rpm-build-release.log)"
	fi

	if [ -f "$rpm_next" ]; then
		"${RPM[@]}" -U "$rpm_next" >"$LOGS/rpm-upgrade-version.log" 2>&1 || true
		state=$(rpm_dkms_state "$next")
		q=$("${RPMQ[@]}" -q lguest-dkms 2>&1 || true)
		check rpm-dkms-upgrade-version "after rpm -U to $next-1 ($q):$state (see $LOGS/rpm-upgrade-version.log)" \
			test "$state $q" = "ok lguest-dkms-$next-1.noarch"
	else
		fail rpm-dkms-upgrade-version "could not build version $next (see $LOGS/rpm-build-next.log)"
	fi

	"${RPM[@]}" -e lguest-dkms >"$LOGS/rpm-erase.log" 2>&1 || true
	left=$({ find /lib/modules -path '*/updates/*' -name 'lguest.ko*'; ls -d /usr/src/lguest-* /var/lib/dkms/lguest /usr/share/licenses/lguest-dkms-*; } 2>/dev/null || true)
	left+=$(dkms status -m lguest 2>/dev/null || true)
	left+=$("${RPMQ[@]}" -qa 2>&1 || true)
	check rpm-dkms-erase "after rpm -e, left behind: $(echo $left)" test -z "$left"
	rm -rf "$RPMDB"
fi
