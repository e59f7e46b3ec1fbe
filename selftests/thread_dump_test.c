// SPDX-License-Identifier: GPL-2.0
/*
 * THREAD_GET dump: the threads it lists are exactly the threads /proc
 * lists, each once, and it stays correct while threads exit under it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "threadstat_nl.h"

#define NR_WORKERS	128

static pthread_barrier_t release;
static uint32_t worker_tid[NR_WORKERS];
static int started;

static void *park(void *arg)
{
	worker_tid[(uintptr_t)arg] = gettid();
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	pthread_barrier_wait(&release);
	return NULL;
}

/* Tids under /proc/PID/task (PID 0: every thread of every process). */
static int proc_tids(pid_t pid, uint32_t *tids, int max)
{
	char path[300];
	struct dirent *p, *t;
	DIR *procdir, *taskdir;
	int n = 0;

	if (pid) {
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		taskdir = opendir(path);
		if (!taskdir)
			return -1;
		while ((t = readdir(taskdir)) && n < max)
			if (t->d_name[0] != '.')
				tids[n++] = strtoul(t->d_name, NULL, 10);
		closedir(taskdir);
		return n;
	}
	procdir = opendir("/proc");
	if (!procdir)
		return -1;
	while ((p = readdir(procdir))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", p->d_name);
		taskdir = opendir(path);
		if (!taskdir)
			continue;	/* exited meanwhile */
		while ((t = readdir(taskdir)) && n < max)
			if (t->d_name[0] != '.')
				tids[n++] = strtoul(t->d_name, NULL, 10);
		closedir(taskdir);
	}
	closedir(procdir);
	return n;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool contains(const uint32_t *sorted, int n, uint32_t v)
{
	return bsearch(&v, sorted, n, sizeof(v), cmp_u32) != NULL;
}

FIXTURE(workers) {
	struct tsnl nl;
	pthread_t th[NR_WORKERS];
};

FIXTURE_SETUP(workers)
{
	int i;

	ASSERT_EQ(0, tsnl_open(&self->nl));
	pthread_barrier_init(&release, NULL, NR_WORKERS + 1);
	started = 0;
	for (i = 0; i < NR_WORKERS; i++)
		ASSERT_EQ(0, pthread_create(&self->th[i], NULL, park,
					    (void *)(uintptr_t)i));
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < NR_WORKERS)
		usleep(1000);
}

FIXTURE_TEARDOWN(workers)
{
	int i;

	pthread_barrier_wait(&release);
	for (i = 0; i < NR_WORKERS; i++)
		pthread_join(self->th[i], NULL);
	pthread_barrier_destroy(&release);
	tsnl_close(&self->nl);
}

/* A tgid-filtered dump lists exactly /proc/self/task. */
TEST_F(workers, process_dump_matches_proc)
{
	uint32_t proc[NR_WORKERS + 8], dumped[NR_WORKERS + 8];
	struct tsnl_reply r;
	int n, i;

	n = proc_tids(getpid(), proc, NR_WORKERS + 8);
	ASSERT_EQ(NR_WORKERS + 1, n);
	ASSERT_EQ(0, tsnl_dump_threads(&self->nl, getpid(), &r));
	ASSERT_EQ(0, r.error);
	ASSERT_EQ((unsigned int)n, r.n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ((uint32_t)getpid(), r.threads[i].tgid);
		dumped[i] = r.threads[i].tid;
	}
	qsort(proc, n, sizeof(*proc), cmp_u32);
	qsort(dumped, n, sizeof(*dumped), cmp_u32);
	EXPECT_EQ(0, memcmp(proc, dumped, n * sizeof(*proc)));
	tsnl_reply_free(&r);
}

/* A full dump has every thread /proc shows before and after it, once. */
TEST_F(workers, system_dump_has_every_thread_once)
{
	static uint32_t before[65536], after[65536], dumped[65536];
	int nb, na, nd, i, missing = 0;
	struct tsnl_reply r;

	nb = proc_tids(0, before, 65536);
	ASSERT_GT(nb, NR_WORKERS);
	ASSERT_EQ(0, tsnl_dump_threads(&self->nl, 0, &r));
	na = proc_tids(0, after, 65536);
	ASSERT_EQ(0, r.error);
	nd = r.n;
	for (i = 0; i < nd; i++)
		dumped[i] = r.threads[i].tid;
	tsnl_reply_free(&r);

	/* The dump walks tids upwards: sorted, hence no duplicates. */
	for (i = 1; i < nd; i++)
		ASSERT_LT(dumped[i - 1], dumped[i]);
	qsort(after, na, sizeof(*after), cmp_u32);
	for (i = 0; i < nb; i++)
		if (contains(after, na, before[i]) &&
		    !contains(dumped, nd, before[i])) {
			TH_LOG("tid %u in /proc but not in the dump", before[i]);
			missing++;
		}
	EXPECT_EQ(0, missing);
	TH_LOG("%d threads dumped, %d in /proc before, %d after", nd, nb, na);
}

#define NR_EXITING	400

static void *exit_soon(void *arg)
{
	usleep((unsigned long)(uintptr_t)arg);
	return NULL;
}

/*
 * Dumps taken while 400 threads exit at staggered times: each dump ends,
 * lists tids in increasing order (no thread twice), and always lists the
 * threads that did not exit.
 */
TEST_F(workers, dump_while_threads_exit)
{
	pthread_t ex[NR_EXITING];
	int i, round, multi = 0;

	for (i = 0; i < NR_EXITING; i++)
		ASSERT_EQ(0, pthread_create(&ex[i], NULL, exit_soon,
					    (void *)(uintptr_t)(i * 500)));
	/* Small receive buffers: many dump callbacks per dump. */
	self->nl.recv_size = 8192;
	for (round = 0; round < 20; round++) {
		struct tsnl_reply r;
		unsigned int j, stable = 0;

		ASSERT_EQ(0, tsnl_dump_threads(&self->nl, getpid(), &r));
		ASSERT_EQ(0, r.error);
		if (r.recvs > 1)
			multi++;
		for (j = 0; j < r.n; j++) {
			if (j)
				ASSERT_LT(r.threads[j - 1].tid,
					  r.threads[j].tid);
			if (r.threads[j].tid == (uint32_t)getpid())
				stable++;
		}
		for (i = 0; i < NR_WORKERS; i++)
			for (j = 0; j < r.n; j++)
				if (r.threads[j].tid == worker_tid[i])
					stable++;
		EXPECT_EQ((unsigned int)NR_WORKERS + 1, stable);
		tsnl_reply_free(&r);
	}
	EXPECT_GT(multi, 0);
	for (i = 0; i < NR_EXITING; i++)
		pthread_join(ex[i], NULL);
}

TEST_HARNESS_MAIN
