// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU thread counts and the thread running on each CPU, from one walk
 * over every thread.
 *
 * The scheduler keeps all of this per runqueue, but neither the runqueues
 * nor nr_running() nor cpu_curr() are exported to modules. What a module
 * can see is each thread's CPU (task_cpu()), its state and its on_cpu
 * flag, so one RCU walk over the thread list sorts every thread into its
 * CPU's tally. The result is a snapshot as racy as /proc: a thread may
 * migrate or switch while the walk passes it.
 */
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>

#include "threadstat.h"

/* In state R as /proc shows it: running or waiting on a runqueue. */
static bool ts_runnable(struct task_struct *t)
{
	return task_state_to_char(t) == 'R';
}

/**
 * ts_cpu_tally() - count threads per CPU and find the one running on each
 * @tally: @count entries, for CPUs @first .. @first + @count - 1
 * @first: first CPU of interest
 * @count: number of CPUs of interest
 * @ns: pid namespace the running threads' ids are given in
 *
 * Threads are counted whatever their pid namespace: the load on a CPU is
 * a property of the CPU, as in /proc/stat. Only the running thread's
 * identity depends on the requester; one it cannot see leaves the CPU
 * without a curr-tid.
 */
void ts_cpu_tally(struct ts_cpu_tally *tally, unsigned int first,
		  unsigned int count, struct pid_namespace *ns)
{
	struct task_struct *p, *t;
	unsigned int i;

	memset(tally, 0, count * sizeof(*tally));

	rcu_read_lock();
	for_each_process_thread(p, t) {
		unsigned int cpu = task_cpu(t);
		struct ts_cpu_tally *c;
		bool runnable;

		if (cpu < first || cpu - first >= count)
			continue;
		c = &tally[cpu - first];
		runnable = ts_runnable(t);
		c->nr_threads++;
		c->nr_running += runnable;
		/*
		 * During a context switch two threads have on_cpu set (the
		 * one leaving clears it after the switch); prefer the one in
		 * state R, which is the one that is going to run.
		 */
		if (READ_ONCE(t->on_cpu) && (!c->curr || runnable))
			c->curr = t;
	}

	/* Still under RCU: no candidate can have been freed. */
	for (i = 0; i < count; i++) {
		struct ts_cpu_tally *c = &tally[i];

		t = c->curr;
		c->curr = NULL;
		if (!t)
			continue;
		/* 0 when reaped meanwhile or not in the requester's ns. */
		c->curr_tid = task_pid_nr_ns(t, ns);
		c->curr_tgid = task_tgid_nr_ns(t, ns);
		if (c->curr_tid)
			__get_task_comm(c->curr_comm, sizeof(c->curr_comm), t);
	}
	rcu_read_unlock();
}
