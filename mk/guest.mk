# SPDX-License-Identifier: GPL-2.0
#
# The Guest kernel: Debian's linux-source-6.1 plus guest-patches/.
#
#   make guest-kernel        build build/guest/bzImage (cached)
#   make guest-abi-check     the ABI header copy inside the patch series
#                            matches include/lguest_abi.h
#   make guest-abi-refresh   regenerate that patch from include/lguest_abi.h

guest-kernel:
	tools/build-guest-kernel.sh

guest-abi-check:
	guest-patches/check-abi.sh

guest-abi-refresh:
	guest-patches/refresh-abi.sh

.PHONY: guest-kernel guest-abi-check guest-abi-refresh
