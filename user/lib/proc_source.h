/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The /proc source: what a client opened with TS_SOURCE_PROC answers in
 * place of the module, as the same structs, with what /proc cannot give
 * absent. The parsers take the files' text, so tests can feed them.
 */
#ifndef THREADSTAT_PROC_SOURCE_H
#define THREADSTAT_PROC_SOURCE_H

#include "threadstat.h"

/* Mark attribute @type present in a record's bitmap. */
static inline void ts_proc_mark(uint64_t *present, uint16_t type)
{
	present[type / 64] |= 1ULL << (type % 64);
}

/* CPUs in a bitmap of TS_CPUSET_WORDS words. */
static inline uint32_t ts_cpuset_weight(const uint64_t *set)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < TS_CPUSET_WORDS; i++)
		n += (uint32_t)__builtin_popcountll(set[i]);
	return n;
}

/* The text of one thread's files under /proc/TGID/task/TID. */
struct ts_proc_files {
	const char *stat, *status, *schedstat;
	const char *sched;	/* NULL without CONFIG_SCHED_DEBUG */
};

/*
 * One thread from its files: identity always, the sched group (and the
 * process set on the leader) when @fields asks for it. @hz is USER_HZ.
 * -1 when the text is not what the kernel writes.
 */
int ts_proc_thread_parse(const struct ts_proc_files *f, uint32_t fields,
			 long hz, struct ts_thread *t);

/* "0-3,8,10-11" into a CPU bitmap of TS_CPUSET_WORDS words; -1 if bad. */
int ts_proc_cpulist_parse(const char *s, uint64_t *set);

/* /proc/stat's "cpuN ..." lines into @cpu (present bits set); 0 if found. */
int ts_proc_cpu_times_parse(const char *proc_stat, uint32_t n, long hz,
			    struct ts_cpu *cpu);
/* /proc/stat's btime, /proc/uptime and /proc/loadavg into @sys. */
void ts_proc_system_parse(const char *proc_stat, const char *uptime,
			  const char *loadavg, struct ts_system *sys);

int ts_proc_thread_dump(const struct ts_thread_query *q, ts_thread_cb cb,
			void *arg, struct ts_dump_info *info,
			struct ts_error *err);
int ts_proc_thread_get(uint32_t tid, uint32_t fields, struct ts_thread *out,
		       struct ts_error *err);
int ts_proc_cpu_list(struct ts_cpu_list *list, struct ts_error *err);
int ts_proc_cpu_get(uint32_t cpu, struct ts_cpu *out, struct ts_error *err);
int ts_proc_system_get(struct ts_system *out, struct ts_error *err);

/* A whole small file as a NUL-terminated string (malloc'ed); NULL if not. */
char *ts_proc_slurp(const char *path);

#endif /* THREADSTAT_PROC_SOURCE_H */
