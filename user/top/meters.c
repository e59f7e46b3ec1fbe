// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The header's meters by name: which F2 and threadtoprc (meters=) show
 * and order; header.c draws them.
 */
#include <string.h>

#include "top.h"

const struct meter meters[METERS] = {
	[METER_UPTIME] = { "uptime", "Uptime" },
	[METER_LOAD] = { "load", "Load average" },
	[METER_CPUS] = { "cpus", "CPU bars" },
	[METER_MEM] = { "mem", "Mem" },
	[METER_SWAP] = { "swap", "Swp" },
	[METER_TASKS] = { "tasks", "Tasks" },
};

static int meter_by_name(const char *name)
{
	int m;

	for (m = 0; m < METERS; m++)
		if (!strcmp(name, meters[m].name))
			return m;
	return -1;
}

static const char *meter_name(int m)
{
	return meters[m].name;
}

struct choice meters_choice(struct options *o)
{
	return (struct choice){
		.n = METERS, .pinned = -1, .unknown_ok = true,
		.on = o->meters, .order = o->meter_order,
		.by_name = meter_by_name, .name = meter_name,
	};
}

void meters_default(struct options *o)
{
	int m;

	for (m = 0; m < METERS; m++) {
		o->meters[m] = true;
		o->meter_order[m] = m;
	}
}
