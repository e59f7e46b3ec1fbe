/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Threads created and destroyed as fast as a process can (bare clone()s on
 * fixed stacks), in a churner process of their own, until SIGTERM.
 */
#ifndef THREADSTAT_SELFTEST_THREAD_CHURN_H
#define THREADSTAT_SELFTEST_THREAD_CHURN_H

#include <sys/types.h>

/* Churned threads alive at once, at most, per thread_churn_start(). */
#define IN_FLIGHT	32
/* The most slots a struct thread_churn may ask for. */
#define CHURN_MAX_SLOTS	64

struct thread_churn {
	/* Each thread's body: no TLS of its own, raw system calls only. */
	int (*fn)(void *arg);
	/*
	 * @slots words, each a live thread's tid or 0 (-1 while being
	 * created); in MAP_SHARED memory if other processes read them.
	 */
	int *slot_tid;
	unsigned int slots;	/* at most CHURN_MAX_SLOTS */
	unsigned long *count;	/* shared: threads made, added to */
	int cpu;		/* the churner and its threads run there */
};

pid_t thread_churn_fork(const struct thread_churn *tc);
pid_t thread_churn_start(unsigned long *count, int cpu);
double thread_churn_min_rate(void);

#endif
