// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Run-queue latency measurement: turning it on or off, and its state.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

#define L(type, kind, name, member) \
	TS_FIELD(LATENCY, ts_latency_state, type, kind, 0, name, member)

static const struct ts_field ts_latency_state_fields[] = {
	L(ENABLED, BOOL, "enabled", enabled),
	L(HOLDERS, U32, "holders", holders),
	L(TRACKED, U32, "tracked", tracked),
	L(CAPACITY, U32, "capacity", capacity),
	L(OVERFLOW, U64, "overflow", overflow),
};

const struct ts_set ts_latency_state_set =
	TS_SET("latency", ts_latency_state, ts_latency_state_fields,
	       THREADSTAT_A_LATENCY_MAX);

static int ts_latency_keep(const void *attrs, size_t len, void *arg)
{
	struct ts_latency_state *out = arg;

	memset(out, 0, sizeof(*out));
	return ts_decode_set(&ts_latency_state_set, out, attrs, len, NULL);
}

int ts_latency_set(struct ts_client *c, int on, struct ts_latency_state *out,
		   struct ts_error *err)
{
	struct ts_req_attr attr = { THREADSTAT_A_LATENCY_ON, on > 0 };

	memset(out, 0, sizeof(*out));
	if (ts_request(c, THREADSTAT_CMD_LATENCY_SET, false, &attr,
		       on < 0 ? 0 : 1, ts_latency_keep, out, NULL, err))
		return -1;
	if (!ts_present(&ts_latency_state_set, out,
			THREADSTAT_A_LATENCY_ENABLED))
		return ts_fail(err, EPROTO, "no latency state in the reply");
	return 0;
}
