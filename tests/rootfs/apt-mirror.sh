# SPDX-License-Identifier: GPL-2.0
# The Debian mirror this machine's apt uses, for the debootstraps of the
# Guest image (build-rootfs.sh) and of the new machine
# (tests/fresh-machine/chroot.sh).  Source, don't run.

# mirror_from_apt SUITE: the URI of the first apt source that serves the Debian
# release itself (not -updates or -security), one-line or deb822 format.
mirror_from_apt() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed 's/\[[^]]*\]//' "$f" |
			awk -v s="$1" '$1 == "deb" && $3 == s { print $2; exit }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v s="$1" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " s " ") && uri != "")
					print uri
				types = suites = uri = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^[ \t]*#/ { next }
			tolower($1) == "types:" { types = substr($0, index($0, ":") + 1) }
			tolower($1) == "suites:" { suites = substr($0, index($0, ":") + 1); gsub(/\t/, " ", suites) }
			tolower($1) == "uris:" { uri = $2 }
			END { flush() }' "$f"
	done
}
