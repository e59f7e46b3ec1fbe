// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The machine's totals as text: load averages as /proc/loadavg prints them
 * (checked against the kernel's own formula for every fixed-point value up
 * to 64) and uptimes.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "threadstat.h"

/* fs/proc/loadavg.c: LOAD_INT / LOAD_FRAC of avg + FIXED_1/200. */
static void proc_loadavg(char *buf, size_t len, unsigned long avg)
{
	unsigned long a = avg + 2048 / 200;

	snprintf(buf, len, "%lu.%02lu", a >> 11, ((a & 2047) * 100) >> 11);
}

TEST(load_reads_as_proc_loadavg)
{
	char want[32], got[32];
	unsigned long avg, off = 0;

	for (avg = 0; avg <= 64 * 2048; avg++) {
		/* What the module sends (kmod/system_get.c). */
		uint32_t x1000 = (uint32_t)(((avg + 2048 / 200) * 1000) >> 11);

		proc_loadavg(want, sizeof(want), avg);
		ts_load_text(got, sizeof(got), x1000);
		if (strcmp(want, got) && off++ < 5)
			TH_LOG("avg %lu: /proc %s, threadstat %s", avg, want,
			       got);
	}
	/* Every fixed-point value reads exactly as /proc prints it. */
	EXPECT_EQ(0, off);
	ts_load_text(got, sizeof(got), 1509);
	EXPECT_STREQ("1.50", got);
	ts_load_text(got, sizeof(got), 0);
	EXPECT_STREQ("0.00", got);
	ts_load_text(got, sizeof(got), 123999);
	EXPECT_STREQ("123.99", got);
}

TEST(uptime_reads_in_whole_seconds)
{
	char got[64];

	ts_uptime_text(got, sizeof(got), 59999999999ULL);
	EXPECT_STREQ("0:00:59", got);
	ts_uptime_text(got, sizeof(got), (3 * 3600 + 4 * 60 + 5) * 1000000000ULL);
	EXPECT_STREQ("3:04:05", got);
	ts_uptime_text(got, sizeof(got), (86400 + 61) * 1000000000ULL);
	EXPECT_STREQ("1 day, 0:01:01", got);
	ts_uptime_text(got, sizeof(got), (3 * 86400 + 7200) * 1000000000ULL);
	EXPECT_STREQ("3 days, 2:00:00", got);
}

TEST_HARNESS_MAIN
