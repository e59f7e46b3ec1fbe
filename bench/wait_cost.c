// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * wait_cost [THREADS [CONTENDING [RUNS]]] -- what wait chains cost
 * (default 10000 threads, 1000 of them contending one mutex, 7 runs).
 *
 * It starts THREADS threads in this process: one holds hot_lock for ever,
 * CONTENDING block on it (FUTEX_WAIT, owner in glibc's layout), the rest
 * sleep in pause(). Then, best of RUNS, interleaved:
 *   dump sched         the default dump (every thread)
 *   dump sched+wait    the same with the wait group (root: not withheld)
 *   graph build        ts_wait_graph_build() on the second dump, with the
 *                      live source (owners by process_vm_readv, the lock's
 *                      name through /proc/PID/maps and libelf)
 * and prints, per line: the label, best and median wall ms, and µs per
 * thread (dumps) or per blocked thread (graph). The wait group's cost per
 * thread is the difference of the two dumps. Run as root with the module.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bench_run.h"
#include "threadstat.h"
#include "waits.h"

pthread_mutex_t hot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t ready;

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&hot_lock);
	pthread_barrier_wait(&ready);
	pause();
	return NULL;
}

static void *contender(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&ready);
	pthread_mutex_lock(&hot_lock);
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&ready);
	pause();
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *label, double *us, int runs, double per)
{
	qsort(us, runs, sizeof(*us), cmp);
	printf("%-18s best %9.2f ms  median %9.2f ms  %8.3f us per %s\n",
	       label, us[0] / 1e3, us[runs / 2] / 1e3, us[0] / per,
	       label[0] == 'g' ? "blocked thread" : "thread");
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000;
	long hot = argc > 2 ? atol(argv[2]) : 1000;
	int runs = argc > 3 ? atoi(argv[3]) : 7, r;
	struct ts_thread_query qs = { getpid(), THREADSTAT_FIELDS_SCHED };
	struct ts_thread_query qw = { getpid(), THREADSTAT_FIELDS_SCHED |
						THREADSTAT_FIELDS_WAIT };
	double *us_s, *us_w, *us_g, t0;
	struct ts_error err = { 0 };
	struct ts_thread_list l;
	struct ts_wait_graph g;
	pthread_attr_t attr;
	struct ts_client *c;
	size_t blocked = 0, waiting = 0;
	pthread_t th;
	long i;

	if (n < hot + 2 || runs < 1)
		return fprintf(stderr, "usage: wait_cost [THREADS [CONTENDING "
			       "[RUNS]]]\n"), 2;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	pthread_barrier_init(&ready, NULL, (unsigned int)n);
	if (pthread_create(&th, &attr, holder, NULL))
		return perror("pthread_create"), 1;
	for (i = 1; i < n - 1; i++)
		if (pthread_create(&th, &attr, i <= hot ? contender : sleeper,
				   NULL))
			return perror("pthread_create"), 1;
	pthread_barrier_wait(&ready);
	if (ts_open(&c, &err))
		return fprintf(stderr, "wait_cost: %s\n", err.msg), 1;
	/* until every contender sleeps on the futex: the graph is whole */
	for (i = 0; i < 600 && waiting < (size_t)hot; i++) {
		usleep(100000);
		if (ts_thread_list_dump(c, &qw, &l, &err))
			return fprintf(stderr, "wait_cost: %s\n", err.msg), 1;
		if (ts_wait_graph_build(&l, &ts_wait_source_live, &g, &err))
			return fprintf(stderr, "wait_cost: %s\n", err.msg), 1;
		waiting = g.n_locks ? g.locks[0].n_waiters : 0;
		blocked = g.n;
		ts_wait_graph_free(&g);
		ts_thread_list_free(&l);
	}
	us_s = calloc(runs, sizeof(double));
	us_w = calloc(runs, sizeof(double));
	us_g = calloc(runs, sizeof(double));
	for (r = 0; r < runs; r++) {
		t0 = bench_now_us();
		if (ts_thread_list_dump(c, &qs, &l, &err))
			return fprintf(stderr, "wait_cost: %s\n", err.msg), 1;
		us_s[r] = bench_now_us() - t0;
		ts_thread_list_free(&l);
		t0 = bench_now_us();
		if (ts_thread_list_dump(c, &qw, &l, &err))
			return fprintf(stderr, "wait_cost: %s\n", err.msg), 1;
		us_w[r] = bench_now_us() - t0;
		t0 = bench_now_us();
		if (ts_wait_graph_build(&l, &ts_wait_source_live, &g, &err))
			return fprintf(stderr, "wait_cost: %s\n", err.msg), 1;
		us_g[r] = bench_now_us() - t0;
		if (!r)
			printf("wait_cost: %zu threads, %zu blocked, %zu on "
			       "hot_lock (held by %u, %s), %zu cycles\n", l.n,
			       g.n, g.n_locks ? g.locks[0].n_waiters : 0,
			       g.n_locks ? g.locks[0].owner_tid : 0,
			       g.n_locks ? g.locks[0].name : "-", g.n_cycles);
		ts_wait_graph_free(&g);
		ts_thread_list_free(&l);
	}
	report("dump sched", us_s, runs, (double)n);
	report("dump sched+wait", us_w, runs, (double)n);
	report("graph build", us_g, runs, (double)(blocked ? blocked : 1));
	printf("wait group: %.3f us per thread (best sched+wait - best sched)\n",
	       (us_w[0] - us_s[0]) / (double)n);
	ts_close(c);
	return 0;
}
