/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lg.h - what the pieces of the Host module share with each other.
 */
#ifndef _LGUEST_LG_H
#define _LGUEST_LG_H

#include <linux/types.h>
#include <lguest_abi.h>

int lguest_device_init(void);
void lguest_device_remove(void);

#endif /* _LGUEST_LG_H */
