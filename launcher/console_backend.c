// SPDX-License-Identifier: GPL-2.0
/*
 * console_backend.c - the file descriptors behind the Guest's console, for
 * each --console mode.  See console_backend.h.
 */
#define _GNU_SOURCE		/* accept4(), posix_openpt() and friends */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "launch.h"
#include "console_backend.h"

static enum launch_console_kind mode;
static int in_fd = -1;		/* what console_input_fd() returns */
static int out_fd = -1;		/* pty: the master; file: the file */

/*L:285
 * The terminal.  If our standard input is a terminal we put it in raw-ish
 * mode, as the original 2007 lguest Launcher did: no line editing, no
 * echo and no signal keys, so every key (Ctrl-C too) goes to the Guest,
 * whose own tty does all that.  Output processing stays on.
 *
 * The terminal must be put back however we leave: a normal exit or
 * launch_die() (atexit), or a fatal signal (a handler that restores it
 * and then dies of the same signal, so our parent sees the truth: it
 * hands the signal to the handler that was there before, --stats's
 * (L:900), if there was one).  A console socket is cleaned up the same
 * way: its name goes at exit.
 */
static struct termios orig_term;
static bool term_changed;
static const char *socket_path;	/* ours to unlink at exit */

static void cleanup(void)
{
	if (term_changed)
		tcsetattr(STDIN_FILENO, TCSANOW, &orig_term);
	if (socket_path)
		unlink(socket_path);
}

static const int fatal_sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE };
static struct sigaction before[ARRAY_SIZE(fatal_sigs)];

/* Die of @sig: through the handler we found, if it was one, or as is. */
static void die_of_signal(int sig)
{
	unsigned int i;

	cleanup();
	signal(sig, SIG_DFL);
	for (i = 0; i < ARRAY_SIZE(fatal_sigs); i++)
		if (fatal_sigs[i] == sig && before[i].sa_handler != SIG_IGN)
			sigaction(sig, &before[i], NULL);
	raise(sig);
}

static void cleanup_at_exit(void)
{
	static bool done;
	unsigned int i;

	if (done)
		return;
	done = true;
	for (i = 0; i < ARRAY_SIZE(fatal_sigs); i++) {
		sigaction(fatal_sigs[i], NULL, &before[i]);
		signal(fatal_sigs[i], die_of_signal);
	}
	atexit(cleanup);
}

static void open_tty(void)
{
	struct termios raw;

	in_fd = STDIN_FILENO;
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &orig_term))
		return;
	cleanup_at_exit();
	raw = orig_term;
	raw.c_lflag &= ~(ISIG | ICANON | ECHO | IEXTEN);
	raw.c_iflag &= ~(IXON | ICRNL);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	term_changed = !tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

/*L:296
 * A pseudo-terminal (--console=pty).  We make one and say where its slave
 * side is, in one line on standard error that a script can pick out:
 * "lguest-launch: console on /dev/pts/N".  Whoever opens that path (with
 * screen, minicom or a plain program) is at the Guest's console.
 *
 * While nobody has the slave open, the master reads EIO and polls as
 * hung up for ever, which would have the waker knock at full speed.  So
 * we keep the slave open ourselves, never reading it: the master never
 * hangs up, and the Guest's output waits in the kernel's pty buffer (a few
 * KB) for the next reader.  The master is non-blocking, so once that
 * buffer is full further output is dropped rather than stopping the
 * Guest.  The slave starts raw, like a serial line: the Guest's own tty
 * does echo, line editing and newline translation.
 */
static void open_pty(void)
{
	struct termios t;
	const char *name;
	int master, slave;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master))
		launch_die(EXIT_GUEST_FAILED,
			   "--console=pty: cannot make a pseudo-terminal: %s",
			   strerror(errno));
	name = ptsname(master);
	if (!name)
		launch_die(EXIT_GUEST_FAILED,
			   "--console=pty: no name for the pseudo-terminal: %s",
			   strerror(errno));
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		launch_die(EXIT_GUEST_FAILED, "--console=pty: cannot open %s: %s",
			   name, strerror(errno));
	if (!tcgetattr(slave, &t)) {
		cfmakeraw(&t);
		tcsetattr(slave, TCSANOW, &t);
	}
	fcntl(master, F_SETFD, FD_CLOEXEC);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	in_fd = out_fd = master;
	fprintf(stderr, "lguest-launch: console on %s\n", name);
}

/*L:297
 * A Unix socket (--console=socket:PATH).  PATH must be new, or a socket we
 * left behind: one of ours that nobody answers on is removed, one that
 * answers is another Launcher's console, and anything else is not ours to
 * delete.  The socket is made 0600 (the console is a shell on the Guest),
 * and its name is removed when we exit.
 */
static int listen_fd = -1;
static int client_fd = -1;

static void __attribute__((noreturn)) socket_die(const char *path,
						 const char *what)
{
	launch_die(EXIT_USAGE, "--console=socket:%s: %s", path, what);
}

static void clear_stale_socket(const char *path,
			       const struct sockaddr_un *sa)
{
	struct stat st;
	int probe;

	if (lstat(path, &st)) {
		if (errno != ENOENT)
			socket_die(path, strerror(errno));
		return;
	}
	if (!S_ISSOCK(st.st_mode))
		socket_die(path, "it exists and is not a socket");
	if (st.st_uid != geteuid())
		socket_die(path, "a socket that belongs to another user");
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		socket_die(path, strerror(errno));
	if (!connect(probe, (const struct sockaddr *)sa, sizeof(*sa)))
		socket_die(path, "in use: something is listening there");
	if (errno != ECONNREFUSED)
		socket_die(path, strerror(errno));
	close(probe);
	if (unlink(path))
		socket_die(path, strerror(errno));
}

static void open_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old_umask;
	int r;

	/* args.c checked that the path fits. */
	memcpy(sa.sun_path, path, strlen(path) + 1);
	clear_stale_socket(path, &sa);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			   0);
	if (listen_fd < 0)
		socket_die(path, strerror(errno));
	old_umask = umask(0177);
	r = bind(listen_fd, (const struct sockaddr *)&sa, sizeof(sa));
	umask(old_umask);
	if (r) {
		char why[160];

		snprintf(why, sizeof(why), "cannot create it: %s",
			 strerror(errno));
		socket_die(path, why);
	}
	socket_path = path;
	cleanup_at_exit();
	/* Only one client: the next waits in the backlog until it goes. */
	if (listen(listen_fd, 1))
		socket_die(path, strerror(errno));
	in_fd = listen_fd;
}

/*L:298
 * One client at a time is the console.  While it is connected we watch it
 * and not the listening socket, so a second one waits until the first
 * leaves; when it does we go back to listening.  What the Guest prints
 * while nobody is connected is kept, the last 4 KB of it (the tail of the
 * boot messages, the shell's prompt), and handed to the next client as it
 * arrives.  A client too slow to take what is sent loses the excess: the
 * Guest never waits for it.
 */
static unsigned char kept[4096];
static size_t kept_len;

static void keep(const void *buf, size_t len)
{
	if (len >= sizeof(kept)) {
		memcpy(kept, (const char *)buf + len - sizeof(kept),
		       sizeof(kept));
		kept_len = sizeof(kept);
		return;
	}
	if (kept_len + len > sizeof(kept)) {
		size_t drop = kept_len + len - sizeof(kept);

		memmove(kept, kept + drop, kept_len - drop);
		kept_len -= drop;
	}
	memcpy(kept + kept_len, buf, len);
	kept_len += len;
}

static ssize_t socket_read(void *buf, size_t len)
{
	ssize_t r;

	if (client_fd < 0) {
		client_fd = accept4(listen_fd, NULL, NULL,
				    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (client_fd < 0)
			return 0;
		if (kept_len)
			send(client_fd, kept, kept_len,
			     MSG_NOSIGNAL | MSG_DONTWAIT);
		kept_len = 0;
		in_fd = client_fd;
		return 0;
	}
	r = read(client_fd, buf, len);
	if (r > 0)
		return r;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	/* Gone (end of file, or reset): wait for the next one. */
	close(client_fd);
	client_fd = -1;
	in_fd = listen_fd;
	return 0;
}

/*
 * A client that has gone is noticed by the read side (its socket polls as
 * hung up): here a failed send just loses the output.
 */
static void socket_write(const struct iovec *iov, unsigned int num)
{
	unsigned int i;

	for (i = 0; i < num; i++) {
		if (client_fd < 0) {
			keep(iov[i].iov_base, iov[i].iov_len);
			continue;
		}
		if (send(client_fd, iov[i].iov_base, iov[i].iov_len,
			 MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)iov[i].iov_len)
			return;
	}
}

/*L:299
 * A file (--console=file:PATH): the Guest's output is appended to it, and
 * there is no input.  The file is created 0600 if missing; it is never
 * truncated, so a log of several boots reads in order.
 */
static void open_file(const char *path)
{
	out_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY |
		      O_CLOEXEC, 0600);
	if (out_fd < 0)
		launch_die(EXIT_USAGE, "--console=file:%s: cannot open it: %s",
			   path, strerror(errno));
}

void console_open(enum launch_console_kind kind, const char *path)
{
	mode = kind;
	switch (kind) {
	case LAUNCH_CONSOLE_TTY:
		open_tty();
		break;
	case LAUNCH_CONSOLE_PTY:
		open_pty();
		break;
	case LAUNCH_CONSOLE_SOCKET:
		open_socket(path);
		break;
	case LAUNCH_CONSOLE_FILE:
		open_file(path);
		break;
	}
}

int console_input_fd(void)
{
	return in_fd;
}

ssize_t console_read(void *buf, size_t len)
{
	ssize_t r;

	if (mode == LAUNCH_CONSOLE_SOCKET)
		return socket_read(buf, len);
	if (in_fd < 0)
		return -1;
	r = read(in_fd, buf, len);
	if (r > 0)
		return r;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	/* At end of input we stop watching; the Guest runs on. */
	in_fd = -1;
	return -1;
}

/* Short or failed: the rest is lost, and the Guest goes on. */
static void write_or_lose(int fd, const struct iovec *iov, unsigned int num)
{
	ssize_t r = writev(fd, iov, num);

	(void)r;
}

void console_write(const struct iovec *iov, unsigned int num)
{
	unsigned int i;

	switch (mode) {
	case LAUNCH_CONSOLE_TTY:
		for (i = 0; i < num; i++)
			if (fwrite(iov[i].iov_base, 1, iov[i].iov_len,
				   stdout) != iov[i].iov_len)
				break;
		fflush(stdout);
		break;
	case LAUNCH_CONSOLE_SOCKET:
		socket_write(iov, num);
		break;
	case LAUNCH_CONSOLE_PTY:
	case LAUNCH_CONSOLE_FILE:
		write_or_lose(out_fd, iov, num);
		break;
	}
}
