// SPDX-License-Identifier: GPL-2.0
/*L:500
 * Network devices.
 *
 * The Guest's network driver sees one page of MAC addresses, one slot per
 * member of the network, and sends each frame to the receive key of
 * whichever members should have it (the page's address plus four times
 * their slot).  We make two kinds of network out of that:
 *
 *   --sharenet=FILE: the page is a one-page file that every Guest on the
 *	network maps.  The Host sees the same page behind every Guest's
 *	keys and copies frames from Guest to Guest itself; we only find the
 *	Guest a free slot, and never see a frame.
 *
 *   --tunnet=IPADDR or --tunnet=bridge:NAME: the page is ours alone, and
 *	we are the only other member.  We sit in slot 0 behind a tap device
 *	(a network interface of the Host whose "wire" is a file descriptor),
 *	take every frame the Guest sends and write it to the tap, and put
 *	what we read from the tap into the Guest's buffers.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "launch.h"
#include "devices.h"
#include "error_text.h"

/* The multicast bit of a published MAC: "send me every frame". */
#define NET_PROMISC_BIT		0x01

/* On a tap network we are slot 0 and the Guest is slot 1. */
#define TUN_LAUNCHER_SLOT	0
#define TUN_GUEST_SLOT		1

/* The largest frame the Guest's buffers hold: Ethernet header + 1500. */
#define NET_FRAME_LEN		1514

/* Frames moved from the tap to the Guest per knock of the waker. */
#define TUN_BATCH		64

/* The receive key of @slot on @dev's network (the Guest's peer_key()). */
static uint32_t net_key(const struct device *dev, unsigned int slot)
{
	return dev->gpa + 4 * slot;
}

static char *net_name(const char *fmt, const char *arg)
{
	char *name;

	if (asprintf(&name, fmt, arg) < 0)
		launch_die(EXIT_GUEST_FAILED, "out of memory");
	return name;
}

/*L:120
 * --tunnet takes either an IPv4 address for the Host's end of a new tap
 * device, or "bridge:" and the name of an existing bridge.  We check only the
 * shape here; whether the bridge exists is found out when we open it.
 */
static int check_tunnet(struct launch_config *cfg, const char *arg, char *err,
			size_t errlen)
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

/*L:510
 * The tap network.  Everything the Guest sends comes to slot 0's key,
 * which is ours; no other Guest has this page, so the Host hands every
 * frame to us, and we write it to the tap as it is.  What we return goes
 * into the Guest's used_len, which is how its driver counts the frame as
 * sent.
 */
struct tun_net {
	int fd;
	char ifname[IFNAMSIZ];
	unsigned long dropped;		/* frames the Guest had no room for */
	unsigned char discard[65536];
};

static uint32_t tun_output(struct guest *g, struct device *dev,
			   const struct iovec *iov, unsigned int num)
{
	struct tun_net *t = dev->priv;
	ssize_t r = writev(t->fd, iov, num);

	return r < 0 ? 0 : r;
}

/*L:520
 * The other way: the waker saw the tap readable.  We move up to TUN_BATCH
 * frames, each read straight into a buffer the Guest bound to its key
 * (slot 1), and raise its interrupt once at the end.  The Host hands out
 * the Guest's buffers in ring order, as it does when another Guest sends,
 * so the frames reach the Guest's stack in the order they came.
 *
 * If the Guest has no buffer free, its network is congested (or it is
 * not up yet): we read the frame anyway and drop it, as a full network
 * card would, rather than leave it in the tap and be woken for it again
 * at once.  TCP slows down, and nobody waits for the Guest.
 */
static void tun_input(struct guest *g, struct device *dev)
{
	struct tun_net *t = dev->priv;
	struct iovec iov[LGUEST_MAX_DMA_SECTIONS];
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	unsigned int n, num, i, filled = 0;
	struct lguest_dma *dma;
	uint32_t irq = 0;
	size_t room;
	ssize_t r;

	for (n = 0; n < TUN_BATCH && poll(&p, 1, 0) > 0; n++) {
		dma = get_dma_buffer(g, net_key(dev, TUN_GUEST_SLOT), iov,
				     &num, &irq);
		if (!dma) {
			if (read(t->fd, t->discard, sizeof(t->discard)) <= 0)
				break;
			t->dropped++;
			continue;
		}
		for (room = 0, i = 0; i < num; i++)
			room += iov[i].iov_len;
		r = readv(t->fd, iov, num);
		if (r <= 0 || (size_t)r > room) {
			/* Nothing, or more than fits: give the buffer back. */
			dma->used_len = 0;
			if (r > 0)
				t->dropped++;
			if (r <= 0)
				break;
			continue;
		}
		/* The frame must be in place before the Guest sees its length. */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		dma->used_len = r;
		filled++;
	}
	if (filled)
		trigger_irq(g, irq);
}

/*L:530
 * Making the tap.  /dev/net/tun hands out a new network interface for each
 * TUNSETIFF; IFF_TAP makes it carry Ethernet frames (not IP packets), and
 * IFF_NO_PI leaves out the header tun would otherwise put before each one.
 * The kernel numbers it for us: lguest0, lguest1, ...  It goes away when
 * we exit and the file descriptor is closed.
 */
static int open_tap(char ifname[IFNAMSIZ])
{
	struct ifreq ifr;
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			launch_die(EXIT_GUEST_FAILED,
				   "--tunnet: /dev/net/tun is missing: is the tun module loaded?");
		if (errno == EACCES || errno == EPERM)
			launch_die(EXIT_GUEST_FAILED,
				   "--tunnet: cannot open /dev/net/tun: %s (creating tap devices needs CAP_NET_ADMIN)",
				   strerror(errno));
		launch_die(EXIT_GUEST_FAILED, "--tunnet: cannot open /dev/net/tun: %s",
			   strerror(errno));
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, "lguest%d");
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		if (errno == EPERM || errno == EACCES)
			launch_die(EXIT_GUEST_FAILED,
				   "--tunnet: not permitted to create a tap device: it needs CAP_NET_ADMIN (run as root)");
		launch_die(EXIT_GUEST_FAILED, "--tunnet: cannot create a tap device: %s",
			   strerror(errno));
	}
	memcpy(ifname, ifr.ifr_name, IFNAMSIZ);
	ifname[IFNAMSIZ - 1] = '\0';
	return fd;
}

/*L:540
 * Configuring the Host's end of the tap: either an address (the Guest's
 * network is then 255.255.255.0 around it, so --tunnet=10.1.2.1 lets the
 * Guest be 10.1.2.2) or membership of an existing bridge, and up.  These
 * are the same ioctls ifconfig and brctl use, on any socket.  Last, the
 * tap's MAC address goes into our slot, with the promiscuous bit: every
 * frame the Guest sends should come to us, whatever its destination.
 */
static void configure_tap(const char *ifname, const char *arg,
			  struct lguest_net *slot)
{
	struct sockaddr_in *sin;
	struct ifreq ifr;
	int sk;

	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		launch_die(EXIT_GUEST_FAILED, "--tunnet: cannot open a socket: %s",
			   strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	if (!strncmp(arg, "bridge:", 7)) {
		const char *br = arg + 7;

		ifr.ifr_ifindex = if_nametoindex(ifname);
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", br);
		if (ioctl(sk, SIOCBRADDIF, &ifr) < 0) {
			if (errno == ENODEV)
				launch_die(EXIT_USAGE, "--tunnet=%s: there is no bridge '%s'",
					   arg, br);
			if (errno == EOPNOTSUPP || errno == EINVAL)
				launch_die(EXIT_USAGE, "--tunnet=%s: '%s' is not a bridge",
					   arg, br);
			launch_die(EXIT_GUEST_FAILED, "--tunnet=%s: cannot add %s to bridge '%s': %s",
				   arg, ifname, br, strerror(errno));
		}
	} else {
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
		sin = (struct sockaddr_in *)&ifr.ifr_addr;
		sin->sin_family = AF_INET;
		if (inet_pton(AF_INET, arg, &sin->sin_addr) != 1)
			launch_die(EXIT_USAGE, "--tunnet=%s: not an IPv4 address", arg);
		if (ioctl(sk, SIOCSIFADDR, &ifr) < 0)
			launch_die(EXIT_GUEST_FAILED, "--tunnet=%s: cannot give %s that address: %s",
				   arg, ifname, strerror(errno));
		inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
		if (ioctl(sk, SIOCSIFNETMASK, &ifr) < 0)
			launch_die(EXIT_GUEST_FAILED, "--tunnet=%s: cannot set the netmask of %s: %s",
				   arg, ifname, strerror(errno));
	}

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(sk, SIOCGIFFLAGS, &ifr) < 0)
		launch_die(EXIT_GUEST_FAILED, "--tunnet: %s: %s", ifname, strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sk, SIOCSIFFLAGS, &ifr) < 0)
		launch_die(EXIT_GUEST_FAILED, "--tunnet: cannot bring %s up: %s",
			   ifname, strerror(errno));
	if (ioctl(sk, SIOCGIFHWADDR, &ifr) < 0)
		launch_die(EXIT_GUEST_FAILED, "--tunnet: no MAC address for %s: %s",
			   ifname, strerror(errno));
	close(sk);

	memcpy(slot->mac, ifr.ifr_hwaddr.sa_data, sizeof(slot->mac));
	slot->mac[0] |= NET_PROMISC_BIT;
}

static void setup_tun_net(struct guest *g, const struct launch_config *cfg,
			  const char *arg);

static const struct device_kind tunnet_device_kind = {
	.option = "tunnet",
	.short_option = 't',
	.parse = check_tunnet,
	.setup = setup_tun_net,
	.handle_output = tun_output,
	.handle_input = tun_input,
};
DEVICE_KIND(tunnet_device_kind);

/*L:550
 * The tap network's descriptor: one page, the Guest in slot 1, and no
 * LGUEST_NET_F_NOCSUM: these frames may go out into the world, so they
 * carry real checksums.  The tap is our device's input: the waker watches
 * it, and tun_input() runs when it has frames.
 */
static void setup_tun_net(struct guest *g, const struct launch_config *cfg,
			  const char *arg)
{
	struct device *dev;
	struct tun_net *t;

	t = calloc(1, sizeof(*t));
	if (!t)
		launch_die(EXIT_GUEST_FAILED, "out of memory");
	t->fd = open_tap(t->ifname);
	dev = new_device(g, &tunnet_device_kind, net_name("tunnet %s", arg),
			 LGUEST_DEVICE_T_NET,
			 TUN_GUEST_SLOT | LGUEST_DEVICE_F_RANDOMNESS, 1);
	configure_tap(t->ifname, arg,
		      &((struct lguest_net *)dev->mem)[TUN_LAUNCHER_SLOT]);
	dev->priv = t;
	dev->watch_key = net_key(dev, TUN_LAUNCHER_SLOT);
	dev->input_fd = t->fd;
	if (g->verbose)
		fprintf(stderr, "lguest-launch: --tunnet=%s: tap device %s\n",
			arg, t->ifname);
}

/*L:560
 * The shared network.  Its file is one page, zeroed: nobody on it yet.
 * If it does not exist we create it, carefully: another Launcher may be
 * creating it at the same moment, and must never see it half made.  So we
 * make a complete page under a temporary name and link() it into place;
 * if someone beat us to it, theirs is as good as ours.
 */
static int open_share_file(const char *path)
{
	char page[GUEST_PAGE_SIZE], *tmp;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		launch_die(EXIT_GUEST_FAILED, "out of memory");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		launch_die(EXIT_USAGE, "--sharenet=%s: cannot create it: %s", path,
			   strerror(errno));
	memset(page, 0, sizeof(page));
	if (write(fd, page, sizeof(page)) != sizeof(page)) {
		unlink(tmp);
		launch_die(EXIT_USAGE, "--sharenet=%s: cannot write it: %s", path,
			   strerror(errno));
	}
	if (link(tmp, path) < 0 && errno != EEXIST) {
		unlink(tmp);
		launch_die(EXIT_USAGE, "--sharenet=%s: cannot create it: %s", path,
			   strerror(errno));
	}
	unlink(tmp);
	free(tmp);
	close(fd);
	return open(path, O_RDWR | O_CLOEXEC);
}

/*L:570
 * Finding a slot.  Slot N is ours while we hold a write lock on byte N of
 * the file.  The kernel drops a lock when its holder dies, however it
 * dies, so a crashed Launcher frees its slot by itself.  We use open file
 * description locks (F_OFD_SETLK) rather than classic POSIX ones: those
 * belong to the process, so a Launcher with two --sharenet devices on one
 * file would be given the same slot twice.
 *
 * A Guest that died without closing its interface leaves its MAC address
 * in a slot nobody holds.  Peers would go on sending to it (their frames
 * would come back to their Launchers, unwanted) and, if it was
 * promiscuous, send it everything.  So as we look we clear every slot
 * with an address whose lock we can take, and keep the first one we get.
 */
static unsigned int find_slot(int fd, struct lguest_net *peers,
			      const char *path)
{
	unsigned int slot, mine = LGUEST_NET_SLOTS;
	struct flock fl;

	for (slot = 0; slot < LGUEST_NET_SLOTS; slot++) {
		if (mine < LGUEST_NET_SLOTS && !peers[slot].mac[0])
			continue;
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = slot;
		fl.l_len = 1;
		if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
			if (errno == EAGAIN || errno == EACCES)
				continue;
			launch_die(EXIT_USAGE, "--sharenet=%s: cannot lock it: %s",
				   path, strerror(errno));
		}
		memset(&peers[slot], 0, sizeof(peers[slot]));
		if (mine == LGUEST_NET_SLOTS) {
			mine = slot;
			continue;
		}
		fl.l_type = F_UNLCK;
		fcntl(fd, F_OFD_SETLK, &fl);
	}
	if (mine == LGUEST_NET_SLOTS)
		launch_die(EXIT_USAGE, "--sharenet=%s: all %u slots are taken",
			   path, LGUEST_NET_SLOTS);
	return mine;
}

/*
 * When we exit normally (the Guest powered off or crashed) our slot is
 * emptied at once; after a fatal signal the next Launcher to come along
 * does it (L:570).
 */
struct share_net {
	struct lguest_net *slot;
	struct share_net *next;
};
static struct share_net *share_nets;

static void clear_share_slots(void)
{
	struct share_net *s;

	for (s = share_nets; s; s = s->next)
		memset(s->slot, 0, sizeof(*s->slot));
}

static int check_sharenet(struct launch_config *cfg, const char *arg,
			  char *err, size_t errlen)
{
	if (!arg[0])
		return error_text(err, errlen, "--sharenet needs a file name");
	return 0;
}

static void setup_share_net(struct guest *g, const struct launch_config *cfg,
			    const char *path);

static const struct device_kind sharenet_device_kind = {
	.option = "sharenet",
	.short_option = 's',
	.parse = check_sharenet,
	.setup = setup_share_net,
};
DEVICE_KIND(sharenet_device_kind);

/*L:580
 * The shared network's descriptor: one page, which we replace with the
 * file (a shared mapping on top of the anonymous one the Guest's memory
 * was made of), our slot, LGUEST_NET_F_NOCSUM because frames never leave
 * the machine, and no handlers: the Host does all the work.  The file
 * descriptor stays open, unused, for as long as we live: it holds the
 * lock on our slot.
 */
static void setup_share_net(struct guest *g, const struct launch_config *cfg,
			    const char *path)
{
	struct share_net *s;
	struct device *dev;
	struct stat st;
	unsigned int slot;
	int fd;

	fd = open_share_file(path);
	if (fd < 0)
		launch_die(EXIT_USAGE, "--sharenet=%s: cannot open it: %s", path,
			   strerror(errno));
	if (fstat(fd, &st) < 0)
		launch_die(EXIT_USAGE, "--sharenet=%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		launch_die(EXIT_USAGE, "--sharenet=%s: not a regular file", path);
	if (st.st_size != GUEST_PAGE_SIZE)
		launch_die(EXIT_USAGE,
			   "--sharenet=%s: %lld bytes, not a network file (those are one %d-byte page)",
			   path, (long long)st.st_size, (int)GUEST_PAGE_SIZE);

	dev = new_device(g, &sharenet_device_kind, net_name("sharenet %s", path),
			 LGUEST_DEVICE_T_NET, 0, 1);
	if (mmap(dev->mem, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, 0) != dev->mem)
		launch_die(EXIT_GUEST_FAILED, "--sharenet=%s: cannot map it: %s",
			   path, strerror(errno));
	slot = find_slot(fd, dev->mem, path);
	dev->desc->features = slot | LGUEST_NET_F_NOCSUM |
			      LGUEST_DEVICE_F_RANDOMNESS;

	s = calloc(1, sizeof(*s));
	if (!s)
		launch_die(EXIT_GUEST_FAILED, "out of memory");
	s->slot = &((struct lguest_net *)dev->mem)[slot];
	if (!share_nets)
		atexit(clear_share_slots);
	s->next = share_nets;
	share_nets = s;
	if (g->verbose)
		fprintf(stderr, "lguest-launch: --sharenet=%s: slot %u\n", path,
			slot);
}
