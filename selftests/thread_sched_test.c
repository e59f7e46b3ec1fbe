// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler statistics of THREAD_GET, each checked against what /proc
 * says of the same thread: exactly where the value cannot move (the thread
 * is blocked), within a stated bracket where it does (a spinner).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "text_file.h"
#include "threadstat_nl.h"

#define A(x) THREADSTAT_A_THREAD_##x

enum { PINNED, SLEEPER, MIGRATOR, SPINNER, NR_SUBJECTS };

static pthread_barrier_t ready, release;
static volatile int spinning;
static uint32_t tids[NR_SUBJECTS];

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *subject(void *arg)
{
	int who = (int)(uintptr_t)arg, i;
	struct rusage ru;
	long start;

	tids[who] = gettid();
	switch (who) {
	case PINNED:
		pin(1);
		break;
	case SLEEPER:
		/* A sleep whose timer fires before the thread got off the CPU
		 * is no context switch: sleep until 1000 of them were.
		 */
		getrusage(RUSAGE_THREAD, &ru);
		start = ru.ru_nvcsw;
		do {
			poll(NULL, 0, 1);
			getrusage(RUSAGE_THREAD, &ru);
		} while (ru.ru_nvcsw < start + 1000);
		break;
	case MIGRATOR:
		/* The first move may find it on CPU 0 already. */
		for (i = 0; i < 51; i++)
			pin(i % 2);
		break;
	case SPINNER:
		pthread_barrier_wait(&ready);
		while (spinning)
			;
		return NULL;
	}
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&release);
	return NULL;
}

/* A file under /proc/self/task/TID/ into @buf. */
static int task_file(uint32_t tid, const char *name, char *buf, size_t len)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/self/task/%u/%s", tid, name);
	return text_file_read(path, buf, len) < 0 ? -1 : 0;
}

/* The number after "key" and spaces/colons in a /proc text file. */
static long long proc_value(uint32_t tid, const char *file, const char *key)
{
	char buf[8192], *p;

	if (task_file(tid, file, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, key);
	if (!p)
		return -1;
	p += strlen(key);
	while (*p == ' ' || *p == ':' || *p == '\t')
		p++;
	return atoll(p);
}

/* Field @n (1-based, as proc(5) numbers them) of /proc/.../stat. */
static long long stat_field(uint32_t tid, int n)
{
	char buf[1024], *p;
	int i;

	if (task_file(tid, "stat", buf, sizeof(buf)))
		return -1;
	p = strrchr(buf, ')') + 2;	/* field 3 */
	for (i = 3; i < n; i++)
		p = strchr(p, ' ') + 1;
	return atoll(p);
}

static void schedstat(uint32_t tid, long long v[3])
{
	char buf[128];

	v[0] = v[1] = v[2] = -1;
	if (!task_file(tid, "schedstat", buf, sizeof(buf)))
		sscanf(buf, "%lld %lld %lld", &v[0], &v[1], &v[2]);
}

static void write_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, value, strlen(value)) < 0)
			perror(path);
		close(fd);
	}
}

FIXTURE(subjects) {
	struct tsnl nl;
	pthread_t th[NR_SUBJECTS];
	long hz;
};

FIXTURE_SETUP(subjects)
{
	int i;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, tsnl_open(&self->nl));
	self->hz = sysconf(_SC_CLK_TCK);
	spinning = 1;
	pthread_barrier_init(&ready, NULL, NR_SUBJECTS + 1);
	pthread_barrier_init(&release, NULL, NR_SUBJECTS);
	for (i = 0; i < NR_SUBJECTS; i++)
		ASSERT_EQ(0, pthread_create(&self->th[i], NULL, subject,
					    (void *)(uintptr_t)i));
	pthread_barrier_wait(&ready);
	usleep(100000);	/* let the blocked ones settle in their wait */
}

FIXTURE_TEARDOWN(subjects)
{
	int i;

	if (!self->nl.nl)
		return;
	spinning = 0;
	pthread_barrier_wait(&release);
	for (i = 0; i < NR_SUBJECTS; i++)
		pthread_join(self->th[i], NULL);
	tsnl_close(&self->nl);
}

static struct tsnl_thread get(struct __test_metadata *_metadata,
			      struct tsnl *nl, uint32_t tid, uint32_t fields)
{
	struct tsnl_thread t = {};
	struct tsnl_reply r;

	EXPECT_EQ(0, tsnl_get_fields(nl, tid, fields, &r));
	EXPECT_EQ(0, r.error);
	EXPECT_EQ(1U, r.n);
	if (r.n == 1)
		t = r.threads[0];
	tsnl_reply_free(&r);
	return t;
}

/* Blocked threads: every counter equals /proc's, to the unit. */
TEST_F(subjects, blocked_threads_exact)
{
	int who;

	for (who = PINNED; who <= MIGRATOR; who++) {
		uint32_t tid = tids[who];
		struct tsnl_thread t = get(_metadata, &self->nl, tid, 0);
		long long ss[3];

		schedstat(tid, ss);
		EXPECT_EQ('S', t.state);
		EXPECT_EQ(ss[0], t.v[A(SUM_EXEC_RUNTIME)]);
		EXPECT_EQ(ss[1], t.v[A(RUN_DELAY)]);
		EXPECT_EQ(ss[2], t.v[A(PCOUNT)]);
		EXPECT_EQ(proc_value(tid, "status", "voluntary_ctxt_switches"),
			  t.v[A(NVCSW)]);
		EXPECT_EQ(proc_value(tid, "status", "nonvoluntary_ctxt_switches"),
			  t.v[A(NIVCSW)]);
		EXPECT_EQ(proc_value(tid, "sched", "se.nr_migrations"),
			  t.v[A(NR_MIGRATIONS)]);
		EXPECT_EQ(stat_field(tid, 10), t.v[A(MIN_FLT)]);
		EXPECT_EQ(stat_field(tid, 12), t.v[A(MAJ_FLT)]);
		EXPECT_EQ(stat_field(tid, 14),
			  t.v[A(UTIME)] / (1000000000 / self->hz));
		EXPECT_EQ(stat_field(tid, 15),
			  t.v[A(STIME)] / (1000000000 / self->hz));
		EXPECT_EQ(stat_field(tid, 22),
			  t.v[A(START_TIME)] / (1000000000 / self->hz));
		EXPECT_EQ(stat_field(tid, 39), t.v[A(CPU)]);
		EXPECT_EQ((int64_t)getppid(), t.v[A(PPID)]);
		EXPECT_EQ((int64_t)getuid(), t.v[A(UID)]);
		EXPECT_FALSE(t.has[A(KTHREAD)]);
		EXPECT_FALSE(t.has[A(ON_CPU)]);
	}
}

TEST_F(subjects, pinned_affinity)
{
	struct tsnl_thread t = get(_metadata, &self->nl, tids[PINNED], 0);

	EXPECT_EQ(1, t.v[A(NR_CPUS_ALLOWED)]);
	EXPECT_EQ(2ULL, t.cpus[0]);	/* CPU 1 only */
	EXPECT_EQ(1, t.v[A(CPU)]);
}

TEST_F(subjects, sleeper_switches)
{
	struct tsnl_thread t = get(_metadata, &self->nl, tids[SLEEPER], 0);

	EXPECT_GE(t.v[A(NVCSW)], 1000);
}

TEST_F(subjects, migrator_migrations)
{
	struct tsnl_thread t = get(_metadata, &self->nl, tids[MIGRATOR], 0);

	EXPECT_GE(t.v[A(NR_MIGRATIONS)], 50);
}

/*
 * The spinner's runtime moves: ours lies between /proc's reading before and
 * after it, less at most 10 ms, because /proc adds the slice the thread is
 * running right now and we report the last update (HZ=250: 4 ms ticks).
 */
TEST_F(subjects, spinner_runtime_bracketed)
{
	long long before[3], after[3];
	struct tsnl_thread t;
	int round;

	usleep(200000);
	for (round = 0; round < 5; round++) {
		long long ticks_before, ticks_after, ticks;

		ticks_before = stat_field(tids[SPINNER], 14) +
			       stat_field(tids[SPINNER], 15);
		schedstat(tids[SPINNER], before);
		t = get(_metadata, &self->nl, tids[SPINNER], 0);
		schedstat(tids[SPINNER], after);
		ticks_after = stat_field(tids[SPINNER], 14) +
			      stat_field(tids[SPINNER], 15);
		EXPECT_EQ('R', t.state);
		EXPECT_GE(t.v[A(SUM_EXEC_RUNTIME)], before[0] - 10000000);
		EXPECT_LE(t.v[A(SUM_EXEC_RUNTIME)], after[0]);
		EXPECT_GT(t.v[A(SUM_EXEC_RUNTIME)], 0);
		/* utime + stime in ticks, between /proc's before and after,
		 * give or take the tick each side rounds away.
		 */
		ticks = (t.v[A(UTIME)] + t.v[A(STIME)]) /
			(1000000000 / self->hz);
		EXPECT_GE(ticks, ticks_before - 1);
		EXPECT_LE(ticks, ticks_after + 1);
		usleep(50000);
	}
}

TEST_F(subjects, schedstats_follow_the_sysctl)
{
	const char *knob = "/proc/sys/kernel/sched_schedstats";
	struct tsnl_thread t;
	char was[8] = "0";
	int fd = open(knob, O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, was, sizeof(was) - 1));
	close(fd);

	write_sysctl(knob, "0");
	t = get(_metadata, &self->nl, tids[SLEEPER],
		THREADSTAT_FIELDS_SCHED | THREADSTAT_FIELDS_SCHEDSTATS);
	EXPECT_TRUE(t.has[A(SCHEDSTATS_ENABLED)]);
	EXPECT_EQ(0, t.v[A(SCHEDSTATS_ENABLED)]);
	EXPECT_FALSE(t.has[A(WAIT_SUM)]);
	EXPECT_FALSE(t.has[A(NR_WAKEUPS)]);
	EXPECT_TRUE(t.has[A(NVCSW)]);

	write_sysctl(knob, "1");
	t = get(_metadata, &self->nl, tids[SLEEPER],
		THREADSTAT_FIELDS_SCHEDSTATS);
	EXPECT_EQ(1, t.v[A(SCHEDSTATS_ENABLED)]);
	EXPECT_TRUE(t.has[A(WAIT_SUM)]);
	EXPECT_EQ(proc_value(tids[SLEEPER], "sched", "nr_wakeups"),
		  t.v[A(NR_WAKEUPS)]);
	EXPECT_EQ(proc_value(tids[SLEEPER], "sched", "wait_count"),
		  t.v[A(WAIT_COUNT)]);
	EXPECT_FALSE(t.has[A(NVCSW)]);	/* sched group not asked for */
	write_sysctl(knob, was);
}

static pthread_barrier_t late_ready, late_release;

static void *late_sleeper(void *arg)
{
	*(uint32_t *)arg = gettid();
	poll(NULL, 0, 10);
	pthread_barrier_wait(&late_ready);
	pthread_barrier_wait(&late_release);
	return NULL;
}

/*
 * The kernel keeps delay records only for threads created while delay
 * accounting is on (delayacct_tsk_init()): such a thread has the group,
 * one created before has "enabled" but no counters.
 */
TEST_F(subjects, delayacct_follows_the_sysctl)
{
	const char *knob = "/proc/sys/kernel/task_delayacct";
	struct tsnl_thread t;
	uint32_t late_tid;
	pthread_t late;

	write_sysctl(knob, "0");
	t = get(_metadata, &self->nl, tids[SLEEPER],
		THREADSTAT_FIELDS_DELAYACCT);
	EXPECT_TRUE(t.has[A(DELAYACCT_ENABLED)]);
	EXPECT_EQ(0, t.v[A(DELAYACCT_ENABLED)]);
	EXPECT_FALSE(t.has[A(DELAY_BLKIO)]);

	write_sysctl(knob, "1");
	pthread_barrier_init(&late_ready, NULL, 2);
	pthread_barrier_init(&late_release, NULL, 2);
	ASSERT_EQ(0, pthread_create(&late, NULL, late_sleeper, &late_tid));
	pthread_barrier_wait(&late_ready);

	t = get(_metadata, &self->nl, late_tid, THREADSTAT_FIELDS_DELAYACCT);
	EXPECT_EQ(1, t.v[A(DELAYACCT_ENABLED)]);
	EXPECT_TRUE(t.has[A(DELAY_BLKIO)]);
	EXPECT_TRUE(t.has[A(DELAY_COMPACT_COUNT)]);
	/* /proc/.../stat field 42: block I/O delay in ticks */
	EXPECT_EQ(stat_field(late_tid, 42),
		  t.v[A(DELAY_BLKIO)] / (1000000000 / self->hz));

	t = get(_metadata, &self->nl, tids[SLEEPER],
		THREADSTAT_FIELDS_DELAYACCT);
	EXPECT_EQ(1, t.v[A(DELAYACCT_ENABLED)]);

	pthread_barrier_wait(&late_release);
	pthread_join(late, NULL);
	write_sysctl(knob, "0");
}

TEST_HARNESS_MAIN
