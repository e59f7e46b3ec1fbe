// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The machine's totals as a person reads them, written once for every tool
 * (threadstat system, threadtop's header, its batch frames and replays), so
 * they never disagree with each other or, as far as the data allows, with
 * /proc.
 */
#include <inttypes.h>
#include <stdio.h>

#include "threadstat.h"

#define FSHIFT		11		/* the kernel's load fixed point */
#define FIXED_1		(1u << FSHIFT)

/*
 * /proc/loadavg adds FIXED_1/200 to the kernel's fixed-point average and
 * then truncates to hundredths; the module sends round(avg * 1000 / 2048).
 * Recovering the nearest fixed-point value and applying /proc's formula
 * matches /proc for all but the 4% of values that two fixed-point values
 * share (one of the pair then reads 0.01 off); rounding the thousandths
 * instead would be off for 6%.
 */
void ts_load_text(char *buf, size_t len, uint32_t x1000)
{
	uint64_t a = ((uint64_t)x1000 * FIXED_1 + 500) / 1000 + FIXED_1 / 200;

	snprintf(buf, len, "%" PRIu64 ".%02" PRIu64, a >> FSHIFT,
		 ((a & (FIXED_1 - 1)) * 100) >> FSHIFT);
}

/* Whole seconds, truncated as /proc/uptime's integer part is. */
void ts_uptime_text(char *buf, size_t len, uint64_t ns)
{
	uint64_t sec = ns / 1000000000u, days = sec / 86400;

	if (days)
		snprintf(buf, len, "%" PRIu64 " day%s, %" PRIu64 ":%02" PRIu64
			 ":%02" PRIu64, days, days == 1 ? "" : "s",
			 sec / 3600 % 24, sec / 60 % 60, sec % 60);
	else
		snprintf(buf, len, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 sec / 3600, sec / 60 % 60, sec % 60);
}
