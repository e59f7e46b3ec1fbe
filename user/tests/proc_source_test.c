// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The /proc source: its parsers on real kernel text (hostile names
 * included), and live, this process's own named threads (one burning
 * CPU) read through a /proc client and checked against /proc itself.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "proc_source.h"

static bool has(const struct ts_thread *t, uint16_t type)
{
	return ts_thread_has(t, type);
}

/* A 6.12 guest's /proc/PID/task/TID files, a thread named ") R 9 (x". */
static const char stat_text[] =
	"4242 () R 9 (x) S 4200 4200 4100 34816 4242 4194368 1234 0 7 0 "
	"150 25 0 0 20 0 3 0 98765 2465792 310 18446744073709551615 1 1 0 "
	"0 0 0 0 0 0 0 0 0 -1 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
static const char status_text[] =
	"Name:\t) R 9 (x\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t4200\n"
	"Ngid:\t0\n"
	"Pid:\t4242\n"
	"PPid:\t4100\n"
	"Uid:\t1000\t1001\t1002\t1003\n"
	"Threads:\t3\n"
	"Cpus_allowed_list:\t0-2,5\n"
	"voluntary_ctxt_switches:\t17\n"
	"nonvoluntary_ctxt_switches:\t4\n";
static const char schedstat_text[] = "1500000000 2500 42\n";
static const char sched_text[] =
	"x (4242, #threads: 3)\n"
	"-----------------------------------------------\n"
	"se.exec_start                                :        10.5\n"
	"se.nr_migrations                             :                   11\n"
	"nr_switches                                  :                   21\n";

TEST(thread_from_real_text)
{
	struct ts_proc_files f = { stat_text, status_text, schedstat_text,
				   sched_text };
	struct ts_thread t;

	ASSERT_EQ(0, ts_proc_thread_parse(&f, 0, 100, &t));
	EXPECT_EQ(4242u, t.tid);
	EXPECT_EQ(4200u, t.tgid);
	EXPECT_EQ(4100u, t.ppid);
	EXPECT_EQ(1000u, t.uid);	/* the real uid, as the module */
	EXPECT_STREQ(") R 9 (x", t.comm);	/* up to the last ')' */
	EXPECT_EQ('S', t.state);
	EXPECT_EQ(1u, t.cpu);		/* field 39 */
	EXPECT_EQ(0, t.nice);
	EXPECT_EQ(20, t.prio);
	EXPECT_EQ(120, t.static_prio);
	EXPECT_EQ(1234u, t.min_flt);
	EXPECT_EQ(7u, t.maj_flt);
	EXPECT_EQ(1500000000ull, t.utime);	/* 150 ticks of 10 ms */
	EXPECT_EQ(250000000ull, t.stime);
	EXPECT_EQ(987650000000ull, t.start_time);
	EXPECT_EQ(1500000000ull, t.sum_exec_runtime);
	EXPECT_EQ(2500u, t.run_delay);
	EXPECT_EQ(42u, t.pcount);
	EXPECT_EQ(17u, t.nvcsw);
	EXPECT_EQ(4u, t.nivcsw);
	EXPECT_EQ(11u, t.nr_migrations);
	EXPECT_EQ(4u, t.nr_cpus_allowed);
	EXPECT_TRUE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 5));
	EXPECT_FALSE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 3));
	EXPECT_FALSE(t.kthread);
	/* What /proc does not have is absent, not 0. */
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_ON_CPU));
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_WITHHELD));
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_WAIT_SUM));
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_STACK));
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_REGS));
	/* Not the leader: no process set. */
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_PROCESS));
}

TEST(identity_only_without_sched_and_no_migrations_without_sched_file)
{
	struct ts_proc_files f = { stat_text, status_text, schedstat_text,
				   NULL };
	struct ts_thread t;

	ASSERT_EQ(0, ts_proc_thread_parse(&f, THREADSTAT_FIELDS_STACK, 100,
					  &t));
	EXPECT_TRUE(has(&t, THREADSTAT_A_THREAD_COMM));
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_STATE));
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME));
	ASSERT_EQ(0, ts_proc_thread_parse(&f, 0, 100, &t));
	EXPECT_TRUE(has(&t, THREADSTAT_A_THREAD_NVCSW));
	EXPECT_FALSE(has(&t, THREADSTAT_A_THREAD_NR_MIGRATIONS));
}

TEST(damaged_text_is_refused)
{
	struct ts_proc_files f = { "4242 (x R 9", status_text, NULL, NULL };
	struct ts_thread t;

	EXPECT_EQ(-1, ts_proc_thread_parse(&f, 0, 100, &t));
	f.stat = "4242 (x) R 9 1 2\n";	/* cut short */
	EXPECT_EQ(-1, ts_proc_thread_parse(&f, 0, 100, &t));
	f.stat = stat_text;
	f.status = "Name:\tx\n";		/* no Tgid */
	EXPECT_EQ(-1, ts_proc_thread_parse(&f, 0, 100, &t));
}

TEST(cpu_lists)
{
	uint64_t set[TS_CPUSET_WORDS];

	ASSERT_EQ(0, ts_proc_cpulist_parse("0-3,8,10-11\n", set));
	EXPECT_EQ(7u, ts_cpuset_weight(set));
	ASSERT_EQ(0, ts_proc_cpulist_parse("\n", set));
	EXPECT_EQ(0u, ts_cpuset_weight(set));
	EXPECT_EQ(-1, ts_proc_cpulist_parse("3-1", set));
	EXPECT_EQ(-1, ts_proc_cpulist_parse("1,x", set));
}

TEST(machine_from_real_text)
{
	static const char proc_stat[] =
		"cpu  100 2 30 4000 5 6 7 8 9 10\n"
		"cpu0 50 1 15 2000 2 3 3 4 4 5\n"
		"cpu1 50 1 15 2000 3 3 4 4 5 5\n"
		"intr 1 2 3\nbtime 1764640209\nprocs_running 3\n";
	struct ts_system sys = { 0 };
	struct ts_cpu c = { 0 };

	ASSERT_EQ(0, ts_proc_cpu_times_parse(proc_stat, 1, 100, &c));
	EXPECT_EQ(500000000ull, c.user);
	EXPECT_EQ(20000000000ull, c.idle);
	EXPECT_EQ(50000000ull, c.guest_nice);
	EXPECT_EQ(-1, ts_proc_cpu_times_parse(proc_stat, 2, 100, &c));
	ts_proc_system_parse(proc_stat, "11153.27 20000.00\n",
			     "0.52 1.05 2.50 3/234 5678\n", &sys);
	EXPECT_EQ(1764640209000000000ull, sys.boot_time);
	EXPECT_EQ(11153270000000ull, sys.uptime);
	EXPECT_EQ(520u, sys.load_1);
	EXPECT_EQ(1050u, sys.load_5);
	EXPECT_EQ(2500u, sys.load_15);
	/* running/blocked are the module's (per pid namespace): absent */
	EXPECT_FALSE(ts_present(&ts_system_set, &sys,
				THREADSTAT_A_SYSTEM_NR_RUNNING));
}

/* ---- live: this process's own threads ---- */

/*
 * How many CPUs /sys/devices/system/cpu/possible lists ("0-3,8-11"), read
 * here independently of the library. Not sysconf(_SC_NPROCESSORS_CONF):
 * glibc may count the cpuN directories (present CPUs), fewer than the
 * possible ones on a VM with hot-pluggable vCPUs.
 */
static uint32_t possible_cpus(void)
{
	char *text = ts_proc_slurp("/sys/devices/system/cpu/possible");
	char *p = text;
	uint32_t n = 0;

	while (p && *p && *p != '\n') {
		unsigned long lo = strtoul(p, &p, 10), hi = lo;

		if (*p == '-')
			hi = strtoul(p + 1, &p, 10);
		n += (uint32_t)(hi - lo + 1);
		if (*p == ',')
			p++;
	}
	free(text);
	return n;
}

static atomic_bool stop;

static void *burn(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "ts-burn");
	while (!atomic_load(&stop))
		;
	return NULL;
}

static void *nap(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "ts-nap");
	while (!atomic_load(&stop))
		usleep(1000);
	return NULL;
}

static uint64_t runtime_of(pid_t tid)
{
	char path[64], *text;
	unsigned long long ns = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", tid);
	text = ts_proc_slurp(path);
	if (text)
		sscanf(text, "%llu", &ns);
	free(text);
	return ns;
}

struct seen {
	int n;
	bool burn, nap;
	uint64_t burn_runtime;
	pid_t burn_tid;
	int bad;
};

static int check_one(const struct ts_thread *t, void *arg)
{
	struct seen *s = arg;
	char path[64], *comm;

	s->n++;
	if ((pid_t)t->tgid != getpid())
		s->bad++;
	snprintf(path, sizeof(path), "/proc/self/task/%u/comm", t->tid);
	comm = ts_proc_slurp(path);
	if (!comm || strncmp(comm, t->comm, strlen(t->comm)) ||
	    comm[strlen(t->comm)] != '\n')
		s->bad++;
	free(comm);
	if (!strcmp(t->comm, "ts-burn")) {
		s->burn = true;
		s->burn_tid = (pid_t)t->tid;
		s->burn_runtime = t->sum_exec_runtime;
	}
	s->nap |= !strcmp(t->comm, "ts-nap");
	return 0;
}

FIXTURE(own) {
};

FIXTURE_SETUP(own)
{
}

FIXTURE_TEARDOWN(own)
{
}

/*
 * 300 s, not the harness's 30: under valgrind, which runs one thread at a
 * time, the burner's first 20 ms of CPU can take most of a minute on a
 * loaded host (make check timed it out once).
 */
TEST_F_TIMEOUT(own, threads_match_proc, 300)
{
	struct ts_thread_query q = { .tgid = (uint32_t)getpid() };
	struct ts_error err = { 0 };
	struct seen s = { 0 }, s2;
	struct ts_client *c;
	struct ts_thread one;
	struct ts_system sys;
	struct ts_cpu_list cpus;
	pthread_t a, b;
	uint64_t before, after;
	int tries;

	ASSERT_EQ(0, pthread_create(&a, NULL, burn, NULL));
	ASSERT_EQ(0, pthread_create(&b, NULL, nap, NULL));
	ASSERT_EQ(0, ts_open_proc(&c, &err));
	ASSERT_TRUE(ts_client_proc(c));
	/* Wait (generously) until the burner has had some CPU. */
	for (tries = 0; tries < 600; tries++) {
		memset(&s, 0, sizeof(s));
		ASSERT_EQ(0, ts_thread_dump(c, &q, check_one, &s, NULL, &err));
		if (s.burn && s.burn_runtime > 20000000)
			break;
		usleep(50000);
	}
	EXPECT_EQ(3, s.n);
	EXPECT_EQ(0, s.bad);
	EXPECT_TRUE(s.burn);
	EXPECT_TRUE(s.nap);
	EXPECT_GT(s.burn_runtime, 20000000u);

	/* A tid that is no process's leader: nothing, as from the module. */
	q.tgid = (uint32_t)s.burn_tid;
	memset(&s2, 0, sizeof(s2));
	ASSERT_EQ(0, ts_thread_dump(c, &q, check_one, &s2, NULL, &err));
	EXPECT_EQ(0, s2.n);

	/* One thread: bracketed by /proc's own reads before and after. */
	before = runtime_of(s.burn_tid);
	ASSERT_EQ(0, ts_thread_get(c, (uint32_t)s.burn_tid, 0, &one, &err));
	after = runtime_of(s.burn_tid);
	EXPECT_STREQ("ts-burn", one.comm);
	EXPECT_LE(before, one.sum_exec_runtime);
	EXPECT_GE(after, one.sum_exec_runtime);
	EXPECT_TRUE(has(&one, THREADSTAT_A_THREAD_NR_CPUS_ALLOWED));
	EXPECT_EQ(-1, ts_thread_get(c, 0x7ffffff0, 0, &one, &err));
	EXPECT_EQ(ENOENT, err.code);

	ASSERT_EQ(0, ts_system_get(c, &sys, &err));
	EXPECT_EQ(possible_cpus(), sys.cpus_possible);
	EXPECT_GT(sys.cpus_possible, 0u);
	EXPECT_GE(sys.nr_threads, 3u);
	ASSERT_EQ(0, ts_cpu_list_dump(c, &cpus, &err));
	EXPECT_EQ(sys.cpus_possible, cpus.n);
	EXPECT_GT(ts_cpu_total_ns(&cpus.v[0]), 0u);
	EXPECT_FALSE(ts_present(&ts_cpu_set, &cpus.v[0],
				THREADSTAT_A_CPU_NR_RUNNING));
	ts_cpu_list_free(&cpus);

	atomic_store(&stop, true);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	ts_close(c);
}

TEST(sources_by_name)
{
	enum ts_source s;

	ASSERT_EQ(0, ts_source_parse("proc", &s));
	EXPECT_EQ(TS_SOURCE_PROC, s);
	ASSERT_EQ(0, ts_source_parse("auto", &s));
	EXPECT_EQ(TS_SOURCE_AUTO, s);
	EXPECT_EQ(-1, ts_source_parse("kernel", &s));
	EXPECT_EQ(-1, ts_source_parse(NULL, &s));
}

TEST_HARNESS_MAIN
