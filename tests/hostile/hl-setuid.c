// SPDX-License-Identifier: GPL-2.0
/*
 * hl-setuid DIR: a Launcher whose Guest has bound a DMA buffer to a key
 * in a page shared with another Guest execs a setuid-root program
 * (DIR/hl-suid) with /dev/lguest still open.  Its address space is gone,
 * so its Guest is dead: when the other Guest then sends DMA to that key,
 * the Host must deliver it to nobody, least of all into the setuid
 * program's memory, which hl-suid lays out where the Guest's memory was.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "hostile.h"

#define WAIT_MS	20000
#define DATA	"hostile-dma-data"

static const char *dir;

/* Launcher A: bind, then exec the setuid program. */
static void launcher_a(int shared, int ready, int go)
{
	char path[512], fd[16], addr[32], bytes[32], r[16], g_[16];
	struct lguest_dma *d;
	struct hl_guest g;
	uint32_t res = 0;

	if (!hl_guest_start_shared(&g, dir, shared, "setuid-launcher-a", WAIT_MS))
		_exit(1);
	d = (struct lguest_dma *)(g.mem + HL_DMA_PA);
	memset(d, 0, sizeof(*d));
	d->addr[0] = HL_DMA_PA + 0x800;
	d->len[0] = 64;
	if (!hl_cmd(&g, HL_OP_BIND, HL_KEY_PA, HL_DMA_PA, (1 << 8) | 3, WAIT_MS,
		    &res) || res != 1) {
		hl_fail("setuid-bind", "BIND_DMA gave %u", res);
		_exit(1);
	}
	hl_pass("setuid-bind");
	if (!hl_run_stop(&g, 5000)) {
		hl_fail("setuid-stop", "the runner did not stop");
		_exit(1);
	}
	snprintf(path, sizeof(path), "%s/hl-suid", dir);
	snprintf(fd, sizeof(fd), "%d", g.fd);
	snprintf(addr, sizeof(addr), "%#lx", (unsigned long)g.mem);
	snprintf(bytes, sizeof(bytes), "%lu", g.mem_size);
	snprintf(r, sizeof(r), "%d", ready);
	snprintf(g_, sizeof(g_), "%d", go);
	fflush(stdout);
	execl(path, "hl-suid", fd, addr, bytes, r, g_, (char *)NULL);
	hl_fail("setuid-exec", "exec %s: %s", path, strerror(errno));
	_exit(1);
}

int main(int argc, char *argv[])
{
	int shared, ready[2], go[2], status;
	struct lguest_dma *d;
	struct pollfd p;
	struct hl_guest b;
	uint32_t used = 0xdead;
	char c = 0;
	pid_t pid;

	dir = argc > 1 ? argv[1] : ".";
	hl_timeout(120, "hl-setuid");
	shared = memfd_create("hostile-key", 0);
	if (shared < 0 || ftruncate(shared, HL_PAGE) || pipe(ready) || pipe(go)) {
		hl_fail("setuid", "setup: %s", strerror(errno));
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(ready[0]);
		close(go[1]);
		launcher_a(shared, ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	p = (struct pollfd){ .fd = ready[0], .events = POLLIN };
	if (poll(&p, 1, 60000) != 1 || read(ready[0], &c, 1) != 1 || c != 'R') {
		if (c != 'S')
			hl_fail("setuid-exec", "the setuid program never got ready");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return hl_failed ? 1 : 0;
	}

	/* Launcher B: send to A's key. */
	if (!hl_guest_start_shared(&b, dir, shared, "setuid-launcher-b", WAIT_MS)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 1;
	}
	d = (struct lguest_dma *)(b.mem + HL_DMA_PA);
	memset(d, 0, sizeof(*d));
	memcpy(b.mem + HL_DMA_PA + 0x800, DATA, sizeof(DATA));
	d->addr[0] = HL_DMA_PA + 0x800;
	d->len[0] = sizeof(DATA);
	if (!hl_cmd(&b, HL_OP_SEND, HL_KEY_PA, HL_DMA_PA, 0, WAIT_MS, &used))
		hl_fail("setuid-exec-send", "the sender's SEND_DMA never returned");
	else if (used)
		hl_fail("setuid-exec-send",
			"the Host took %u bytes for the dead Guest's key", used);
	else
		hl_pass("setuid-exec-send");
	c = 'G';
	if (write(go[1], &c, 1) != 1)
		hl_fail("setuid-exec", "cannot tell the setuid program");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		hl_fail("setuid-exec-helper", "the setuid program did not exit (%#x)",
			status);
	hl_cmd(&b, HL_OP_POWER, 0, 0, 0, 0, NULL);
	hl_guest_free(&b);
	return hl_failed ? 1 : 0;
}
