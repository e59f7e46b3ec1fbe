/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Actions on threads: the one place that sends signals and sets nice,
 * CPU affinity, scheduling policy and RT priority. Tools only ask.
 *
 * A target is one thread (tgid and tid) or a whole process (tid 0). A
 * signal to a process goes to the process (kill), to a thread to that
 * thread (tgkill). Nice, affinity and policy are per-thread attributes in
 * Linux, so for a process they are set on every thread it has when the
 * action runs (listed from /proc/TGID/task, as taskset -a and tuna do).
 */
#ifndef THREADSTAT_ACTIONS_H
#define THREADSTAT_ACTIONS_H

#include "threadstat.h"

enum ts_action_kind {
	TS_ACT_SIGNAL,		/* .signal */
	TS_ACT_NICE,		/* .nice, absolute */
	TS_ACT_NICE_BY,		/* .nice added to each thread's own nice */
	TS_ACT_AFFINITY,	/* .cpus, .n_words */
	TS_ACT_SCHED,		/* .policy (SCHED_*), .rt_priority */
};

struct ts_action {
	enum ts_action_kind kind;
	int signal;
	int nice;
	const uint64_t *cpus;	/* bit n of word n / 64: CPU n allowed */
	size_t n_words;
	int policy;		/* SCHED_OTHER, _BATCH, _IDLE, _FIFO, _RR */
	int rt_priority;	/* 1..99 for FIFO and RR, else 0 */
};

struct ts_target {
	uint32_t tgid;
	uint32_t tid;		/* 0: the whole process */
};

struct ts_action_result {
	size_t done;		/* threads (or processes, signals) acted on */
	size_t failed;
	int first_errno;	/* of the first failure */
	uint32_t first_tid;	/* whose */
};

/*
 * Apply @a to every target. Each target is tried even when one fails.
 * Returns 0 when all succeeded; -1 otherwise, with @err saying what
 * failed first ("renice 1234: Operation not permitted (1 of 3 failed)").
 */
int ts_act(const struct ts_action *a, const struct ts_target *targets,
	   size_t n, struct ts_action_result *res, struct ts_error *err);

/* One thread's allowed CPUs into @cpus (@n_words words); 0 or -1/errno. */
int ts_get_affinity(uint32_t tid, uint64_t *cpus, size_t n_words);

/* The verb of an action for messages: "signal", "renice", ... */
const char *ts_action_verb(enum ts_action_kind kind);

#endif /* THREADSTAT_ACTIONS_H */
