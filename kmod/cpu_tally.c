// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU thread counts and the thread running on each CPU, from one walk
 * over the requester's threads.
 *
 * The scheduler keeps all of this per runqueue, but neither the runqueues
 * nor nr_running() nor cpu_curr() are exported to modules. What a module
 * can see is each thread's CPU (task_cpu()), its state and its on_cpu
 * flag, so one walk (ts_walk_threads(): bounded RCU batches) sorts every
 * thread into its CPU's tally. The result is a snapshot as racy as /proc:
 * a thread may migrate or switch while the walk passes it.
 */
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "threadstat.h"

struct ts_cpu_tally_walk {
	struct ts_cpu_tally *tally;
	const struct ts_view *view;
	unsigned int first;
	unsigned int count;
};

/* In state R as /proc shows it: running or waiting on a runqueue. */
static bool ts_runnable(struct task_struct *t)
{
	return task_state_to_char(t) == 'R';
}

/* Under RCU (ts_walk_threads()): t is not kept past this call. */
static void ts_cpu_tally_one(struct task_struct *t, void *arg)
{
	struct ts_cpu_tally_walk *w = arg;
	unsigned int cpu = task_cpu(t);
	struct ts_cpu_tally *c;
	bool runnable;
	pid_t tid;

	if (cpu < w->first || cpu - w->first >= w->count)
		return;
	c = &w->tally[cpu - w->first];
	runnable = ts_runnable(t);
	c->nr_threads++;
	c->nr_running += runnable;

	/*
	 * During a context switch two threads have on_cpu set (the one
	 * leaving clears it after the switch); prefer the one in state R,
	 * which is the one that is going to run. Its identity is copied now:
	 * the walk may drop RCU before it ends. A thread the hidepid
	 * parameter hides from the requester is counted but never named, as
	 * /proc/loadavg counts the threads that a hidepid= /proc does not
	 * list; only the few threads on a CPU are checked.
	 */
	if (!READ_ONCE(t->on_cpu) ||
	    (c->curr_tid && (c->curr_runnable || !runnable)))
		return;
	/* 0 if reaped meanwhile */
	tid = task_pid_nr_ns(t, w->view->pid_ns);
	if (!tid || !ts_access_visible(t, w->view))
		return;
	c->curr_tid = tid;
	c->curr_tgid = task_tgid_nr_ns(t, w->view->pid_ns);
	c->curr_runnable = runnable;
	__get_task_comm(c->curr_comm, sizeof(c->curr_comm), t);
}

/**
 * ts_cpu_tally() - count threads per CPU and find the one running on each
 * @tally: @count entries, for CPUs @first .. @first + @count - 1
 * @first: first CPU of interest
 * @count: number of CPUs of interest
 * @view: the requester (ts_cpu_view_init()): its pid namespace and hidepid
 *
 * Only threads with an id in the requester's pid namespace are counted, as
 * /proc mounted in that namespace would list them: a container learns how
 * busy each CPU is with its own threads, not how many threads the rest of
 * the machine runs (the CPU times, like /proc/stat's, still cover
 * everything). The running thread is named only when the requester can
 * see it there and the hidepid parameter does not hide it, else none is.
 *
 * Context: process context, with @view's socket held by the request.
 */
void ts_cpu_tally(struct ts_cpu_tally *tally, unsigned int first,
		  unsigned int count, const struct ts_view *view)
{
	struct ts_cpu_tally_walk w = {
		.tally = tally,
		.view = view,
		.first = first,
		.count = count,
	};

	memset(tally, 0, count * sizeof(*tally));
	ts_walk_threads(view->pid_ns, ts_cpu_tally_one, &w);
}
