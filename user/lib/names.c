// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* Names of the family's enums, as the spec spells them. */
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

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
	"sched", "schedstats", "delayacct", "stack", "kstack", "regs", "wait",
	"latency",
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

const char *ts_latency_missing_name(uint32_t why)
{
	switch (why) {
	case THREADSTAT_LATENCY_MISSING_OFF:
		return "off";
	case THREADSTAT_LATENCY_MISSING_UNTRACKED:
		return "untracked";
	default:
		return "unknown";
	}
}

/* Few distinct uids: each looked up once, then cached. */
const char *ts_user_name(uint32_t uid)
{
	static struct { uint32_t uid; char name[33]; } cache[64];
	static size_t n;
	struct passwd *pw;
	size_t i;

	for (i = 0; i < n; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	i = n < 64 ? n++ : uid % 64;
	cache[i].uid = uid;
	pw = getpwuid(uid);
	if (pw)
		snprintf(cache[i].name, sizeof(cache[i].name), "%s", pw->pw_name);
	else
		snprintf(cache[i].name, sizeof(cache[i].name), "%" PRIu32, uid);
	return cache[i].name;
}

int ts_user_parse(const char *text, uint32_t *uid)
{
	struct passwd *pw = getpwnam(text);
	char *end;
	unsigned long v;

	if (pw) {
		*uid = pw->pw_uid;
		return 0;
	}
	if (*text < '0' || *text > '9')
		return -1;
	v = strtoul(text, &end, 10);
	if (*end || v > UINT32_MAX)
		return -1;
	*uid = (uint32_t)v;
	return 0;
}
