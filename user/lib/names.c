// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* Names of the family's enums, as the spec spells them. */
#include <stdio.h>
#include <string.h>

#include "threadstat.h"

const char *ts_policy_name(uint32_t policy)
{
	static const char *const names[] = {
		[THREADSTAT_POLICY_NORMAL] = "normal",
		[THREADSTAT_POLICY_FIFO] = "fifo",
		[THREADSTAT_POLICY_RR] = "rr",
		[THREADSTAT_POLICY_BATCH] = "batch",
		[THREADSTAT_POLICY_ISO] = "iso",
		[THREADSTAT_POLICY_IDLE] = "idle",
		[THREADSTAT_POLICY_DEADLINE] = "deadline",
	};

	if (policy < sizeof(names) / sizeof(names[0]) && names[policy])
		return names[policy];
	return "unknown";
}

static const char *const ts_group_names[] = {
	"sched", "schedstats", "delayacct", "stack", "kstack", "regs",
};

const char *ts_group_name(uint32_t bit)
{
	unsigned int i;

	for (i = 0; i < sizeof(ts_group_names) / sizeof(ts_group_names[0]); i++)
		if (bit == 1u << i)
			return ts_group_names[i];
	return "unknown";
}

int64_t ts_groups_parse(const char *list, char *bad, size_t bad_len)
{
	const char *p = list;
	int64_t mask = 0;

	while (*p) {
		size_t len = strcspn(p, ",");
		unsigned int i;
		bool found = false;

		if (len == 3 && !strncmp(p, "all", 3)) {
			mask |= THREADSTAT_FIELDS_ALL;
			found = true;
		}
		for (i = 0; !found &&
		     i < sizeof(ts_group_names) / sizeof(ts_group_names[0]); i++) {
			if (strlen(ts_group_names[i]) == len &&
			    !strncmp(p, ts_group_names[i], len)) {
				mask |= 1u << i;
				found = true;
			}
		}
		if (!found) {
			if (bad && bad_len) {
				snprintf(bad, bad_len, "%.*s", (int)len, p);
			}
			return -1;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return mask;
}

const char *ts_kstack_missing_name(uint32_t why)
{
	switch (why) {
	case THREADSTAT_KSTACK_MISSING_RUNNING:
		return "running";
	case THREADSTAT_KSTACK_MISSING_EXITED:
		return "exited";
	case THREADSTAT_KSTACK_MISSING_RUNNABLE:
		return "runnable";
	case THREADSTAT_KSTACK_MISSING_UNSUPPORTED:
		return "unsupported";
	default:
		return "unknown";
	}
}
