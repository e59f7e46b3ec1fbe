// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * What the library reads from /proc for threadtop: /proc/meminfo for the
 * meters, /proc/PID/cmdline for COMMAND (once per process lifetime).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "synth.h"

/* A real 6.12 guest's /proc/meminfo, shortened. */
static const char meminfo[] =
	"MemTotal:        4011524 kB\n"
	"MemFree:         3655480 kB\n"
	"MemAvailable:    3702136 kB\n"
	"Buffers:               0 kB\n"
	"Cached:           179236 kB\n"
	"SwapCached:            0 kB\n"
	"SwapTotal:       1048572 kB\n"
	"SwapFree:         786428 kB\n"
	"HugePages_Total:       0\n";

TEST(meminfo_parse_reads_the_four_fields)
{
	struct ts_meminfo mi;

	ASSERT_EQ(0, ts_meminfo_parse(meminfo, &mi));
	EXPECT_EQ(4011524ull * 1024, mi.mem_total);
	EXPECT_EQ(3702136ull * 1024, mi.mem_available);
	EXPECT_EQ(1048572ull * 1024, mi.swap_total);
	EXPECT_EQ(786428ull * 1024, mi.swap_free);
	/* No MemAvailable (before 3.14): nothing counts as used. */
	ASSERT_EQ(0, ts_meminfo_parse("MemTotal: 100 kB\n", &mi));
	EXPECT_EQ(102400U, mi.mem_available);
	EXPECT_EQ(0U, mi.swap_total);
	/* Garbage, or no MemTotal: an error, not zeros shown as data. */
	EXPECT_EQ(-1, ts_meminfo_parse("MemFree: 5 kB\n", &mi));
	EXPECT_EQ(-1, ts_meminfo_parse("MemTotal: x kB\nSwapFree", &mi));
	EXPECT_EQ(-1, ts_meminfo_parse("", &mi));
	/* Free above total (a forged file) is clamped. */
	ASSERT_EQ(0, ts_meminfo_parse("MemTotal: 10 kB\nMemAvailable: 20 kB\n"
				      "SwapTotal: 1 kB\nSwapFree: 9 kB\n",
				      &mi));
	EXPECT_EQ(mi.mem_total, mi.mem_available);
	EXPECT_EQ(mi.swap_total, mi.swap_free);
}

TEST(meminfo_read_matches_this_machine)
{
	struct ts_meminfo mi;

	ASSERT_EQ(0, ts_meminfo_read(&mi));
	EXPECT_LT(0U, mi.mem_total);
	EXPECT_EQ((long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE),
		  (long long)mi.mem_total);
}

FIXTURE(cmdline) {
	char root[64];
	struct ts_cmdlines c;
};

FIXTURE_SETUP(cmdline)
{
	snprintf(self->root, sizeof(self->root), "/tmp/ts-cmdline-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	memset(&self->c, 0, sizeof(self->c));
	self->c.proc = self->root;
}

FIXTURE_TEARDOWN(cmdline)
{
	char cmd[128];

	ts_cmdlines_free(&self->c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", self->root);
}

/* /proc/@pid/cmdline under the fixture's root holds @n bytes of @text. */
static void put(const char *root, unsigned int pid, const char *text,
		size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u", root, pid);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%u/cmdline", root, pid);
	f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, n, f);
		fclose(f);
	}
}

#define PUT(pid, lit)	put(self->root, pid, lit, sizeof(lit) - 1)

TEST_F(cmdline, read_once_per_process_lifetime)
{
	const struct ts_cmdline *e;

	PUT(42, "/usr/bin/python3\0-c\0\x1b]0;x\a\0");
	e = ts_cmdline_get(&self->c, 42, 1000);
	ASSERT_NE(NULL, e);
	ASSERT_NE(NULL, e->text);
	/* NULs as spaces, the rest raw (the display escapes it). */
	EXPECT_STREQ("/usr/bin/python3 -c \x1b]0;x\a", e->text);
	EXPECT_EQ(9U, e->prog_off);
	EXPECT_EQ(7U, e->prog_len);
	EXPECT_EQ(1U, self->c.reads);

	/* The same process again: from the cache, even if it changed. */
	PUT(42, "changed\0");
	e = ts_cmdline_get(&self->c, 42, 1000);
	EXPECT_STREQ("/usr/bin/python3 -c \x1b]0;x\a", e->text);
	EXPECT_EQ(1U, self->c.reads);

	/* The pid reused by a process that started later: read again. */
	e = ts_cmdline_get(&self->c, 42, 2000);
	EXPECT_STREQ("changed", e->text);
	EXPECT_EQ(0U, e->prog_off);
	EXPECT_EQ(7U, e->prog_len);
	EXPECT_EQ(2U, self->c.reads);
}

TEST_F(cmdline, kernel_threads_and_titles)
{
	const struct ts_cmdline *e;
	unsigned int pid;

	PUT(7, "");				/* a kernel thread */
	e = ts_cmdline_get(&self->c, 7, 1);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(NULL, e->text);
	e = ts_cmdline_get(&self->c, 8, 1);	/* gone */
	EXPECT_EQ(NULL, e->text);
	/* A title rewritten into one string: the program ends at a space. */
	PUT(9, "sshd: root@pts/0");
	e = ts_cmdline_get(&self->c, 9, 1);
	EXPECT_EQ(0U, e->prog_off);
	EXPECT_EQ(5U, e->prog_len);
	/* Many: the map grows and keeps every entry. */
	for (pid = 100; pid < 400; pid++)
		PUT(pid, "prog\0");
	for (pid = 100; pid < 400; pid++)
		ASSERT_STREQ("prog", ts_cmdline_get(&self->c, pid, 5)->text);
	EXPECT_EQ(303U, self->c.n);
	EXPECT_EQ(303U, self->c.reads);
	for (pid = 100; pid < 400; pid++)
		ts_cmdline_get(&self->c, pid, 5);
	EXPECT_EQ(303U, self->c.reads);
}

/* Processes gone from the model are forgotten. */
TEST_F(cmdline, prune_drops_gone_processes)
{
	const struct synth s[] = {
		{ .tid = 10, .comm = "a", .state = 'S', .start = 5 },
		{ .tid = 20, .comm = "b", .state = 'S', .start = 6 },
	};
	struct ts_model m;

	ts_model_init(&m);
	PUT(10, "a\0");
	PUT(20, "b\0");
	PUT(30, "c\0");
	ts_cmdline_get(&self->c, 10, 5);
	ts_cmdline_get(&self->c, 20, 99);	/* another start: stale */
	ts_cmdline_get(&self->c, 30, 7);	/* not in the model */
	ASSERT_EQ(0, synth_sample(&m, SEC, s, 2, true));
	ts_cmdlines_prune(&self->c, &m);
	EXPECT_EQ(1U, self->c.n);
	EXPECT_STREQ("a", ts_cmdline_get(&self->c, 10, 5)->text);
	EXPECT_EQ(3U, self->c.reads);
	ts_model_free(&m);
}

TEST_HARNESS_MAIN
