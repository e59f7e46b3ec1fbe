// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * libthreadstat's latency decoding and interval math, on hand-built
 * replies: the nest and latency-missing decode, a longer histogram from a
 * newer module is cut to ours, deltas between two samples, percentiles.
 */
#include <string.h>

#include <libmnl/libmnl.h>

#include "kselftest_harness.h"
#include "text.h"
#include "threadstat.h"

/* A thread reply with a latency nest of @count waits, all in @bucket. */
static int decode_one(struct ts_thread *t, uint64_t count, unsigned int bucket,
		      uint64_t max, unsigned int buckets)
{
	static char buf[8192];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint64_t hist[40] = { 0 };
	struct ts_error err;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, 7);
	nest = mnl_attr_nest_start(nlh, THREADSTAT_A_THREAD_LATENCY);
	mnl_attr_put_u64(nlh, THREADSTAT_A_LATENCY_COUNT, count);
	mnl_attr_put_u64(nlh, THREADSTAT_A_LATENCY_SUM, count * max);
	mnl_attr_put_u64(nlh, THREADSTAT_A_LATENCY_MAX_WAIT, max);
	hist[bucket] = count;
	mnl_attr_put(nlh, THREADSTAT_A_LATENCY_HIST, buckets * 8, hist);
	mnl_attr_put_u32(nlh, THREADSTAT_A_LATENCY_MAX + 1, 1);	/* newer */
	mnl_attr_nest_end(nlh, nest);
	memset(t, 0, sizeof(*t));
	return ts_thread_decode(mnl_nlmsg_get_payload(nlh),
				mnl_nlmsg_get_payload_len(nlh), t, &err);
}

TEST(nest_decodes_and_longer_histogram_is_cut)
{
	struct ts_thread t;

	ASSERT_EQ(0, decode_one(&t, 5, 31, 1ULL << 40, 40));
	ASSERT_TRUE(ts_thread_has(&t, THREADSTAT_A_THREAD_LATENCY));
	EXPECT_EQ(5, t.latency.count);
	EXPECT_EQ(1ULL << 40, t.latency.max_wait);
	EXPECT_EQ(5, t.latency.hist[31]);
	EXPECT_EQ(0, t.latency.hist[0]);
	ts_thread_release(&t);
}

TEST(missing_is_named)
{
	static char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ts_error err;
	struct ts_thread t;
	struct ts_str s = { 0 };
	const struct ts_field *f;

	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, 7);
	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_LATENCY_MISSING,
			 THREADSTAT_LATENCY_MISSING_UNTRACKED);
	memset(&t, 0, sizeof(t));
	ASSERT_EQ(0, ts_thread_decode(mnl_nlmsg_get_payload(nlh),
				      mnl_nlmsg_get_payload_len(nlh), &t, &err));
	EXPECT_FALSE(ts_thread_has(&t, THREADSTAT_A_THREAD_LATENCY));
	f = ts_field_by_name(&ts_thread_set, "latency-missing");
	ASSERT_NE(NULL, f);
	ts_field_str(&s, f, &t);
	EXPECT_STREQ("untracked", ts_str_get(&s));
	EXPECT_STREQ("off", ts_latency_missing_name(1));
	ts_str_free(&s);
	ts_thread_release(&t);
}

TEST(delta_and_percentiles)
{
	struct ts_thread a, b;
	struct ts_latency d;

	/* 10 waits of ~1 us (bucket 9), then 100 more (bucket 9) and 1
	 * of ~1 ms (bucket 19): the interval holds those 101.
	 */
	ASSERT_EQ(0, decode_one(&a, 10, 9, 1000, 32));
	ASSERT_EQ(0, decode_one(&b, 110, 9, 1000, 32));
	b.latency.hist[19] = 1;
	b.latency.count = 111;
	b.latency.max_wait = 600000;
	ASSERT_TRUE(ts_latency_delta(&a, &b, &d));
	EXPECT_EQ(101, d.count);
	EXPECT_EQ(100, d.hist[9]);
	EXPECT_EQ(1, d.hist[19]);
	EXPECT_EQ(600000, d.max_wait);
	/* p50 lies in bucket 9: below 2^10 ns. p99 (100 of 101 waits) too;
	 * p100 is the longest.
	 */
	EXPECT_EQ(1023, ts_latency_percentile(&d, 50));
	EXPECT_EQ(1023, ts_latency_percentile(&d, 99));
	EXPECT_EQ(600000, ts_latency_percentile(&d, 100));

	/* The maximum did not grow: bounded by the top bucket that did. */
	a = b;
	b.latency.hist[9] += 3;
	b.latency.count += 3;
	ASSERT_TRUE(ts_latency_delta(&a, &b, &d));
	EXPECT_EQ(3, d.count);
	EXPECT_EQ(1023, d.max_wait);

	/* A record that restarted (smaller count): all of it is new. */
	b.latency.count = 2;
	ASSERT_TRUE(ts_latency_delta(&a, &b, &d));
	EXPECT_EQ(2, d.count);

	/* No nest now: no delta. */
	memset(&b, 0, sizeof(b));
	EXPECT_FALSE(ts_latency_delta(&a, &b, &d));
	EXPECT_EQ(0, ts_latency_percentile(&d, 99));
}

TEST_HARNESS_MAIN
