// SPDX-License-Identifier: GPL-2.0
/*
 * Dump consistency: may a thread the requester could see be missing from a
 * THREAD_GET dump? (NLM_F_DUMP_INTR, see the UAPI header for the contract.)
 *
 * A dump walks tids upwards and remembers only the next tid, so the one
 * thread it can miss is one created at a tid the walk has already passed.
 * Every dump in flight is on ts_watches with its pid namespace, its process
 * filter and an atomic "passed" cursor; a probe on the task_newtask
 * tracepoint (fired in copy_process() once the new task is attached to its
 * pid, for every kind of thread: clone, io_uring workers, vhost tasks and
 * kernel threads alike) records a possible miss on each dump whose walk has
 * passed the new thread's tid in that dump's namespace. A thread that is
 * invisible in a dump's namespace has no tid there and never counts.
 *
 * Ordering: the walk publishes its cursor, then a full barrier, then looks
 * up pids again (ts_watch_pass() and the caller's re-check); the probe runs
 * after the new pid is attached and issues a full barrier before it reads
 * the list and the cursors. Either the walk's re-check sees the new thread,
 * or the probe sees the cursor past it. A probe that fires after the walk
 * has closed its watch is a thread created after the dump ended.
 *
 * With no dump running the probe costs a barrier and a list_empty() test.
 * The tracepoint symbol is not exported; ts_tracepoint_lookup() finds it
 * by name.
 */
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>

#include "threadstat.h"

#define TS_WATCH_MISSED	1
#define TS_WATCH_CLOSED	2

static LIST_HEAD(ts_watches);
static DEFINE_SPINLOCK(ts_watches_lock);	/* writers of ts_watches */

static struct tracepoint *ts_tp_newtask;

static void ts_probe_newtask(void *data, struct task_struct *task,
			     unsigned long clone_flags)
{
	struct ts_dump_watch *w;

	/* Pairs with smp_mb() in ts_watch_pass(); see the file comment. */
	smp_mb();
	if (list_empty(&ts_watches))
		return;

	rcu_read_lock();
	list_for_each_entry_rcu(w, &ts_watches, node) {
		u32 tid = pid_nr_ns(task_pid(task), w->ns);

		if (!tid || tid < w->first ||
		    tid >= (u32)atomic_read(&w->passed))
			continue;
		if (w->tgid && task_tgid_nr_ns(task, w->ns) != w->tgid)
			continue;
		atomic_or(TS_WATCH_MISSED, &w->state);
	}
	rcu_read_unlock();
}

/**
 * ts_watch_start() - put a dump on the list of dumps in flight
 * @w: the dump's watch, zeroed; freed only after an RCU grace period
 * @ns: pid namespace the dump's tids are in (the dump holds a reference)
 * @tgid: the only process the dump lists, or 0 for all
 * @first: lowest tid the dump lists
 */
void ts_watch_start(struct ts_dump_watch *w, struct pid_namespace *ns,
		    u32 tgid, u32 first)
{
	w->ns = ns;
	w->tgid = tgid;
	w->first = first;
	atomic_set(&w->passed, first);
	atomic_set(&w->state, 0);
	spin_lock(&ts_watches_lock);
	list_add_rcu(&w->node, &ts_watches);
	spin_unlock(&ts_watches_lock);
}

/**
 * ts_watch_pass() - publish how far the walk has looked
 * @w: the dump's watch
 * @passed: every tid below this (and not below @w->first) has been looked
 *	    at; a thread created there from now on may be missing
 *
 * The caller must look its pids up again after this returns: the barrier
 * orders this store before those loads.
 */
void ts_watch_pass(struct ts_dump_watch *w, u32 passed)
{
	atomic_set(&w->passed, passed);
	/* Pairs with ts_probe_newtask(): cursor store before pid loads. */
	smp_mb();
}

/**
 * ts_watch_give_up() - record that the walk cannot vouch for its result
 * @w: the dump's watch
 *
 * For a walk whose re-checks keep changing under heavy churn: a possible
 * miss, flagged rather than guessed away.
 */
void ts_watch_give_up(struct ts_dump_watch *w)
{
	atomic_or(TS_WATCH_MISSED, &w->state);
}

/**
 * ts_watch_missed() - may a thread be missing so far?
 * @w: the dump's watch
 *
 * Return: true once a thread may be missing; it stays true.
 */
bool ts_watch_missed(struct ts_dump_watch *w)
{
	return atomic_read(&w->state) & TS_WATCH_MISSED;
}

/**
 * ts_watch_close() - take a dump off the list; idempotent
 * @w: the dump's watch
 *
 * Called when the walk ends (threads created later are after the dump) and
 * from the dump's done callback. The memory of @w must stay valid for an
 * RCU grace period after the first call.
 *
 * Return: whether a thread may be missing from the dump.
 */
bool ts_watch_close(struct ts_dump_watch *w)
{
	int old = atomic_fetch_or(TS_WATCH_CLOSED, &w->state);

	if (!(old & TS_WATCH_CLOSED)) {
		spin_lock(&ts_watches_lock);
		list_del_rcu(&w->node);
		spin_unlock(&ts_watches_lock);
	}
	return old & TS_WATCH_MISSED;
}

/**
 * ts_dump_consistency_init() - start watching thread creation
 *
 * Return: 0, -ENOENT when the task_newtask tracepoint is missing, or the
 * error of tracepoint_probe_register().
 */
int ts_dump_consistency_init(void)
{
	ts_tp_newtask = ts_tracepoint_lookup("task_newtask");
	if (!ts_tp_newtask) {
		pr_err("threadstat: task_newtask tracepoint not found\n");
		return -ENOENT;
	}
	return tracepoint_probe_register(ts_tp_newtask, ts_probe_newtask,
					 NULL);
}

/**
 * ts_dump_consistency_exit() - stop watching; no probe runs after this
 *
 * Every dump holds a reference on the module, so ts_watches is empty here.
 * tracepoint_synchronize_unregister() is an inline over exported symbols
 * (tracepoint_srcu, synchronize_rcu) and waits for probes still running.
 */
void ts_dump_consistency_exit(void)
{
	WARN_ON_ONCE(!list_empty(&ts_watches));
	tracepoint_probe_unregister(ts_tp_newtask, ts_probe_newtask, NULL);
	tracepoint_synchronize_unregister();
}
