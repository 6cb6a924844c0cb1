// SPDX-License-Identifier: GPL-2.0
/*
 * buggy-kmod-leak: a deliberately buggy module for the debug Host's
 * self-test (tests/suites/58-debug-host.sh): it allocates 64 bytes and
 * forgets the only pointer, so kmemleak must report an unreferenced object.
 */
#include <linux/module.h>
#include <linux/slab.h>

static void *buggy_leak;

static int __init buggy_leak_init(void)
{
	WRITE_ONCE(buggy_leak, kmalloc(64, GFP_KERNEL));
	if (!buggy_leak)
		return -ENOMEM;
	memset(buggy_leak, 0x6b, 64);
	WRITE_ONCE(buggy_leak, NULL);
	pr_info("buggy_kmod_leak: leaked 64 bytes\n");
	return 0;
}
module_init(buggy_leak_init);

MODULE_DESCRIPTION("Leaks a kmalloc on purpose (lguest debug Host self-test)");
MODULE_LICENSE("GPL");
