// SPDX-License-Identifier: GPL-2.0
/*
 * One thread's THREAD_GET reply: identity, then each requested group.
 *
 * The caller holds a reference on the task, so it cannot be freed, but it
 * may exit at any moment; values read here are a racy snapshot, as in /proc.
 * Identity and scheduling, in every reply, go through attr_writer.h (one
 * room check per group); the rarer groups use nla_put().
 * The privileged groups (stack, kstack, regs) are filled only when
 * access.c says /proc would show them to this caller for this thread;
 * otherwise "withheld" names them, for this thread.
 */
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/prio.h>
#include <linux/sched/task.h>
#include <linux/time_namespace.h>
#include <linux/uidgid.h>

#include "attr_writer.h"
#include "threadstat.h"

/*
 * When @task started, in the boot-time clock of the time namespace of the
 * process reading the reply (current: the one that asked or is reading the
 * dump), as /proc/PID/stat's starttime is (timens_add_boottime_ns()).
 */
static u64 ts_start_time(struct task_struct *task)
{
	return timens_add_boottime_ns(task->start_boottime);
}

/* Identity: four u32, comm, start time, kthread. */
static int ts_identity_room(void)
{
	return 4 * TS_ATTR_ROOM_U32 + nla_total_size(TASK_COMM_LEN) +
	       TS_ATTR_ROOM_U64 + TS_ATTR_ROOM_FLAG;
}

static int ts_fill_identity(struct sk_buff *skb, struct task_struct *task,
			    const struct ts_view *view)
{
	struct pid_namespace *ns = view->pid_ns;
	char comm[TASK_COMM_LEN];
	struct ts_attr_writer w;
	pid_t tid, tgid, ppid = 0;
	uid_t uid;

	rcu_read_lock();
	tid = task_pid_nr_ns(task, ns);
	tgid = task_tgid_nr_ns(task, ns);
	if (pid_alive(task))
		ppid = task_tgid_nr_ns(rcu_dereference(task->real_parent), ns);
	uid = from_kuid_munged(view->user_ns, task_uid(task));
	rcu_read_unlock();

	/* Reaped since the caller found it: its ids are gone. */
	if (!tid)
		return -ESRCH;

	__get_task_comm(comm, sizeof(comm), task);

	if (ts_attr_begin(&w, skb, ts_identity_room()))
		return -EMSGSIZE;
	ts_attr_u32(&w, THREADSTAT_A_THREAD_TID, tid);
	ts_attr_u32(&w, THREADSTAT_A_THREAD_TGID, tgid);
	ts_attr_u32(&w, THREADSTAT_A_THREAD_PPID, ppid);
	ts_attr_string(&w, THREADSTAT_A_THREAD_COMM, comm, sizeof(comm));
	ts_attr_u32(&w, THREADSTAT_A_THREAD_UID, uid);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_START_TIME, ts_start_time(task),
		    TS_ATTR_PAD);
	if (task->flags & PF_KTHREAD)
		ts_attr_flag(&w, THREADSTAT_A_THREAD_KTHREAD);
	ts_attr_end(&w);
	return 0;
}

/* Scheduling: state, seven 32-bit values, CPU set, ten u64, on_cpu. */
static int ts_sched_room(void)
{
	return nla_total_size(sizeof(u8)) + 7 * TS_ATTR_ROOM_U32 +
	       nla_total_size(ts_cpumask_bytes()) + 10 * TS_ATTR_ROOM_U64 +
	       TS_ATTR_ROOM_FLAG;
}

static int ts_fill_sched(struct sk_buff *skb, struct task_struct *task)
{
	struct ts_attr_writer w;
	u64 utime, stime;

	task_cputime_adjusted(task, &utime, &stime);

	if (ts_attr_begin(&w, skb, ts_sched_room()))
		return -EMSGSIZE;
	ts_attr_u8(&w, THREADSTAT_A_THREAD_STATE, task_state_to_char(task));
	ts_attr_u32(&w, THREADSTAT_A_THREAD_CPU, task_cpu(task));
	ts_attr_u32(&w, THREADSTAT_A_THREAD_POLICY, task->policy);
	ts_attr_s32(&w, THREADSTAT_A_THREAD_NICE, task_nice(task));
	ts_attr_s32(&w, THREADSTAT_A_THREAD_PRIO, task->prio - MAX_RT_PRIO);
	ts_attr_s32(&w, THREADSTAT_A_THREAD_STATIC_PRIO, task->static_prio);
	ts_attr_u32(&w, THREADSTAT_A_THREAD_RT_PRIORITY, task->rt_priority);
	ts_attr_put(&w, THREADSTAT_A_THREAD_CPUS_ALLOWED,
		    cpumask_bits(task->cpus_ptr), ts_cpumask_bytes());
	ts_attr_u32(&w, THREADSTAT_A_THREAD_NR_CPUS_ALLOWED,
		    task->nr_cpus_allowed);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME,
		    task->se.sum_exec_runtime, TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_UTIME, utime, TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_STIME, stime, TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_RUN_DELAY,
		    task->sched_info.run_delay, TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_PCOUNT, task->sched_info.pcount,
		    TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_NVCSW, task->nvcsw, TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_NIVCSW, task->nivcsw, TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_NR_MIGRATIONS,
		    task->se.nr_migrations, TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_MIN_FLT, task->min_flt,
		    TS_ATTR_PAD);
	ts_attr_u64(&w, THREADSTAT_A_THREAD_MAJ_FLT, task->maj_flt,
		    TS_ATTR_PAD);
	if (READ_ONCE(task->on_cpu))
		ts_attr_flag(&w, THREADSTAT_A_THREAD_ON_CPU);
	ts_attr_end(&w);
	return 0;
}

/**
 * ts_thread_fill() - put one thread's attributes into a reply
 * @skb: message being built, its genetlink header already in place
 * @task: the thread; the caller holds a reference on it
 * @view: requester and requested field groups
 *
 * Return: 0, -EMSGSIZE when @skb is full, or -ESRCH when the thread was
 * reaped and has no ids left.
 */
int ts_thread_fill(struct sk_buff *skb, struct task_struct *task,
		   const struct ts_view *view)
{
	u32 fields, withheld;
	int err;

	/* hidepid: a thread the caller may not know of is "not found". */
	if (!ts_access_visible(task, view))
		return -ESRCH;

	err = ts_fill_identity(skb, task, view);
	if (err)
		return err;

	withheld = view->withheld | ts_access_withheld(task, view);
	if (withheld &&
	    nla_put_u32(skb, THREADSTAT_A_THREAD_WITHHELD, withheld))
		return -EMSGSIZE;
	/* delayacct may be named in withheld and still partly sent. */
	fields = view->fields & ~(withheld & THREADSTAT_FIELDS_PRIVILEGED);

	if (view->fields & THREADSTAT_FIELDS_SCHED) {
		err = ts_fill_sched(skb, task);
		if (err)
			return err;
	}
	if (view->fields & THREADSTAT_FIELDS_SCHEDSTATS) {
		err = ts_fill_schedstats(skb, task, view);
		if (err)
			return err;
	}
	if (view->fields & THREADSTAT_FIELDS_DELAYACCT) {
		err = ts_fill_delayacct(skb, task, view);
		if (err)
			return err;
	}
	if (fields & THREADSTAT_FIELDS_STACK) {
		err = ts_fill_stack(skb, task, view);
		if (err)
			return err;
	}
	if (fields & THREADSTAT_FIELDS_KSTACK) {
		err = ts_fill_kstack(skb, task, view);
		if (err)
			return err;
	}
	if (fields & THREADSTAT_FIELDS_REGS) {
		err = ts_fill_regs(skb, task, view);
		if (err)
			return err;
	}
	if (fields & THREADSTAT_FIELDS_WAIT) {
		err = ts_fill_wait(skb, task, view);
		if (err)
			return err;
	}
	/* Like /proc/PID/schedstat: anyone who sees the thread. */
	if (fields & THREADSTAT_FIELDS_LATENCY) {
		err = ts_fill_latency(skb, task);
		if (err)
			return err;
	}
	return 0;
}
