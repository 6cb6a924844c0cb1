// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for launcher/power.c: what SIGTERM and SIGINT do with and
 * without a Guest driver on the power button, the timeout and a second
 * signal.  Each case runs in a child of its own, with a pretend Guest (the
 * device framework calls power.c makes are stubbed here), and is judged by
 * how the child ends.
 */
#include "../../launcher/power.c"
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#define UNIT_PREFIX "power"
#include "unit_test.h"

/* --- The device framework, pretended ------------------------------------ */

void launch_die(int status, const char *fmt, ...)
{
	exit(100 + status);
}

static struct lguest_device_desc descs[LGUEST_MAX_DEVICES];
static struct device the_button;

struct device *new_device(struct guest *g, const struct device_kind *kind,
			  const char *name, uint16_t type, uint16_t features,
			  uint16_t num_pages)
{
	/* As if three devices came before it: the button is slot 3, irq 4. */
	the_button.kind = kind;
	the_button.index = 3;
	the_button.desc = &descs[3];
	the_button.desc->type = type;
	the_button.input_fd = -1;
	return &the_button;
}

static uint32_t irq_raised;

void trigger_irq(struct guest *g, uint32_t irq)
{
	irq_raised = irq;
}

/* --- The cases ---------------------------------------------------------- */

/* What a child did: exited with a status, or was killed by a signal. */
#define EXITED(n)	(n)
#define KILLED(sig)	(1000 + (sig))

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Set up the button as power_setup() does for @console with @timeout
 * seconds, the Guest's driver ready if @ready, then send ourselves each
 * signal of @sigs (0-terminated), with a moment between; then press the
 * button if the pipe says so, and wait 1.5 s for something to kill us.
 * Exits 0 if nothing did, with 10 + the irq raised if one was.
 */
static void child(bool ready, unsigned int timeout_s,
		  enum launch_console_kind console, const int *sigs)
{
	struct launch_config cfg = { .shutdown_timeout = timeout_s,
				     .console = console };
	struct guest g = { .verbose = false };
	struct timespec moment = { 0, 50 * 1000 * 1000 };
	struct pollfd p;

	power_setup(&g, &cfg, NULL);
	if (ready)
		descs[3].status = LGUEST_DEVICE_S_ACKNOWLEDGE |
				  LGUEST_DEVICE_S_DRIVER | LGUEST_DEVICE_S_DRIVER_OK;
	for (; *sigs; sigs++) {
		raise(*sigs);
		nanosleep(&moment, NULL);
	}
	p.fd = the_button.input_fd;
	p.events = POLLIN;
	if (poll(&p, 1, 0) > 0)
		the_button.kind->handle_input(&g, &the_button);
	moment.tv_sec = 1;
	moment.tv_nsec = 500 * 1000 * 1000;
	while (nanosleep(&moment, &moment))
		;
	exit(irq_raised ? 10 + irq_raised : 0);
}

/* Run child() in a child; returns EXITED() or KILLED(), and how long. */
static int run(bool ready, unsigned int timeout_s,
	       enum launch_console_kind console, const int *sigs,
	       bool ignore_term, double *took)
{
	double start = seconds();
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		child(ready, timeout_s, console, sigs);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	*took = seconds() - start;
	if (WIFSIGNALED(status))
		return KILLED(WTERMSIG(status));
	return EXITED(WEXITSTATUS(status));
}

int main(void)
{
	static const int term[] = { SIGTERM, 0 };
	static const int term_twice[] = { SIGTERM, SIGTERM, 0 };
	static const int intr[] = { SIGINT, 0 };
	double took;
	int r;

	/* The button is always there: a descriptor of its own type, no pages. */
	{
		struct launch_config cfg = { .shutdown_timeout = 30 };
		struct guest g = { .verbose = false };
		pid_t pid;
		int status;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			power_setup(&g, &cfg, NULL);
			exit(power_device_kind.always && power_device_kind.last &&
			     !power_device_kind.option &&
			     descs[3].type == LGUEST_DEVICE_T_POWER &&
			     !descs[3].num_pages && the_button.input_fd >= 0 ? 0 : 1);
		}
		result(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		       WEXITSTATUS(status) == 0, "kind",
		       "always, last, no option, type 4, no pages, an input fd");
	}

	/* No driver: SIGTERM kills at once, as it always did. */
	r = run(false, 30, LAUNCH_CONSOLE_TTY, term, false, &took);
	result(r == KILLED(SIGTERM) && took < 1, "no-driver-kills",
	       "got %d after %.2f s, want killed by SIGTERM at once", r, took);

	/* A driver: the button is pressed (irq 4), and we are not killed. */
	r = run(true, 30, LAUNCH_CONSOLE_TTY, term, false, &took);
	result(r == EXITED(14), "driver-pressed",
	       "got %d after %.2f s, want irq 4 raised and no kill", r, took);

	/* A second SIGTERM kills at once. */
	r = run(true, 30, LAUNCH_CONSOLE_TTY, term_twice, false, &took);
	result(r == KILLED(SIGTERM) && took < 1, "second-sigterm-kills",
	       "got %d after %.2f s, want killed by SIGTERM at once", r, took);

	/* --shutdown-timeout=1: pressed, then killed by SIGTERM after 1 s. */
	r = run(true, 1, LAUNCH_CONSOLE_TTY, term, false, &took);
	result(r == KILLED(SIGTERM) && took >= 0.9 && took < 2, "timeout-kills",
	       "got %d after %.2f s, want killed by SIGTERM after 1 s", r, took);

	/* --shutdown-timeout=0: killed at once, driver or not. */
	r = run(true, 0, LAUNCH_CONSOLE_TTY, term, false, &took);
	result(r == KILLED(SIGTERM) && took < 1, "timeout-zero-kills",
	       "got %d after %.2f s, want killed by SIGTERM at once", r, took);

	/* SIGINT presses the button when the console is not the terminal... */
	r = run(true, 30, LAUNCH_CONSOLE_PTY, intr, false, &took);
	result(r == EXITED(14), "sigint-pty-pressed",
	       "got %d after %.2f s, want irq 4 raised and no kill", r, took);
	/* ...and kills at once, as before, when it is. */
	r = run(true, 30, LAUNCH_CONSOLE_TTY, intr, false, &took);
	result(r == KILLED(SIGINT) && took < 1, "sigint-tty-kills",
	       "got %d after %.2f s, want killed by SIGINT at once", r, took);

	/* A SIGTERM our parent made us ignore stays ignored. */
	r = run(true, 30, LAUNCH_CONSOLE_TTY, term, true, &took);
	result(r == EXITED(0), "ignored-stays-ignored",
	       "got %d after %.2f s, want no kill and no irq", r, took);

	return failures ? 1 : 0;
}
