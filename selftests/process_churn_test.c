// SPDX-License-Identifier: GPL-2.0
/*
 * The process nest under thread churn: a pool starts short-lived workers,
 * each burning a known amount of CPU, faulting in memory and sleeping,
 * then exiting. What the exited workers used must show up in the nest's
 * exited-* totals, and live threads plus exited ones must add up to what
 * /proc/PID/stat and getrusage() say for the whole process. Memory must
 * match /proc/PID/statm. While workers keep exiting, the nest's one-instant
 * totals (sum-exec-runtime, nvcsw, nivcsw) must lie between /proc's and
 * getrusage()'s reads taken just before and just after.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "dump_reader.h"
#include "text_file.h"

#define WORKERS		12
#define BURN_NS		(80 * 1000000ULL)	/* CPU each worker burns */
#define TOUCH_BYTES	(1 << 20)		/* memory each one faults in */

#define P(x)	THREADSTAT_A_PROCESS_##x
#define T(x)	THREADSTAT_A_THREAD_##x

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Burns BURN_NS of CPU; returns what this thread used in all. */
static void *worker(void *arg)
{
	uint64_t *used = arg;
	char *mem = malloc(TOUCH_BYTES);
	int i;

	for (i = 0; mem && i < TOUCH_BYTES; i += 4096)
		mem[i] = (char)i;
	free(mem);
	for (i = 0; i < 3; i++)
		usleep(1000);	/* voluntary context switches */
	while (thread_cpu_ns() < BURN_NS)
		;
	*used = thread_cpu_ns();
	return NULL;
}

/* /proc/self/stat fields: 10 minflt, 12 majflt, 14 utime, 15 stime. */
static int proc_stat(unsigned long long *minflt, unsigned long long *ticks)
{
	char buf[1024], *p;
	unsigned long long v[16] = { 0 };
	int f;

	if (text_file_read("/proc/self/stat", buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	p += 2;		/* field 3, the state */
	for (f = 3; f <= 15 && p; f++) {
		if (f > 3)
			v[f] = strtoull(p, NULL, 10);
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	*minflt = v[10];
	*ticks = v[14] + v[15];
	return 0;
}

/* Sum of a u64 attribute over the live threads of one dump. */
static uint64_t live_sum(const struct dr_dump *d, int type)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < d->n; i++)
		sum += d->threads[i].v[type];
	return sum;
}

TEST(exited_workers_are_accounted)
{
	unsigned long long minflt, ticks, minflt2, ticks2;
	unsigned long long hz = sysconf(_SC_CLK_TCK), tick_ns = 1000000000 / hz;
	uint64_t used[WORKERS], burned = 0, grew, sum, total_ns;
	struct tsnl_thread before, after;
	const struct tsnl_thread *leader;
	pthread_t th[WORKERS];
	struct rusage ru, ru2;
	struct dr_dump d;
	struct tsnl nl;
	int i;

	ASSERT_EQ(0, tsnl_open(&nl));
	ASSERT_EQ(0, dr_get(&nl, gettid(), &before));
	ASSERT_TRUE(before.has_process);
	ASSERT_TRUE(before.proc_has[P(EXITED_SUM_EXEC_RUNTIME)]);

	/* The pool: two workers at a time, each replaced when it exits. */
	for (i = 0; i < WORKERS; i += 2) {
		ASSERT_EQ(0, pthread_create(&th[i], NULL, worker, &used[i]));
		ASSERT_EQ(0, pthread_create(&th[i + 1], NULL, worker,
					    &used[i + 1]));
		pthread_join(th[i], NULL);
		pthread_join(th[i + 1], NULL);
		burned += used[i] + used[i + 1];
	}

	/*
	 * pthread_join() returns once a worker is done with its stack; the
	 * kernel folds its counters into the process a moment later, when
	 * it releases the thread (and nr-threads drops).
	 */
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, dr_get(&nl, gettid(), &after));
		if (after.proc[P(NR_THREADS)] == 1)
			break;
		usleep(1000);
	}
	grew = after.proc[P(EXITED_SUM_EXEC_RUNTIME)] -
	       before.proc[P(EXITED_SUM_EXEC_RUNTIME)];
	printf("# %d workers burned %.1f ms; exited-sum-exec-runtime grew %.1f ms\n",
	       WORKERS, burned / 1e6, grew / 1e6);
	EXPECT_LE(burned * 9 / 10, grew);
	EXPECT_GE(burned * 11 / 10, grew);
	EXPECT_EQ(1, after.proc[P(NR_THREADS)]);
	/* The split of exited time adds up to the exited runtime. */
	EXPECT_EQ(after.proc[P(EXITED_SUM_EXEC_RUNTIME)],
		  after.proc[P(EXITED_UTIME)] + after.proc[P(EXITED_STIME)]);

	/*
	 * Whole-process numbers: /proc and getrusage() add the same
	 * signal_struct totals to the live threads (only this one now).
	 * Faults between the reads are few: allow a handful.
	 */
	/*
	 * /proc/PID/stat and getrusage() add the same signal_struct totals
	 * to the live threads (only this one now). Read them just before
	 * and just after the dump: the dump's sums must lie between, give or
	 * take the truncation to clock ticks.
	 */
	ASSERT_EQ(0, proc_stat(&minflt, &ticks));
	ASSERT_EQ(0, getrusage(RUSAGE_SELF, &ru));
	ASSERT_EQ(0, dr_dump(&nl, getpid(), &d));
	ASSERT_EQ(0, proc_stat(&minflt2, &ticks2));
	ASSERT_EQ(0, getrusage(RUSAGE_SELF, &ru2));
	ASSERT_EQ(1, d.n);
	leader = &d.threads[0];
	ASSERT_TRUE(leader->has_process);

	sum = live_sum(&d, T(MIN_FLT)) + leader->proc[P(EXITED_MIN_FLT)];
	printf("# minflt: /proc %llu..%llu, live %llu + exited %llu\n",
	       minflt, minflt2, (unsigned long long)live_sum(&d, T(MIN_FLT)),
	       (unsigned long long)leader->proc[P(EXITED_MIN_FLT)]);
	EXPECT_LE(WORKERS * 16ULL, leader->proc[P(EXITED_MIN_FLT)]);
	EXPECT_LE(minflt, sum);
	EXPECT_GE(minflt2, sum);

	sum = live_sum(&d, T(NVCSW)) + leader->proc[P(EXITED_NVCSW)];
	printf("# nvcsw: getrusage %ld..%ld, live %llu + exited %llu\n",
	       ru.ru_nvcsw, ru2.ru_nvcsw,
	       (unsigned long long)live_sum(&d, T(NVCSW)),
	       (unsigned long long)leader->proc[P(EXITED_NVCSW)]);
	EXPECT_LE(WORKERS * 2ULL, leader->proc[P(EXITED_NVCSW)]);
	EXPECT_LE((uint64_t)ru.ru_nvcsw, sum);
	EXPECT_GE((uint64_t)ru2.ru_nvcsw, sum);
	sum = live_sum(&d, T(NIVCSW)) + leader->proc[P(EXITED_NIVCSW)];
	EXPECT_LE((uint64_t)ru.ru_nivcsw, sum);
	EXPECT_GE((uint64_t)ru2.ru_nivcsw, sum);

	/* utime + stime, in ns against clock ticks (truncated twice). */
	total_ns = live_sum(&d, T(UTIME)) + live_sum(&d, T(STIME)) +
		   leader->proc[P(EXITED_UTIME)] + leader->proc[P(EXITED_STIME)];
	printf("# utime+stime: /proc %llu..%llu ticks, threadstat %.1f ticks (live %.1f + %.1f, exited %.1f + %.1f)\n",
	       ticks, ticks2, total_ns * (double)hz / 1e9,
	       live_sum(&d, T(UTIME)) * (double)hz / 1e9,
	       live_sum(&d, T(STIME)) * (double)hz / 1e9,
	       leader->proc[P(EXITED_UTIME)] * (double)hz / 1e9,
	       leader->proc[P(EXITED_STIME)] * (double)hz / 1e9);
	EXPECT_LE(ticks * tick_ns, total_ns + 2 * tick_ns);
	EXPECT_GE((ticks2 + 2) * tick_ns, total_ns);
	dr_free(&d);
	tsnl_close(&nl);
}

/* The nest: once per process in a dump, on the leader; memory as statm. */
static void *park(void *arg)
{
	pthread_barrier_t *b = arg;

	pthread_barrier_wait(b);	/* started */
	pthread_barrier_wait(b);	/* released */
	return NULL;
}

static int statm(unsigned long long v[3])
{
	char buf[256];

	if (text_file_read("/proc/self/statm", buf, sizeof(buf)) <= 0)
		return -1;
	return sscanf(buf, "%llu %llu %llu", &v[0], &v[1], &v[2]) == 3 ?
	       0 : -1;
}

TEST(nest_once_per_process_memory_as_statm)
{
	unsigned long long pre[3], post[3];
	long page = sysconf(_SC_PAGESIZE);
	const struct tsnl_thread *leader;
	unsigned int i, nests = 0;
	uint64_t rss, shared;
	pthread_barrier_t b;
	pthread_t th[4];
	struct dr_dump d;
	struct tsnl nl;

	ASSERT_EQ(0, tsnl_open(&nl));
	pthread_barrier_init(&b, NULL, 5);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, park, &b));
	pthread_barrier_wait(&b);

	/*
	 * statm before and after the dump, each path run once before so
	 * its code and buffers are already faulted in: the nest must lie
	 * between the two.
	 */
	ASSERT_EQ(0, dr_dump(&nl, getpid(), &d));
	dr_free(&d);
	ASSERT_EQ(0, statm(pre));
	ASSERT_EQ(0, statm(pre));
	ASSERT_EQ(0, dr_dump(&nl, getpid(), &d));
	ASSERT_EQ(0, statm(post));
	EXPECT_EQ(5, d.n);
	for (i = 0; i < d.n; i++) {
		nests += d.threads[i].has_process;
		EXPECT_EQ(d.threads[i].has_process,
			  d.threads[i].tid == d.threads[i].tgid);
	}
	EXPECT_EQ(1, nests);
	leader = dr_find(&d, getpid());
	ASSERT_NE(NULL, leader);
	EXPECT_EQ(5, leader->proc[P(NR_THREADS)]);
	rss = (leader->proc[P(RSS_ANON)] + leader->proc[P(RSS_FILE)] +
	       leader->proc[P(RSS_SHMEM)]) / page;
	shared = (leader->proc[P(RSS_FILE)] + leader->proc[P(RSS_SHMEM)]) /
		 page;
	printf("# statm before: size %llu resident %llu shared %llu, after: %llu %llu %llu; nest: vm %llu rss %llu file+shmem %llu pages\n",
	       pre[0], pre[1], pre[2], post[0], post[1], post[2],
	       (unsigned long long)leader->proc[P(VM_SIZE)] / page,
	       (unsigned long long)rss, (unsigned long long)shared);
	EXPECT_LE(pre[0] * page, leader->proc[P(VM_SIZE)]);
	EXPECT_GE(post[0] * page, leader->proc[P(VM_SIZE)]);
	EXPECT_LE(pre[1], rss);
	EXPECT_GE(post[1], rss);
	EXPECT_LE(pre[2], shared);
	EXPECT_GE(post[2], shared);
	EXPECT_TRUE(leader->proc_has[P(SWAP)]);

	pthread_barrier_wait(&b);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	dr_free(&d);
	tsnl_close(&nl);
}

/* A kernel thread has no memory attributes; kthreadd is pid 2. */
TEST(kernel_thread_has_no_memory)
{
	struct tsnl_thread kt;
	struct tsnl nl;

	ASSERT_EQ(0, tsnl_open(&nl));
	ASSERT_EQ(0, dr_get(&nl, 2, &kt));
	EXPECT_TRUE(kt.has_process);
	EXPECT_TRUE(kt.proc_has[P(NR_THREADS)]);
	EXPECT_FALSE(kt.proc_has[P(VM_SIZE)]);
	EXPECT_FALSE(kt.proc_has[P(RSS_ANON)]);
	tsnl_close(&nl);
}


/* Churn for the one-instant totals: workers of ~1 ms CPU, one after another. */
static atomic_bool churn_stop;

static void *short_worker(void *arg)
{
	uint64_t until = thread_cpu_ns() + 1000000;

	(void)arg;
	while (thread_cpu_ns() < until)
		;
	return NULL;
}

static void *spawner(void *arg)
{
	unsigned long *spawned = arg;
	pthread_t th;

	while (!atomic_load(&churn_stop)) {
		if (pthread_create(&th, NULL, short_worker, NULL))
			break;
		pthread_join(th, NULL);
		(*spawned)++;
	}
	return NULL;
}

/*
 * A dump reads its threads one after another, so live + exited-* can miss
 * a worker that exits in between; the totals are summed by the kernel in
 * one pass and must never leave /proc's bracket, whatever exits meanwhile.
 * /proc/PID/stat's utime + stime add up to the same runtime, truncated to
 * ticks (twice); getrusage() sums the switches under the sighand lock.
 */
TEST(whole_process_totals_under_churn)
{
	unsigned long long minflt, t0, t1;
	unsigned long long hz = sysconf(_SC_CLK_TCK), tick_ns = 1000000000 / hz;
	unsigned long spawned[2] = { 0 };
	unsigned int i, rounds = 300, bad_cpu = 0, bad_sw = 0;
	struct tsnl_thread th;
	struct rusage r0, r1;
	pthread_t sp[2];
	struct tsnl nl;
	uint64_t rt = 0;

	ASSERT_EQ(0, tsnl_open(&nl));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&sp[i], NULL, spawner, &spawned[i]));
	for (i = 0; i < rounds; i++) {
		ASSERT_EQ(0, proc_stat(&minflt, &t0));
		ASSERT_EQ(0, getrusage(RUSAGE_SELF, &r0));
		ASSERT_EQ(0, dr_get(&nl, getpid(), &th));
		ASSERT_EQ(0, getrusage(RUSAGE_SELF, &r1));
		ASSERT_EQ(0, proc_stat(&minflt, &t1));
		ASSERT_TRUE(th.proc_has[P(SUM_EXEC_RUNTIME)]);
		ASSERT_TRUE(th.proc_has[P(NVCSW)]);
		ASSERT_TRUE(th.proc_has[P(NIVCSW)]);
		rt = th.proc[P(SUM_EXEC_RUNTIME)];
		if (rt < t0 * tick_ns || rt > (t1 + 2) * tick_ns) {
			if (!bad_cpu++)
				printf("# round %u: /proc %llu..%llu ticks, sum-exec-runtime %.2f ticks\n",
				       i, t0, t1, rt / (double)tick_ns);
		}
		if (th.proc[P(NVCSW)] < (uint64_t)r0.ru_nvcsw ||
		    th.proc[P(NVCSW)] > (uint64_t)r1.ru_nvcsw ||
		    th.proc[P(NIVCSW)] < (uint64_t)r0.ru_nivcsw ||
		    th.proc[P(NIVCSW)] > (uint64_t)r1.ru_nivcsw)
			bad_sw++;
	}
	atomic_store(&churn_stop, true);
	for (i = 0; i < 2; i++)
		pthread_join(sp[i], NULL);
	printf("# %u rounds, %lu workers exited meanwhile; out of /proc's bracket: runtime %u, switches %u; last runtime %.3f s\n",
	       rounds, spawned[0] + spawned[1], bad_cpu, bad_sw, rt / 1e9);
	EXPECT_GT(spawned[0] + spawned[1], rounds / 10);
	EXPECT_EQ(0, bad_cpu);
	EXPECT_EQ(0, bad_sw);
	tsnl_close(&nl);
}

TEST_HARNESS_MAIN
