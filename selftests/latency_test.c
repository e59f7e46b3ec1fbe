// SPDX-License-Identifier: GPL-2.0
/*
 * Run-queue latency (issue 16): a sleeper that wakes every 1 ms shares one
 * CPU with a busy thread; with measurement on, the sleeper's histogram must
 * add up to what /proc/TID/schedstat's run_delay grew by (within 10%), and
 * its buckets to its count. Off (by the last holder, or by closing its
 * socket) means the state says off and threads carry no histogram.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "../kselftest_harness.h"
#include "threadstat_nl.h"

#define L(x)	THREADSTAT_A_LATENCY_##x

struct lat {
	bool enabled, has_nest;
	uint64_t count, sum, max, hist_total;
};

static int set_latency(struct tsnl *t, int on, bool *enabled)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct tsnl_reply r;
	struct nlmsghdr *nlh;
	int err;

	nlh = tsnl_msg(t, buf, THREADSTAT_CMD_LATENCY_SET, NLM_F_ACK);
	if (on >= 0)
		mnl_attr_put_u32(nlh, L(ON), on);
	err = tsnl_send(t, nlh, &r);
	if (!err)
		err = r.error;
	if (!err && enabled)
		*enabled = r.n_recs && r.recs[0].v[L(ENABLED)];
	tsnl_reply_free(&r);
	return err;
}

static int nest_attr(const struct nlattr *a, void *data)
{
	struct lat *l = data;
	const uint64_t *h;
	unsigned int i;

	switch (mnl_attr_get_type(a)) {
	case L(COUNT):
		l->count = mnl_attr_get_u64(a);
		break;
	case L(SUM):
		l->sum = mnl_attr_get_u64(a);
		break;
	case L(MAX_WAIT):
		l->max = mnl_attr_get_u64(a);
		break;
	case L(HIST):
		h = mnl_attr_get_payload(a);
		for (i = 0; i < mnl_attr_get_payload_len(a) / 8; i++)
			l->hist_total += h[i];
		break;
	}
	return MNL_CB_OK;
}

static int thread_attr(const struct nlattr *a, void *data)
{
	struct lat *l = data;

	if (mnl_attr_get_type(a) == THREADSTAT_A_THREAD_LATENCY_ENABLED)
		l->enabled = mnl_attr_get_u8(a);
	if (mnl_attr_get_type(a) == THREADSTAT_A_THREAD_LATENCY) {
		l->has_nest = true;
		mnl_attr_parse_nested(a, nest_attr, l);
	}
	return MNL_CB_OK;
}

static int get_latency(struct tsnl *t, pid_t tid, struct lat *l)
{
	struct tsnl_reply r;
	int err;

	memset(l, 0, sizeof(*l));
	err = tsnl_get_fields(t, tid, THREADSTAT_FIELDS_LATENCY, &r);
	if (!err)
		err = r.error;
	if (!err && r.raw_len)
		mnl_attr_parse((const struct nlmsghdr *)r.raw, GENL_HDRLEN,
			       thread_attr, l);
	tsnl_reply_free(&r);
	return err;
}

/* run_delay (ns), the second field of /proc/self/task/TID/schedstat. */
static uint64_t run_delay(pid_t tid)
{
	unsigned long long run, delay = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", tid);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu %llu", &run, &delay) != 2)
			delay = 0;
		fclose(f);
	}
	return delay;
}

static volatile int stop_busy, stop_sleep;
static pthread_mutex_t parked_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t parked_cond = PTHREAD_COND_INITIALIZER;
static int parked;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *busy(void *arg)
{
	pin(0);
	while (!stop_busy)
		;
	return NULL;
}

/* Wakes every 1 ms until told, then sleeps (no more waits) until woken. */
static void *sleeper(void *arg)
{
	pin(0);
	*(pid_t *)arg = syscall(SYS_gettid);
	while (!stop_sleep)
		usleep(1000);
	pthread_mutex_lock(&parked_lock);
	parked = 1;
	pthread_cond_broadcast(&parked_cond);
	while (parked == 1)
		pthread_cond_wait(&parked_cond, &parked_lock);
	pthread_mutex_unlock(&parked_lock);
	return NULL;
}

TEST(sleeper_histogram_matches_schedstat_run_delay)
{
	pthread_t b, s;
	pid_t tid = 0;
	struct tsnl t;
	struct lat l;
	uint64_t rd;
	bool on;

	ASSERT_EQ(0, tsnl_open(&t));
	ASSERT_EQ(0, set_latency(&t, 1, &on));
	ASSERT_TRUE(on);
	/* Both start after measurement is on: run_delay covers the same. */
	ASSERT_EQ(0, pthread_create(&b, NULL, busy, NULL));
	ASSERT_EQ(0, pthread_create(&s, NULL, sleeper, &tid));
	sleep(2);
	stop_sleep = 1;
	pthread_mutex_lock(&parked_lock);
	while (!parked)
		pthread_cond_wait(&parked_cond, &parked_lock);
	pthread_mutex_unlock(&parked_lock);
	usleep(10000);	/* it is blocked in the cond wait now */

	rd = run_delay(tid);
	ASSERT_EQ(0, get_latency(&t, tid, &l));
	TH_LOG("sleeper: %llu waits, sum %llu ns, max %llu ns; run_delay %llu ns",
	       (unsigned long long)l.count, (unsigned long long)l.sum,
	       (unsigned long long)l.max, (unsigned long long)rd);
	EXPECT_TRUE(l.enabled);
	ASSERT_TRUE(l.has_nest);
	EXPECT_LT(100, l.count);
	EXPECT_EQ(l.count, l.hist_total);
	EXPECT_GE(l.sum, l.max);
	EXPECT_LT(0, rd);
	EXPECT_LE(l.sum, rd + rd / 10);
	EXPECT_GE(l.sum, rd - rd / 10);

	pthread_mutex_lock(&parked_lock);
	parked = 2;
	pthread_cond_broadcast(&parked_cond);
	pthread_mutex_unlock(&parked_lock);
	pthread_join(s, NULL);
	stop_busy = 1;
	pthread_join(b, NULL);

	ASSERT_EQ(0, set_latency(&t, 0, &on));
	EXPECT_FALSE(on);
	ASSERT_EQ(0, get_latency(&t, getpid(), &l));
	EXPECT_FALSE(l.enabled);
	EXPECT_FALSE(l.has_nest);
	tsnl_close(&t);
}

TEST(closing_the_socket_turns_it_off)
{
	struct tsnl a, b;
	bool on;

	ASSERT_EQ(0, tsnl_open(&a));
	ASSERT_EQ(0, tsnl_open(&b));
	ASSERT_EQ(0, set_latency(&a, 1, &on));
	ASSERT_TRUE(on);
	ASSERT_EQ(0, set_latency(&b, -1, &on));
	EXPECT_TRUE(on);
	tsnl_close(&a);
	ASSERT_EQ(0, set_latency(&b, -1, &on));
	EXPECT_FALSE(on);
	tsnl_close(&b);
}

TEST(turning_it_on_needs_cap_sys_admin)
{
	struct tsnl t;
	bool on;

	if (geteuid() == 0 && setresuid(65534, 65534, 65534))
		SKIP(return, "cannot drop to nobody: %s", strerror(errno));
	ASSERT_EQ(0, tsnl_open(&t));
	EXPECT_EQ(-EPERM, set_latency(&t, 1, &on));
	EXPECT_EQ(0, set_latency(&t, -1, &on));
	EXPECT_FALSE(on);
	tsnl_close(&t);
}

TEST_HARNESS_MAIN
