/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Threads created and destroyed as fast as a process can (bare clone()s on
 * fixed stacks), in a churner process of their own, until SIGTERM.
 */
#ifndef THREADSTAT_SELFTEST_THREAD_CHURN_H
#define THREADSTAT_SELFTEST_THREAD_CHURN_H

#include <sys/types.h>

/* Churned threads alive at once, at most, per churner. */
#define IN_FLIGHT	32

pid_t thread_churn_start(unsigned long *count, int cpu);

#endif
