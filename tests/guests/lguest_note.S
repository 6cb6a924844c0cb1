/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lguest ELF note, for assembly files of the test kernels (the test
 * Guests' crt0.S and the unit tests' fixture): owner "lguest", type
 * LGUEST_ELFNOTE_ABI (1), descriptor LGUEST_ABI_VERSION (1).  The Launcher
 * only runs kernels that carry it.
 */
	.pushsection .note.lguest, "a", @note
	.balign 4
	.long 2f - 1f		/* name size */
	.long 4f - 3f		/* descriptor size */
	.long 1			/* LGUEST_ELFNOTE_ABI */
1:	.asciz "lguest"
2:	.balign 4
3:	.long 1			/* LGUEST_ABI_VERSION */
4:	.balign 4
	.popsection
