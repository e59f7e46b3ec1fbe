// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Actions on real threads of this test process: each action through
 * ts_act(), then the kernel's own view of the thread read back
 * (sched_getaffinity, /proc/self/task/TID/stat, sched_getscheduler, the
 * signal handler's record of who ran it). The harness forks per test, so
 * what one test changes does not leak into the next.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "actions.h"

/* A thread that waits until told to stop, its tid published. */
struct idle {
	pthread_t th;
	volatile pid_t tid;
	volatile int stop;
};

static volatile pid_t handled_by;	/* the tid that ran the handler */

static void on_usr1(int sig)
{
	(void)sig;
	handled_by = gettid();
}

static void *idle_main(void *arg)
{
	struct idle *w = arg;

	w->tid = gettid();
	while (!w->stop && !handled_by)
		usleep(1000);
	return NULL;
}

static pid_t idle_start(struct idle *w)
{
	memset(w, 0, sizeof(*w));
	if (pthread_create(&w->th, NULL, idle_main, w))
		return -1;
	while (!w->tid)
		usleep(100);
	return w->tid;
}

static void idle_stop(struct idle *w)
{
	w->stop = 1;
	pthread_join(w->th, NULL);
}

/* Field @n (1-based, as proc(5) counts) of /proc/self/task/TID/stat. */
static long stat_field(pid_t tid, int n)
{
	char path[64], buf[1024], *p;
	long v = -999;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return v;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');	/* comm may hold spaces */
		for (i = 2; p && i < n; i++)
			p = strchr(p + 1, ' ');
		if (p)
			v = strtol(p + 1, NULL, 10);
	}
	fclose(f);
	return v;
}

static struct ts_target me(pid_t tid)
{
	return (struct ts_target){ .tgid = (uint32_t)getpid(),
				   .tid = (uint32_t)tid };
}

TEST(affinity_is_what_sched_getaffinity_reads_back)
{
	struct ts_action_result res;
	struct ts_error err = { 0 };
	uint64_t want[2] = { 0 }, got[2];
	struct ts_target t;
	struct idle w;
	cpu_set_t set;
	int cpu = -1, i;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	for (i = CPU_SETSIZE - 1; i >= 0 && cpu < 0; i--)
		if (CPU_ISSET(i, &set) && i < 128)
			cpu = i;	/* the last allowed CPU */
	ASSERT_LE(0, cpu);
	ASSERT_LT(0, idle_start(&w));
	t = me(w.tid);
	want[cpu / 64] = 1ull << (cpu % 64);
	struct ts_action a = { .kind = TS_ACT_AFFINITY, .cpus = want,
			       .n_words = 2 };

	ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, res.done);
	CPU_ZERO(&set);
	ASSERT_EQ(0, sched_getaffinity(w.tid, sizeof(set), &set));
	EXPECT_EQ(1, CPU_COUNT(&set));
	EXPECT_TRUE(CPU_ISSET(cpu, &set));
	ASSERT_EQ(0, ts_get_affinity((uint32_t)w.tid, got, 2));
	EXPECT_EQ(want[0], got[0]);
	EXPECT_EQ(want[1], got[1]);
	/* The process's other threads kept theirs. */
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	EXPECT_LE(1, CPU_COUNT(&set));
	idle_stop(&w);
}

TEST(empty_affinity_is_refused_with_einval)
{
	struct ts_action_result res;
	struct ts_error err = { 0 };
	uint64_t none = 0;
	struct ts_target t = me(gettid());
	struct ts_action a = { .kind = TS_ACT_AFFINITY, .cpus = &none,
			       .n_words = 1 };

	EXPECT_EQ(-1, ts_act(&a, &t, 1, &res, &err));
	EXPECT_EQ(EINVAL, res.first_errno);
	EXPECT_EQ(EINVAL, err.code);
}

TEST(nice_absolute_then_relative_shows_in_proc_stat)
{
	struct ts_action_result res;
	struct ts_error err = { 0 };
	struct ts_target t;
	struct idle w;
	/* From the caller's own nice (make may run us under nice). */
	int base = stat_field(gettid(), 19), want = base + 5 > 19 ? 19 :
						     base + 5;
	struct ts_action a = { .kind = TS_ACT_NICE, .nice = want };

	ASSERT_LT(0, idle_start(&w));
	t = me(w.tid);
	ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(want, stat_field(w.tid, 19));		/* nice */
	EXPECT_EQ(20 + want, stat_field(w.tid, 18));	/* priority */
	a.kind = TS_ACT_NICE_BY;
	a.nice = 2;
	ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(want + 2 > 19 ? 19 : want + 2, stat_field(w.tid, 19));
	a.nice = 100;		/* clamped, as renice does */
	ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(19, stat_field(w.tid, 19));
	/* Only that thread: the caller's nice is untouched. */
	EXPECT_EQ(base, stat_field(gettid(), 19));
	a.nice = -1;		/* lowering needs CAP_SYS_NICE */
	if (geteuid()) {
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_NICE, &rl);
		EXPECT_EQ(-1, ts_act(&a, &t, 1, &res, &err));
		EXPECT_EQ(EACCES, res.first_errno);
		EXPECT_NE(NULL, strstr(err.msg, "renice"));
		EXPECT_EQ(19, stat_field(w.tid, 19));
	} else {
		EXPECT_EQ(0, ts_act(&a, &t, 1, &res, &err));
		EXPECT_EQ(18, stat_field(w.tid, 19));
	}
	idle_stop(&w);
}

TEST(a_process_target_renices_every_thread)
{
	struct ts_action_result res;
	struct ts_error err = { 0 };
	struct ts_target t = { .tgid = (uint32_t)getpid() };
	int want = stat_field(gettid(), 19) + 3 > 19 ? 19 :
		   stat_field(gettid(), 19) + 3;
	struct ts_action a = { .kind = TS_ACT_NICE, .nice = want };
	struct idle w1, w2;

	ASSERT_LT(0, idle_start(&w1));
	ASSERT_LT(0, idle_start(&w2));
	ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(3, res.done);		/* main + two */
	EXPECT_EQ(want, stat_field(gettid(), 19));
	EXPECT_EQ(want, stat_field(w1.tid, 19));
	EXPECT_EQ(want, stat_field(w2.tid, 19));
	idle_stop(&w1);
	idle_stop(&w2);
}

TEST(policy_and_rt_priority_read_back)
{
	struct ts_action_result res;
	struct ts_error err = { 0 };
	struct sched_param sp;
	struct ts_target t;
	struct idle w;
	struct ts_action a = { .kind = TS_ACT_SCHED, .policy = SCHED_BATCH };

	ASSERT_LT(0, idle_start(&w));
	t = me(w.tid);
	ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SCHED_BATCH, sched_getscheduler(w.tid));
	EXPECT_EQ(3, stat_field(w.tid, 41));	/* policy in /proc */
	a.policy = SCHED_IDLE;
	ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SCHED_IDLE, sched_getscheduler(w.tid));
	a.policy = SCHED_FIFO;
	a.rt_priority = 10;
	if (geteuid()) {
		struct rlimit rl = { 0, 0 };

		setrlimit(RLIMIT_RTPRIO, &rl);
		EXPECT_EQ(-1, ts_act(&a, &t, 1, &res, &err));
		EXPECT_EQ(EPERM, res.first_errno);
		EXPECT_EQ(SCHED_IDLE, sched_getscheduler(w.tid));
	} else {
		ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
		EXPECT_EQ(SCHED_FIFO, sched_getscheduler(w.tid));
		ASSERT_EQ(0, sched_getparam(w.tid, &sp));
		EXPECT_EQ(10, sp.sched_priority);
		EXPECT_EQ(10, stat_field(w.tid, 40));	/* rt_priority */
	}
	/* An RT priority with a normal policy is the kernel's EINVAL. */
	a.policy = SCHED_OTHER;
	a.rt_priority = 5;
	EXPECT_EQ(-1, ts_act(&a, &t, 1, &res, &err));
	EXPECT_EQ(EINVAL, res.first_errno);
	idle_stop(&w);
}

TEST(signal_is_delivered_to_that_thread)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct ts_action_result res;
	struct ts_error err = { 0 };
	struct ts_target t;
	struct idle w;
	struct ts_action a = { .kind = TS_ACT_SIGNAL, .signal = SIGUSR1 };
	sigset_t block;
	int i;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_LT(0, idle_start(&w));
	/* The main thread blocks it: only a thread-directed signal reaches
	 * the worker for sure.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	t = me(w.tid);
	ASSERT_EQ(0, ts_act(&a, &t, 1, &res, &err)) TH_LOG("%s", err.msg);
	for (i = 0; i < 2000 && !handled_by; i++)
		usleep(1000);
	EXPECT_EQ(w.tid, handled_by);
	idle_stop(&w);
}

TEST(a_thread_that_exited_is_esrch_and_others_still_act)
{
	struct ts_action_result res;
	struct ts_error err = { 0 };
	struct ts_target t[2];
	struct idle gone, w;
	int want = stat_field(gettid(), 19) + 4 > 19 ? 19 :
		   stat_field(gettid(), 19) + 4;
	struct ts_action a = { .kind = TS_ACT_NICE, .nice = want };

	ASSERT_LT(0, idle_start(&gone));
	idle_stop(&gone);
	ASSERT_LT(0, idle_start(&w));
	t[0] = me(gone.tid);
	t[1] = me(w.tid);
	EXPECT_EQ(-1, ts_act(&a, t, 2, &res, &err));
	EXPECT_EQ(1, res.done);
	EXPECT_EQ(1, res.failed);
	EXPECT_EQ(ESRCH, res.first_errno);
	EXPECT_EQ((uint32_t)gone.tid, res.first_tid);
	EXPECT_NE(NULL, strstr(err.msg, "No such process"));
	EXPECT_NE(NULL, strstr(err.msg, "(1 of 2 failed)"));
	EXPECT_EQ(want, stat_field(w.tid, 19));
	/* A signal to it, too, says ESRCH rather than hitting a reused
	 * tid in another process: tgkill checks the tgid.
	 */
	a.kind = TS_ACT_SIGNAL;
	a.signal = 0;
	EXPECT_EQ(-1, ts_act(&a, t, 1, &res, &err));
	EXPECT_EQ(ESRCH, res.first_errno);
	idle_stop(&w);
}

TEST_HARNESS_MAIN
