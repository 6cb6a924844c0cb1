// SPDX-License-Identifier: GPL-2.0
/*
 * ring3: iret to user mode and back.  int $0x80 reaches our handler; the
 * doors into the Host and privileged instructions fault into our kernel.
 */
#include "runtime.h"

static u64 gdt[32];
static char kstack[8192] __attribute__((aligned(16)));
char ustack[4096] __attribute__((aligned(4096)));
u32 saved_esp;
static volatile u32 syscalls, syscall_cs, syscall_arg;
volatile u32 user_vecs[8], user_errs[8];
u32 secret_page[1024] __attribute__((aligned(4096)));

void back_to_kernel(void);
void user_code(void);
void enter_user(void);

static void sys_handler(struct trap_frame *f)
{
	if (f->vec != 0x80)
		return;
	syscalls++;
	syscall_cs = f->cs;
	syscall_arg = f->ebx;
	if (f->eax == 0) {
		/* "exit": continue in the kernel where we left it. */
		f->cs = KERNEL_CS;
		f->eip = (u32)back_to_kernel;
	}
}

/*
 * User code: each faulting instruction has a recovery label so the
 * kernel's trap handler can step over it (trap_recover is set from the
 * user side, it is just memory).
 */
asm(".text\n"
	"user_code:\n"
	"	movl $0, %eax; movl $0x1234, %ebx; movl $1, %eax; int $0x80\n"
	"	movl $1f, trap_recover; sysenter; 1:\n"
	"	movl trap_vec, %eax; movl %eax, user_vecs+0; movl trap_err, %eax; movl %eax, user_errs+0\n"
	"	movl $1f, trap_recover; syscall; 1:\n"
	"	movl trap_vec, %eax; movl %eax, user_vecs+4\n"
	"	movl $1f, trap_recover; int $0x1f; 1:\n"
	"	movl trap_vec, %eax; movl %eax, user_vecs+8; movl trap_err, %eax; movl %eax, user_errs+8\n"
	"	movl $1f, trap_recover; cli; 1:\n"
	"	movl trap_vec, %eax; movl %eax, user_vecs+12\n"
	"	movl $1f, trap_recover; inb $0x60, %al; 1:\n"
	"	movl trap_vec, %eax; movl %eax, user_vecs+16\n"
	"	movl $1f, trap_recover; movl secret_page, %eax; 1:\n"
	"	movl trap_vec, %eax; movl %eax, user_vecs+20; movl trap_err, %eax; movl %eax, user_errs+20\n"
	"	movl $1f, trap_recover; int $0x41; 1:\n"
	"	movl trap_vec, %eax; movl %eax, user_vecs+24; movl trap_err, %eax; movl %eax, user_errs+24\n"
	"	movl $0, %eax; int $0x80\n"
	"2:	jmp 2b\n"
	"enter_user:\n"
	"	pushl %ebp; pushl %ebx; pushl %esi; pushl %edi\n"
	"	movl %esp, saved_esp\n"
	"	movl $0x7b, %eax; movl %eax, %ds; movl %eax, %es\n"
	"	pushl $0x7b; pushl $ustack+4096; pushl $0x202; pushl $0x73\n"
	"	pushl $user_code\n"
	"	iret\n"
	"back_to_kernel:\n"
	"	movl $0x69, %eax; movl %eax, %ds; movl %eax, %es\n"
	"	movl saved_esp, %esp\n"
	"	popl %edi; popl %esi; popl %ebx; popl %ebp\n"
	"	ret\n");

/* Clear the user bit of the page holding @p. */
static void make_supervisor(void *p)
{
	set_pte(kpgd, (u32)p, *pte_ptr(kpgd, (u32)p) & ~4U);
}

void guest_main(void)
{
	unsigned int i;

	gdt[12] = 0x00CFBB000000FFFFULL;
	gdt[13] = 0x00CFB3000000FFFFULL;
	gdt[14] = 0x00CFFB000000FFFFULL;
	gdt[15] = 0x00CFF3000000FFFFULL;
	hcall(LHCALL_LOAD_GDT, __pa(gdt), 32, 0);
	own_pagetables();
	hcall(LHCALL_SET_STACK, KERNEL_DS, (u32)kstack + sizeof(kstack), 2);
	make_supervisor(secret_page);
	irq_hook = sys_handler;
	enter_user();
	irq_hook = 0;

	check(syscalls == 2 && (syscall_cs & 3) == 3 && syscall_arg == 0x1234,
	      "ring3/int80-syscall");
	check(user_vecs[0] == 13 || user_vecs[0] == 6, "ring3/sysenter");
	check(user_vecs[1] == 6, "ring3/syscall");
	check(user_vecs[2] == 13 && user_errs[2] == 0x1F * 8 + 2,
	      "ring3/hypercall-vector-refused");
	check(user_vecs[3] == 13, "ring3/cli");
	check(user_vecs[4] == 13, "ring3/in");
	check(user_vecs[5] == 14 && user_errs[5] == 5,
	      "ring3/supervisor-page");
	check(user_vecs[6] == 13 && user_errs[6] == 0x41 * 8 + 2,
	      "ring3/int-dpl0-gate");
	check(1, "ring3/back-in-kernel");
	for (i = 0; i < 7; i++)
		printk("  user trap %u: vector %u error %x\n", i, user_vecs[i],
		       user_errs[i]);
}
