// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Run-queue latency: turning the module's measurement on or off, its
 * state, and what two samples of a thread's histogram say about the time
 * between them.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

#define L(type, kind, name, member) \
	TS_FIELD(LATENCY, ts_latency_state, type, kind, 0, name, member)

static const struct ts_field ts_latency_state_fields[] = {
	L(ENABLED, BOOL, "enabled", enabled),
	L(HOLDERS, U32, "holders", holders),
	L(PERSISTENT, BOOL, "persistent", persistent),
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

int ts_latency_control(struct ts_client *c, enum ts_latency_op op,
		       struct ts_latency_state *out, struct ts_error *err)
{
	struct ts_req_attr attrs[2] = {
		{ THREADSTAT_A_LATENCY_ON, op != TS_LATENCY_OFF },
		{ THREADSTAT_A_LATENCY_PERSIST | TS_REQ_FLAG, 0 },
	};
	size_t n = op == TS_LATENCY_STATUS ? 0 :
		   op == TS_LATENCY_PERSIST ? 2 : 1;

	memset(out, 0, sizeof(*out));
	if (ts_request(c, THREADSTAT_CMD_LATENCY_SET, false, attrs, n,
		       ts_latency_keep, out, NULL, err))
		return -1;
	if (!ts_present(&ts_latency_state_set, out,
			THREADSTAT_A_LATENCY_ENABLED))
		return ts_fail(err, EPROTO, "no latency state in the reply");
	return 0;
}

void ts_latency_interval(const struct ts_latency *b,
			 const struct ts_latency *now, struct ts_latency *out)
{
	size_t i;

	*out = *now;
	/* Counts only grow while a record lives; a smaller one is new. */
	if (!b || b->count > now->count)
		return;
	out->count -= b->count;
	out->sum -= b->sum;
	for (i = 0; i < THREADSTAT_LATENCY_BUCKETS; i++)
		out->hist[i] -= b->hist[i] <= out->hist[i] ? b->hist[i] :
				out->hist[i];
	/*
	 * The interval's longest wait: exact when the maximum grew in it,
	 * else at most the end of the top bucket that grew.
	 */
	if (now->max_wait > b->max_wait)
		return;
	out->max_wait = 0;
	for (i = THREADSTAT_LATENCY_BUCKETS; i-- > 0;)
		if (out->hist[i]) {
			out->max_wait = (2ULL << i) - 1;
			if (out->max_wait > now->max_wait)
				out->max_wait = now->max_wait;
			break;
		}
}

bool ts_latency_delta(const struct ts_thread *before,
		      const struct ts_thread *now, struct ts_latency *out)
{
	const struct ts_latency *b = before &&
		ts_thread_has(before, THREADSTAT_A_THREAD_LATENCY) ?
		&before->latency : NULL;

	memset(out, 0, sizeof(*out));
	if (!ts_thread_has(now, THREADSTAT_A_THREAD_LATENCY))
		return false;
	ts_latency_interval(b, &now->latency, out);
	return true;
}

uint64_t ts_latency_percentile(const struct ts_latency *l, unsigned int pct)
{
	uint64_t seen = 0, total = 0, want;
	size_t i;

	for (i = 0; i < THREADSTAT_LATENCY_BUCKETS; i++)
		total += l->hist[i];
	if (!total)
		return 0;
	want = (total * pct + 99) / 100;
	if (!want)
		want = 1;
	for (i = 0; i < THREADSTAT_LATENCY_BUCKETS; i++) {
		seen += l->hist[i];
		if (seen >= want)
			break;
	}
	if (i >= THREADSTAT_LATENCY_BUCKETS - 1)
		return l->max_wait;
	/* Bucket i ends below 2^(i+1) ns; never above the longest wait. */
	return (2ULL << i) - 1 < l->max_wait ? (2ULL << i) - 1 : l->max_wait;
}
