// SPDX-License-Identifier: GPL-2.0
/*L:900
 * --stats: what the Guest cost.
 *
 * The Host counts, for each Guest, every world switch and why it ended,
 * every hypercall by number, the faults it fixed and the ones it passed
 * on (struct lguest_stats, L:015).  With --stats we ask for them once the
 * Guest has ended, however it ended: it powered off or crashed (we are
 * leaving through exit(), so an atexit() handler does it), or a signal is
 * about to kill us (then a handler of ours does, last in the line of
 * handlers that clean up, and dies of the signal as before).  Each counter
 * is one line on standard error, "lguest-stats: NAME COUNT", the arrays'
 * zero entries left out.
 *
 * A signal handler may run on any thread at any moment, so what it runs
 * only writes to /dev/lguest and to stderr, with no stdio and no malloc:
 * the numbers are formatted by hand into a static buffer.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "launch.h"
#include <lguest_abi.h>

#define PREFIX			"lguest-stats: "

static int stats_fd = -1;		/* set once the Host has our Guest */
static atomic_bool stats_done;

static const char *const hcall_names[LGUEST_STATS_HCALLS] = {
	[LHCALL_FLUSH_ASYNC] = "FLUSH_ASYNC",
	[LHCALL_LGUEST_INIT] = "LGUEST_INIT",
	[LHCALL_CRASH] = "CRASH",
	[LHCALL_LOAD_GDT] = "LOAD_GDT",
	[LHCALL_NEW_PGTABLE] = "NEW_PGTABLE",
	[LHCALL_FLUSH_TLB] = "FLUSH_TLB",
	[LHCALL_LOAD_IDT_ENTRY] = "LOAD_IDT_ENTRY",
	[LHCALL_SET_STACK] = "SET_STACK",
	[LHCALL_TS] = "TS",
	[LHCALL_SET_CLOCKEVENT] = "SET_CLOCKEVENT",
	[LHCALL_HALT] = "HALT",
	[LHCALL_GET_WALLCLOCK] = "GET_WALLCLOCK",
	[LHCALL_BIND_DMA] = "BIND_DMA",
	[LHCALL_SEND_DMA] = "SEND_DMA",
	[LHCALL_SET_PTE] = "SET_PTE",
	[LHCALL_SET_PMD] = "SET_PMD",
	[LHCALL_LOAD_TLS] = "LOAD_TLS",
};
_Static_assert(LHCALL_NR == 17, "a new hypercall needs its name here");

/*
 * What we print, in order: a counter, or an array whose entries are
 * printed as NAME-INDEX (or NAME-ITS_NAME) when they are not zero.
 */
struct stats_field {
	const char *name;
	size_t offset;
	unsigned int count;
	const char *const *names;
};

#define COUNTER(n, m)	{ n, offsetof(struct lguest_stats, m), 1, NULL }
#define ARRAY(n, m, nm)	{ n, offsetof(struct lguest_stats, m), \
			  ARRAY_SIZE(((struct lguest_stats *)0)->m), nm }

static const struct stats_field stats_fields[] = {
	COUNTER("switches", switches),
	ARRAY("exit-trap", exit_trap, NULL),
	COUNTER("exit-syscall", exit_syscall),
	COUNTER("exit-host-irq", exit_host_irq),
	COUNTER("exit-switcher-fault", exit_switcher_fault),
	COUNTER("hcall-traps", hcall_traps),
	ARRAY("hcall", hcalls, hcall_names),
	COUNTER("hcalls-async", hcalls_async),
	COUNTER("traps-reflected", traps_reflected),
	COUNTER("syscalls-reflected", syscalls_reflected),
	COUNTER("pf-fixed", pf_fixed),
	COUNTER("pf-guest", pf_guest),
	COUNTER("irqs-delivered", irqs_delivered),
	COUNTER("io-emulated", io_emulated),
	COUNTER("dma-host", dma_host),
	COUNTER("dma-launcher", dma_launcher),
};

/* The output, built up by hand: snprintf() is not for signal handlers. */
struct out {
	char buf[4096];
	size_t len;
};

static void put_str(struct out *o, const char *s)
{
	while (*s && o->len < sizeof(o->buf))
		o->buf[o->len++] = *s++;
}

static void put_num(struct out *o, uint64_t v)
{
	char tmp[21];
	unsigned int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	put_str(o, tmp + i);
}

static void put_line(struct out *o, const char *name, const char *sub,
		     unsigned int index, uint64_t v)
{
	put_str(o, PREFIX);
	put_str(o, name);
	if (sub) {
		put_str(o, "-");
		put_str(o, sub);
	} else if (index != UINT32_MAX) {
		put_str(o, "-");
		put_num(o, index);
	}
	put_str(o, " ");
	put_num(o, v);
	put_str(o, "\n");
}

/*L:910
 * The Host says how many bytes it filled, and a field of ours past that
 * is one an older Host does not have: we leave it out rather than print
 * a zero it never counted.
 */
static void format_field(struct out *o, const struct stats_field *f,
			 const struct lguest_stats *st, size_t got)
{
	const uint64_t *v = (const void *)((const char *)st + f->offset);
	unsigned int i;

	if (f->offset + f->count * sizeof(*v) > got)
		return;
	if (f->count == 1) {
		put_line(o, f->name, NULL, UINT32_MAX, *v);
		return;
	}
	for (i = 0; i < f->count; i++)
		if (v[i])
			put_line(o, f->name, f->names ? f->names[i] : NULL, i,
				 v[i]);
}

static void write_all(const struct out *o)
{
	size_t done = 0;
	ssize_t n;

	while (done < o->len) {
		n = write(STDERR_FILENO, o->buf + done, o->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		done += n;
	}
}

/* Fetch and print the statistics, once, if the Host has our Guest. */
static void stats_print(void)
{
	static struct lguest_stats st;
	static struct out o;
	uint64_t req[3] = { LHREQ_STATS, (uintptr_t)&st, sizeof(st) };
	int saved = errno;
	unsigned int i;
	ssize_t got;

	if (stats_fd < 0 || atomic_exchange(&stats_done, true))
		return;
	got = write(stats_fd, req, sizeof(req));
	o.len = 0;
	if (got < 0) {
		put_str(&o, PREFIX "unavailable: the Host refused LHREQ_STATS (errno ");
		put_num(&o, errno);
		put_str(&o, ")\n");
	} else {
		if ((uint64_t)got > st.size)
			got = st.size;
		for (i = 0; i < ARRAY_SIZE(stats_fields); i++)
			format_field(&o, &stats_fields[i], &st, got);
	}
	write_all(&o);
	errno = saved;
}

/*
 * A fatal signal: print, then die of it as we would have.  This is the
 * last handler in line: the console's puts the terminal back and then
 * hands the signal on to us (L:285), and the power button's, when it
 * does not press the button, does the same (L:810).
 */
static void stats_signal(int sig)
{
	stats_print();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Called before the devices are set up, so that their handlers find ours
 * and chain to it.  A signal our parent told us to ignore stays ignored.
 */
void stats_setup(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT,
				    SIGPIPE };
	struct sigaction sa = { .sa_handler = stats_signal }, old;
	unsigned int i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		if (!sigaction(sigs[i], NULL, &old) && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	atexit(stats_print);
}

/* The Host has our Guest (LHREQ_INITIALIZE worked): there is something to ask. */
void stats_guest_ready(int lguest_fd)
{
	stats_fd = lguest_fd;
}
