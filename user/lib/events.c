// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Lifecycle events: the subscription request, the event attribute table,
 * and reading events off the socket as they come.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define E(type, kind, name, member) \
	TS_FIELD(EVENT, ts_event, type, kind, 0, name, member)

static const struct ts_field ts_event_fields[] = {
	E(TYPE, U32, "type", type),
	E(TID, U32, "tid", tid),
	E(TGID, U32, "tgid", tgid),
	E(PPID, U32, "ppid", ppid),
	E(COMM, STRING, "comm", comm),
	E(OLD_COMM, STRING, "old-comm", old_comm),
	E(THREAD, FLAG, "thread", thread),
	E(TIME, U64, "time", time),
	E(CPU, U32, "cpu", cpu),
	E(LOST, U64, "lost", lost),
	E(LIFETIME, U64, "lifetime", lifetime),
	E(SUM_EXEC_RUNTIME, U64, "sum-exec-runtime", sum_exec_runtime),
	E(UTIME, U64, "utime", utime),
	E(STIME, U64, "stime", stime),
	E(NVCSW, U64, "nvcsw", nvcsw),
	E(NIVCSW, U64, "nivcsw", nivcsw),
	E(NR_MIGRATIONS, U64, "nr-migrations", nr_migrations),
	E(MIN_FLT, U64, "min-flt", min_flt),
	E(MAJ_FLT, U64, "maj-flt", maj_flt),
	E(RUN_DELAY, U64, "run-delay", run_delay),
	E(EXIT_CODE, U32, "exit-code", exit_code),
	E(GROUP_DEAD, FLAG, "group-dead", group_dead),
};

const struct ts_set ts_event_set =
	TS_SET("event", ts_event, ts_event_fields, THREADSTAT_A_EVENT_MAX);

static const char *const ts_event_names[] = {
	[THREADSTAT_EVENT_TYPE_START] = "start",
	[THREADSTAT_EVENT_TYPE_EXEC] = "exec",
	[THREADSTAT_EVENT_TYPE_RENAME] = "rename",
	[THREADSTAT_EVENT_TYPE_EXIT] = "exit",
};

const char *ts_event_type_name(uint32_t type)
{
	if (type < sizeof(ts_event_names) / sizeof(ts_event_names[0]) &&
	    ts_event_names[type])
		return ts_event_names[type];
	return "unknown";
}

int64_t ts_event_types_parse(const char *list, char *bad, size_t bad_len)
{
	int64_t mask = 0;
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		uint32_t t;

		for (t = THREADSTAT_EVENT_TYPE_START;
		     t <= THREADSTAT_EVENT_TYPE_EXIT; t++)
			if (strlen(ts_event_names[t]) == n &&
			    !strncmp(p, ts_event_names[t], n))
				break;
		if (t > THREADSTAT_EVENT_TYPE_EXIT) {
			snprintf(bad, bad_len, "%.*s", (int)n, p);
			return -1;
		}
		mask |= 1u << t;
		p += n;
		if (*p)
			p++;
	}
	if (!mask) {
		snprintf(bad, bad_len, "%s", list);
		return -1;
	}
	return mask;
}

int ts_events_subscribe(struct ts_client *c, uint32_t types, uint32_t tgid,
			struct ts_error *err)
{
	struct ts_req_attr attrs[2] = {
		{ THREADSTAT_A_EVENT_TYPES, types },
		{ THREADSTAT_A_EVENT_TGID, tgid },
	};

	ts_set_no_enobufs(c);
	return ts_request(c, THREADSTAT_CMD_EVENTS_SUBSCRIBE, false, attrs,
			  tgid ? 2 : 1, NULL, NULL, NULL, err);
}

int ts_events_sync(struct ts_client *c, struct ts_error *err)
{
	struct ts_req_attr attr = { THREADSTAT_A_EVENT_TYPES, 0 };

	return ts_request(c, THREADSTAT_CMD_EVENTS_SUBSCRIBE, false, &attr, 1,
			  NULL, NULL, NULL, err);
}

struct ts_event_read {
	ts_event_cb cb;
	void *arg;
	struct ts_error *err;
};

int ts_event_decode(const void *attrs, size_t len, struct ts_event *ev,
		    struct ts_error *err)
{
	memset(ev, 0, sizeof(*ev));
	if (ts_decode_set(&ts_event_set, ev, attrs, len, err))
		return -1;
	/* without a type: not an event we can tell anything about */
	return ts_present(&ts_event_set, ev, THREADSTAT_A_EVENT_TYPE);
}

static int ts_event_one(const void *attrs, size_t len, void *arg)
{
	struct ts_event_read *r = arg;
	struct ts_event ev;
	int rc = ts_event_decode(attrs, len, &ev, r->err);

	return rc > 0 ? r->cb(&ev, r->arg) : rc;
}

int ts_events_read(struct ts_client *c, int timeout_ms, ts_event_cb cb,
		   void *arg, struct ts_error *err)
{
	struct ts_event_read r = { cb, arg, err };

	return ts_recv_notifications(c, timeout_ms, ts_event_one, &r, err);
}
