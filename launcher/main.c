// SPDX-License-Identifier: GPL-2.0
/*P:010
 * Welcome to lguest, a hypervisor small enough to read in an afternoon.
 *
 * lguest runs 32-bit Linux Guests on an x86_64 Linux Host that has no
 * hardware virtualization.  It can, because the Guest is in on it: a
 * patched kernel that knows it runs in ring 1 and asks the Host, by
 * hypercall, for everything it may not do itself.  Three programs share
 * the work, and include/lguest_abi.h is the one place they agree on:
 *
 *  - the Guest kernel (guest-patches/), an ordinary Linux whose privileged
 *    operations go through paravirt_ops to the Host;
 *  - the Launcher (launcher/, this program), which an ordinary user runs:
 *    it gives the Guest part of its own memory, loads the kernel there,
 *    and serves the Guest's devices;
 *  - the Host module (host-module/), which turns a read() of /dev/lguest
 *    into running the Guest, checking everything the Guest asks for; inside
 *    it the Switcher, the few hundred instructions that swap one world for
 *    the other.
 *
 * The tour follows that order: the Guest (G), its drivers (D), the
 * Launcher (L), the Host (H) and the Switcher (S), and ends with what
 * lguest does not do yet (M).  tools/tour.sh prints it; each passage sits
 * beside the code it explains.
 */
/*L:001
 * lguest-launch: start and serve one lguest Guest.
 *
 * main() reads the command line, checks that every file it names can be
 * used, opens /dev/lguest, and then hands over to the parts that build and
 * run the Guest.  Every error the user can cause ends the program with one
 * line on stderr and a documented exit status (see args.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libelf.h>
#include <zlib.h>
#include "args.h"
#include "launch.h"

#ifndef LGUEST_VERSION
#define LGUEST_VERSION "unknown"
#endif

#define LGUEST_DEVICE_PATH "/dev/lguest"

void launch_die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("lguest-launch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/*L:140
 * Before touching the Host we make sure every file on the command line is
 * there and readable, so a typo costs the user a clear message, not a
 * half-started Guest.
 */
static void check_input_file(const char *what, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		launch_die(EXIT_USAGE, "cannot open %s '%s': %s", what, path,
		    strerror(errno));
	if (fstat(fd, &st) < 0)
		launch_die(EXIT_USAGE, "cannot stat %s '%s': %s", what, path,
		    strerror(errno));
	close(fd);
	if (S_ISDIR(st.st_mode))
		launch_die(EXIT_USAGE, "%s '%s' is a directory", what, path);
}

/*L:150
 * /dev/lguest is the Host.  If it is missing, the module is not loaded; if
 * we may not open it, the user is not in the group the udev rule gives it
 * to.  Say which.
 */
static int open_lguest(void)
{
	int fd = open(LGUEST_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		launch_die(EXIT_GUEST_FAILED,
		    "%s not found: is the lguest module loaded? (modprobe lguest)",
		    LGUEST_DEVICE_PATH);
	if (errno == EACCES || errno == EPERM)
		launch_die(EXIT_GUEST_FAILED,
		    "permission denied opening %s: are you in the lguest group?",
		    LGUEST_DEVICE_PATH);
	launch_die(EXIT_GUEST_FAILED, "cannot open %s: %s", LGUEST_DEVICE_PATH,
	    strerror(errno));
}

int main(int argc, char *argv[])
{
	struct launch_config cfg;
	char err[256];
	int lguest_fd;

	if (parse_args(argc, argv, &cfg, err, sizeof(err)))
		launch_die(EXIT_USAGE, "%s", err);
	if (cfg.help) {
		fputs(launch_usage, stdout);
		return 0;
	}
	if (cfg.version) {
		printf("lguest-launch %s (libelf %s, zlib %s)\n", LGUEST_VERSION,
		       elf_version(EV_CURRENT) == EV_NONE ? "unusable" : "ok",
		       zlibVersion());
		return 0;
	}
	if (elf_version(EV_CURRENT) == EV_NONE)
		launch_die(EXIT_GUEST_FAILED, "libelf is out of date");
	/* Before the devices: their signal handlers chain to its (L:900). */
	if (cfg.stats)
		stats_setup();

	check_input_file("kernel image", cfg.kernel);
	if (cfg.initrd)
		check_input_file("initrd", cfg.initrd);

	/*L:160
	 * Lay out the Guest's memory, load its kernel and initrd and set up
	 * its devices before we go near the Host: every mistake in the input
	 * files (a missing disk, a tap we may not create) is found here,
	 * with the Host untouched.  Then open /dev/lguest and run.
	 */
	{
		struct guest g = { .verbose = cfg.verbose };

		map_guest_memory(&g, cfg.mem_mb);
		load_kernel(&g, cfg.kernel);
		plan_guest_memory(&g, cfg.initrd);
		if (cfg.initrd)
			load_initrd(&g, cfg.initrd);
		setup_boot_params(&g, cfg.cmdline);
		setup_pagetables(&g);
		setup_devices(&g, &cfg);

		lguest_fd = open_lguest();
		if (cfg.verbose)
			fprintf(stderr, "lguest-launch: %lu MB Guest, kernel %s\n",
				cfg.mem_mb, cfg.kernel);
		g.lguest_fd = lguest_fd;
		return run_guest(&g);
	}
}
