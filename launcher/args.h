/* SPDX-License-Identifier: GPL-2.0 */
/*
 * args.h - the Launcher's command line, parsed into a struct launch_config.
 *
 * Parsing is pure logic (no files are opened), so the unit tests in
 * tests/unit/ drive it directly.
 */
#ifndef _LGUEST_ARGS_H
#define _LGUEST_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <lguest_abi.h>

/* Guest memory limits, in megabytes. */
#define LAUNCH_MIN_MEM_MB	16
#define LAUNCH_MAX_MEM_MB	2048

/*
 * How many devices the command line may ask for: the Guest's lguest bus has
 * LGUEST_MAX_DEVICES descriptors, and the console and the power button
 * always take one each.
 */
#define LAUNCH_MAX_DEVICES	(LGUEST_MAX_DEVICES - 2)

/*
 * --shutdown-timeout: how long a Guest asked to power off (SIGTERM) has
 * before it is killed, in seconds; 0 kills it at once.
 */
#define LAUNCH_SHUTDOWN_TIMEOUT		30
#define LAUNCH_SHUTDOWN_TIMEOUT_MAX	86400

struct device_kind;

/* A device on the command line: which kind (devices.h), and its argument. */
struct launch_device {
	const struct device_kind *kind;
	const char *arg;	/* as given */
};

/* Where the Guest's console goes: --console=MODE. */
enum launch_console_kind {
	LAUNCH_CONSOLE_TTY,	/* tty: our stdin and stdout (the default) */
	LAUNCH_CONSOLE_PTY,	/* pty: a new pseudo-terminal */
	LAUNCH_CONSOLE_SOCKET,	/* socket:PATH: a Unix stream socket */
	LAUNCH_CONSOLE_FILE,	/* file:PATH: output appended, no input */
};

/* The longest socket path a struct sockaddr_un holds, without its NUL. */
#define LAUNCH_SOCKET_PATH_MAX	107

/* The kernel command line Linux accepts on x86 (COMMAND_LINE_SIZE). */
#define LAUNCH_CMDLINE_MAX	2048

/* Exit statuses, documented in lguest-launch(1). */
#define EXIT_GUEST_POWEROFF	0	/* The Guest powered off */
#define EXIT_GUEST_FAILED	1	/* The Guest crashed, or running it failed */
#define EXIT_USAGE		2	/* Bad command line or input files */

struct launch_config {
	bool verbose;
	bool help;
	bool version;
	unsigned long mem_mb;
	const char *kernel;
	const char *initrd;
	/* The devices, in command-line order: the Guest sees them so. */
	struct launch_device devices[LAUNCH_MAX_DEVICES];
	unsigned int ndevices;
	/* --console: the mode, and PATH for socket: and file: (else NULL). */
	enum launch_console_kind console;
	const char *console_path;
	bool console_given;
	/* --shutdown-timeout, in seconds (LAUNCH_SHUTDOWN_TIMEOUT unless given). */
	unsigned int shutdown_timeout;
	bool shutdown_timeout_given;
	/* --stats: print the Guest's statistics when it ends (stats.c). */
	bool stats;
	char cmdline[LAUNCH_CMDLINE_MAX];
};

/*
 * parse_args - fill @cfg from @argc/@argv.
 *
 * Returns 0 on success.  On a bad command line returns -1 with a one-line
 * reason (no trailing newline) in @err.  --help and --version succeed with
 * cfg->help or cfg->version set and nothing else checked.
 */
int parse_args(int argc, char *argv[], struct launch_config *cfg,
	       char *err, size_t errlen);

/* The usage text printed by --help. */
extern const char launch_usage[];

#endif /* _LGUEST_ARGS_H */
