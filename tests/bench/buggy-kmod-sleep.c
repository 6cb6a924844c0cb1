// SPDX-License-Identifier: GPL-2.0
/*
 * buggy-kmod-sleep: a deliberately buggy module for the debug Host's
 * self-test (tests/suites/58-debug-host.sh): it takes a mutex (which may
 * sleep) while holding a spinlock, so DEBUG_ATOMIC_SLEEP must report
 * "BUG: sleeping function called from invalid context".  The mutex is
 * free, so nothing really sleeps and the Host carries on.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(buggy_spin);
static DEFINE_MUTEX(buggy_mutex);

static int __init buggy_sleep_init(void)
{
	spin_lock(&buggy_spin);
	mutex_lock(&buggy_mutex);
	mutex_unlock(&buggy_mutex);
	spin_unlock(&buggy_spin);
	pr_info("buggy_kmod_sleep: took a mutex under a spinlock\n");
	return 0;
}
module_init(buggy_sleep_init);

MODULE_DESCRIPTION("Sleeps in atomic context on purpose (lguest debug Host self-test)");
MODULE_LICENSE("GPL");
