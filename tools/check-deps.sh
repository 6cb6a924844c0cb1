#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-deps.sh: every program the build, the tests and the demo run on
# this machine comes from a package that tools/deps.d/*.list names, or from
# an Essential package (which every Debian system has).
#
# It reads the project's shell scripts and Makefile recipes (debian/rules
# among them), picks out the words in command position (the first word of
# a command, after a pipe, "&&", ";", "$(", "then", and after wrappers such
# as timeout or exec), keeps those that are programs on PATH (not
# builtins, keywords or the scripts' own functions) and asks dpkg which
# package ships each.  Prints one line per problem and a summary, as
# PASS/FAIL lines, and exits non-zero when anything is missing from the
# lists:
#
#   FAIL deps-rsync: 'rsync' (tests/bench/build-module.sh:19) is in package
#        rsync, which is neither Essential nor in tools/deps.d
#
# A tool this machine has, but that no package lists, is what breaks a new
# machine: the scripts work on the developer's machine and nowhere else.
# (A program that is not installed at all is not seen here: the new
# machine of 05-fresh-machine finds those.)
#
#   check-deps.sh [-v]      -v: also list every command and its package
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
verbose=
[ "${1:-}" = -v ] && verbose=1
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

# The scripts that run on the build machine, or inside the QEMU Host with
# programs copied from it.  Scripts that run inside a Guest (its /init, the
# Debian image's own tests) use the Guest's programs and are left out, and
# so are the packages' maintainer scripts, which run on a user's machine.
scripts() {
	git ls-files -- .ci tools tests guest-patches host-module launcher Makefile mk debian/rules |
		grep -vE '^tests/(guest-native/init|linux-guest/init|rootfs/(guest-tests|overlay)/)' |
		while read -r f; do
			case $f in
			*.sh | .ci/run) echo "$f" ;;
			Makefile | *.mk | */Makefile | debian/rules) echo "$f" ;;
			*) head -1 "$f" | grep -qE '^#!.*\b(ba)?sh\b' && echo "$f" ;;
			esac
		done
}

# words FILE...: "WORD<TAB>FILE:LINE" for every word in command position.
words() {
	awk '
	function emit(w) {
		if (w ~ /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/ || w ~ /^\/[A-Za-z0-9_\/.+-]+$/)
			printf "%s\t%s:%d\n", w, FILENAME, FNR
	}
	# first_command SEGMENT: the command word of one simple command,
	# looking through assignments, redirections and wrappers.
	function first_command(seg,    n, i, w, a, skip) {
		n = split(seg, a, /[ \t]+/)
		skip = 0
		for (i = 1; i <= n; i++) {
			w = a[i]
			if (w == "")
				continue
			if (skip > 0) { skip--; continue }
			if (w ~ /^[A-Za-z_][A-Za-z0-9_]*=/ || w ~ /^[0-9]*[<>]/)
				continue
			if (w ~ /^-/)
				continue
			if (w ~ /^(timeout|exec|nice|nohup|env|setpriv|unshare|xargs|stdbuf|sudo|command|time|builtin)$/) {
				emit(w)
				if (w == "timeout") {
					# options, then the duration
					while (i < n && a[i + 1] ~ /^-/) {
						i++
						if (a[i] ~ /^-[sk]$/) i++
					}
					i++
				}
				continue
			}
			# What runs in a chroot comes from the tree inside it.
			if (w == "chroot") { emit(w); return }
			emit(w)
			return
		}
	}
	# code(LINE): LINE with quoted text blanked and every place a new
	# command may start turned into a newline.  The quoting state (a
	# stack: n plain, c "$(", p "(", A "$((", a "(" inside it, s single
	# quotes, d double quotes) carries over from line to line.
	function code(line,    out, i, c, c2, top) {
		out = ""
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			c2 = substr(line, i, 2)
			top = st[depth]
			if (top == "s") {
				if (c == "\047") depth--
				out = out " "
				continue
			}
			if (c == "\\") { i++; out = out " "; continue }
			if (top == "d") {
				if (c == "\"") depth--
				else if (c2 == "$(" && substr(line, i, 3) != "$((") {
					st[++depth] = "c"; i++; out = out "\n"; continue
				} else if (c == "`") { out = out "\n"; continue }
				out = out " "
				continue
			}
			if (top == "A" || top == "a") {
				if (c == "(") st[++depth] = "a"
				else if (c == ")" && top == "a") depth--
				else if (c2 == "))" && top == "A") { depth--; i++ }
				out = out " "
				continue
			}
			if (c == "\047") { st[++depth] = "s"; out = out " "; continue }
			if (c == "\"") { st[++depth] = "d"; out = out " "; continue }
			if (c == "#" && (i == 1 || substr(line, i - 1, 1) ~ /[ \t;(]/)) break
			if (substr(line, i, 3) == "$((") { st[++depth] = "A"; i += 2; out = out " "; continue }
			if (c2 == "$(") { st[++depth] = "c"; i++; out = out "\n"; continue }
			if (c == "(") { st[++depth] = "p"; out = out "\n"; continue }
			if (c == ")") {
				if (depth > 0 && (top == "c" || top == "p")) depth--
				out = out "\n"
				continue
			}
			if (c ~ /[|&;{}!`]/) { out = out "\n"; continue }
			out = out c
		}
		return out
	}
	FNR == 1 {
		heredoc = ""
		depth = 0
		st[0] = "n"
		make = (FILENAME ~ /(^|\/)Makefile$|\.mk$|^debian\/rules$/)
	}
	{
		line = $0
		if (heredoc != "") {
			t = line
			sub(/^[ \t]+/, "", t)
			if (t == heredoc) heredoc = ""
			next
		}
		if (make) {
			# Only recipe lines run commands, each in a shell of its own.
			if (line !~ /^\t/) next
			sub(/^\t[@+-]*/, "", line)
			gsub(/\$\((MAKE|Q)\)/, "make", line)
			depth = 0
		}
		if (depth == 0 && match(line, /<<-?[ \t]*["\047]?[A-Za-z_]+["\047]?/)) {
			heredoc = substr(line, RSTART, RLENGTH)
			sub(/^<<-?[ \t]*/, "", heredoc)
			gsub(/["\047]/, "", heredoc)
		}
		n = split(code(line), segs, "\n")
		for (s = 1; s <= n; s++) {
			seg = segs[s]
			sub(/^[ \t]+/, "", seg)
			while (seg ~ /^(then|do|else|elif|if|while|until|in)[ \t]/)
				sub(/^[a-z]+[ \t]+/, "", seg)
			if (seg ~ /^(case|for|select|function)[ \t]/) continue
			first_command(seg)
		}
	}' "$@"
}

mapfile -t files < <(scripts)
# Functions the scripts define are not programs.
functions=$(grep -hoE '^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*\(\)' "${files[@]}" |
	tr -d ' \t()' | sort -u)
deps_d=${LGUEST_DEPS_D:-tools/deps.d}
listed=$(sed 's/#.*//' "$deps_d"/*.list | tr -s ' \t' '\n' | sed '/^$/d; s/:.*//' | sort -u)
essential=$(dpkg-query -W -f='${Package} ${Essential}\n' | awk '$2 == "yes" { print $1 }')

# Scripts that run inside the QEMU Host, whose programs are busybox's
# applets (tests/bench/run-vm.sh installs them) and the payload's.
in_host='^tests/(vm/|bench/(initramfs-init|vmlib)\.sh)'
applets=$(busybox --list 2>/dev/null)

# candidates PATH: the names under which dpkg may know PATH, in order:
# the path itself, then each symlink it leads through (cc ->
# /etc/alternatives/cc -> /usr/bin/gcc), each also with /bin = /usr/bin.
candidates() {
	local p=$1 hop next
	for hop in 1 2 3 4 5 6; do
		echo "$p"
		case $p in
		/usr/bin/* | /usr/sbin/*) echo "${p#/usr}" ;;
		/bin/* | /sbin/*) echo "/usr$p" ;;
		esac
		[ -L "$p" ] || return
		next=$(readlink "$p")
		case $next in
		/*) p=$next ;;
		*) p=$(dirname "$p")/$next ;;
		esac
	done
}

# The programs to look up: "COMMAND<TAB>WHERE<TAB>PATH", one per command
# (and per place it runs: this machine, or the QEMU Host).
declare -A seen
mapfile -t programs < <(words "${files[@]}" | sort -t$'\t' -k1,1 -s |
	while IFS=$'\t' read -r cmd where; do
		class=host
		[[ $where =~ $in_host ]] && class=vm
		[ -n "${seen[$cmd/$class]:-}" ] && continue
		seen[$cmd/$class]=1
		grep -qx -- "$cmd" <<<"$functions" && continue
		[ $class = vm ] && grep -qx -- "$cmd" <<<"$applets" && continue
		[ "$(type -t -- "$cmd" 2>/dev/null)" = file ] || continue
		printf '%s\t%s\t%s\n' "$cmd" "$where" "$(type -P -- "$cmd")"
	done)

# One dpkg call for every candidate name: "PATH<TAB>PACKAGE".
declare -A owner
while IFS=$'\t' read -r path pkg; do
	owner[$path]=$pkg
done < <(for line in "${programs[@]}"; do candidates "${line##*$'\t'}"; done |
	sort -u | xargs -r dpkg -S 2>/dev/null | grep -v '^diversion' |
	sed -n 's/^\([^:]*\)\(:[a-z0-9]*\)\?\(, [^:]*\)*: \(.*\)$/\4\t\1/p')

bad=0
for line in "${programs[@]}"; do
	IFS=$'\t' read -r cmd where path <<<"$line"
	pkg=
	while read -r cand; do
		pkg=${owner[$cand]:-}
		[ -n "$pkg" ] && break
	done < <(candidates "$path")
	if [ -z "$pkg" ]; then
		echo "FAIL deps-$cmd: '$cmd' ($where) is $path, which no Debian package ships"
		bad=$((bad + 1))
		continue
	fi
	[ -n "$verbose" ] && echo "    $cmd: $pkg ($where)"
	if ! grep -qx -- "$pkg" <<<"$listed" && ! grep -qx -- "$pkg" <<<"$essential"; then
		echo "FAIL deps-$cmd: '$cmd' ($where) is in package $pkg, which is neither Essential nor in $deps_d"
		bad=$((bad + 1))
	fi
done

if [ $bad -eq 0 ]; then
	echo "PASS deps-complete: ${#programs[@]} commands in ${#files[@]} scripts, each from a listed or Essential package"
	exit 0
fi
exit 1
