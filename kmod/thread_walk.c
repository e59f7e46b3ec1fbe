// SPDX-License-Identifier: GPL-2.0
/*
 * Visit every thread visible in a pid namespace, in bounded RCU sections.
 *
 * for_each_process_thread() under one rcu_read_lock() would hold off RCU
 * grace periods (and, without preemptible RCU, the CPU) for as long as the
 * machine has threads: at 100k threads that is tens of milliseconds per
 * request, and an unprivileged user can ask in a loop. Instead the walk
 * follows the namespace's pid numbers with find_ge_pid(), as /proc's
 * readdir does: the cursor between batches is a pid number, never a task
 * or pid pointer, so nothing is kept alive or dereferenced across the
 * points where RCU is dropped and the CPU may reschedule.
 *
 * Walking the namespace's own pid table also gives exactly the threads
 * the caller can see (each has a number there), so counts from a child
 * pid namespace are that namespace's and not the machine's.
 *
 * Like /proc, the result is a snapshot that moves under churn: a thread
 * created behind the cursor, or one whose number is reused ahead of it,
 * is missed or counted once more. A thread is never visited twice under
 * one number.
 */
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "threadstat.h"

/*
 * Pid numbers looked at per RCU section. A visit costs about as much as
 * an idr lookup plus a few loads from the task (some 50-100 ns on current
 * hardware), so 256 of them keep a read-side section in the tens of
 * microseconds -- far below any RCU stall or latency concern -- while the
 * unlock, cond_resched() and relock between batches stay below 1% of
 * the batch's cost. Numbers without a thread (a process group or session
 * id left by an exited leader) count too: the bound is on work done, not
 * on threads found.
 */
#define TS_WALK_BATCH	256

/**
 * ts_walk_threads() - call @visit for each thread with an id in @ns
 * @ns: pid namespace whose threads are visited
 * @visit: called under rcu_read_lock() with a thread; must not sleep, and
 *	must not keep the task pointer after it returns
 * @arg: passed to @visit
 *
 * Sleeps between batches (cond_resched()): process context only.
 */
void ts_walk_threads(struct pid_namespace *ns,
		     void (*visit)(struct task_struct *t, void *arg),
		     void *arg)
{
	int nr = 1;	/* pid 0 is the idle tasks', never in a pid table */

	for (;;) {
		unsigned int n;

		rcu_read_lock();
		for (n = 0; n < TS_WALK_BATCH; n++) {
			struct pid *pid = find_ge_pid(nr, ns);
			struct task_struct *t;

			if (!pid) {
				rcu_read_unlock();
				return;
			}
			nr = pid_nr_ns(pid, ns) + 1;
			t = pid_task(pid, PIDTYPE_PID);
			if (t)
				visit(t, arg);
		}
		rcu_read_unlock();
		cond_resched();
	}
}
