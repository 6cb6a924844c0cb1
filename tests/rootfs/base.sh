# SPDX-License-Identifier: GPL-2.0
# The recipe for the Debian base tree of the Guest root filesystem: release,
# architecture, packages and the configuration done inside the chroot.
# Sourced by build-rootfs.sh; the cache key of the base tree is a hash of
# this file and debootstrap's version, so any change here rebuilds it (and
# nothing else does: the files added on top live in overlay/ and guest-tests/).

ROOTFS_SUITE=bookworm
ROOTFS_ARCH=i386

# What the workloads need, what a login-less boot needs, and Debian's own
# i386 kernel with an initramfs so the image also boots natively.
ROOTFS_PACKAGES="
	stress-ng fio iperf3 sysbench python3
	iproute2 iputils-ping procps e2fsprogs util-linux kmod
	systemd-sysv udev
	linux-image-686 initramfs-tools
"

# rootfs_configure TREE: finish the tree inside the chroot.  Nothing is
# mounted: these commands need neither /proc nor /dev.
rootfs_configure() {
	local tree=$1

	# /sbin/init becomes our wrapper (overlay/usr/sbin/init), which runs the
	# Guest tests when the kernel command line asks and systemd otherwise.
	chroot "$tree" dpkg-divert --quiet --local --rename --add /sbin/init
	# Login-less: root has no password (autologin and the simple init
	# never ask for one anyway).
	chroot "$tree" passwd --quiet --delete root
	# A native boot with console=hvc0 (virtio-console, the nearest thing
	# to lguest's console) needs hvc0 before the initramfs hands over
	# /dev/console to init.
	echo virtio_console >>"$tree/etc/initramfs-tools/modules"
	chroot "$tree" update-initramfs -u -k all >/dev/null 2>&1
	chroot "$tree" apt-get clean
	rm -rf "$tree"/var/lib/apt/lists/* "$tree"/var/log/*.log
}
