# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: a test that never finishes.
echo "sleeping"
sleep 100000
