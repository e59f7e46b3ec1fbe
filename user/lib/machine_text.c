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

/*
 * The module sends the load times 1000 after /proc/loadavg's own offset,
 * truncated (see the spec's load-1): truncating it to hundredths prints
 * exactly what /proc/loadavg prints.
 */
void ts_load_text(char *buf, size_t len, uint32_t x1000)
{
	snprintf(buf, len, "%u.%02u", x1000 / 1000, x1000 % 1000 / 10);
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
