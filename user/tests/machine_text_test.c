// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The machine's totals as text: load averages as /proc/loadavg prints them
 * (checked against the kernel's own formula for every fixed-point value up
 * to 16) and uptimes.
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
	char want[32], got[32], after[32];
	unsigned long avg, off = 0, shared = 0;

	for (avg = 0; avg <= 16 * 2048; avg++) {
		/* What the module sends: avg x 1000, rounded. */
		uint32_t x1000 = (uint32_t)((avg * 1000 + 1024) >> 11);
		uint32_t next = (uint32_t)(((avg + 1) * 1000 + 1024) >> 11);

		proc_loadavg(want, sizeof(want), avg);
		proc_loadavg(after, sizeof(after), avg + 1);
		ts_load_text(got, sizeof(got), x1000);
		off += strcmp(want, got) != 0;
		/* Two averages that /proc reads apart but the module sends
		 * alike: one of the two must read off.
		 */
		shared += next == x1000 && strcmp(want, after);
	}
	TH_LOG("%lu of %lu values read off /proc; %lu pairs sent alike",
	       off, avg, shared);
	/* Off only where the module's x1000 lost the difference. */
	EXPECT_EQ(shared, off);
	EXPECT_LT(off * 25, avg);	/* under 4% */
	ts_load_text(got, sizeof(got), 1500);
	EXPECT_STREQ("1.50", got);
	ts_load_text(got, sizeof(got), 0);
	EXPECT_STREQ("0.00", got);
	/* 0.1245 is 255/2048; /proc adds 10/2048 and truncates: 0.12. */
	ts_load_text(got, sizeof(got), 125);
	EXPECT_STREQ("0.12", got);
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
