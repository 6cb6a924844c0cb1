#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# block-shell.sh: the Debian Guest booted from its lguest disk with
# "lguest.shell" (the image's simple init, lguest-init; Debian's systemd
# does not come up on our Guest kernel's small config) gives a login-less
# root shell on its console, which is the
# Launcher's standard input and output: we type into it, read the answers,
# leave the shell, and the Guest powers off (Launcher exit 0).
# Needs: the payload's bzImage, the root image as /dev/vda.
. /lguest/vmlib.sh
P=${PAYLOAD:-/payload}
in=/tmp/shell.in
out=/tmp/shell.out

load_module || { fail shell-insmod "insmod failed"; exit 1; }
dmesg_mark
rm -f "$in"
mkfifo "$in"
lguest-launch --block=/dev/vda 256 "$P/bzImage" root=/dev/lgba \
	console=hvc0 lguest.shell <"$in" >"$out" 2>&1 &
pid=$!
exec 3>"$in"
n=0
while [ $n -lt 180 ] && ! grep -q 'root shell on' "$out"; do
	kill -0 $pid 2>/dev/null || break
	sleep 1
	n=$((n + 1))
done
if grep -q 'root shell on' "$out"; then
	pass shell-prompt
else
	fail shell-prompt "no root shell after ${n}s: $(tail -1 "$out")"
fi
sleep 2
echo 'echo "SHELL-ANSWER $((6 * 7)) $(id -un) $(dpkg -l | grep -c "^ii")"; exit' >&3
n=0
while [ $n -lt 120 ] && kill -0 $pid 2>/dev/null; do
	sleep 1
	n=$((n + 1))
done
exec 3>&-
kill -9 $pid 2>/dev/null
wait $pid
rc=$?
# (bash wraps its output in terminal escapes: look for the answer anywhere.)
answer=$(tr -d '\r' <"$out" | grep -o 'SHELL-ANSWER [0-9]* [a-z]* [0-9]*' | tail -1)
echo "shell: '$answer', Launcher exit $rc"
case $answer in
"SHELL-ANSWER 42 root "[1-9]*) pass shell-commands ;;
*)
	fail shell-commands "no answer from the shell"
	tr -d '\r' <"$out" | tail -15 | sed 's/^/guest| /'
	;;
esac
[ "$rc" = 0 ] && pass shell-exit-poweroff ||
	fail shell-exit-poweroff "Launcher exit $rc after the shell was left"
w=$(dmesg_warnings)
[ -z "$w" ] && pass shell-host-dmesg || fail shell-host-dmesg "$(echo "$w" | head -1)"
