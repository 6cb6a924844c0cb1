// SPDX-License-Identifier: GPL-2.0
/*H:000
 * Welcome to the Host.
 *
 * The Host is the Linux kernel that runs Guests.  All of its lguest support
 * is this one module, lguest.ko, which an ordinary user loads with modprobe
 * (DKMS builds it for whatever kernel they run).  It creates /dev/lguest, and
 * a Launcher process that opens it becomes the home of one Guest: the Guest's
 * memory is part of the Launcher's address space, the Guest runs whenever the
 * Launcher reads from the device, and when the Launcher exits, the Guest is
 * gone and every resource the Host held for it is freed.
 *
 * This file is where the module starts and ends.
 */
#include <linux/module.h>
#include <linux/init.h>
#include "lg.h"

/*H:010
 * Loading the module checks that this CPU can host Guests at all and then
 * registers /dev/lguest.  Nothing is set up per CPU until a Guest runs.
 */
static int __init lguest_init(void)
{
	int err;

	if (!IS_ENABLED(CONFIG_X86_64)) {
		pr_err("lguest: this Host architecture is not supported yet\n");
		return -ENODEV;
	}

	err = lguest_device_init();
	if (err)
		return err;

	pr_info("lguest: /dev/lguest ready (ABI: %u hypercalls, %u IRQs)\n",
		LHCALL_NR, LGUEST_IRQS);
	return 0;
}

/*H:020
 * The module can only be removed when no Launcher holds /dev/lguest open:
 * the misc device's file operations pin the module while a file is open.
 */
static void __exit lguest_exit(void)
{
	lguest_device_remove();
}

module_init(lguest_init);
module_exit(lguest_exit);

MODULE_DESCRIPTION("lguest: paravirtual hypervisor for Linux Guests");
MODULE_AUTHOR("The lguest developers");
MODULE_LICENSE("GPL");
