/* SPDX-License-Identifier: GPL-2.0 */
/* Test fixture: a tiny 32-bit kernel that carries the lguest ELF note. */
	.section .note.lguest, "a", @note
	.balign 4
	.long 2f - 1f		/* name size */
	.long 4f - 3f		/* descriptor size */
	.long 1			/* LGUEST_ELFNOTE_ABI */
1:	.asciz "lguest"
2:	.balign 4
3:	.long 1			/* LGUEST_ABI_VERSION */
4:	.balign 4

	.text
	.globl _start
_start:
	hlt
