# SPDX-License-Identifier: GPL-2.0
#
# Packaging (issue 6), included by the top-level Makefile.
#
#   make dkms-install [DESTDIR=]  copy exactly the module's sources to
#                                 $(DESTDIR)/usr/src/lguest-$(VERSION)
#   make dkms-files               list the files dkms-install copies
#   make install-system [DESTDIR=] the udev rule for /dev/lguest and the
#                                 systemd unit lguest@.service (with
#                                 PREFIX/bin/lguest-launch in ExecStart)
#   make deb [DEB_PROFILES=pkg.lguest.guest]
#                                 .debs in build/pkg/ (dpkg-buildpackage)
#   make rpm                      RPMs in build/rpm/ (rpmbuild -ba)
#
# Packages are always built in a copy of the tree under build/, so the
# checkout itself stays clean.  See docs/install.md and docs/packaging.md.

DKMS_DEST = $(DESTDIR)/usr/src/lguest-$(VERSION)
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

# The module's sources: everything the Kbuild in host-module/ may read, less
# what a build leaves there.  tests/suites/50-packaging.sh checks this list
# against the files git tracks in host-module/, so a new kind of source file
# cannot be forgotten here.
DKMS_FILES := $(sort dkms.conf include/lguest_abi.h \
	$(filter-out host-module/%.mod.c host-module/compat-probed.h, \
	  $(wildcard host-module/Makefile host-module/Kbuild \
		     host-module/*.c host-module/*.h host-module/*.S \
		     host-module/*.sh host-module/*.lds)))

dkms-files:
	@printf '%s\n' $(DKMS_FILES)

dkms-install:
	@test -n "$(VERSION)" || { echo "dkms-install: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
	rm -rf '$(DKMS_DEST)'
	@set -e; for f in $(DKMS_FILES); do \
		if [ -x "$$f" ]; then mode=0755; else mode=0644; fi; \
		echo "install -D -m $$mode $$f $(DKMS_DEST)/$$f"; \
		install -D -m $$mode "$$f" '$(DKMS_DEST)'/"$$f"; \
	done

install-system:
	install -D -m 0644 tools/packaging/60-lguest.rules \
		$(DESTDIR)$(UDEVRULESDIR)/60-lguest.rules
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed "s|/usr/bin/lguest-launch|$(PREFIX)/bin/lguest-launch|" \
		"launcher/systemd/lguest@.service" >"$(DESTDIR)$(SYSTEMDUNITDIR)/lguest@.service"
	chmod 0644 "$(DESTDIR)$(SYSTEMDUNITDIR)/lguest@.service"

deb:
	tools/packaging/build-deb.sh $(if $(DEB_PROFILES),--profiles=$(DEB_PROFILES))

rpm:
	tools/packaging/build-rpm.sh

.PHONY: dkms-files dkms-install install-system deb rpm
