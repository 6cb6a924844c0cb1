# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: a test that fails without saying so.
echo "no result lines here"
exit 3
