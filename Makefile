# SPDX-License-Identifier: GPL-2.0
#
# lguest top-level Makefile.
#
#   make            build the Host module (for the running kernel, or KDIR=)
#                   and the Launcher
#   make deps       install every build and test dependency (Debian, apt)
#   make check      everything: unit tests, build checks, QEMU Host tests;
#                   ends with "N passed, N failed"
#   make demo       boot a QEMU Host, load lguest.ko, show /dev/lguest
#
# The one version of lguest is PACKAGE_VERSION in dkms.conf.
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr
DESTDIR ?=

all: launcher module

launcher:
	$(MAKE) -C launcher VERSION=$(VERSION)

module:
	@if [ -d "$(KDIR)" ]; then \
		$(MAKE) -C host-module KDIR=$(KDIR); \
	else \
		echo "make: no kernel build tree at $(KDIR): skipping lguest.ko"; \
		echo "make: (install linux-headers-$$(uname -r), or set KDIR=)"; \
	fi

deps:
	tools/install-deps.sh

check: deps
	tests/run-all.sh

demo: deps
	tests/demo.sh

install: launcher
	install -D -m 0755 launcher/lguest-launch $(DESTDIR)$(PREFIX)/bin/lguest-launch
	install -D -m 0644 launcher/lguest-launch.1 $(DESTDIR)$(PREFIX)/share/man/man1/lguest-launch.1

clean:
	$(MAKE) -C launcher clean
	rm -rf build
	-$(MAKE) -C host-module KDIR=$(KDIR) clean 2>/dev/null

version:
	@echo $(VERSION)

.PHONY: all launcher module deps check demo install clean version

# Each area adds its own targets in mk/NAME.mk (packaging, guest kernel...).
include $(wildcard mk/*.mk)
