# SPDX-License-Identifier: GPL-2.0
# install.mk -- make install / uninstall, the DKMS source tree and make deb.
#
#   make install     tools, library (static, header, pkg-config file), man
#                    pages, completions, and the module for KVER into
#                    /lib/modules/KVER/updates (then depmod, unless DESTDIR)
#   make uninstall   removes exactly what install made (its manifest)
#   make install-tools / install-dev / install-module: the parts of install
#   make dkms-source DESTDIR=D   the module's sources as DKMS wants them, in
#                    D/usr/src/threadstat-VERSION
#   make deb         build/deb/threadstat_*.deb and threadstat-dkms_*.deb
#   make check-install  per kernel a VM: make install, autoload, uninstall,
#                    the .debs with DKMS, purge (scripts/check-install.sh)
#
# PREFIX (/usr/local), DESTDIR, KVER (uname -r), KBUILD_DIR
# (/lib/modules/KVER/build); BINDIR, LIBDIR, INCLUDEDIR, MANDIR,
# BASHCOMPDIR, ZSHCOMPDIR, PKGCONFIGDIR follow PREFIX.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
MANIFEST ?= $(PREFIX)/share/threadstat/install-manifest
KVER ?= $(shell uname -r)
KBUILD_DIR ?= /lib/modules/$(KVER)/build
MODULEDIR ?= /lib/modules/$(KVER)/updates

# One version for the library, the DKMS tree and the packages.
TS_VERSION := $(shell sed -n 's/^\#define TS_VERSION "\(.*\)"/\1/p' user/lib/threadstat.h)

# The module's sources: what DKMS builds (kbuild reads Kbuild, so the
# top-level Makefile is not needed there).
MODULE_SOURCES := Kbuild $(wildcard kmod/*.[ch]) include/uapi/linux/threadstat.h

# Man pages exist once `make man` does (doc/man/*.scd); before that, none.
MAN_GOAL := $(if $(wildcard doc/man/*.scd),man)
INSTALL_FILES := scripts/install-files.sh "$(DESTDIR)" "$(MANIFEST)"

.PHONY: tools install install-tools install-dev install-module uninstall \
	module-for-kver dkms-source deb check-install FORCE

tools: $(O)/release/libthreadstat.a $(O)/release/threadstat $(O)/release/threadtop

# Regenerated every time: it holds PREFIX, which may differ from the last run.
$(O)/release/threadstat.pc: user/lib/threadstat.pc.in FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(TS_VERSION)|' $< >$@
FORCE:

# What each part installs, as "MODE SOURCE TARGET" lines for
# scripts/install-files.sh; install runs them through it once (one writer
# of the manifest, whatever -j says).
# Man pages: every build/man/NAME.S into section S. Completions: those that
# exist (bash-completion loads a command's file by the command's name).
TOOLS_LIST = echo "755 $(O)/release/threadstat $(BINDIR)/threadstat"; \
	echo "755 $(O)/release/threadtop $(BINDIR)/threadtop"; \
	for f in $(O)/man/*.[1-8]; do \
		[ -f "$$f" ] && echo "644 $$f $(MANDIR)/man$${f\#\#*.}/$${f\#\#*/}"; \
	done; \
	for t in threadstat threadtop; do \
		f=user/completion/$$t.bash; \
		[ -f "$$f" ] && echo "644 $$f $(BASHCOMPDIR)/$$t"; \
		f=user/completion/_$$t; \
		[ -f "$$f" ] && echo "644 $$f $(ZSHCOMPDIR)/_$$t"; \
	done; true
# The library for programs of its own: static (its API is young; a shared
# library would promise an ABI), its header with the UAPI header it
# includes, in their own directory (no clash with a later linux-libc-dev).
DEV_LIST = echo "644 $(O)/release/libthreadstat.a $(LIBDIR)/libthreadstat.a"; \
	echo "644 user/lib/threadstat.h $(INCLUDEDIR)/threadstat/threadstat.h"; \
	echo "644 include/uapi/linux/threadstat.h $(INCLUDEDIR)/threadstat/linux/threadstat.h"; \
	echo "644 $(O)/release/threadstat.pc $(PKGCONFIGDIR)/threadstat.pc"
MODULE_LIST = echo "644 $(O)/kmod/$(KVER)/threadstat.ko $(MODULEDIR)/threadstat.ko"
# depmod makes the family alias known to modprobe: that is the autoload.
DEPMOD = $(if $(DESTDIR),,depmod -a $(KVER))

install: tools $(MAN_GOAL) $(O)/release/threadstat.pc module-for-kver
	@{ $(TOOLS_LIST); $(DEV_LIST); $(MODULE_LIST); } | $(INSTALL_FILES)
	$(DEPMOD)
install-tools: tools $(MAN_GOAL)
	@{ $(TOOLS_LIST); } | $(INSTALL_FILES)
install-dev: $(O)/release/libthreadstat.a $(O)/release/threadstat.pc
	@{ $(DEV_LIST); } | $(INSTALL_FILES)
install-module: module-for-kver
	@{ $(MODULE_LIST); } | $(INSTALL_FILES)
	$(DEPMOD)

# Built as DKMS builds it: W= drops build-module.sh's W=1 (its extra
# warnings and its kernel-doc run per source file, 19 perl programs, are
# the lint stage's job, and every exec is dear in the install test's guest).
module-for-kver:
	@test -d "$(KBUILD_DIR)" || { echo "install: no kernel build tree $(KBUILD_DIR) for $(KVER): install linux-headers-$(KVER), or set KVER/KBUILD_DIR"; exit 1; }
	+@scripts/build-module.sh "$(KVER)" "$(KBUILD_DIR)" "$(O)/kmod/$(KVER)" W=

# Reads the manifest of the same PREFIX (and DESTDIR); depmod then forgets
# the module for each kernel it was installed for, on this system.
uninstall:
	@kvers=$$(sed -n 's|^file /lib/modules/\([^/]*\)/.*\.ko$$|\1|p' "$(DESTDIR)$(MANIFEST)" 2>/dev/null); \
	scripts/uninstall-files.sh "$(DESTDIR)" "$(MANIFEST)" || exit 1; \
	if [ -z "$(DESTDIR)" ]; then for k in $$kvers; do depmod -a "$$k"; done; fi; true

dkms-source:
	@test -n "$(DESTDIR)" || { echo "make dkms-source needs DESTDIR"; exit 2; }
	@d="$(DESTDIR)/usr/src/threadstat-$(TS_VERSION)"; \
	for f in $(MODULE_SOURCES); do install -Dm644 "$$f" "$$d/$$f"; done; \
	sed 's/#MODULE_VERSION#/$(TS_VERSION)/' dkms.conf >"$$d/dkms.conf"

# Built from a clean copy of the committed tree in build/deb (nothing
# leaks in from build/ or the work tree; the .debs land beside it).
check-install:
	@scripts/check-install.sh

deb:
	@scripts/build-deb.sh "$(O)/deb" "$(TS_VERSION)" $(if $(filter 0,$(LINTIAN)),,--lintian)
