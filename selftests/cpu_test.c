// SPDX-License-Identifier: GPL-2.0
/*
 * CPU_GET checked against sysfs, against a thread spinning on CPU 2 and the
 * requester itself on CPU 0, across a pid namespace boundary, and while
 * CPU 3 goes offline and online (the VM runs with -smp 4).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "cpu_sysfs.h"
#include "threadstat_nl.h"

#define A(x)		THREADSTAT_A_CPU_##x
#define HOME_CPU	0	/* where the test itself runs */
#define SPIN_CPU	2
#define HOTPLUG_CPU	3
#define SAMPLES		20
#define TICK_NS		4000000LL	/* HZ=250 on both kernels */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* One CPU by a do request. */
static struct tsnl_rec get_cpu(struct __test_metadata *_metadata,
			       struct tsnl *nl, unsigned int cpu)
{
	struct tsnl_rec rec = {};
	struct tsnl_reply r;

	EXPECT_EQ(0, tsnl_get_cpu(nl, cpu, &r));
	EXPECT_EQ(0, r.error) TH_LOG("kernel said: %s", r.extack);
	EXPECT_EQ(1U, r.n_recs);
	if (r.n_recs == 1)
		rec = r.recs[0];
	tsnl_reply_free(&r);
	EXPECT_EQ(cpu, rec.v[A(CPU)]);
	return rec;
}

/* Time that was neither idle nor iowait; guest time is inside user. */
static int64_t busy_ns(const struct tsnl_rec *c)
{
	return c->v[A(USER)] + c->v[A(NICE)] + c->v[A(SYSTEM)] +
	       c->v[A(IRQ)] + c->v[A(SOFTIRQ)] + c->v[A(STEAL)];
}

static int64_t total_ns(const struct tsnl_rec *c)
{
	return busy_ns(c) + c->v[A(IDLE)] + c->v[A(IOWAIT)];
}

/* Topology ids and siblings of an online CPU, as sysfs shows them. */
static void expect_topology(struct __test_metadata *_metadata,
			    const struct tsnl_rec *c)
{
	unsigned int cpu = c->v[A(CPU)];
	uint64_t siblings[CPUSET_WORDS];
	char path[128];
	long v;

	ASSERT_TRUE(cpu_sysfs_long(cpu, "topology/physical_package_id", &v));
	EXPECT_TRUE(c->has[A(PACKAGE_ID)]);
	EXPECT_EQ(v, c->v[A(PACKAGE_ID)]);
	ASSERT_TRUE(cpu_sysfs_long(cpu, "topology/core_id", &v));
	EXPECT_TRUE(c->has[A(CORE_ID)]);
	EXPECT_EQ(v, c->v[A(CORE_ID)]);
	/* die-id wherever sysfs has one; cluster-id not on every kernel. */
	if (cpu_sysfs_long(cpu, "topology/die_id", &v) && v >= 0) {
		EXPECT_TRUE(c->has[A(DIE_ID)]);
		EXPECT_EQ(v, c->v[A(DIE_ID)]);
	}
	if (c->has[A(CLUSTER_ID)]) {
		ASSERT_TRUE(cpu_sysfs_long(cpu, "topology/cluster_id", &v));
		EXPECT_EQ(v, c->v[A(CLUSTER_ID)]);
	}
	snprintf(path, sizeof(path),
		 SYS_CPU "/cpu%u/topology/thread_siblings_list", cpu);
	ASSERT_EQ(0, cpulist_read(path, siblings));
	EXPECT_TRUE(c->has[A(SIBLINGS)]);
	EXPECT_EQ(0, memcmp(siblings, c->cpus, sizeof(siblings)));
	EXPECT_TRUE(cpuset_has(c->cpus, cpu));
}

TEST(dump_lists_every_possible_cpu_as_sysfs_does)
{
	uint64_t possible[CPUSET_WORDS], online[CPUSET_WORDS];
	unsigned int i, processes, threads, counted = 0;
	int64_t prev = -1;
	struct tsnl_reply r;
	struct tsnl nl;

	ASSERT_EQ(0, cpulist_read(SYS_CPU "/possible", possible));
	ASSERT_EQ(0, cpulist_read(SYS_CPU "/online", online));
	ASSERT_EQ(0, tsnl_open(&nl));
	ASSERT_EQ(0, tsnl_dump_cpus(&nl, &r));
	proc_count(&processes, &threads);
	ASSERT_EQ(0, r.error) TH_LOG("kernel said: %s", r.extack);
	EXPECT_EQ(cpuset_count(possible), (int)r.n_recs);

	for (i = 0; i < r.n_recs; i++) {
		const struct tsnl_rec *c = &r.recs[i];
		unsigned int cpu = c->v[A(CPU)];

		EXPECT_GT(c->v[A(CPU)], prev);
		prev = c->v[A(CPU)];
		EXPECT_TRUE(cpuset_has(possible, cpu));
		EXPECT_EQ(cpuset_has(online, cpu), c->v[A(ONLINE)]);
		if (cpuset_has(online, cpu)) {
			expect_topology(_metadata, c);
			EXPECT_GT(total_ns(c), 0);
		} else {
			EXPECT_FALSE(c->has[A(PACKAGE_ID)]);
			EXPECT_FALSE(c->has[A(SIBLINGS)]);
		}
		EXPECT_TRUE(c->has[A(IDLE)] && c->has[A(GUEST_NICE)]);
		EXPECT_TRUE(c->has[A(NR_RUNNING)] && c->has[A(NR_THREADS)]);
		EXPECT_LE(c->v[A(NR_RUNNING)], c->v[A(NR_THREADS)]);
		counted += c->v[A(NR_THREADS)];
	}
	/* Every thread has a last CPU; /proc was read just after. */
	TH_LOG("threads: %u by CPU, %u in /proc", counted, threads);
	EXPECT_LE(counted, threads + 5);
	EXPECT_GE(counted + 5, threads);
	tsnl_reply_free(&r);
	tsnl_close(&nl);
}

/* A cpu narrows a dump to that CPU; one that is not possible, to none. */
TEST(dump_filtered_to_one_cpu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	const uint32_t cpus[] = { 1, 4096, UINT32_MAX };
	struct nlmsghdr *nlh;
	struct tsnl_reply r;
	struct tsnl nl;
	unsigned int i;

	ASSERT_EQ(0, tsnl_open(&nl));
	for (i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		nlh = tsnl_msg(&nl, buf, THREADSTAT_CMD_CPU_GET, NLM_F_DUMP);
		mnl_attr_put_u32(nlh, A(CPU), cpus[i]);
		ASSERT_EQ(0, tsnl_send(&nl, nlh, &r));
		EXPECT_EQ(0, r.error) TH_LOG("kernel said: %s", r.extack);
		if (cpus[i] == 1) {
			ASSERT_EQ(1U, r.n_recs);
			EXPECT_EQ(1, r.recs[0].v[A(CPU)]);
			EXPECT_TRUE(r.recs[0].has[A(NR_THREADS)]);
		} else {
			EXPECT_EQ(0U, r.n_recs);
		}
		tsnl_reply_free(&r);
	}
	tsnl_close(&nl);
}

TEST(bad_cpu_requests_are_rejected_with_a_reason)
{
	uint64_t possible[CPUSET_WORDS];
	unsigned int nr_cpu_ids = 0, cpu;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	const uint32_t bad_cpus[2] = { 0, UINT32_MAX };
	struct nlmsghdr *nlh;
	struct tsnl_reply r;
	struct tsnl nl;
	int i;

	ASSERT_EQ(0, cpulist_read(SYS_CPU "/possible", possible));
	for (cpu = 0; cpu < CPUSET_WORDS * 64; cpu++)
		if (cpuset_has(possible, cpu))
			nr_cpu_ids = cpu + 1;
	ASSERT_EQ(0, tsnl_open(&nl));

	/* The first CPU number that is not possible, and the last u32. */
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, tsnl_get_cpu(&nl, i ? bad_cpus[1] : nr_cpu_ids,
					  &r));
		EXPECT_EQ(-ENOENT, r.error);
		EXPECT_NE(NULL, strstr(r.extack, "no such CPU"))
			TH_LOG("kernel said: '%s'", r.extack);
		EXPECT_EQ(0U, r.n_recs);
		tsnl_reply_free(&r);
	}

	/* A do request without a cpu. */
	nlh = tsnl_msg(&nl, buf, THREADSTAT_CMD_CPU_GET, NLM_F_ACK);
	ASSERT_EQ(0, tsnl_send(&nl, nlh, &r));
	EXPECT_EQ(-EINVAL, r.error);
	EXPECT_NE(NULL, strstr(r.extack, "cpu is required"));
	tsnl_reply_free(&r);

	/* A reply-only attribute, and a cpu of the wrong size. */
	nlh = tsnl_msg(&nl, buf, THREADSTAT_CMD_CPU_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, A(CPU), 0);
	mnl_attr_put_u32(nlh, A(NR_THREADS), 1);
	ASSERT_EQ(0, tsnl_send(&nl, nlh, &r));
	EXPECT_EQ(-EINVAL, r.error);
	EXPECT_NE('\0', r.extack[0]);
	tsnl_reply_free(&r);

	nlh = tsnl_msg(&nl, buf, THREADSTAT_CMD_CPU_GET, NLM_F_ACK);
	mnl_attr_put_u16(nlh, A(CPU), 0);
	ASSERT_EQ(0, tsnl_send(&nl, nlh, &r));
	EXPECT_EQ(-EINVAL, r.error);
	EXPECT_NE('\0', r.extack[0]);
	tsnl_reply_free(&r);
	tsnl_close(&nl);
}

/* ---- a thread spinning on SPIN_CPU while the test runs on HOME_CPU ---- */

static volatile int spinning;
static volatile pid_t spinner_tid;

static void *spinner(void *arg)
{
	(void)arg;
	pin(SPIN_CPU);
	prctl(PR_SET_NAME, "ts-spinner");
	spinner_tid = gettid();
	while (spinning)
		;
	return NULL;
}

FIXTURE(spinner) {
	struct tsnl nl;
	pthread_t th;
	bool started;
};

FIXTURE_SETUP(spinner)
{
	long online;

	if (sysconf(_SC_NPROCESSORS_ONLN) <= SPIN_CPU ||
	    (cpu_sysfs_long(SPIN_CPU, "online", &online) && !online))
		SKIP(return, "needs CPU %d online", SPIN_CPU);
	ASSERT_EQ(0, pin(HOME_CPU));
	ASSERT_EQ(0, tsnl_open(&self->nl));
	spinning = 1;
	spinner_tid = 0;
	ASSERT_EQ(0, pthread_create(&self->th, NULL, spinner, NULL));
	self->started = true;
	while (!spinner_tid)
		usleep(1000);
	usleep(200000);	/* on its CPU, and its name set */
}

FIXTURE_TEARDOWN(spinner)
{
	if (!self->started)
		return;
	spinning = 0;
	pthread_join(self->th, NULL);
	tsnl_close(&self->nl);
}

TEST_F(spinner, spinner_is_curr_on_its_cpu)
{
	int hits = 0, i;

	for (i = 0; i < SAMPLES; i++) {
		struct tsnl_rec c = get_cpu(_metadata, &self->nl, SPIN_CPU);

		EXPECT_GE(c.v[A(NR_RUNNING)], 1);
		if (c.has[A(CURR_TID)] && c.v[A(CURR_TID)] == spinner_tid) {
			hits++;
			EXPECT_EQ(getpid(), c.v[A(CURR_TGID)]);
			EXPECT_STREQ("ts-spinner", c.comm);
		}
		usleep(10000);
	}
	TH_LOG("the spinner was curr on CPU %d in %d of %d samples",
	       SPIN_CPU, hits, SAMPLES);
	EXPECT_GT(hits, SAMPLES / 2);
}

/* The requester runs on its own CPU while the kernel answers it. */
TEST_F(spinner, requester_is_curr_on_its_cpu)
{
	int i;

	for (i = 0; i < SAMPLES; i++) {
		struct tsnl_rec c = get_cpu(_metadata, &self->nl, HOME_CPU);

		ASSERT_TRUE(c.has[A(CURR_TID)]);
		EXPECT_EQ(gettid(), c.v[A(CURR_TID)]);
		EXPECT_EQ(getpid(), c.v[A(CURR_TGID)]);
		EXPECT_GE(c.v[A(NR_RUNNING)], 1);
	}
}

/*
 * Busy time is tick-sampled: a tick that fires late is one tick, so when
 * the host starves the vCPU (qemu TCG on a loaded machine) the kernel
 * accounts less than the wall time, to every field alike. Then the wall
 * clock cannot be the measure; the CPU's own accounted time still is.
 */
TEST_F(spinner, busy_time_grows_with_wall_time)
{
	int64_t busy, accounted, wall;
	struct tsnl_rec a, b;
	uint64_t t0, t1;

	t0 = now_ns();
	a = get_cpu(_metadata, &self->nl, SPIN_CPU);
	usleep(1000000);
	b = get_cpu(_metadata, &self->nl, SPIN_CPU);
	t1 = now_ns();
	busy = busy_ns(&b) - busy_ns(&a);
	accounted = total_ns(&b) - total_ns(&a);
	wall = t1 - t0;
	TH_LOG("CPU %d: busy %lld us, accounted %lld us, wall %lld us: "
	       "busy %lld%% of wall", SPIN_CPU, (long long)busy / 1000,
	       (long long)accounted / 1000, (long long)wall / 1000,
	       (long long)(busy * 100 / wall));
	EXPECT_GE(busy * 10, accounted * 8);
	EXPECT_LE(accounted, wall + 2 * TICK_NS);
	if (accounted * 10 >= wall * 9) {
		EXPECT_GE(busy * 10, wall * 8);
	} else {
		TH_LOG("ticks were lost (vCPU starved by the host): busy "
		       "compared with accounted time only");
	}
}

/* Every online CPU's times, bracketed by /proc/stat read around them. */
TEST(times_agree_with_proc_stat)
{
	static const int order[PROC_STAT_FIELDS] = {
		A(USER), A(NICE), A(SYSTEM), A(IDLE), A(IOWAIT), A(IRQ),
		A(SOFTIRQ), A(STEAL), A(GUEST), A(GUEST_NICE),
	};
	long long before[PROC_STAT_FIELDS], after[PROC_STAT_FIELDS];
	int64_t ns_per_tick = 1000000000 / sysconf(_SC_CLK_TCK);
	uint64_t online[CPUSET_WORDS];
	unsigned int cpu;
	struct tsnl nl;
	int i;

	ASSERT_EQ(0, cpulist_read(SYS_CPU "/online", online));
	ASSERT_EQ(0, tsnl_open(&nl));
	for (cpu = 0; cpu < CPUSET_WORDS * 64; cpu++) {
		struct tsnl_rec c;

		if (!cpuset_has(online, cpu))
			continue;
		ASSERT_EQ(0, proc_stat_cpu(cpu, before));
		c = get_cpu(_metadata, &nl, cpu);
		ASSERT_EQ(0, proc_stat_cpu(cpu, after));
		for (i = 0; i < PROC_STAT_FIELDS; i++) {
			long long ticks = c.v[order[i]] / ns_per_tick;

			EXPECT_LE(before[i], ticks)
				TH_LOG("cpu%u field %d", cpu, i + 1);
			EXPECT_GE(after[i], ticks)
				TH_LOG("cpu%u field %d", cpu, i + 1);
		}
	}
	tsnl_close(&nl);
}

/*
 * From a new pid namespace the spinner has no id: CPU 2 shows no running
 * thread and does not count it (counts are the namespace's, see
 * pidns_counts_test). The only thread in that namespace, pid 1, runs on
 * CPU 0.
 */
TEST_F(spinner, curr_hidden_from_another_pid_namespace)
{
	int status, hidden = 0, uncounted = 0, self_seen = 0, i;
	pid_t child;

	if (geteuid())
		SKIP(return, "unshare(CLONE_NEWPID) needs root");
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct tsnl nl;

		if (tsnl_open(&nl))
			_exit(2);
		for (i = 0; i < SAMPLES; i++) {
			struct tsnl_rec c = get_cpu(_metadata, &nl, SPIN_CPU);
			struct tsnl_rec h = get_cpu(_metadata, &nl, HOME_CPU);

			hidden += !c.has[A(CURR_TID)];
			uncounted += !c.v[A(NR_RUNNING)] &&
				     !c.v[A(NR_THREADS)];
			self_seen += h.has[A(CURR_TID)] &&
				     h.v[A(CURR_TID)] == 1;
			usleep(10000);
		}
		printf("# in a child pid namespace: CPU %d without curr-tid "
		       "%d/%d, not counted %d/%d; pid 1 curr on CPU %d "
		       "%d/%d\n", SPIN_CPU, hidden, SAMPLES, uncounted,
		       SAMPLES, HOME_CPU, self_seen, SAMPLES);
		_exit(hidden == SAMPLES && uncounted == SAMPLES &&
		      self_seen == SAMPLES ? 0 : 1);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ---- CPU hotplug ---- */

FIXTURE(hotplug) {
	struct tsnl nl;
	bool ready;
};

FIXTURE_SETUP(hotplug)
{
	long online;

	if (geteuid())
		SKIP(return, "CPU hotplug needs root");
	if (!cpu_sysfs_long(HOTPLUG_CPU, "online", &online) || !online)
		SKIP(return, "needs CPU %d online and hotpluggable",
		     HOTPLUG_CPU);
	ASSERT_EQ(0, pin(HOME_CPU));
	ASSERT_EQ(0, tsnl_open(&self->nl));
	self->ready = true;
}

FIXTURE_TEARDOWN(hotplug)
{
	if (!self->ready)
		return;
	cpu_set_online(HOTPLUG_CPU, true);
	tsnl_close(&self->nl);
}

TEST_F(hotplug, offline_cpu_is_listed_offline_and_still)
{
	struct tsnl_rec a, b, c, d;
	struct tsnl_reply r;
	unsigned int i;
	int type;

	ASSERT_EQ(0, cpu_set_online(HOTPLUG_CPU, false));
	a = get_cpu(_metadata, &self->nl, HOTPLUG_CPU);
	EXPECT_EQ(0, a.v[A(ONLINE)]);
	EXPECT_FALSE(a.has[A(PACKAGE_ID)]);
	EXPECT_FALSE(a.has[A(CORE_ID)]);
	EXPECT_FALSE(a.has[A(SIBLINGS)]);
	EXPECT_FALSE(a.has[A(CURR_TID)]);
	EXPECT_EQ(0, a.v[A(NR_RUNNING)]);
	EXPECT_GT(total_ns(&a), 0);

	usleep(300000);
	b = get_cpu(_metadata, &self->nl, HOTPLUG_CPU);
	for (type = A(USER); type <= A(GUEST_NICE); type++)
		EXPECT_EQ(a.v[type], b.v[type]) TH_LOG("attribute %d", type);

	/* The dump still lists it, offline. */
	ASSERT_EQ(0, tsnl_dump_cpus(&self->nl, &r));
	EXPECT_EQ(0, r.error);
	for (i = 0; i < r.n_recs; i++)
		if (r.recs[i].v[A(CPU)] == HOTPLUG_CPU)
			break;
	ASSERT_LT(i, r.n_recs);
	EXPECT_EQ(0, r.recs[i].v[A(ONLINE)]);
	tsnl_reply_free(&r);

	ASSERT_EQ(0, cpu_set_online(HOTPLUG_CPU, true));
	c = get_cpu(_metadata, &self->nl, HOTPLUG_CPU);
	EXPECT_EQ(1, c.v[A(ONLINE)]);
	expect_topology(_metadata, &c);
	usleep(100000);
	d = get_cpu(_metadata, &self->nl, HOTPLUG_CPU);
	EXPECT_GT(total_ns(&d), total_ns(&c));
}

TEST_F(hotplug, dumps_keep_working_while_a_cpu_comes_and_goes)
{
	unsigned int cpu_dumps = 0, thread_dumps = 0, possible;
	uint64_t set[CPUSET_WORDS];
	struct tsnl_reply r;
	int status;
	pid_t child;
	long online;

	ASSERT_EQ(0, cpulist_read(SYS_CPU "/possible", set));
	possible = cpuset_count(set);
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		int i, err = 0;

		for (i = 0; i < 10 && !err; i++) {
			err = cpu_set_online(HOTPLUG_CPU, false);
			usleep(20000);
			err = err ?: cpu_set_online(HOTPLUG_CPU, true);
			usleep(20000);
		}
		_exit(err ? 1 : 0);
	}
	while (!waitpid(child, &status, WNOHANG)) {
		struct tsnl_rec c = get_cpu(_metadata, &self->nl, HOTPLUG_CPU);

		EXPECT_TRUE(c.has[A(IDLE)]);
		ASSERT_EQ(0, tsnl_dump_cpus(&self->nl, &r));
		EXPECT_EQ(0, r.error) TH_LOG("kernel said: %s", r.extack);
		EXPECT_EQ(possible, r.n_recs);
		tsnl_reply_free(&r);
		cpu_dumps++;
		ASSERT_EQ(0, tsnl_dump_threads(&self->nl, 0, &r));
		EXPECT_EQ(0, r.error) TH_LOG("kernel said: %s", r.extack);
		EXPECT_GT(r.n, 10U);
		tsnl_reply_free(&r);
		thread_dumps++;
	}
	TH_LOG("%u CPU dumps and %u thread dumps during 10 hotplug cycles",
	       cpu_dumps, thread_dumps);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_GT(cpu_dumps, 0U);
	ASSERT_TRUE(cpu_sysfs_long(HOTPLUG_CPU, "online", &online));
	EXPECT_EQ(1, online);
}

TEST_HARNESS_MAIN
