/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hl_ctrl.h - how the hostile Launchers (tests/hostile/) and their test
 * Guest (tests/guests/hostile-mirror.c) talk: fixed Guest-physical pages.
 *
 * The Guest loops: it copies IN[0] to OUT[1], counts in OUT[0], and runs
 * the command in the control page whenever its "cmd" word changes, then
 * writes the result and sets "ack" to the command word.  Both sides are
 * freestanding-friendly: fixed-width types only.
 */
#ifndef _HL_CTRL_H
#define _HL_CTRL_H

/* Guest memory is HL_MEM_MB MiB; these pages lie inside it. */
#define HL_MEM_MB	8
#define HL_CTRL_PA	0x300000U	/* struct hl_ctrl */
#define HL_IN_PA	0x301000U	/* the word the Guest reads */
#define HL_OUT_PA	0x302000U	/* OUT[0] count, OUT[1] copy of IN[0] */
#define HL_DMA_PA	0x303000U	/* scratch for DMA descriptors and data */
#define HL_KEY_PA	0x310000U	/* a page two Guests may share: DMA keys */
#define HL_SPARE_PA	0x400000U	/* 16 pages nobody touches unasked */

/* Commands: cmd = (sequence << 8) | op. */
#define HL_OP_BIND	1	/* BIND_DMA(arg0, arg1, arg2); result: its return */
#define HL_OP_SEND	2	/* SEND_DMA(arg0, arg1); result: used_len */
#define HL_OP_POWER	3	/* power off */
#define HL_OP_TOUCH	4	/* read a word of arg1 pages from gpa arg0 */
#define HL_OP_HALT	5	/* halt until an interrupt, forever */

struct hl_ctrl {
	__u32 cmd;
	__u32 arg[3];
	__u32 ack;
	__u32 result;
};

#endif /* _HL_CTRL_H */
