#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# exec-words.sh UNIT INSTANCE [ENVFILE]: the words of UNIT's ExecStart= for
# INSTANCE, one per line, as systemd would pass them with the unit's
# Environment= defaults and then ENVFILE (an EnvironmentFile=) applied.
# systemd cannot run here (PID 1 is not systemd), so this does the same
# for the small part of its syntax lguest@.service and its example use,
# and refuses (status 2, a message) anything beyond it rather than guess:
#
#  - the specifiers %i (INSTANCE), %t (/run, a system unit's) and %%;
#  - Environment=KEY=VALUE, one assignment a line, no quotes;
#  - the EnvironmentFile: blank lines, "#" and ";" comments, KEY=VALUE with
#    VALUE plain or wholly in "..." or '...', with no backslash, quote or $
#    inside (systemd.exec(5), EnvironmentFile=);
#  - ExecStart= one line, no quotes or backslashes, no prefix characters:
#    a word that is exactly $KEY becomes the value split at whitespace
#    (zero or more words), ${KEY} inside a word is replaced by the value
#    in place (one word), an unset KEY being empty (systemd.service(5),
#    "Command lines").
set -euo pipefail
unit=${1:?usage: exec-words.sh UNIT INSTANCE [ENVFILE]}
instance=${2:?usage: exec-words.sh UNIT INSTANCE [ENVFILE]}
envfile=${3:-}
die() { echo "exec-words.sh: $*" >&2; exit 2; }
declare -A env=()

specifiers() {
	local s=$1 out=
	while [[ $s == *%* ]]; do
		out+=${s%%\%*}
		s=${s#*%}
		case ${s:0:1} in
		i) out+=$instance ;;
		t) out+=/run ;;
		%) out+=% ;;
		*) die "specifier %${s:0:1} not handled" ;;
		esac
		s=${s:1}
	done
	printf '%s' "$out$s"
}

exec_start=
while IFS= read -r line; do
	case $line in
	Environment=*)
		a=${line#Environment=}
		[[ $a =~ ^[A-Za-z_][A-Za-z0-9_]*=[^\"\'\\\ \$]*$ ]] ||
			die "Environment= line not handled: $line"
		env[${a%%=*}]=$(specifiers "${a#*=}")
		;;
	ExecStart=*)
		[ -z "$exec_start" ] || die "more than one ExecStart="
		exec_start=${line#ExecStart=}
		;;
	esac
done <"$unit"
[ -n "$exec_start" ] || die "no ExecStart= in $unit"
[[ $exec_start != *[\"\'\\]* ]] || die "quotes or backslashes in ExecStart="
[[ $exec_start == /* ]] || die "ExecStart= does not start with an absolute path"

if [ -n "$envfile" ]; then
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line#"${line%%[![:space:]]*}"}
		case $line in '' | '#'* | ';'*) continue ;; esac
		[[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] ||
			die "not KEY=VALUE in $envfile: $line"
		key=${BASH_REMATCH[1]}
		value=${BASH_REMATCH[2]}
		value=${value%"${value##*[![:space:]]}"}
		if [[ $value =~ ^\"([^\"\'\\\$]*)\"$ ]] || [[ $value =~ ^\'([^\"\'\\\$]*)\'$ ]]; then
			value=${BASH_REMATCH[1]}
		elif [[ $value == *[\"\'\\\$]* ]]; then
			die "quoting not handled in $envfile: $line"
		fi
		env[$key]=$value
	done <"$envfile"
fi

read -ra words <<<"$exec_start"
for w in "${words[@]}"; do
	w=$(specifiers "$w")
	if [[ $w =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
		read -ra split <<<"${env[${BASH_REMATCH[1]}]:-}"
		for s in ${split[@]+"${split[@]}"}; do
			printf '%s\n' "$s"
		done
		continue
	fi
	while [[ $w =~ ^(.*)\$\{([A-Za-z_][A-Za-z0-9_]*)\}(.*)$ ]]; do
		w=${BASH_REMATCH[1]}${env[${BASH_REMATCH[2]}]:-}${BASH_REMATCH[3]}
	done
	[[ $w != *\$* ]] || die "\$ not handled in the word $w"
	printf '%s\n' "$w"
done
