/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lguest_abi.h - the one and only description of the lguest ABI.
 *
 * Three programs speak this ABI: the Host module (x86_64 kernel code), the
 * Launcher (x86_64 user space) and the Guest (32-bit x86 kernel code).  Every
 * structure here is therefore written with fixed-width types only, so that
 * all three see the same bytes at the same offsets.  Guest-physical addresses
 * and Guest pointers are 32 bits wide, because a Guest cannot form any other.
 *
 * The copy of this file carried by the Guest patch queue is checked against
 * this one by "make check-abi": if you change it here, regenerate the patch.
 */
#ifndef _LGUEST_ABI_H
#define _LGUEST_ABI_H

#if defined(LGUEST_ABI_FREESTANDING)
/* The freestanding test Guests have no Linux headers at all. */
typedef __UINT8_TYPE__ __u8;
typedef __UINT16_TYPE__ __u16;
typedef __UINT32_TYPE__ __u32;
typedef __UINT64_TYPE__ __u64;
#else
#include <linux/types.h>
#endif

/*G:030
 * The Guest talks to the Host in two ways.  The direct way is a hypercall:
 * the Guest puts a call number in %eax and up to three arguments in %edx,
 * %ebx and %ecx, then raises software interrupt 0x1F.  That vector sits just
 * below the ones real hardware interrupts use, and only ring 1 (the Guest
 * kernel) may raise it.  A result, where one makes sense, comes back in %eax.
 *
 * A Guest that passes nonsense is not told off with an error code: the Host
 * kills it and records why.  A correct Guest never notices, and a malicious
 * one learns nothing.
 */
#define LGUEST_TRAP_ENTRY	0x1F

#define LHCALL_FLUSH_ASYNC	0
#define LHCALL_LGUEST_INIT	1
#define LHCALL_CRASH		2
#define LHCALL_LOAD_GDT		3
#define LHCALL_NEW_PGTABLE	4
#define LHCALL_FLUSH_TLB	5
#define LHCALL_LOAD_IDT_ENTRY	6
#define LHCALL_SET_STACK	7
#define LHCALL_TS		8
#define LHCALL_SET_CLOCKEVENT	9
#define LHCALL_HALT		10
#define LHCALL_GET_WALLCLOCK	11
#define LHCALL_BIND_DMA		12
#define LHCALL_SEND_DMA		13
#define LHCALL_SET_PTE		14
#define LHCALL_SET_PMD		15
#define LHCALL_LOAD_TLS		16
/* One past the last valid call: anything at or above this kills the Guest. */
#define LHCALL_NR		17

/* The Guest's clock event device is programmed in nanoseconds. */
#define LG_CLOCK_MIN_DELTA	100U
#define LG_CLOCK_MAX_DELTA	0xFFFFFFFFU

/* Interrupt lines a Guest has: 0 is the timer, devices use 1 and up. */
#define LGUEST_IRQS		32

/* Slots in the asynchronous hypercall ring inside struct lguest_data. */
#define LHCALL_RING_SIZE	64

/* The ring's status bytes: the Guest writes PENDING, the Host writes DONE. */
#define LHCALL_STATUS_PENDING	0x00
#define LHCALL_STATUS_DONE	0xFF

/*G:032
 * One slot of the asynchronous hypercall ring: the same four registers a
 * direct hypercall would have carried.
 */
struct hcall_ring {
	__u32 eax, edx, ebx, ecx;
};

/*G:033
 * The other way the Guest and Host talk is struct lguest_data, a page of
 * Guest memory whose address the Guest hands over with its very first
 * hypercall (LHCALL_LGUEST_INIT).  After that both sides read and write it
 * without asking, which is much cheaper than a hypercall.
 */
struct lguest_data {
	/*
	 * X86_EFLAGS_IF (512) while the Guest accepts interrupts, 0 otherwise.
	 * The Guest flips this many times a second, so it is a memory write,
	 * never a hypercall.
	 */
	__u32 irq_enabled;
	/* Interrupt lines the Guest has masked, one bit each. */
	__u32 blocked_interrupts[LGUEST_IRQS / 32];

	/* The Host writes the faulting address of the last page fault here. */
	__u32 cr2;

	/*
	 * The asynchronous hypercall ring.  The Guest fills a slot and sets
	 * its status to LHCALL_STATUS_PENDING; the Host runs pending calls in
	 * order the next time the Guest enters it, then marks them DONE.
	 */
	__u8 hcall_status[LHCALL_RING_SIZE];
	struct hcall_ring hcalls[LHCALL_RING_SIZE];

	/* Filled by the Host at LHCALL_LGUEST_INIT: */
	/* Bytes at the top of the Guest's virtual space it must not touch. */
	__u32 reserve_mem;
	/* This Guest's number, unique on the Host (used for MAC addresses). */
	__u16 guestid;
	/* The Host's TSC frequency in kHz, so the Guest need not calibrate. */
	__u32 tsc_khz;

	/* Filled by the Guest before LHCALL_LGUEST_INIT: */
	/* Interrupts are never delivered while EIP is in [start, end). */
	__u32 noirq_start, noirq_end;
};

/*D:200
 * Lguest I/O is two hypercalls and one structure.  SEND_DMA hands the Host a
 * buffer for a key; BIND_DMA offers the Host an array of receive buffers for
 * a key, with the interrupt to raise when one is filled.  A buffer is
 * described by struct lguest_dma: up to sixteen (address, length) pieces of
 * Guest-physical memory, the list ending early at the first zero length.
 *
 * Keys are, by convention, Guest-physical addresses inside a device's page,
 * so two devices never clash, and a page shared by several Guests gives them
 * all the same key: that is what lets the Host copy straight from one Guest
 * to another (the Futex Trick).
 */
#define LGUEST_MAX_DMA_SECTIONS	16
/* How many keys one Guest may have bound at once. */
#define LGUEST_MAX_DMA		10

struct lguest_dma {
	/* 0 while the buffer is free; the Host writes the bytes it used. */
	__u32 used_len;
	__u32 addr[LGUEST_MAX_DMA_SECTIONS];
	__u16 len[LGUEST_MAX_DMA_SECTIONS];
};

/* Console output goes to this key; the Launcher picks it up. */
#define LGUEST_CONSOLE_DMA_KEY	0

/*D:460
 * A block device's page: the Launcher writes the capacity, the Guest writes
 * the request (type, sector, length) and SEND_DMAs the page's key, and the
 * Launcher writes the result before replying into the Guest's bound buffer.
 * A write carries its data in the DMA it sends; a read sends an empty DMA
 * and gets its data in the reply.  A flush (no data) asks that every write
 * already completed be on stable storage before the reply.  A device whose
 * descriptor has LGUEST_BLOCK_F_READONLY fails every write and flush.
 */
struct lguest_block_page {
	__u32 type;		/* 0 is a read, 1 is a write */
	__u32 sector;		/* Offset in 512-byte sectors */
	__u32 bytes;		/* Length of the request */
	__u32 result;		/* 0 pending, 1 done, 2 error */
	__u32 num_sectors;	/* Capacity: num_sectors * 512 bytes */
};

#define LGUEST_BLOCK_READ	0
#define LGUEST_BLOCK_WRITE	1
#define LGUEST_BLOCK_FLUSH	2
#define LGUEST_BLOCK_PENDING	0
#define LGUEST_BLOCK_DONE	1
#define LGUEST_BLOCK_ERROR	2

/*D:520
 * A network device's page is an array of these: each Guest on the network
 * publishes its MAC address in its own slot.  A set multicast bit in a slot
 * means that Guest wants every frame (promiscuous mode).  The Launcher tells
 * the Guest which slot is its own in the low bits of the descriptor's
 * features (LGUEST_NET_F_SLOT_MASK), and each slot's receive key is the
 * page's Guest-physical address plus four times the slot number.
 */
struct lguest_net {
	__u8 mac[6];
};

/* How many slots one 4096-byte network page holds. */
#define LGUEST_NET_SLOTS	682

/*D:010
 * Devices are described by an array of LGUEST_MAX_DEVICES of these, which
 * the Launcher places in the page just above the top of Guest memory: room
 * for five devices that do I/O (each binding at most two of the
 * LGUEST_MAX_DMA keys a Guest may hold), and one more for the power button,
 * which binds none.  A slot whose type is 0 is empty.
 */
#define LGUEST_MAX_DEVICES	(LGUEST_MAX_DMA / 2 + 1)

struct lguest_device_desc {
	__u16 type;
#define LGUEST_DEVICE_T_CONSOLE		1
#define LGUEST_DEVICE_T_NET		2
#define LGUEST_DEVICE_T_BLOCK		3
#define LGUEST_DEVICE_T_POWER		4	/* D:100: the power button */
	__u16 features;
#define LGUEST_NET_F_SLOT_MASK		0x03FF	/* Net: our slot in the page */
#define LGUEST_BLOCK_F_READONLY		0x0001	/* Block: writes will fail */
#define LGUEST_NET_F_NOCSUM		0x4000	/* No checksums needed */
#define LGUEST_DEVICE_F_RANDOMNESS	0x8000	/* IRQ timing is random */
	__u16 status;
#define LGUEST_DEVICE_S_ACKNOWLEDGE	1	/* Guest has seen it */
#define LGUEST_DEVICE_S_DRIVER		2	/* A driver has claimed it */
#define LGUEST_DEVICE_S_DRIVER_OK	4	/* The driver is ready */
#define LGUEST_DEVICE_S_REMOVED		8	/* Host removed it */
#define LGUEST_DEVICE_S_REMOVED_ACK	16	/* Driver saw the removal */
#define LGUEST_DEVICE_S_FAILED		128	/* Something went wrong */
	__u16 num_pages;
	__u32 pfn;
};

/*D:100
 * The power button (LGUEST_DEVICE_T_POWER) is how the Host asks a Guest to
 * shut down cleanly, the way a PC's ACPI power button does.  It has no
 * pages, binds no DMA and sends none: it is a descriptor and an interrupt.
 *
 * The Guest's driver claims it and asks for its interrupt; the bus then
 * sets DRIVER_OK in its status, which tells the Launcher someone is
 * listening.  When the Launcher is asked to stop the Guest (SIGTERM), it
 * looks at that status: with DRIVER_OK set it raises the device's
 * interrupt once and gives the Guest a while to power itself off; the
 * driver answers with orderly_poweroff(), which runs the Guest's
 * /sbin/poweroff (its init then stops everything and powers off), forcing
 * the power off if that cannot be run.  Without DRIVER_OK (a kernel with no
 * driver, or one still booting) the Launcher just stops, as it always did.
 * The Launcher puts the button after every other device, so a Guest that
 * only knows five slots still finds all the others.
 */

/*L:010
 * The Launcher controls a Guest through /dev/lguest.  Every write() is an
 * array of 64-bit words whose first word is one of these requests; the
 * arguments follow.  The Launcher is a 64-bit program, so the Guest's memory
 * base (an address in the Launcher) needs all 64 bits.
 *
 *   LHREQ_INITIALIZE, base, pfnlimit, pgdir, start, page_offset
 *	Guest-physical 0 is Launcher address "base"; the Guest has
 *	"pfnlimit" pages; "pgdir" is the Guest-physical address of its first
 *	page directory; execution begins at Guest-virtual "start"; the kernel
 *	is linked at "page_offset".
 *   LHREQ_GETDMA, key
 *	Returns the Guest-physical address of a free buffer bound to "key"
 *	(its interrupt number is written into its used_len field), or fails
 *	with ENOENT.
 *   LHREQ_IRQ, irq
 *	Raises a Guest interrupt.
 *   LHREQ_BREAK, on
 *	on=1 makes a running read() return EAGAIN and blocks the writer until
 *	on=0 is written; on=0 releases it.
 *   LHREQ_STATS, user_address, length
 *	Copies the Guest's struct lguest_stats (L:015) to "user_address":
 *	the first min(length, sizeof) bytes of the Host's, and returns how
 *	many bytes it copied.  Fails with EINVAL if "length" is below 8 (too
 *	short for the size field) or above LGUEST_STATS_MAX, and with EFAULT
 *	if the buffer cannot be written.  It works on a dead Guest too.
 *
 * read() runs the Guest.  It returns a struct lguest_pending when the Guest
 * sent DMA that no Host-side binding consumed, fails with EAGAIN after a
 * break, EINTR on a signal, and ENOENT once the Guest is dead: a further
 * read() then returns the reason as text.
 */
enum lguest_req {
	LHREQ_INITIALIZE,
	LHREQ_GETDMA,
	LHREQ_IRQ,
	LHREQ_BREAK,
	LHREQ_STATS,
};

/* What read() returns when the Guest sent DMA the Launcher must handle. */
struct lguest_pending {
	__u32 dma;	/* Guest-physical address of the struct lguest_dma */
	__u32 key;	/* The key it was sent to */
};

/* The Launcher's reason text is at most this long, terminator included. */
#define LGUEST_REASON_MAX	1024

/*L:015
 * What a Guest cost, in events: LHREQ_STATS copies this out.  The Host
 * counts each event where it handles it, from the Guest's first entry
 * to its end, so after the Guest died (or between two read()s) the
 * counts are exact: every entry ended in exactly one exit, so "switches"
 * is the sum of the exit_* counters.  Read while a read() runs the Guest
 * they may be a few events apart.
 *
 * The structure only ever grows at its end.  "size" is the Host's
 * sizeof(struct lguest_stats), and LHREQ_STATS says how many bytes it
 * copied: a field the Launcher knows lies beyond either was not filled
 * (an older Host), and fields beyond the Launcher's own struct are
 * simply not copied (an older Launcher).  The arrays have room to spare
 * for the same reason: a new hypercall number must not move what follows.
 */
#define LGUEST_STATS_TRAPS	32	/* exit_trap[]: the exception vectors */
#define LGUEST_STATS_HCALLS	32	/* hcalls[]: room for every LHCALL_ */
/* No Launcher need ask for more than this; the Host refuses more. */
#define LGUEST_STATS_MAX	4096

struct lguest_stats {
	__u64 size;		/* The Host's sizeof(struct lguest_stats) */
	__u64 switches;		/* Guest entries: world switches */
	/* Why the Guest stopped: one of these for every entry. */
	__u64 exit_trap[LGUEST_STATS_TRAPS];	/* by vector, 31 the hypercall */
	__u64 exit_syscall;	/* the system call vector, 0x80 */
	__u64 exit_host_irq;	/* a Host interrupt (the Host ran it) */
	__u64 exit_switcher_fault;	/* the CPU refused the Guest's state */
	/* What the Host did about it. */
	__u64 hcall_traps;	/* "int $0x1F": exit_trap[LGUEST_TRAP_ENTRY] */
	__u64 hcalls[LGUEST_STATS_HCALLS];	/* calls run, by LHCALL_ number */
	__u64 hcalls_async;	/* how many of those came from the ring */
	__u64 traps_reflected;	/* exceptions delivered to the Guest */
	__u64 syscalls_reflected;	/* system calls delivered to the Guest */
	__u64 pf_fixed;		/* page faults the shadow tables fixed */
	__u64 pf_guest;		/* page faults passed to the Guest */
	__u64 irqs_delivered;	/* interrupts delivered to the Guest */
	__u64 io_emulated;	/* in and out instructions emulated */
	__u64 dma_host;		/* SEND_DMAs the Host copied to another Guest */
	__u64 dma_launcher;	/* SEND_DMAs handed to the Launcher */
};

/* The boot_params hardware_subarch value that means "you are an lguest". */
#define LGUEST_HARDWARE_SUBARCH	1

/*L:020
 * A kernel built with lguest support says so in an ELF note: owner
 * "lguest", type LGUEST_ELFNOTE_ABI, and a 32-bit descriptor holding the
 * LGUEST_ABI_VERSION it was built against.  The Launcher looks for it, so
 * a kernel without lguest support is refused with a clear message instead
 * of dying mysteriously on its first privileged instruction.  The version
 * changes whenever this header changes incompatibly.
 */
#define LGUEST_ABI_VERSION	1
#define LGUEST_ELFNOTE_NAME	"lguest"
#define LGUEST_ELFNOTE_ABI	1

/*
 * These layouts are shared by a 32-bit and a 64-bit compiler: pin them down
 * so a change that would make the two disagree fails to build.
 */
#define LGUEST_ABI_ASSERT(cond, what) _Static_assert(cond, what)
LGUEST_ABI_ASSERT(sizeof(struct hcall_ring) == 16, "hcall_ring size");
LGUEST_ABI_ASSERT(sizeof(struct lguest_data) == 1120, "lguest_data size");
LGUEST_ABI_ASSERT(__builtin_offsetof(struct lguest_data, hcalls) == 76,
		  "lguest_data.hcalls offset");
LGUEST_ABI_ASSERT(__builtin_offsetof(struct lguest_data, tsc_khz) == 1108,
		  "lguest_data.tsc_khz offset");
LGUEST_ABI_ASSERT(sizeof(struct lguest_dma) == 100, "lguest_dma size");
LGUEST_ABI_ASSERT(sizeof(struct lguest_block_page) == 20,
		  "lguest_block_page size");
LGUEST_ABI_ASSERT(sizeof(struct lguest_device_desc) == 12,
		  "lguest_device_desc size");
LGUEST_ABI_ASSERT(sizeof(struct lguest_pending) == 8, "lguest_pending size");
LGUEST_ABI_ASSERT(sizeof(struct lguest_stats) == 632, "lguest_stats size");
LGUEST_ABI_ASSERT(__builtin_offsetof(struct lguest_stats, hcall_traps) == 296,
		  "lguest_stats.hcall_traps offset");
LGUEST_ABI_ASSERT(__builtin_offsetof(struct lguest_stats, dma_launcher) == 624,
		  "lguest_stats.dma_launcher offset");
LGUEST_ABI_ASSERT(sizeof(struct lguest_stats) <= LGUEST_STATS_MAX,
		  "lguest_stats fits what a Launcher may ask for");
LGUEST_ABI_ASSERT(LHCALL_NR <= LGUEST_STATS_HCALLS,
		  "every hypercall has its counter");
LGUEST_ABI_ASSERT(LGUEST_NET_SLOTS * sizeof(struct lguest_net) <= 4096 &&
		  (LGUEST_NET_SLOTS + 1) * sizeof(struct lguest_net) > 4096,
		  "LGUEST_NET_SLOTS fills one page");
LGUEST_ABI_ASSERT(LGUEST_NET_SLOTS <= LGUEST_NET_F_SLOT_MASK,
		  "every slot fits in the features field");

#endif /* _LGUEST_ABI_H */
