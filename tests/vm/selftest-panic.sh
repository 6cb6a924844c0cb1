# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: crash the Host kernel on purpose.
echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
