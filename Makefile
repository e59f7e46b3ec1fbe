# SPDX-License-Identifier: GPL-2.0
# threadstat: build, run and test. The module itself is described by Kbuild.
#
#   make            tools (release and ASan/UBSan builds) and the module for
#                   every test kernel (scripts/kernels.sh)
#   make run        show threadstat working (ARGS=threadtop options): here if this kernel can load
#                   modules, else in a qemu VM booting Debian's 6.12 kernel
#   make check      every test: lint, host unit tests, then per kernel a VM
#                   running the kselftests and the CLI tests
#   make stress     per kernel a VM running the long hardening profile
#   make check-debug  the long profile on a debug kernel (KASAN, lockdep,
#                   UBSAN...), built once from linux-source-6.12 and cached
#   make lint       checkpatch --strict and sparse on the module
#   make bench-fields  build bench/field_cost (per-group cost per thread)
#   make bench      snapshot cost of threadstat vs a BPF task iterator,
#                   procfs, taskstats and ps, and of threadstat/threadtop
#                   end to end, for 1k, 10k, 50k and 100k threads, and
#                   CPU_GET/SYSTEM_GET cost at 1k, 10k and 100k, in a VM per
#                   kernel (bench/; the BPF peer needs clang and bpftool)
#   make bench-format  what THREAD_GET's message format costs: the bench-only
#                   tsfmt.ko (bench/format/) sends the default dump's values
#                   as production's attributes, packed records and packed
#                   arrays, against (a) and (f), at FORMAT_THREADS threads
#                   (default 10000) in FORMAT_ROUNDS rounds (default 5), in
#                   an instruction-counted VM per kernel. Not in make bench
#                   or make check.
#   make man       man pages into $(O)/man: doc/man/*.scd by scdoc, and
#                   threadstat(7) generated from the YNL spec
#   make install / uninstall / deb   see mk/install.mk (PREFIX, DESTDIR, KVER)
#   make clean
#
# KVERS="6.1.0-56-amd64 ..." picks the test kernels; KDIR=/path builds the
# module against one kernel tree only (make module KDIR=...).

O ?= build
TS_CACHE ?= /var/cache/threadstat
export TS_CACHE

CC ?= gcc
PKG_CONFIG ?= pkg-config
# libthreadstat's own dependencies: libmnl, zlib for the recordings' CRC,
# libelf for naming lock addresses (wait chains).
MNL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl zlib libelf 2>/dev/null || echo -lmnl -lz -lelf)

# CPPFLAGS, CFLAGS and LDFLAGS from the environment come last (packagers'
# hardening flags: debian/rules passes dpkg-buildflags').
BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -Wall -Wextra -Werror \
	-Iinclude/uapi -Iuser/lib -Iuser/exporter
$(O)/release/%: FLAVOR_CFLAGS := -O2
$(O)/asan/%: FLAVOR_CFLAGS := -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all

LIB_SRCS := $(wildcard user/lib/*.c)
CLI_SRCS := $(wildcard user/cli/*.c) $(wildcard user/exporter/*.c)
# The library's fast path against the module's real messages, in the VM
# (scripts/guest/run-tests.sh; not *_test: the host has no module). The
# wrap shows it each message the library hands to the fast path.
FASTPATH_LIVE := $(O)/release/tests/fastpath_live
$(FASTPATH_LIVE): user/tests/fastpath_live.c $(O)/release/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FLAVOR_CFLAGS) -pthread -Wl,--wrap=ts_thread_decode_fast \
		-o $@ $< $(filter %.a,$^) $(MNL_LIBS)

# threadstat exporter's HTTP server (user/exporter/) opens libmicrohttpd
# with dlopen (http.c): linked, it cost every command its start-up.
TOP_SRCS := $(wildcard user/top/*.c)
NCURSES_LIBS := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)
UNIT_SRCS := $(wildcard user/tests/*_test.c)

FLAVORS := release asan
LIBS := $(foreach f,$(FLAVORS),$(O)/$(f)/libthreadstat.a)
CLIS := $(foreach f,$(FLAVORS),$(O)/$(f)/threadstat)
TOPS := $(foreach f,$(FLAVORS),$(O)/$(f)/threadtop)
UNITS := $(foreach f,$(FLAVORS),$(patsubst user/tests/%.c,$(O)/$(f)/tests/%,$(UNIT_SRCS)))

.PHONY: all user modules module selftests unit-tests check stress run lint clean man \
	check-debug debug-kernel \
	setup bench-fields bench bench-tools bench-format bench-format-tools
.DEFAULT_GOAL := all

all: user modules selftests man

user: $(LIBS) $(CLIS) $(TOPS)


define flavor_rules
$(O)/$(1)/user/%.o: user/%.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(BASE_CFLAGS) $$(FLAVOR_CFLAGS) $$(CPPFLAGS) $$(CFLAGS) -MMD -MP -c $$< -o $$@
$(O)/$(1)/libthreadstat.a: $(patsubst %.c,$(O)/$(1)/%.o,$(LIB_SRCS))
	$$(AR) rcs $$@ $$^
$(O)/$(1)/threadstat: $(patsubst %.c,$(O)/$(1)/%.o,$(CLI_SRCS)) $(O)/$(1)/libthreadstat.a
	$$(CC) $$(FLAVOR_CFLAGS) $$(LDFLAGS) -o $$@ $$^ $(MNL_LIBS)
endef
$(foreach f,$(FLAVORS),$(eval $(call flavor_rules,$(f))))

define top_rules
$(O)/$(1)/threadtop: $(patsubst %.c,$(O)/$(1)/%.o,$(TOP_SRCS)) $(O)/$(1)/libthreadstat.a
	$$(CC) $$(FLAVOR_CFLAGS) $$(LDFLAGS) -o $$@ $$^ $(MNL_LIBS) $(NCURSES_LIBS) -lpthread
endef
$(foreach f,$(FLAVORS),$(eval $(call top_rules,$(f))))

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# Host unit tests use the kselftest harness too (headers from the kernel
# source tarball, unpacked by scripts/setup.sh).
KSFT_DIR := $(TS_CACHE)/linux-src/linux-source-6.12/tools/testing/selftests
$(O)/release/tests/%: user/tests/%.c $(O)/release/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FLAVOR_CFLAGS) -MMD -MP -isystem $(KSFT_DIR) -o $@ $< $(filter %.a,$^) $(MNL_LIBS)
$(O)/asan/tests/%: user/tests/%.c $(O)/asan/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FLAVOR_CFLAGS) -MMD -MP -isystem $(KSFT_DIR) -o $@ $< $(filter %.a,$^) $(MNL_LIBS)

# Programs the wait-chain tests run (waits_test.py): unstripped, so
# their global locks have names.
WAIT_PROG := $(O)/release/tests/deadlock_prog
$(WAIT_PROG): user/tests/deadlock_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -pthread -o $@ $<

# Man pages: every doc/man/*.scd (PAGE.SECTION.scd) through scdoc, and
# threadstat(7) written from the YNL spec so that it cannot drift from it.
MAN_SRCS := $(wildcard doc/man/*.scd)
MANS := $(patsubst doc/man/%.scd,$(O)/man/%,$(MAN_SRCS)) $(O)/man/threadstat.7
man: $(MANS)
$(O)/man/%: doc/man/%.scd
	@mkdir -p $(dir $@)
	scdoc <$< >$@.tmp && mv $@.tmp $@
$(O)/man/threadstat.7: include/uapi/linux/threadstat.yaml scripts/spec2man.py
	@mkdir -p $(dir $@) $(O)/man-src
	python3 scripts/spec2man.py $< >$(O)/man-src/threadstat.7.scd
	scdoc <$(O)/man-src/threadstat.7.scd >$@.tmp && mv $@.tmp $@

# The CLI's JSON writer has its own unit test (user/cli/json.c only).
$(O)/release/tests/cli_json_test: user/tests/cli_json_test.c $(O)/release/user/cli/json.o $(O)/release/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Iuser/cli $(FLAVOR_CFLAGS) -isystem $(KSFT_DIR) -o $@ $^ $(MNL_LIBS)
$(O)/asan/tests/cli_json_test: user/tests/cli_json_test.c $(O)/asan/user/cli/json.o $(O)/asan/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Iuser/cli $(FLAVOR_CFLAGS) -isystem $(KSFT_DIR) -o $@ $^ $(MNL_LIBS)

# The exporter's unit tests link its grouping and exposition code (not
# its HTTP server).
EXPORTER_CORE := $(filter-out user/exporter/http.c,$(wildcard user/exporter/*.c))
$(O)/release/tests/exporter_%: user/tests/exporter_%.c $(patsubst %.c,$(O)/release/%.o,$(EXPORTER_CORE)) $(O)/release/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FLAVOR_CFLAGS) -isystem $(KSFT_DIR) -o $@ $^ $(MNL_LIBS)
$(O)/asan/tests/exporter_%: user/tests/exporter_%.c $(patsubst %.c,$(O)/asan/%.o,$(EXPORTER_CORE)) $(O)/asan/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FLAVOR_CFLAGS) -isystem $(KSFT_DIR) -o $@ $^ $(MNL_LIBS)

unit-tests: $(UNITS) $(WAIT_PROG) $(FASTPATH_LIVE)

# Benchmarks: programs that print numbers (run them in the VM, as root,
# with the module loaded).
bench-fields: $(O)/release/bench/field_cost
$(O)/release/bench/%: bench/%.c $(O)/release/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FLAVOR_CFLAGS) -pthread -o $@ $^ $(MNL_LIBS)

# Modules: one build per test kernel, each in $(O)/kmod/KVER.
modules:
	@scripts/kernels.sh | while IFS='	' read -r kver kdir vmlinuz; do \
		scripts/build-module.sh "$$kver" "$$kdir" "$(O)/kmod/$$kver" || exit 1; \
	done

# One kernel tree given by hand: make module KDIR=/lib/modules/$(uname -r)/build
module:
	@test -n "$(KDIR)" || { echo "make module needs KDIR=/path/to/kernel/build"; exit 2; }
	scripts/build-module.sh custom "$(KDIR)" "$(O)/kmod/custom"

# kselftests, built the way a kernel tree builds them (lib.mk).
selftests:
	@scripts/build-selftests.sh "$(O)/selftests"

setup:
	@scripts/setup.sh

# Benchmark programs: release flags, linked with the release library.
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(O)/bench/%,$(BENCH_SRCS))
$(O)/bench/%: bench/%.c bench/bench_run.h bench/proc_walk.h $(O)/release/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -o $@ $< $(O)/release/libthreadstat.a $(MNL_LIBS) -lpthread

# Method (f): the BPF task iterator peer. CO-RE object from task_core.h's
# hand-declared types (no vmlinux.h: see there), its libbpf skeleton, and
# the loader that times it.
BPF_CLANG ?= clang
$(O)/bench/bpf/task_fields.bpf.o: bench/bpf/task_fields.bpf.c bench/bpf/task_core.h bench/bpf/task_record.h
	@mkdir -p $(dir $@)
	$(BPF_CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -c $< -o $@
$(O)/bench/bpf/task_fields.skel.h: $(O)/bench/bpf/task_fields.bpf.o
	bpftool gen skeleton $< name task_fields > $@.tmp && mv $@.tmp $@
$(O)/bench/task_iter_snapshot: bench/bpf/task_iter_snapshot.c bench/bpf/task_record.h bench/bench_run.h $(O)/bench/bpf/task_fields.skel.h
	$(CC) $(BASE_CFLAGS) -O2 -I$(O)/bench/bpf -o $@ $< $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz)

bench-tools: $(BENCH_BINS) $(O)/bench/task_iter_snapshot

bench: bench-tools modules $(O)/release/threadstat $(O)/release/threadtop
	@bench/bench-vm.sh

# The message-format experiment (bench/format/): tsfmt.ko per test kernel
# in $(O)/bench/format/KVER, its reader, and the tools it runs beside.
FORMAT_THREADS ?= 10000
FORMAT_ROUNDS ?= 5
$(O)/bench/format/format_snapshot: bench/format/format_snapshot.c bench/format/tsfmt.h bench/bench_run.h $(O)/release/libthreadstat.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O2 -o $@ $< $(O)/release/libthreadstat.a $(MNL_LIBS) -lpthread
bench-format-tools: bench-tools modules $(O)/bench/format/format_snapshot
	@scripts/kernels.sh | while IFS='	' read -r kver kdir vmlinuz; do \
		bench/format/build-module.sh "$$kver" "$$kdir" "$(O)/bench/format/$$kver" || exit 1; \
	done
bench-format: bench-format-tools
	@O=$(O) bench/format/vm.sh $(FORMAT_THREADS) $(FORMAT_ROUNDS)

check:
	@scripts/check.sh

stress:
	@scripts/stress.sh

# The debug kernel: built once (long), then cached in $(TS_CACHE)/debug-kernel.
debug-kernel:
	@scripts/debug-kernel/build.sh

check-debug:
	@scripts/check-debug.sh

# make run ARGS='-H --view cores': options for threadtop
run:
	@scripts/run.sh $(ARGS)

lint:
	@scripts/lint.sh

include mk/install.mk

clean:
	rm -rf $(O)
