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
#   make bench      snapshot cost of threadstat vs procfs, taskstats and ps
#                   for 1k, 10k and 50k threads, and CPU_GET/SYSTEM_GET cost
#                   at 1k, 10k and 100k, in a VM per kernel (bench/)
#   make clean
#
# KVERS="6.1.0-56-amd64 ..." picks the test kernels; KDIR=/path builds the
# module against one kernel tree only (make module KDIR=...).

O ?= build
TS_CACHE ?= /var/cache/threadstat
export TS_CACHE

CC ?= gcc
PKG_CONFIG ?= pkg-config
# libthreadstat's own dependencies: libmnl, and zlib for the recordings' CRC.
MNL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl zlib 2>/dev/null || echo -lmnl -lz)

BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -Wall -Wextra -Werror \
	-Iinclude/uapi -Iuser/lib
$(O)/release/%: FLAVOR_CFLAGS := -O2
$(O)/asan/%: FLAVOR_CFLAGS := -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all

LIB_SRCS := $(wildcard user/lib/*.c)
CLI_SRCS := $(wildcard user/cli/*.c)
TOP_SRCS := $(wildcard user/top/*.c)
NCURSES_LIBS := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)
UNIT_SRCS := $(wildcard user/tests/*_test.c)

FLAVORS := release asan
LIBS := $(foreach f,$(FLAVORS),$(O)/$(f)/libthreadstat.a)
CLIS := $(foreach f,$(FLAVORS),$(O)/$(f)/threadstat)
TOPS := $(foreach f,$(FLAVORS),$(O)/$(f)/threadtop)
UNITS := $(foreach f,$(FLAVORS),$(patsubst user/tests/%.c,$(O)/$(f)/tests/%,$(UNIT_SRCS)))

.PHONY: all user modules module selftests unit-tests check stress run lint clean \
	check-debug debug-kernel \
	setup bench-fields bench bench-tools
.DEFAULT_GOAL := all

all: user modules selftests

user: $(LIBS) $(CLIS) $(TOPS)


define flavor_rules
$(O)/$(1)/user/%.o: user/%.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(BASE_CFLAGS) $$(FLAVOR_CFLAGS) -MMD -MP -c $$< -o $$@
$(O)/$(1)/libthreadstat.a: $(patsubst %.c,$(O)/$(1)/%.o,$(LIB_SRCS))
	$$(AR) rcs $$@ $$^
$(O)/$(1)/threadstat: $(patsubst %.c,$(O)/$(1)/%.o,$(CLI_SRCS)) $(O)/$(1)/libthreadstat.a
	$$(CC) $$(FLAVOR_CFLAGS) -o $$@ $$^ $(MNL_LIBS)
endef
$(foreach f,$(FLAVORS),$(eval $(call flavor_rules,$(f))))

define top_rules
$(O)/$(1)/threadtop: $(patsubst %.c,$(O)/$(1)/%.o,$(TOP_SRCS)) $(O)/$(1)/libthreadstat.a
	$$(CC) $$(FLAVOR_CFLAGS) -o $$@ $$^ $(MNL_LIBS) $(NCURSES_LIBS) -lpthread
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

unit-tests: $(UNITS)

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

bench-tools: $(BENCH_BINS)

bench: bench-tools modules
	@bench/bench-vm.sh

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

clean:
	rm -rf $(O)
