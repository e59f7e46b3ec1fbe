/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * bench_run.h -- the measuring loop every snapshot method of `make bench`
 * shares, so that all of them are timed the same way.
 *
 * A method is a function taking one full snapshot of every thread and
 * returning how many threads it saw (or -1). bench_main() parses
 * "--runs R --warmup W", runs the method W times untimed (warm dentries and
 * caches, as a tool refreshing every second would have them), then R times
 * timed, and prints one line per timed run:
 *
 *   run=I wall_us=X cpu_us=Y user_us=U sys_us=S threads=N
 *
 * wall is CLOCK_MONOTONIC around the snapshot; cpu is this process's
 * user+system time from getrusage(RUSAGE_SELF), which includes the kernel
 * work done on its behalf (netlink dump callbacks and procfs reads run in
 * its system calls). run-bench.sh turns these lines into the table.
 */
#ifndef BENCH_RUN_H
#define BENCH_RUN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef long (*bench_snapshot_fn)(void *arg);

static inline double bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static inline double bench_tv_us(const struct timeval *tv)
{
	return tv->tv_sec * 1e6 + tv->tv_usec;
}

/* Print the line of one timed run (see the top of this file). */
static inline void bench_report(int run, double wall_us, double user_us,
				double sys_us, long threads)
{
	printf("run=%d wall_us=%.1f cpu_us=%.1f user_us=%.1f sys_us=%.1f threads=%ld\n",
	       run, wall_us, user_us + sys_us, user_us, sys_us, threads);
	fflush(stdout);
}

/* Parse "--runs R" and "--warmup W" out of argv; leave the rest in place
 * (argv[1..*argc-1]) for the method. Returns -1 on a bad value.
 */
static inline int bench_parse(int *argc, char **argv, int *runs, int *warmup)
{
	int i, out = 1;

	for (i = 1; i < *argc; i++) {
		int *dst = NULL;

		if (!strcmp(argv[i], "--runs"))
			dst = runs;
		else if (!strcmp(argv[i], "--warmup"))
			dst = warmup;
		if (!dst) {
			argv[out++] = argv[i];
			continue;
		}
		if (i + 1 >= *argc)
			return -1;
		*dst = atoi(argv[++i]);
		if (*dst < 0 || (dst == runs && *dst == 0))
			return -1;
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

/* Run @fn as described above; returns a process exit status. */
static inline int bench_loop(bench_snapshot_fn fn, void *arg, int runs,
			     int warmup)
{
	int i;

	for (i = 0; i < warmup; i++)
		if (fn(arg) < 0)
			return 1;
	for (i = 0; i < runs; i++) {
		struct rusage r0, r1;
		double t0, t1, user, sys;
		long n;

		getrusage(RUSAGE_SELF, &r0);
		t0 = bench_now_us();
		n = fn(arg);
		t1 = bench_now_us();
		getrusage(RUSAGE_SELF, &r1);
		if (n < 0)
			return 1;
		user = bench_tv_us(&r1.ru_utime) - bench_tv_us(&r0.ru_utime);
		sys = bench_tv_us(&r1.ru_stime) - bench_tv_us(&r0.ru_stime);
		bench_report(i, t1 - t0, user, sys, n);
	}
	return 0;
}

#endif /* BENCH_RUN_H */
