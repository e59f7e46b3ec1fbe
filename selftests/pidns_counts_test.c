// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU thread counts and SYSTEM_GET's process and thread counts asked
 * from a child pid namespace count that namespace's threads only, checked
 * against a proc mounted in that namespace and against the workload the
 * test starts there; from the initial namespace they still count every
 * thread of the machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "cpu_sysfs.h"
#include "threadstat_nl.h"

#define S(x)		THREADSTAT_A_SYSTEM_##x
#define PID1_THREADS	3	/* besides pid 1's main thread */
#define CHILD_THREADS	4	/* besides the second process's own */
/* pid 1 and its threads, the second process and its threads */
#define NS_THREADS	(1 + PID1_THREADS + 1 + CHILD_THREADS)
#define NS_PROCESSES	2

static int hold_fd = -1;	/* read end of a pipe nobody writes to */

static void *parked(void *arg)
{
	char c;

	/* Blocks until the namespace's pid 1 exits and takes it along. */
	while (read(hold_fd, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int start_threads(int n)
{
	pthread_t th;

	while (n--)
		if (pthread_create(&th, NULL, parked, NULL))
			return -1;
	return 0;
}

/* A namespace's threads and the kernel's view of them, from inside. */
struct ns_counts {
	unsigned int proc_processes, proc_threads;
	uint64_t cpu_threads, cpu_running;
	int64_t sys_processes, sys_threads, sys_running;
};

static int measure(struct ns_counts *c)
{
	struct tsnl_reply r;
	struct tsnl nl;
	int err;

	if (tsnl_open(&nl))
		return -1;
	err = tsnl_sum_cpus(&nl, &c->cpu_threads, &c->cpu_running);
	if (!err)
		err = tsnl_get_system(&nl, &r);
	if (!err && (r.error || r.n_recs != 1))
		err = -1;
	if (!err) {
		c->sys_processes = r.recs[0].v[S(NR_PROCESSES)];
		c->sys_threads = r.recs[0].v[S(NR_THREADS)];
		c->sys_running = r.recs[0].v[S(NR_RUNNING)];
		tsnl_reply_free(&r);
	}
	tsnl_close(&nl);
	proc_count(&c->proc_processes, &c->proc_threads);
	return err;
}

/* pid 1 of the new namespace: 0 when every count is the namespace's. */
static int inside(void)
{
	unsigned int p, t, i;
	struct ns_counts c;
	int fds[2];
	pid_t second;

	/* A proc of this namespace, in this mount namespace only. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL) || pipe(fds))
		return 2;
	hold_fd = fds[0];
	second = fork();
	if (second < 0)
		return 2;
	if (!second) {
		start_threads(CHILD_THREADS);
		parked(NULL);
		_exit(0);
	}
	if (start_threads(PID1_THREADS))
		return 2;
	/* Wait until proc shows the whole workload started. */
	for (i = 0; i < 1000; i++) {
		proc_count(&p, &t);
		if (p == NS_PROCESSES && t == NS_THREADS)
			break;
		usleep(1000);
	}
	/* Let the last ones started reach their read() and sleep. */
	usleep(100000);
	if (measure(&c))
		return 3;
	printf("# child pid namespace: CPUs count %llu threads (%llu R), "
	       "system %lld processes %lld threads (%lld R); its proc %u "
	       "processes %u threads; started %d and %d\n",
	       (unsigned long long)c.cpu_threads,
	       (unsigned long long)c.cpu_running, (long long)c.sys_processes,
	       (long long)c.sys_threads, (long long)c.sys_running,
	       c.proc_processes, c.proc_threads, NS_PROCESSES, NS_THREADS);
	/* Nothing starts or exits in here meanwhile: exact. */
	if (c.proc_threads != NS_THREADS || c.proc_processes != NS_PROCESSES)
		return 4;
	if (c.cpu_threads != NS_THREADS || c.sys_threads != NS_THREADS ||
	    c.sys_processes != NS_PROCESSES)
		return 5;
	/* pid 1 was running while it asked; the parked ones sleep. */
	if (c.cpu_running != 1 || c.sys_running != 1)
		return 6;
	return 0;
}

TEST(counts_from_a_child_pid_namespace_are_its_own)
{
	struct ns_counts outer;
	int status;
	pid_t child;

	if (geteuid())
		SKIP(return, "unshare(CLONE_NEWPID) needs root");
	/* From the initial namespace: the machine, as its proc shows it. */
	ASSERT_EQ(0, measure(&outer));
	TH_LOG("initial namespace: CPUs count %llu threads, system %lld "
	       "processes %lld threads; proc %u processes %u threads",
	       (unsigned long long)outer.cpu_threads,
	       (long long)outer.sys_processes, (long long)outer.sys_threads,
	       outer.proc_processes, outer.proc_threads);
	EXPECT_GE(outer.cpu_threads + 3, outer.proc_threads);
	EXPECT_LE(outer.cpu_threads, outer.proc_threads + 3);
	EXPECT_GE(outer.sys_threads + 3, outer.proc_threads);
	/* Far more than the namespace will hold: the check below can fail. */
	ASSERT_LT(NS_THREADS + 10, outer.cpu_threads);

	ASSERT_EQ(0, unshare(CLONE_NEWPID | CLONE_NEWNS));
	child = fork();
	ASSERT_LE(0, child);
	if (!child)
		_exit(inside());
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("inside: 2 setup, 3 request, 4 proc, 5 counts, 6 R");
}

TEST_HARNESS_MAIN
