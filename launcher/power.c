// SPDX-License-Identifier: GPL-2.0
/*L:800
 * The power button.
 *
 * A Guest run as a service is stopped the way services are: with SIGTERM.
 * Killing it there and then is what a pulled plug does to a PC, and its
 * file systems would say so at the next boot.  So we give every Guest a
 * power button (D:100), always, after all its other devices, and when
 * SIGTERM comes we press it: the Guest's driver runs its poweroff, the
 * Guest powers off, and we exit 0 as after any poweroff.
 *
 * We press it only if someone will hear it: the Guest's driver sets
 * DRIVER_OK in the button's descriptor once it is ready.  A Guest without
 * the driver (an older kernel, the freestanding test Guests, a kernel still
 * booting) is stopped at once, exactly as before.  And we do not wait for
 * ever: after --shutdown-timeout seconds (30 unless told; 0 never waits),
 * or at a second SIGTERM, the Guest is killed as before too.
 */
#define _GNU_SOURCE		/* pipe2() */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "launch.h"
#include "devices.h"

/*L:810
 * All of the decision is made in the signal handler, which may run on any
 * of our threads at any moment, so it only reads memory and makes calls
 * that are safe there.  Pressing the button is a write to /dev/lguest,
 * which must wait until the Guest is not running, so the handler leaves
 * that to the main thread: it writes a byte into a pipe whose other end is
 * the button's input_fd, the waker sees it readable and breaks the Guest
 * out of read() (L:450), and the main thread calls power_input().
 */
static struct lguest_device_desc *button;	/* NULL until set up */
static unsigned int timeout;			/* --shutdown-timeout */
static int press_pipe[2] = { -1, -1 };
static atomic_bool pressed;
static bool verbose;

/* What SIGTERM and SIGINT did before we came: what they do again after. */
static struct sigaction old_term, old_int;
static char timeout_msg[96];

static bool driver_ready(void)
{
	return button && (__atomic_load_n(&button->status, __ATOMIC_RELAXED) &
			  LGUEST_DEVICE_S_DRIVER_OK);
}

/*
 * Stop as we always did on @sig: put back the handler that was there (the
 * console's, which puts the terminal back, or the default) and send the
 * signal again.  It is blocked while its own handler runs, so it arrives
 * as that returns; from the alarm's handler, at once.
 */
static void stop_as_before(int sig)
{
	sigaction(sig, sig == SIGINT ? &old_int : &old_term, NULL);
	raise(sig);
}

static void power_signal(int sig)
{
	int saved = errno;

	if (!timeout || !driver_ready() || atomic_exchange(&pressed, true)) {
		stop_as_before(sig);
	} else {
		alarm(timeout);
		if (write(press_pipe[1], "", 1) < 0)
			stop_as_before(sig);
	}
	errno = saved;
}

/*
 * The Guest had its time and did not power off: SIGTERM's old way, with
 * the old silence unless --verbose asked us to talk.
 */
static void power_timeout(int sig)
{
	if (verbose) {
		ssize_t n = write(STDERR_FILENO, timeout_msg, strlen(timeout_msg));

		(void)n;
	}
	stop_as_before(SIGTERM);
}

/*L:820
 * The main thread presses the button: one interrupt, the device's own.
 * The Guest does the rest, and ends our read() with "Power down" (L:420).
 */
static void power_input(struct guest *g, struct device *dev)
{
	char byte;

	if (read(press_pipe[0], &byte, 1) != 1)
		return;
	if (g->verbose)
		fprintf(stderr, "lguest-launch: asking the Guest to power off (%u s before it is killed)\n",
			timeout);
	trigger_irq(g, dev->index + 1);
}

static void power_setup(struct guest *g, const struct launch_config *cfg,
			const char *arg);

static const struct device_kind power_device_kind = {
	.always = true,
	.last = true,
	.setup = power_setup,
	.handle_input = power_input,
};
DEVICE_KIND(power_device_kind);

/* An exit of our own must not be turned into a kill by a late alarm. */
static void cancel_alarm(void)
{
	alarm(0);
}

/*
 * Only @sig's disposition as we find it now is ours to chain to: the
 * console has set its own by now (its kind is set up first).  A signal
 * our parent told us to ignore stays ignored, as it always was.
 */
static void catch_signal(int sig, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = power_signal,
				.sa_flags = SA_RESTART };

	if (sigaction(sig, NULL, old) || old->sa_handler == SIG_IGN)
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/*L:830
 * SIGTERM always presses the button.  SIGINT does when the console is not
 * our terminal (--console=pty, socket: or file:): then Ctrl-C at our
 * terminal is meant for us, as it is for any service run by hand.  With
 * the terminal as the console, Ctrl-C goes to the Guest (L:285), and a
 * SIGINT from elsewhere stops it at once, as before.
 */
static void power_setup(struct guest *g, const struct launch_config *cfg,
			const char *arg)
{
	struct sigaction sa = { .sa_handler = power_timeout };
	struct device *dev;

	dev = new_device(g, &power_device_kind, "power button",
			 LGUEST_DEVICE_T_POWER, 0, 0);
	if (pipe2(press_pipe, O_CLOEXEC | O_NONBLOCK))
		launch_die(EXIT_GUEST_FAILED, "power button: pipe: %s",
			   strerror(errno));
	dev->input_fd = press_pipe[0];
	timeout = cfg->shutdown_timeout;
	verbose = g->verbose;
	snprintf(timeout_msg, sizeof(timeout_msg),
		 "lguest-launch: the Guest did not power off within %u s\n",
		 timeout);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	atexit(cancel_alarm);
	button = dev->desc;
	catch_signal(SIGTERM, &old_term);
	if (cfg->console != LAUNCH_CONSOLE_TTY)
		catch_signal(SIGINT, &old_int);
}
