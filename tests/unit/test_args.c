// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the Launcher's command line parser (launcher/args.c).
 * Prints "PASS name" or "FAIL name: reason" per case; exits 1 on failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "launch.h"
#include "devices.h"
#define UNIT_PREFIX "args"
#include "unit_test.h"

/*
 * The device files are linked in for their struct device_kind; nothing the
 * parser does reaches their setup code, which would end the Launcher here.
 */
void launch_die(int status, const char *fmt, ...)
{
	exit(100 + status);
}

/* How many of the devices parsed are of the kind with option @option. */
static unsigned int count_kind(const struct launch_config *cfg,
			       const char *option)
{
	unsigned int i, n = 0;

	for (i = 0; i < cfg->ndevices; i++)
		n += !strcmp(cfg->devices[i].kind->option, option);
	return n;
}

/* Is device @i of the kind with option @option, with argument @arg? */
static int device_is(const struct launch_config *cfg, unsigned int i,
		     const char *option, const char *arg)
{
	return i < cfg->ndevices &&
	       !strcmp(cfg->devices[i].kind->option, option) &&
	       !strcmp(cfg->devices[i].arg, arg);
}

/* Run the parser on a NULL-terminated array of arguments. */
static int parse_list(struct launch_config *cfg, char *err,
		      const char *const *args)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = "lguest-launch";
	while (*args && argc < 63)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return parse_args(argc, argv, cfg, err, 256);
}

/* The same with the arguments given one by one, ending with NULL. */
static int parse(struct launch_config *cfg, char *err, ...)
{
	const char *args[64];
	int n = 0;
	va_list ap;

	va_start(ap, err);
	while (n < 63 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	return parse_list(cfg, err, args);
}

/* A bad command line must fail with a message containing @want. */
static void expect_error(const char *name, const char *want, int rc,
			 const char *err)
{
	result(rc == -1 && strstr(err, want), name,
	       "rc %d, message '%s', want one containing '%s'", rc, err, want);
}

/* Command lines the parser must refuse, and what its message must say. */
static const struct bad_command_line {
	const char *name;
	const char *want;
	const char *argv[16];
} bad_command_lines[] = {
	{ "no-args", "missing memory size",
	  { NULL } },
	{ "no-kernel", "missing kernel image",
	  { "64", NULL } },
	{ "unknown-long-option", "unknown option '--frobnicate'",
	  { "--frobnicate", "64", "k", NULL } },
	{ "unknown-short-option", "unknown option '-x'",
	  { "-x", "64", "k", NULL } },
	{ "block-needs-arg", "'--block' needs an argument",
	  { "--block", NULL } },
	{ "block-empty", "--block needs a file name",
	  { "--block=", "64", "k", NULL } },
	{ "initrd-twice", "more than once",
	  { "--initrd=a", "--initrd=b", "64", "k", NULL } },
	{ "mem-not-number", "not a number",
	  { "abc", "k", NULL } },
	{ "mem-suffix", "not a number",
	  { "64M", "k", NULL } },
	{ "mem-negative", "unknown option",
	  { "-5", "k", NULL } },
	{ "mem-zero", "outside",
	  { "0", "k", NULL } },
	{ "mem-too-small", "outside 16 to 2048",
	  { "15", "k", NULL } },
	{ "mem-too-big", "outside",
	  { "2049", "k", NULL } },
	{ "mem-overflow", "not a number",
	  { "99999999999999999999999", "k", NULL } },
	{ "tunnet-bad-ip", "expected an IPv4 address",
	  { "--tunnet=300.1.1.1", "64", "k", NULL } },
	{ "tunnet-short-ip", "expected an IPv4 address",
	  { "--tunnet=1.2.3", "64", "k", NULL } },
	{ "tunnet-empty-bridge", "bridge name",
	  { "--tunnet=bridge:", "64", "k", NULL } },
	{ "tunnet-long-bridge", "bridge name",
	  { "--tunnet=bridge:abcdefghijklmnop", "64", "k", NULL } },
	{ "too-many-blocks", "at most 4 devices",
	  { "-b", "1", "-b", "2", "-b", "3", "-b", "4", "-b", "5", "64", "k",
	    NULL } },
	{ "too-many-devices", "at most 4 devices",
	  { "-b", "1", "-t", "10.0.0.1", "-s", "net", "-b", "2",
	    "--sharenet=net2", "64", "k", NULL } },
	{ "block-ro-empty", "--block needs a file name",
	  { "--block=ro:", "64", "k", NULL } },
	{ "sharenet-empty", "--sharenet needs a file name",
	  { "--sharenet=", "64", "k", NULL } },
	{ "console-unknown-mode",
	  "--console=serial: unknown mode (tty, pty, socket:PATH or file:PATH)",
	  { "--console=serial", "64", "k", NULL } },
	{ "console-empty", "unknown mode",
	  { "--console=", "64", "k", NULL } },
	{ "console-case-matters", "unknown mode",
	  { "--console=PTY", "64", "k", NULL } },
	{ "console-pty-suffix", "unknown mode",
	  { "--console=ptyx", "64", "k", NULL } },
	{ "console-socket-no-path", "--console=socket: needs a PATH",
	  { "--console=socket:", "64", "k", NULL } },
	{ "console-file-no-path", "--console=file: needs a PATH",
	  { "--console=file:", "64", "k", NULL } },
	{ "console-no-argument", "option '--console' needs an argument",
	  { "--console", NULL } },
	{ "console-twice", "--console given more than once",
	  { "--console=pty", "--console=tty", "64", "k", NULL } },
	{ "console-no-short-option", "unknown option '-c'",
	  { "-c", "pty", "64", "k", NULL } },
	{ "shutdown-timeout-too-big",
	  "--shutdown-timeout=86401 is more than 86400 seconds",
	  { "--shutdown-timeout=86401", "64", "k", NULL } },
	{ "shutdown-timeout-overflow", "is not a number of seconds",
	  { "--shutdown-timeout=99999999999999999999999", "64", "k", NULL } },
	{ "shutdown-timeout-suffix",
	  "--shutdown-timeout=5s is not a number of seconds",
	  { "--shutdown-timeout=5s", "64", "k", NULL } },
	{ "shutdown-timeout-negative", "is not a number of seconds",
	  { "--shutdown-timeout=-1", "64", "k", NULL } },
	{ "shutdown-timeout-empty", "is not a number of seconds",
	  { "--shutdown-timeout=", "64", "k", NULL } },
	{ "shutdown-timeout-twice", "--shutdown-timeout given more than once",
	  { "--shutdown-timeout=1", "--shutdown-timeout=2", "64", "k", NULL } },
	{ "shutdown-timeout-no-argument",
	  "option '--shutdown-timeout' needs an argument",
	  { "--shutdown-timeout", NULL } },
	{ "stats-no-argument", "option '--stats' takes no argument",
	  { "--stats=yes", "64", "k", NULL } },
	{ "verbose-no-argument", "option '--verbose' takes no argument",
	  { "--verbose=1", "64", "k", NULL } },
};

static void expect_bad_command_lines(void)
{
	const struct bad_command_line *c;
	struct launch_config cfg;
	char err[256];
	int rc;

	for (c = bad_command_lines;
	     c < bad_command_lines + ARRAY_SIZE(bad_command_lines); c++) {
		rc = parse_list(&cfg, err, c->argv);
		expect_error(c->name, c->want, rc, err);
	}
}

int main(void)
{
	struct launch_config cfg;
	char err[256];
	int rc;

	rc = parse(&cfg, err, "64", "vmlinux", NULL);
	result(rc == 0 && cfg.mem_mb == 64 && !strcmp(cfg.kernel, "vmlinux") &&
	       cfg.cmdline[0] == '\0' && !cfg.verbose && !cfg.ndevices,
	       "minimal", "rc %d err '%s'", rc, err);

	rc = parse(&cfg, err, "--verbose", "--block=a.img", "--block", "b.img",
		   "--initrd=initrd.gz", "--tunnet=192.168.19.1",
		   "--tunnet=bridge:br0", "128", "bzImage", "root=/dev/lgba",
		   "init=/bin/sh", "-v", NULL);
	result(rc == 0 && cfg.verbose && count_kind(&cfg, "block") == 2 &&
	       device_is(&cfg, 0, "block", "a.img") &&
	       device_is(&cfg, 1, "block", "b.img") &&
	       !strcmp(cfg.initrd, "initrd.gz") &&
	       device_is(&cfg, 2, "tunnet", "192.168.19.1") &&
	       device_is(&cfg, 3, "tunnet", "bridge:br0") &&
	       cfg.mem_mb == 128 && !strcmp(cfg.kernel, "bzImage"),
	       "all-options", "rc %d err '%s'", rc, err);
	/* Options after the image belong to the Guest kernel, untouched. */
	result(rc == 0 && !strcmp(cfg.cmdline, "root=/dev/lgba init=/bin/sh -v"),
	       "kernel-args", "cmdline '%s'", cfg.cmdline);

	rc = parse(&cfg, err, "-b", "disk.img", "-i", "rd", "-t", "10.0.0.1",
		   "16", "k", NULL);
	result(rc == 0 && device_is(&cfg, 0, "block", "disk.img") && cfg.initrd &&
	       device_is(&cfg, 1, "tunnet", "10.0.0.1") && cfg.ndevices == 2 &&
	       cfg.mem_mb == 16, "short-options", "rc %d err '%s'", rc, err);

	rc = parse(&cfg, err, "--help", NULL);
	result(rc == 0 && cfg.help, "help", "rc %d", rc);
	rc = parse(&cfg, err, "--version", "junk", NULL);
	result(rc == 0 && cfg.version, "version", "rc %d", rc);
	result(strstr(launch_usage, "--block") && strstr(launch_usage, "--tunnet") &&
	       strstr(launch_usage, "--sharenet") && strstr(launch_usage, "ro:FILE") &&
	       strstr(launch_usage, "--initrd") && strstr(launch_usage, "--console=MODE") &&
	       strstr(launch_usage, "socket:PATH") && strstr(launch_usage, "file:PATH") &&
	       strstr(launch_usage, "MEM-IN-MB"),
	       "usage-lists-options", "usage text incomplete");
	/*
	 * Every device kind brings its own option; only the console is set
	 * up whether or not its option is given.
	 */
	{
		const struct device_kind *const *kind;
		char seen[128] = "";

		for_each_device_kind(kind) {
			snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen),
				 " %s/%c%s ", (*kind)->option,
				 (*kind)->short_option ? (*kind)->short_option : '-',
				 (*kind)->always ? "/always" : "");
		}
		result(strstr(seen, " block/b ") && strstr(seen, " tunnet/t ") &&
		       strstr(seen, " console/-/always ") &&
		       strstr(seen, " sharenet/s "),
		       "device-kinds", "kinds registered:%s", seen);
	}

	expect_bad_command_lines();
	rc = parse(&cfg, err, "64", "k", "--block", NULL);
	result(rc == 0 && !strcmp(cfg.cmdline, "--block"), "option-after-image",
	       "rc %d cmdline '%s'", rc, cfg.cmdline);
	rc = parse(&cfg, err, "2048", "k", NULL);
	result(rc == 0 && cfg.mem_mb == 2048, "mem-max", "rc %d", rc);
	/* --console: the default, each mode, and what is wrong with it. */
	rc = parse(&cfg, err, "64", "k", NULL);
	result(rc == 0 && cfg.console == LAUNCH_CONSOLE_TTY && !cfg.console_path,
	       "console-default-tty", "rc %d console %d", rc, cfg.console);
	rc = parse(&cfg, err, "--console=tty", "64", "k", NULL);
	result(rc == 0 && cfg.console == LAUNCH_CONSOLE_TTY && !cfg.console_path,
	       "console-tty", "rc %d err '%s'", rc, err);
	rc = parse(&cfg, err, "--console", "pty", "64", "k", NULL);
	result(rc == 0 && cfg.console == LAUNCH_CONSOLE_PTY && !cfg.console_path,
	       "console-pty", "rc %d err '%s'", rc, err);
	rc = parse(&cfg, err, "--console=socket:/tmp/c.sock", "64", "k", NULL);
	result(rc == 0 && cfg.console == LAUNCH_CONSOLE_SOCKET &&
	       cfg.console_path && !strcmp(cfg.console_path, "/tmp/c.sock"),
	       "console-socket", "rc %d err '%s'", rc, err);
	rc = parse(&cfg, err, "--console=file:c.log", "-b", "d.img", "64", "k",
		   NULL);
	result(rc == 0 && cfg.console == LAUNCH_CONSOLE_FILE &&
	       cfg.console_path && !strcmp(cfg.console_path, "c.log") &&
	       cfg.ndevices == 1,
	       "console-file", "rc %d err '%s'", rc, err);
	/* The console is not one of the four devices the command line adds. */
	rc = parse(&cfg, err, "-b", "1", "-b", "2", "-b", "3", "-b", "4",
		   "--console=pty", "64", "k", NULL);
	result(rc == 0 && cfg.ndevices == 4 && cfg.console == LAUNCH_CONSOLE_PTY,
	       "console-not-a-device", "rc %d err '%s'", rc, err);
	{
		char path[200] = "socket:/";
		char fits[200] = "socket:/";

		memset(path + 8, 's', 107);
		memset(fits + 8, 's', 106);
		rc = parse(&cfg, err, "--console", path, "64", "k", NULL);
		expect_error("console-socket-path-too-long",
			     "the path is longer than 107 bytes", rc, err);
		rc = parse(&cfg, err, "--console", fits, "64", "k", NULL);
		result(rc == 0 && strlen(cfg.console_path) == 107,
		       "console-socket-path-longest", "rc %d err '%s'", rc, err);
	}
	/* --shutdown-timeout: 30 s unless given, 0 to a day, digits only. */
	rc = parse(&cfg, err, "64", "k", NULL);
	result(rc == 0 && cfg.shutdown_timeout == 30 && !cfg.shutdown_timeout_given,
	       "shutdown-timeout-default", "rc %d timeout %u", rc,
	       cfg.shutdown_timeout);
	rc = parse(&cfg, err, "--shutdown-timeout=5", "64", "k", NULL);
	result(rc == 0 && cfg.shutdown_timeout == 5 && cfg.shutdown_timeout_given,
	       "shutdown-timeout", "rc %d err '%s' timeout %u", rc, err,
	       cfg.shutdown_timeout);
	rc = parse(&cfg, err, "--shutdown-timeout", "0", "64", "k", NULL);
	result(rc == 0 && cfg.shutdown_timeout == 0 && cfg.mem_mb == 64,
	       "shutdown-timeout-zero", "rc %d err '%s' timeout %u", rc, err,
	       cfg.shutdown_timeout);
	rc = parse(&cfg, err, "--shutdown-timeout=86400", "64", "k", NULL);
	result(rc == 0 && cfg.shutdown_timeout == 86400, "shutdown-timeout-max",
	       "rc %d err '%s'", rc, err);
	result(strstr(launch_usage, "--shutdown-timeout=SECONDS") &&
	       strstr(launch_usage, "SIGTERM"), "usage-shutdown-timeout",
	       "usage text does not mention --shutdown-timeout and SIGTERM");
	/* --stats: off unless given, takes no argument, leaves the rest be. */
	rc = parse(&cfg, err, "64", "k", NULL);
	result(rc == 0 && !cfg.stats, "stats-default", "rc %d stats %d", rc,
	       cfg.stats);
	rc = parse(&cfg, err, "--stats", "-v", "--block=d.img", "64", "k",
		   "--stats", NULL);
	result(rc == 0 && cfg.stats && cfg.verbose && cfg.mem_mb == 64 &&
	       !strcmp(cfg.kernel, "k") && !strcmp(cfg.cmdline, "--stats") &&
	       device_is(&cfg, 0, "block", "d.img"), "stats",
	       "rc %d err '%s' stats %d cmdline '%s'", rc, err, cfg.stats,
	       cfg.cmdline);
	result(strstr(launch_usage, "--stats") &&
	       strstr(launch_usage, "lguest-stats: NAME COUNT"), "usage-stats",
	       "usage text does not document --stats");
	/* The Guest sees devices in command-line order, whatever their kind. */
	rc = parse(&cfg, err, "--sharenet=lan", "-b", "ro:root.img", "-t",
		   "bridge:br0", "--block=scratch.img", "64", "k", NULL);
	result(rc == 0 && cfg.ndevices == 4 &&
	       device_is(&cfg, 0, "sharenet", "lan") &&
	       device_is(&cfg, 1, "block", "ro:root.img") &&
	       device_is(&cfg, 2, "tunnet", "bridge:br0") &&
	       device_is(&cfg, 3, "block", "scratch.img") &&
	       count_kind(&cfg, "block") == 2 &&
	       count_kind(&cfg, "sharenet") == 1 && count_kind(&cfg, "tunnet") == 1,
	       "device-order", "rc %d err '%s' ndevices %u", rc, err,
	       cfg.ndevices);
	{
		static char longarg[3000];

		memset(longarg, 'x', sizeof(longarg) - 1);
		rc = parse(&cfg, err, "64", "k", longarg, NULL);
		expect_error("cmdline-too-long", "longer than", rc, err);
	}
	/* The parser must be re-entrant: a fresh parse forgets the last one. */
	rc = parse(&cfg, err, "32", "k2", NULL);
	result(rc == 0 && cfg.ndevices == 0 && !cfg.initrd && cfg.mem_mb == 32 &&
	       cfg.console == LAUNCH_CONSOLE_TTY && !cfg.console_path,
	       "reparse", "rc %d", rc);
	rc = parse(&cfg, err, "--shutdown-timeout=9", "64", "k", NULL);
	rc = parse(&cfg, err, "32", "k2", NULL);
	result(rc == 0 && cfg.shutdown_timeout == 30 && !cfg.shutdown_timeout_given,
	       "shutdown-timeout-reparse", "rc %d timeout %u", rc,
	       cfg.shutdown_timeout);
	rc = parse(&cfg, err, "--stats", "64", "k", NULL);
	rc = parse(&cfg, err, "32", "k2", NULL);
	result(rc == 0 && !cfg.stats, "stats-reparse", "rc %d stats %d", rc,
	       cfg.stats);

	return failures ? 1 : 0;
}
