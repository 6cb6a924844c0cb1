#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tour.sh [LETTERS]: print lguest's literate tour in reading order.  Tour
# comments open with a letter and a number ("/*H:010", "/*L:100") and end
# at "*/" or ":*/".  LETTERS picks parts, in order (default "PGDLHSM": the
# overview, the Guest, its drivers, the Launcher, the Host, the Switcher,
# and what is left to do).  TOUR_ROOT,
# if set, names the tree to read instead of the one this script is in.
set -euo pipefail
cd "${TOUR_ROOT:-$(dirname "$0")/..}"
parts=${1:-PGDLHSM}

files=$(git ls-files 2>/dev/null | grep -E '\.(c|h|S|patch)$' || true)
# Outside a git checkout: the sources, not the build's copies of them.
[ -n "$files" ] || files=$(find . -path ./build -prune -o \( -name '*.[chS]' -o -name '*.patch' \) -print)

for ((i = 0; i < ${#parts}; i++)); do
	letter=${parts:i:1}
	# Pull every comment that starts with /*LETTER:NNN, tagged with its
	# number, sort by number and print it with where it came from.
	awk -v L="$letter" '
		function flush() { if (text != "") print num "\t" FILENAME "\t" text; text = "" }
		FNR == 1 { patch = FILENAME ~ /\.patch$/; skip = 0 }
		# In a patch only added lines count, and the Guest patches
		# carry a copy of the ABI header whose tour is already told.
		patch && /^\+\+\+ / { skip = $2 ~ /lguest_abi\.h$/; next }
		patch && (skip || !/^\+/) { next }
		{ line = $0; sub(/^\+/, "", line) }
		!on && match(line, "/\\*" L ":[0-9]+") {
			on = 1
			num = substr(line, RSTART + 4, RLENGTH - 4)
			line = substr(line, RSTART + RLENGTH)
		}
		on {
			# A passage ends at "*/" or ":*/": drop the closer, and
			# its colon, but no colon that ends a sentence.
			end = index(line, "*/")
			if (end) { line = substr(line, 1, end - 1); sub(/:$/, "", line) }
			sub(/^[ \t]*\* ?/, "", line)
			# The line of a lone closer adds nothing.
			if (!end || line !~ /^[ \t]*$/) text = text line "\\n"
			if (end) { on = 0; flush() }
		}' $files | sort -s -t "$(printf '\t')" -k1,1n |
		while IFS=$'\t' read -r num file text; do
			printf '%s:%s  (%s)\n%b\n' "$letter" "$num" "${file#./}" "$text"
		done
done
