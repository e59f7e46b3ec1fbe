// SPDX-License-Identifier: GPL-2.0
/*
 * The process nest of a THREAD_GET reply: what belongs to the whole thread
 * group rather than to one thread.
 *
 * The exited-* values are the totals the kernel folds into the
 * signal_struct when a thread of the process is released (__exit_signal()),
 * under sig->stats_lock; the same write section unhashes the thread, so a
 * reader that adds them to the live threads of one dump counts every thread
 * once. They are read in one consistent seqlock pass over sig->stats_lock,
 * retried while a thread exits in the middle.
 * Children's times (cutime, cstime) are not included.
 *
 * exited-utime and exited-stime are scaled the way task_cputime_adjusted()
 * scales the per-thread utime/stime this module sends (and /proc/PID/stat
 * the process's): their sum is exited-sum-exec-runtime, split in the ratio
 * of the tick samples the kernel collected. Live threads' values plus these
 * therefore add up to the process's CPU time, comparable with /proc.
 *
 * But only for one instant, and a dump's threads are read one after another:
 * a thread that exits after its leader's message and before its own is in
 * neither part. So the nest also carries the whole process's runtime and
 * switches summed in one pass (ts_read_totals()), the way
 * thread_group_cputime() sums them for /proc/PID/stat; a process's totals
 * and rates come from those.
 */
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seqlock.h>

#include "compat.h"
#include "threadstat.h"

struct ts_exited {
	u64 utime, stime, runtime;
	u64 nvcsw, nivcsw, min_flt, maj_flt;
};

/*
 * A plain seqlock read: writers are thread exits, short and never nested
 * in a reader, so the loop ends; it takes no lock, which keeps sparse's
 * lock-context checking exact (read_seqbegin_or_lock() confuses it).
 */
static void ts_read_exited(struct signal_struct *sig, struct ts_exited *ex)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&sig->stats_lock);
		ex->utime = sig->utime;
		ex->stime = sig->stime;
		ex->runtime = sig->sum_sched_runtime;
		ex->nvcsw = sig->nvcsw;
		ex->nivcsw = sig->nivcsw;
		ex->min_flt = sig->min_flt;
		ex->maj_flt = sig->maj_flt;
	} while (read_seqretry(&sig->stats_lock, seq));
}

struct ts_totals {
	u64 runtime, nvcsw, nivcsw;
};

static void ts_sum_totals(struct signal_struct *sig, struct task_struct *task,
			  struct ts_totals *tot)
{
	struct task_struct *t;

	tot->runtime = sig->sum_sched_runtime;
	tot->nvcsw = sig->nvcsw;
	tot->nivcsw = sig->nivcsw;
	for_each_thread(task, t) {
		tot->runtime += READ_ONCE(t->se.sum_exec_runtime);
		tot->nvcsw += READ_ONCE(t->nvcsw);
		tot->nivcsw += READ_ONCE(t->nivcsw);
	}
}

/*
 * The whole process at one instant: __exit_signal() adds a thread's
 * counters to the signal_struct and unlinks it from the thread list in one
 * write section of sig->stats_lock, so a pass that no exit interrupted
 * counts every thread once. A first pass takes no lock; if a thread exited
 * meanwhile, a second pass holds exits off (as thread_group_cputime()
 * does), so the walk ends even in a process that never stops churning.
 */
static void ts_read_totals(struct task_struct *task, struct ts_totals *tot)
{
	struct signal_struct *sig = task->signal;
	unsigned long flags;
	unsigned int seq;

	rcu_read_lock();
	seq = read_seqbegin(&sig->stats_lock);
	ts_sum_totals(sig, task, tot);
	if (read_seqretry(&sig->stats_lock, seq)) {
		read_seqlock_excl_irqsave(&sig->stats_lock, flags);
		ts_sum_totals(sig, task, tot);
		read_sequnlock_excl_irqrestore(&sig->stats_lock, flags);
	}
	rcu_read_unlock();
}

/* Scale utime/stime so they add up to the scheduler's runtime. */
static void ts_scale_exited(struct ts_exited *ex)
{
	u64 ticks = ex->utime + ex->stime;

	/* As cputime_adjust(): all to one side when the other is zero. */
	if (!ex->stime) {
		ex->utime = ex->runtime;
	} else if (!ex->utime) {
		ex->stime = ex->runtime;
	} else {
		/* stime < ticks, so the quotient fits in 64 bits. */
		ex->stime = mul_u64_u64_div_u64(ex->stime, ex->runtime, ticks);
		ex->utime = ex->runtime - ex->stime;
	}
}

static int ts_fill_memory(struct sk_buff *skb, struct task_struct *task)
{
	u64 vm, anon, file, shmem, swap;
	struct mm_struct *mm;

	/* task_lock() keeps task->mm from being dropped; it does not sleep. */
	task_lock(task);
	mm = (task->flags & PF_KTHREAD) ? NULL : task->mm;
	if (mm) {
		vm = READ_ONCE(mm->total_vm);
		anon = ts_mm_counter(mm, MM_ANONPAGES);
		file = ts_mm_counter(mm, MM_FILEPAGES);
		shmem = ts_mm_counter(mm, MM_SHMEMPAGES);
		swap = ts_mm_counter(mm, MM_SWAPENTS);
	}
	task_unlock(task);
	if (!mm)
		return 0;

	if (ts_put_u64(skb, THREADSTAT_A_PROCESS_VM_SIZE, vm << PAGE_SHIFT) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_RSS_ANON,
		       anon << PAGE_SHIFT) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_RSS_FILE,
		       file << PAGE_SHIFT) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_RSS_SHMEM,
		       shmem << PAGE_SHIFT) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_SWAP, swap << PAGE_SHIFT))
		return -EMSGSIZE;
	return 0;
}

/**
 * ts_fill_process() - put the process nest of @task's thread group
 * @skb: message being built
 * @task: any thread of the process; the caller holds a reference on it
 *	  (which keeps task->signal)
 *
 * Memory attributes are left out when the thread has no mm (a kernel
 * thread, or a group leader that has already exited).
 *
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
int ts_fill_process(struct sk_buff *skb, struct task_struct *task)
{
	struct signal_struct *sig = task->signal;
	struct ts_totals tot;
	struct ts_exited ex;
	struct nlattr *nest;

	ts_read_exited(sig, &ex);
	ts_scale_exited(&ex);
	ts_read_totals(task, &tot);

	nest = nla_nest_start(skb, THREADSTAT_A_THREAD_PROCESS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, THREADSTAT_A_PROCESS_NR_THREADS,
			READ_ONCE(sig->nr_threads)) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_EXITED_SUM_EXEC_RUNTIME,
		       ex.runtime) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_EXITED_UTIME, ex.utime) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_EXITED_STIME, ex.stime) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_EXITED_NVCSW, ex.nvcsw) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_EXITED_NIVCSW, ex.nivcsw) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_EXITED_MIN_FLT, ex.min_flt) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_EXITED_MAJ_FLT, ex.maj_flt) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_SUM_EXEC_RUNTIME,
		       tot.runtime) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_NVCSW, tot.nvcsw) ||
	    ts_put_u64(skb, THREADSTAT_A_PROCESS_NIVCSW, tot.nivcsw) ||
	    ts_fill_memory(skb, task)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
