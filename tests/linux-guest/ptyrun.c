// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun: run the Launcher on a pseudo-terminal, as a user at a terminal
 * would, and check what it does to the terminal.
 *
 *	ptyrun poweroff|crash|sigterm|sigint|sighup COMMAND [ARGS...]
 *
 * Once the Guest prints LGUEST-SHELL-READY we check that the terminal is in
 * raw mode, type a command, then end the Guest: "poweroff", a Guest panic
 * ("crash"), or a signal to the Launcher.  When the Launcher has exited we
 * check that the terminal's modes are back as they were.  Prints
 * "PTY-RAW yes|no", "PTY-ECHO yes|no" (the Guest answered a typed
 * command), "PTY-EXIT <status>|signal <n>" and "PTY-RESTORED yes|no".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

static char seen[1 << 16];
static size_t seen_len;

static int saw(const char *what)
{
	seen[seen_len] = '\0';
	return strstr(seen, what) != NULL;
}

int main(int argc, char *argv[])
{
	struct termios before, during, after;
	int master, slave, status, typed = 0, ended = 0, raw = 0;
	const char *mode;
	pid_t pid;
	int ticks = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: ptyrun MODE COMMAND [ARGS...]\n");
		return 2;
	}
	mode = argv[1];
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master))
		return perror("pty"), 2;
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (slave < 0 || tcgetattr(slave, &before))
		return perror("pty slave"), 2;

	pid = fork();
	if (pid == 0) {
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		close(master);
		execvp(argv[2], argv + 2);
		_exit(127);
	}

	/* 0.1 s ticks; give up after ten minutes. */
	while (ticks++ < 6000) {
		struct pollfd p = { .fd = master, .events = POLLIN };

		if (poll(&p, 1, 100) > 0) {
			char buf[4096];
			ssize_t n = read(master, buf, sizeof(buf));

			if (n > 0) {
				fwrite(buf, 1, n, stdout);
				fflush(stdout);
				if (seen_len + n < sizeof(seen) - 1) {
					memcpy(seen + seen_len, buf, n);
					seen_len += n;
				}
			}
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (!typed && saw("LGUEST-SHELL-READY")) {
			tcgetattr(slave, &during);
			raw = !(during.c_lflag & (ICANON | ECHO | ISIG));
			if (write(master, "echo P$((40+2))Q\n", 17) != 17)
				return perror("write"), 2;
			typed = 1;
		}
		if (typed && !ended && saw("P42Q")) {
			ended = 1;
			if (!strcmp(mode, "poweroff"))
				ended = write(master, "poweroff\n", 9) == 9;
			else if (!strcmp(mode, "crash"))
				ended = write(master, "echo c >/proc/sysrq-trigger\n", 28) == 28;
			else if (!strcmp(mode, "sigterm"))
				kill(pid, SIGTERM);
			else if (!strcmp(mode, "sigint"))
				kill(pid, SIGINT);
			else if (!strcmp(mode, "sighup"))
				kill(pid, SIGHUP);
		}
	}
	if (ticks >= 6000) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	tcgetattr(slave, &after);
	printf("\nPTY-RAW %s\n", raw ? "yes" : "no");
	printf("PTY-ECHO %s\n", ended ? "yes" : "no");
	if (WIFEXITED(status))
		printf("PTY-EXIT %d\n", WEXITSTATUS(status));
	else
		printf("PTY-EXIT signal %d\n", WTERMSIG(status));
	printf("PTY-RESTORED %s\n",
	       after.c_lflag == before.c_lflag &&
	       after.c_iflag == before.c_iflag ? "yes" : "no");
	return 0;
}
