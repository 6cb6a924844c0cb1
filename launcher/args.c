// SPDX-License-Identifier: GPL-2.0
/*L:100
 * The Launcher is the ordinary program a user runs to start a Guest:
 *
 *	lguest-launch [options] MEM-IN-MB vmlinux|bzImage [KERNEL ARGS...]
 *
 * It is the Guest's whole world outside the Host module: its memory is a
 * mapping in the Launcher, its console is the Launcher's terminal, its disks
 * and network are the Launcher's files and tap devices.  Our tour of it
 * begins, as the program does, with the command line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/string.h>
#include "args.h"
#include "error_text.h"

const char launch_usage[] =
"Usage: lguest-launch [OPTIONS] MEM-IN-MB vmlinux|bzImage [KERNEL ARGS...]\n"
"\n"
"Boot a Linux Guest under the lguest hypervisor (/dev/lguest).\n"
"\n"
"Options:\n"
"  -v, --verbose             print what the Launcher does\n"
"  -t, --tunnet=IPADDR       a network device on a new tap device (lguestN)\n"
"                            whose Host end gets IPADDR/24 (needs root)\n"
"      --tunnet=bridge:NAME  the same, the tap added to the Host bridge NAME\n"
"  -s, --sharenet=FILE       a network device shared with every Guest\n"
"                            given the same FILE (created if missing)\n"
"  -b, --block=FILE          a disk backed by FILE (a file or block device):\n"
"                            /dev/lgba, lgbb, ... in the order given\n"
"      --block=ro:FILE       the same, read-only (shared with other readers)\n"
"  -i, --initrd=FILE         load FILE as the Guest's initial ramdisk\n"
"      --console=MODE        where the Guest's console goes: tty (our\n"
"                            terminal, the default), pty (a new\n"
"                            pseudo-terminal, its path printed on stderr),\n"
"                            socket:PATH (a Unix socket, one client at a\n"
"                            time) or file:PATH (output appended, no input)\n"
"  -h, --help                show this help and exit\n"
"  -V, --version             show the version and exit\n"
"\n"
"MEM-IN-MB is the Guest's memory in megabytes (16 to 2048).\n"
"At most 4 devices (--block, --tunnet, --sharenet together); the Guest\n"
"sees them in command-line order: the first disk is /dev/lgba, the first\n"
"network device eth0.\n"
"Exit status: 0 when the Guest powers off, 1 when it crashes or cannot\n"
"run, 2 for a bad command line or unusable input file.\n";

/*L:110
 * Memory is given in megabytes, as a plain decimal number: "64", not "64M"
 * and not "0x40".  Anything else is a mistake worth telling the user about
 * rather than guessing at.
 */
static int parse_mem(const char *s, unsigned long *mb, char *err,
		     size_t errlen)
{
	char *end;
	unsigned long val;

	if (s[0] < '0' || s[0] > '9')
		return error_text(err, errlen,
				  "memory size '%s' is not a number of megabytes", s);
	errno = 0;
	val = strtoul(s, &end, 10);
	if (errno || *end)
		return error_text(err, errlen,
				  "memory size '%s' is not a number of megabytes", s);
	if (val < LAUNCH_MIN_MEM_MB || val > LAUNCH_MAX_MEM_MB)
		return error_text(err, errlen,
				  "memory size %s MB is outside %u to %u MB",
				  s, LAUNCH_MIN_MEM_MB, LAUNCH_MAX_MEM_MB);
	*mb = val;
	return 0;
}

/*L:120
 * --tunnet takes either an IPv4 address for the Host's end of a new tap
 * device, or "bridge:" and the name of an existing bridge.  We check only the
 * shape here; whether the bridge exists is found out when we open it.
 */
static int check_tunnet(const char *arg, char *err, size_t errlen)
{
	unsigned int a, b, c, d;
	char tail;

	if (!strncmp(arg, "bridge:", 7)) {
		size_t len = strlen(arg + 7);

		if (len == 0 || len >= 16)
			return error_text(err, errlen,
					  "--tunnet=bridge:NAME needs a bridge name of 1 to 15 characters");
		return 0;
	}
	if (sscanf(arg, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 ||
	    a > 255 || b > 255 || c > 255 || d > 255)
		return error_text(err, errlen,
				  "--tunnet=%s: expected an IPv4 address or bridge:NAME",
				  arg);
	return 0;
}

/*L:122
 * --console says where the Guest's console goes: our own terminal ("tty",
 * as it always was), a pseudo-terminal we make ("pty"), a Unix socket
 * ("socket:PATH") or, for output only, a file ("file:PATH").  As with
 * --tunnet only the shape is checked here; the console code finds out
 * whether PATH can be used.
 */
static int parse_console(struct launch_config *cfg, const char *arg,
			 char *err, size_t errlen)
{
	if (cfg->console_given)
		return error_text(err, errlen, "--console given more than once");
	cfg->console_given = true;
	cfg->console_path = NULL;
	if (!strcmp(arg, "tty")) {
		cfg->console = LAUNCH_CONSOLE_TTY;
		return 0;
	}
	if (!strcmp(arg, "pty")) {
		cfg->console = LAUNCH_CONSOLE_PTY;
		return 0;
	}
	if (!strncmp(arg, "socket:", 7)) {
		cfg->console = LAUNCH_CONSOLE_SOCKET;
		cfg->console_path = arg + 7;
	} else if (!strncmp(arg, "file:", 5)) {
		cfg->console = LAUNCH_CONSOLE_FILE;
		cfg->console_path = arg + 5;
	} else {
		return error_text(err, errlen,
				  "--console=%s: unknown mode (tty, pty, socket:PATH or file:PATH)",
				  arg);
	}
	if (!cfg->console_path[0])
		return error_text(err, errlen, "--console=%s needs a PATH", arg);
	if (cfg->console == LAUNCH_CONSOLE_SOCKET &&
	    strlen(cfg->console_path) > LAUNCH_SOCKET_PATH_MAX)
		return error_text(err, errlen,
				  "--console=socket:PATH: the path is longer than %u bytes",
				  LAUNCH_SOCKET_PATH_MAX);
	return 0;
}

/*L:125
 * Devices are kept in the order the user gave them, which is the order the
 * Guest finds them on its bus.  The bus has room for five, and the console
 * is always the first.
 */
static int add_device(struct launch_config *cfg, enum launch_device_kind kind,
		      const char *arg, char *err, size_t errlen)
{
	if (cfg->ndevices == LAUNCH_MAX_DEVICES)
		return error_text(err, errlen,
				  "at most %u devices (--block, --tunnet and --sharenet together)",
				  LAUNCH_MAX_DEVICES);
	cfg->devices[cfg->ndevices].kind = kind;
	cfg->devices[cfg->ndevices].arg = arg;
	cfg->ndevices++;
	return 0;
}

/*L:130
 * Everything after the kernel image is the Guest kernel's command line,
 * joined with single spaces.  It must fit in the kernel's own limit.
 */
static int join_cmdline(int argc, char *argv[], char *out, size_t outlen,
			char *err, size_t errlen)
{
	int i;

	out[0] = '\0';
	for (i = 0; i < argc; i++) {
		if ((i && strlcat(out, " ", outlen) >= outlen) ||
		    strlcat(out, argv[i], outlen) >= outlen)
			return error_text(err, errlen,
					  "kernel command line is longer than %zu bytes",
					  outlen - 1);
	}
	return 0;
}

int parse_args(int argc, char *argv[], struct launch_config *cfg,
	       char *err, size_t errlen)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "tunnet", required_argument, NULL, 't' },
		{ "sharenet", required_argument, NULL, 's' },
		{ "block", required_argument, NULL, 'b' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "console", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(cfg, 0, sizeof(*cfg));
	err[0] = '\0';
	/* getopt keeps state between calls: start afresh every time. */
	optind = 0;
	opterr = 0;

	/* "+": stop at the first non-option, the memory size. */
	while ((c = getopt_long(argc, argv, "+:vt:s:b:i:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			cfg->verbose = true;
			break;
		case 't':
			if (add_device(cfg, LAUNCH_TUNNET, optarg, err, errlen) ||
			    check_tunnet(optarg, err, errlen))
				return -1;
			cfg->tunnets[cfg->ntunnets++] = optarg;
			break;
		case 's':
			if (add_device(cfg, LAUNCH_SHARENET, optarg, err, errlen))
				return -1;
			if (!optarg[0])
				return error_text(err, errlen,
						  "--sharenet needs a file name");
			cfg->sharenets[cfg->nsharenets++] = optarg;
			break;
		case 'b':
			if (add_device(cfg, LAUNCH_BLOCK, optarg, err, errlen))
				return -1;
			if (!optarg[0] || !strcmp(optarg, "ro:"))
				return error_text(err, errlen,
						  "--block needs a file name");
			cfg->blocks[cfg->nblocks++] = optarg;
			break;
		case 'i':
			if (cfg->initrd)
				return error_text(err, errlen,
						  "--initrd given more than once");
			if (!optarg[0])
				return error_text(err, errlen,
						  "--initrd needs a file name");
			cfg->initrd = optarg;
			break;
		case 'c':
			if (parse_console(cfg, optarg, err, errlen))
				return -1;
			break;
		case 'h':
			cfg->help = true;
			return 0;
		case 'V':
			cfg->version = true;
			return 0;
		case ':':
			return error_text(err, errlen, "option '%s' needs an argument",
					  argv[optind - 1]);
		default:
			if (optopt)
				return error_text(err, errlen, "unknown option '-%c'",
						  optopt);
			return error_text(err, errlen, "unknown option '%s'",
					  argv[optind - 1]);
		}
	}

	if (optind >= argc)
		return error_text(err, errlen,
				  "missing memory size and kernel image (see --help)");
	if (parse_mem(argv[optind], &cfg->mem_mb, err, errlen))
		return -1;
	if (optind + 1 >= argc)
		return error_text(err, errlen, "missing kernel image (see --help)");
	cfg->kernel = argv[optind + 1];
	if (!cfg->kernel[0])
		return error_text(err, errlen, "kernel image name is empty");

	return join_cmdline(argc - optind - 2, argv + optind + 2,
			    cfg->cmdline, sizeof(cfg->cmdline), err, errlen);
}
