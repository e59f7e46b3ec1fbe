// SPDX-License-Identifier: GPL-2.0
/*
 * SYSTEM_GET against sysfs and /proc: CPU counts, thread and process
 * counts, load averages, uptime and boot time, a blocked thread, and
 * requests it must refuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "cpu_sysfs.h"
#include "threadstat_nl.h"

#define A(x)	THREADSTAT_A_SYSTEM_##x

static struct tsnl_rec get_system(struct __test_metadata *_metadata,
				  struct tsnl *nl)
{
	struct tsnl_rec rec = {};
	struct tsnl_reply r;

	EXPECT_EQ(0, tsnl_get_system(nl, &r));
	EXPECT_EQ(0, r.error) TH_LOG("kernel said: %s", r.extack);
	EXPECT_EQ(1U, r.n_recs);
	if (r.n_recs == 1)
		rec = r.recs[0];
	tsnl_reply_free(&r);
	return rec;
}

static int read_doubles(const char *path, double *v, int n)
{
	FILE *f = fopen(path, "r");
	int i, got = 0;

	if (!f)
		return -1;
	for (i = 0; i < n; i++)
		got += fscanf(f, "%lf", &v[i]) == 1;
	fclose(f);
	return got == n ? 0 : -1;
}

/* The "btime" line of /proc/stat: boot time in seconds since the epoch. */
static long long proc_btime(void)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

TEST(cpu_counts_match_sysfs)
{
	uint64_t possible[CPUSET_WORDS], online[CPUSET_WORDS];
	struct tsnl_rec s;
	struct tsnl nl;

	ASSERT_EQ(0, tsnl_open(&nl));
	s = get_system(_metadata, &nl);
	ASSERT_EQ(0, cpulist_read(SYS_CPU "/possible", possible));
	ASSERT_EQ(0, cpulist_read(SYS_CPU "/online", online));
	EXPECT_EQ(cpuset_count(possible), s.v[A(CPUS_POSSIBLE)]);
	EXPECT_EQ(cpuset_count(online), s.v[A(CPUS_ONLINE)]);
	tsnl_close(&nl);
}

TEST(thread_and_process_counts_match_proc)
{
	unsigned int p0, t0, p1, t1;
	struct tsnl_rec s;
	struct tsnl nl;

	ASSERT_EQ(0, tsnl_open(&nl));
	proc_count(&p0, &t0);
	s = get_system(_metadata, &nl);
	proc_count(&p1, &t1);
	TH_LOG("kernel: %lld processes, %lld threads (%lld R, %lld D); "
	       "/proc: %u..%u processes, %u..%u threads",
	       (long long)s.v[A(NR_PROCESSES)], (long long)s.v[A(NR_THREADS)],
	       (long long)s.v[A(NR_RUNNING)], (long long)s.v[A(NR_BLOCKED)],
	       p0, p1, t0, t1);
	EXPECT_GE(s.v[A(NR_THREADS)] + 3, t0 < t1 ? t0 : t1);
	EXPECT_LE(s.v[A(NR_THREADS)], (t0 > t1 ? t0 : t1) + 3);
	EXPECT_GE(s.v[A(NR_PROCESSES)] + 3, p0 < p1 ? p0 : p1);
	EXPECT_LE(s.v[A(NR_PROCESSES)], (p0 > p1 ? p0 : p1) + 3);
	EXPECT_LE(s.v[A(NR_PROCESSES)], s.v[A(NR_THREADS)]);
	/* The requester is running while the kernel counts. */
	EXPECT_GE(s.v[A(NR_RUNNING)], 1);
	tsnl_close(&nl);
}

/* Within /proc/loadavg's rounding to hundredths. */
static bool near(double a, double b)
{
	return a - b <= 0.01 + 1e-9 && b - a <= 0.01 + 1e-9;
}

/* Loads x 1000, /proc/loadavg read before and after: one of them agrees. */
TEST(load_matches_proc_loadavg)
{
	double before[3], after[3];
	struct tsnl_rec s;
	struct tsnl nl;
	int i;

	ASSERT_EQ(0, tsnl_open(&nl));
	ASSERT_EQ(0, read_doubles("/proc/loadavg", before, 3));
	s = get_system(_metadata, &nl);
	ASSERT_EQ(0, read_doubles("/proc/loadavg", after, 3));
	for (i = 0; i < 3; i++) {
		double load = s.v[A(LOAD_1) + i] / 1000.0;

		TH_LOG("load %d: %.3f, /proc %.2f..%.2f", i, load, before[i],
		       after[i]);
		EXPECT_TRUE(near(load, before[i]) || near(load, after[i]));
	}
	tsnl_close(&nl);
}

TEST(uptime_and_boot_time_match_proc)
{
	double before, after, uptime;
	long long btime, boot_s;
	struct tsnl_rec s;
	struct tsnl nl;

	ASSERT_EQ(0, tsnl_open(&nl));
	ASSERT_EQ(0, read_doubles("/proc/uptime", &before, 1));
	s = get_system(_metadata, &nl);
	ASSERT_EQ(0, read_doubles("/proc/uptime", &after, 1));
	uptime = s.v[A(UPTIME)] / 1e9;
	TH_LOG("uptime %.3f s, /proc %.2f..%.2f", uptime, before, after);
	/* /proc/uptime truncates to hundredths. */
	EXPECT_GE(uptime, before);
	EXPECT_LE(uptime, after + 0.01);

	btime = proc_btime();
	ASSERT_LT(0, btime);
	boot_s = s.v[A(BOOT_TIME)] / 1000000000LL;
	TH_LOG("boot time %lld s, /proc/stat btime %lld", boot_s, btime);
	EXPECT_LE(llabs(boot_s - btime), 1);
	/* Boot time plus uptime is now. */
	EXPECT_LE(llabs(boot_s + (long long)uptime - (long long)time(NULL)), 2);
	tsnl_close(&nl);
}

/* vfork() leaves the parent in D until the child exits: one blocked. */
static void *vforker(void *arg)
{
	pid_t child;

	*(volatile pid_t *)arg = gettid();
	child = vfork();
	if (!child) {
		usleep(500000);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	return NULL;
}

TEST(blocked_thread_is_counted)
{
	volatile pid_t tid = 0;
	struct tsnl_rec s;
	struct tsnl nl;
	pthread_t th;
	int i;

	ASSERT_EQ(0, tsnl_open(&nl));
	ASSERT_EQ(0, pthread_create(&th, NULL, vforker, (void *)&tid));
	for (i = 0; i < 100 && (!tid || proc_thread_state(tid) != 'D'); i++)
		usleep(1000);
	ASSERT_EQ('D', proc_thread_state(tid));
	s = get_system(_metadata, &nl);
	EXPECT_GE(s.v[A(NR_BLOCKED)], 1);
	pthread_join(th, NULL);
	tsnl_close(&nl);
}

TEST(bad_system_requests_are_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct tsnl_reply r;
	struct tsnl nl;

	ASSERT_EQ(0, tsnl_open(&nl));
	/* It takes no attributes at all. */
	nlh = tsnl_msg(&nl, buf, THREADSTAT_CMD_SYSTEM_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, A(CPUS_POSSIBLE), 1);
	ASSERT_EQ(0, tsnl_send(&nl, nlh, &r));
	EXPECT_EQ(-EINVAL, r.error);
	EXPECT_NE('\0', r.extack[0]);
	EXPECT_EQ(0U, r.n_recs);
	TH_LOG("kernel said: %s", r.extack);
	tsnl_reply_free(&r);

	/* There is one machine: no dump. */
	nlh = tsnl_msg(&nl, buf, THREADSTAT_CMD_SYSTEM_GET, NLM_F_DUMP);
	ASSERT_EQ(0, tsnl_send(&nl, nlh, &r));
	EXPECT_EQ(-EOPNOTSUPP, r.error);
	EXPECT_EQ(0U, r.n_recs);
	tsnl_reply_free(&r);
	tsnl_close(&nl);
}

TEST_HARNESS_MAIN
