/* SPDX-License-Identifier: GPL-2.0 */
/* Test fixture: a tiny 32-bit kernel that carries the lguest ELF note. */
#include "../guests/lguest_note.S"

	.text
	.globl _start
_start:
	hlt
