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
#include "launch.h"
#include "devices.h"
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
"      --shutdown-timeout=SECONDS\n"
"                            on SIGTERM, how long a Guest with the power\n"
"                            button driver has to power off before it is\n"
"                            killed (default 30; 0: kill it at once)\n"
"      --stats               when the Guest ends, print what it cost on\n"
"                            stderr: world switches, exits by reason,\n"
"                            hypercalls ('lguest-stats: NAME COUNT' lines)\n"
"  -h, --help                show this help and exit\n"
"  -V, --version             show the version and exit\n"
"\n"
"MEM-IN-MB is the Guest's memory in megabytes (16 to 2048).\n"
"At most 4 devices (--block, --tunnet, --sharenet together); the Guest\n"
"sees them in command-line order: the first disk is /dev/lgba, the first\n"
"network device eth0.\n"
"Exit status: 0 when the Guest powers off, 1 when it crashes or cannot\n"
"run, 2 for a bad command line or unusable input file.\n"
"SIGTERM (and SIGINT when --console is not tty) asks the Guest to power\n"
"off, if its kernel has the lguest power button driver; a second one, or\n"
"the timeout, kills it (as SIGTERM does a Guest without the driver).\n";

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

/*L:115
 * --shutdown-timeout is a plain decimal number of seconds too, up to a
 * day; 0 means no wait at all.
 */
static int parse_timeout(const char *s, unsigned int *secs, char *err,
			 size_t errlen)
{
	char *end;
	unsigned long val;

	if (s[0] < '0' || s[0] > '9')
		return error_text(err, errlen,
				  "--shutdown-timeout=%s is not a number of seconds", s);
	errno = 0;
	val = strtoul(s, &end, 10);
	if (errno || *end)
		return error_text(err, errlen,
				  "--shutdown-timeout=%s is not a number of seconds", s);
	if (val > LAUNCH_SHUTDOWN_TIMEOUT_MAX)
		return error_text(err, errlen,
				  "--shutdown-timeout=%s is more than %u seconds (a day)",
				  s, LAUNCH_SHUTDOWN_TIMEOUT_MAX);
	*secs = val;
	return 0;
}

/*L:125
 * Devices are kept in the order the user gave them, which is the order the
 * Guest finds them on its bus.  The bus has room for six: the console is
 * always the first, and the power button (L:800) always the last.
 */
static int add_device(struct launch_config *cfg, const struct device_kind *kind,
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

/* The usage text above, and lguest-launch(1), give the limit in words. */
_Static_assert(LAUNCH_MAX_DEVICES == 4, "the usage text says at most 4 devices");

/*L:127
 * The device options are not ours to list: each kind of device brings its
 * own, in the struct device_kind its file declares (devices.h).  getopt
 * knows a device option by the letter of its short option if it has one,
 * else by a number past every letter; the same number takes us back from
 * what getopt returns to the kind, whose parse checks the argument.
 */
#define DEVICE_OPTION_BASE	256
/* Our own options that have no letter: past every letter, below the kinds. */
#define OPT_SHUTDOWN_TIMEOUT	128
#define OPT_STATS		129

static const struct option launch_options[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "shutdown-timeout", required_argument, NULL, OPT_SHUTDOWN_TIMEOUT },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};

/* "+": stop at the first non-option, the memory size. */
#define LAUNCH_SHORT_OPTIONS	"+:vi:hV"

static int device_option_val(const struct device_kind *const *kind)
{
	if ((*kind)->short_option)
		return (*kind)->short_option;
	return DEVICE_OPTION_BASE + (int)(kind - __start_device_kinds);
}

static const struct device_kind *device_option_kind(int c)
{
	const struct device_kind *const *kind;

	for_each_device_kind(kind)
		if ((*kind)->option && device_option_val(kind) == c)
			return *kind;
	return NULL;
}

/* Our options then every kind's, in getopt_long()'s two forms. */
static void device_options(struct option *opts, char *shorts)
{
	const struct device_kind *const *kind;
	size_t n = ARRAY_SIZE(launch_options), len = strlen(LAUNCH_SHORT_OPTIONS);

	memcpy(opts, launch_options, sizeof(launch_options));
	memcpy(shorts, LAUNCH_SHORT_OPTIONS, len);
	for_each_device_kind(kind) {
		if (!(*kind)->option)
			continue;
		opts[n].name = (*kind)->option;
		opts[n].has_arg = required_argument;
		opts[n].flag = NULL;
		opts[n].val = device_option_val(kind);
		n++;
		if ((*kind)->short_option) {
			shorts[len++] = (*kind)->short_option;
			shorts[len++] = ':';
		}
	}
	memset(&opts[n], 0, sizeof(opts[n]));
	shorts[len] = '\0';
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

/*
 * What getopt refused: an unknown option, or a long one that takes no
 * argument given one ("--stats=1"), whose optopt is our number for it,
 * not a letter.
 */
static int bad_option(const char *arg, char *err, size_t errlen)
{
	size_t len = strcspn(arg, "=");

	if (optopt && !strncmp(arg, "--", 2) && arg[len])
		return error_text(err, errlen, "option '%.*s' takes no argument",
				  (int)len, arg);
	if (optopt)
		return error_text(err, errlen, "unknown option '-%c'", optopt);
	return error_text(err, errlen, "unknown option '%s'", arg);
}

int parse_args(int argc, char *argv[], struct launch_config *cfg,
	       char *err, size_t errlen)
{
	const size_t nkinds = __stop_device_kinds - __start_device_kinds;
	struct option opts[ARRAY_SIZE(launch_options) + nkinds + 1];
	char shorts[sizeof(LAUNCH_SHORT_OPTIONS) + 2 * nkinds];
	const struct device_kind *kind;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->shutdown_timeout = LAUNCH_SHUTDOWN_TIMEOUT;
	err[0] = '\0';
	device_options(opts, shorts);
	/* getopt keeps state between calls: start afresh every time. */
	optind = 0;
	opterr = 0;

	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		kind = device_option_kind(c);
		if (kind) {
			if ((!kind->always &&
			     add_device(cfg, kind, optarg, err, errlen)) ||
			    kind->parse(cfg, optarg, err, errlen))
				return -1;
			continue;
		}
		switch (c) {
		case 'v':
			cfg->verbose = true;
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
		case OPT_SHUTDOWN_TIMEOUT:
			if (cfg->shutdown_timeout_given)
				return error_text(err, errlen,
						  "--shutdown-timeout given more than once");
			cfg->shutdown_timeout_given = true;
			if (parse_timeout(optarg, &cfg->shutdown_timeout, err,
					  errlen))
				return -1;
			break;
		case OPT_STATS:
			cfg->stats = true;
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
			return bad_option(argv[optind - 1], err, errlen);
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
