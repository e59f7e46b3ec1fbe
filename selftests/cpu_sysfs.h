/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sysfs and /proc say about CPUs and threads, for the CPU_GET and
 * SYSTEM_GET kselftests to compare against.
 */
#ifndef THREADSTAT_SELFTEST_CPU_SYSFS_H
#define THREADSTAT_SELFTEST_CPU_SYSFS_H

#include <stdbool.h>
#include <stdint.h>

#define SYS_CPU		"/sys/devices/system/cpu"
#define CPUSET_WORDS	16	/* CPUs 0..1023 */

/* A CPU list file ("0-3,5") as a bitmap; -1 when it cannot be read. */
int cpulist_read(const char *path, uint64_t set[CPUSET_WORDS]);
int cpuset_count(const uint64_t set[CPUSET_WORDS]);
bool cpuset_has(const uint64_t set[CPUSET_WORDS], unsigned int cpu);

/* SYS_CPU/cpuN/NAME as a number; false when there is no such file. */
bool cpu_sysfs_long(unsigned int cpu, const char *name, long *out);
/* Write "0" or "1" to SYS_CPU/cpuN/online; 0 or -errno. */
int cpu_set_online(unsigned int cpu, bool online);

/* The "cpuN" line of /proc/stat: user .. guest_nice in USER_HZ ticks. */
#define PROC_STAT_FIELDS	10
int proc_stat_cpu(unsigned int cpu, long long v[PROC_STAT_FIELDS]);

/* Processes and threads /proc lists now. */
void proc_count(unsigned int *processes, unsigned int *threads);
/* A thread's state letter from /proc/self/task/TID/stat, or '?'. */
char proc_thread_state(int tid);

#endif
