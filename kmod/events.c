// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle events: thread start, exec, rename and exit, sent to the
 * sockets that subscribed with THREADSTAT_CMD_EVENTS_SUBSCRIBE (the
 * contract is in the UAPI header).
 *
 * Why unicast to subscribers rather than a multicast group: 6.1's generic
 * netlink has no bind callback (nothing would tell the module that someone
 * listens, so probes could not be registered only while someone does),
 * 6.12's bind callback cannot refuse a socket (its return value is
 * ignored), and a multicast drop tells nobody how many events were lost.
 * A subscription is a request: it can be refused with an extack, it is
 * counted, and every subscriber has its own lost count. It ends when the
 * socket is closed (NETLINK_URELEASE notifier, both kernels).
 *
 * The probes run in the exiting, forking, exec'ing or renaming task with
 * preemption off (task_rename also under task_lock). They never sleep and
 * never wait: the event is copied into a fixed ring under a spinlock and a
 * delayed work item sends it (why delayed: at TS_EV_DELAY below). When
 * the ring is full the event is dropped and counted on every subscriber
 * that wanted it; when a subscriber's socket buffer is full, the
 * messages for it are dropped (non-blocking unicast) and counted on it.
 * The next message a subscriber gets carries its count.
 *
 * Ids are init_pid_ns ones; subscribers from other pid namespaces are
 * refused, so no id is ever wrong for the reader.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/sched/clock.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "threadstat.h"

/* Ring slots (a power of two): ~600 KiB, allocated at the first subscription. */
#define TS_EV_RING	4096
/* Events taken off the ring per pass of the sender. */
#define TS_EV_BATCH	64
/*
 * How long the sender gathers: it runs TS_EV_DELAY (one jiffy) after the
 * first event of a batch, or at once when the ring is TS_EV_SOON full.
 * Sending each event at once meant, per exit, a kworker woken for about
 * one event and a listener woken for one datagram: two more context
 * switches per exit. At one 1 GIPS CPU (6.1 under icount) that held an
 * exit storm to ~7200 exits/s with a listener, against ~14400/s without
 * one; gathering gives ~11900/s (6.12: ~12700 -> ~15800, 18100 without;
 * README, "Exit storm"), for datagrams of about 17 exit events (~210
 * bytes each) and one wakeup of each per run. The cost: an event reaches
 * the listener up to one jiffy (4 ms at Debian's HZ=250) plus the
 * kworker's scheduling later than before. A quarter of the ring (1024
 * events) is ~85 ms of a 12k/s storm, so the ring does not fill at rates
 * a listener keeps up with. The subscribe request (the barrier) still
 * sends what is pending at once.
 */
#define TS_EV_DELAY	1
#define TS_EV_SOON	(TS_EV_RING / 4)

/**
 * struct ts_event - one event as the probe saw it
 * @type:	enum threadstat_event_type
 * @thread:	start: a thread of an existing process
 * @group_dead:	exit: the last thread of its process
 * @cpu:	CPU it happened on
 * @tid:	thread id, initial pid namespace
 * @tgid:	process id
 * @ppid:	parent process id
 * @exit_code:	exit: wait(2) status
 * @time:	CLOCK_MONOTONIC ns
 * @comm:	name after the event
 * @old_comm:	rename: name before
 * @lifetime:	exit: the numbers of the thread's whole life (below)
 * @sum_exec:	CPU time, ns
 * @utime:	user part, adjusted as /proc
 * @stime:	system part
 * @nvcsw:	voluntary switches
 * @nivcsw:	involuntary switches
 * @migrations:	migrations between CPUs
 * @min_flt:	minor faults
 * @maj_flt:	major faults
 * @run_delay:	ns waiting on a run queue
 */
struct ts_event {
	u8 type;
	bool thread;
	bool group_dead;
	u32 cpu;
	pid_t tid, tgid, ppid;
	u32 exit_code;
	u64 time;
	char comm[TASK_COMM_LEN];
	char old_comm[TASK_COMM_LEN];
	u64 lifetime, sum_exec, utime, stime, nvcsw, nivcsw, migrations;
	u64 min_flt, maj_flt, run_delay;
};

/**
 * struct ts_subscriber - a socket that gets events
 * @node:	on ts_subs (RCU for the probes, ts_ev_mutex for the rest)
 * @net:	the socket's network namespace (the socket holds it; we drop
 *		the subscriber when the socket is released)
 * @portid:	the socket's port id
 * @types:	mask of 1 << THREADSTAT_EVENT_TYPE_*
 * @tgid:	only this process's events, or 0
 * @lost:	events it wanted that were dropped since its last message
 * @rcu:	freeing after the probes are done with it
 */
struct ts_subscriber {
	struct list_head node;
	struct net *net;
	u32 portid;
	u32 types;
	u32 tgid;
	atomic64_t lost;
	struct rcu_head rcu;
};

static LIST_HEAD(ts_subs);
/* Subscriber list writers, probe (un)registration, the sender's sends. */
static DEFINE_MUTEX(ts_ev_mutex);
static bool ts_ev_probes_on;

/* The ring: written by probes, read by the sender, under ts_ring_lock. */
static DEFINE_SPINLOCK(ts_ring_lock);
static struct ts_event *ts_ring;
static unsigned int ts_ring_head, ts_ring_tail;	/* free running */
static struct ts_event *ts_ev_batch;		/* the sender's copy */

static void ts_ev_send_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(ts_ev_work, ts_ev_send_work);

static struct tracepoint *ts_tp_newtask, *ts_tp_exec, *ts_tp_rename,
			 *ts_tp_exit;

static bool ts_sub_wants(const struct ts_subscriber *s, const struct ts_event *e)
{
	return (s->types & BIT(e->type)) && (!s->tgid || s->tgid == e->tgid);
}

/* Called by the probes only: the ring is there while they are registered. */
static void ts_ev_push(const struct ts_event *e)
{
	unsigned int used;
	unsigned long flags;
	bool full;

	spin_lock_irqsave(&ts_ring_lock, flags);
	used = ts_ring_head - ts_ring_tail;
	full = used >= TS_EV_RING;
	if (!full) {
		ts_ring[ts_ring_head & (TS_EV_RING - 1)] = *e;
		ts_ring_head++;
		used++;
	}
	spin_unlock_irqrestore(&ts_ring_lock, flags);

	if (full) {
		struct ts_subscriber *s;

		rcu_read_lock();
		list_for_each_entry_rcu(s, &ts_subs, node)
			if (ts_sub_wants(s, e))
				atomic64_inc(&s->lost);
		rcu_read_unlock();
	}
	/*
	 * Neither sleeps. The ring fills one event at a time, so one push
	 * sees it reach TS_EV_SOON and moves a pending send to now; the
	 * others find the send pending (a test_and_set_bit) or arm it.
	 */
	if (used == TS_EV_SOON)
		mod_delayed_work(system_unbound_wq, &ts_ev_work, 0);
	else
		queue_delayed_work(system_unbound_wq, &ts_ev_work, TS_EV_DELAY);
}

static void ts_ev_identify(struct ts_event *e, u8 type, struct task_struct *t)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->cpu = raw_smp_processor_id();
	e->time = ktime_get_mono_fast_ns();
	e->tid = t->pid;
	e->tgid = t->tgid;
	rcu_read_lock();
	e->ppid = rcu_dereference(t->real_parent)->tgid;
	rcu_read_unlock();
	/* May race with a rename: a torn name is still NUL-terminated. */
	strscpy(e->comm, t->comm, sizeof(e->comm));
}

static void ts_probe_newtask(void *data, struct task_struct *t,
			     unsigned long clone_flags)
{
	struct ts_event e;

	ts_ev_identify(&e, THREADSTAT_EVENT_TYPE_START, t);
	e.thread = clone_flags & CLONE_THREAD;
	ts_ev_push(&e);
}

static void ts_probe_exec(void *data, struct task_struct *t, pid_t old_pid,
			  struct linux_binprm *bprm)
{
	struct ts_event e;

	ts_ev_identify(&e, THREADSTAT_EVENT_TYPE_EXEC, t);
	ts_ev_push(&e);
}

static void ts_probe_rename(void *data, struct task_struct *t,
			    const char *comm)
{
	struct ts_event e;

	ts_ev_identify(&e, THREADSTAT_EVENT_TYPE_RENAME, t);
	/* The tracepoint fires before the new name is copied in. */
	memcpy(e.old_comm, e.comm, sizeof(e.old_comm));
	strscpy(e.comm, comm, sizeof(e.comm));
	ts_ev_push(&e);
}

/*
 * The CPU time @t (current) has used up to now, in ns, and its user and
 * system parts, scaled to it as /proc scales them. se.sum_exec_runtime
 * lacks the slice since the thread's last tick or switch: a worker that
 * runs less than a tick without leaving its CPU would report 0. That
 * slice is what task_sched_runtime() (not exported) adds: the run queue
 * clock now less se.exec_start. Without IRQ or paravirt time accounting
 * (Debian's 6.1 and 6.12 configs) the run queue's task clock is
 * sched_clock_cpu() of the CPU, which is exported; with either, the task
 * clock runs behind it and the slice cannot be told, so it is left out.
 * Interrupts are off so that a tick cannot account the slice in between.
 */
static void ts_exit_cputime(struct task_struct *t, struct ts_event *e)
{
	u64 sum, slice = 0, ut, st, old;
	unsigned long flags;

	local_irq_save(flags);
	sum = t->se.sum_exec_runtime;
#if !IS_ENABLED(CONFIG_IRQ_TIME_ACCOUNTING) && \
	!IS_ENABLED(CONFIG_PARAVIRT_TIME_ACCOUNTING)
	{
		u64 now = sched_clock_cpu(smp_processor_id());
		u64 start = READ_ONCE(t->se.exec_start);

		if (now > start)
			slice = now - start;
	}
#endif
	local_irq_restore(flags);

	task_cputime_adjusted(t, &ut, &st);
	e->sum_exec = sum + slice;
	old = ut + st;
	/* The kernel's split of what it accounted, applied to the total. */
	if (!old) {
		ut = e->sum_exec;
	} else if (old < e->sum_exec) {
		ut = mul_u64_u64_div_u64(ut, e->sum_exec, old);
		st = e->sum_exec - ut;
	}
	e->utime = ut;
	e->stime = st;
}

/*
 * Runs in the exiting thread (current), after exit_mm(), before it dies:
 * what it does after this (its last few microseconds) is not counted.
 */
static void ts_probe_exit(void *data, struct task_struct *t)
{
	struct ts_event e;

	ts_ev_identify(&e, THREADSTAT_EVENT_TYPE_EXIT, t);
	e.lifetime = e.time - t->start_time;
	ts_exit_cputime(t, &e);
	e.nvcsw = t->nvcsw;
	e.nivcsw = t->nivcsw;
	e.migrations = t->se.nr_migrations;
	e.min_flt = t->min_flt;
	e.maj_flt = t->maj_flt;
	e.run_delay = t->sched_info.run_delay;
	e.exit_code = t->exit_code;
	e.group_dead = !atomic_read(&t->signal->live);
	ts_ev_push(&e);
}

static int ts_ev_put(struct sk_buff *skb, const struct ts_event *e, u64 lost)
{
	void *hdr = genlmsg_put(skb, 0, 0, &ts_family, 0, THREADSTAT_CMD_EVENT);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, THREADSTAT_A_EVENT_TYPE, e->type) ||
	    nla_put_u32(skb, THREADSTAT_A_EVENT_TID, e->tid) ||
	    nla_put_u32(skb, THREADSTAT_A_EVENT_TGID, e->tgid) ||
	    nla_put_u32(skb, THREADSTAT_A_EVENT_PPID, e->ppid) ||
	    nla_put_string(skb, THREADSTAT_A_EVENT_COMM, e->comm) ||
	    ts_put_u64(skb, THREADSTAT_A_EVENT_TIME, e->time) ||
	    nla_put_u32(skb, THREADSTAT_A_EVENT_CPU, e->cpu) ||
	    (lost && ts_put_u64(skb, THREADSTAT_A_EVENT_LOST, lost)) ||
	    (e->thread && nla_put_flag(skb, THREADSTAT_A_EVENT_THREAD)))
		goto cancel;
	if (e->type == THREADSTAT_EVENT_TYPE_RENAME &&
	    nla_put_string(skb, THREADSTAT_A_EVENT_OLD_COMM, e->old_comm))
		goto cancel;
	if (e->type == THREADSTAT_EVENT_TYPE_EXIT &&
	    (ts_put_u64(skb, THREADSTAT_A_EVENT_LIFETIME, e->lifetime) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_SUM_EXEC_RUNTIME, e->sum_exec) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_UTIME, e->utime) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_STIME, e->stime) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_NVCSW, e->nvcsw) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_NIVCSW, e->nivcsw) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_NR_MIGRATIONS, e->migrations) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_MIN_FLT, e->min_flt) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_MAJ_FLT, e->maj_flt) ||
	     ts_put_u64(skb, THREADSTAT_A_EVENT_RUN_DELAY, e->run_delay) ||
	     nla_put_u32(skb, THREADSTAT_A_EVENT_EXIT_CODE, e->exit_code) ||
	     (e->group_dead &&
	      nla_put_flag(skb, THREADSTAT_A_EVENT_GROUP_DEAD))))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * Send @n events to one subscriber, as many per datagram as fit. The first
 * message of a datagram carries what was lost before it; a datagram that
 * cannot be queued (socket buffer full) is counted as lost whole.
 */
static void ts_ev_send_to(struct ts_subscriber *s, const struct ts_event *ev,
			  unsigned int n)
{
	unsigned int i = 0;

	while (i < n) {
		u64 lost = atomic64_xchg(&s->lost, 0);
		struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
		unsigned int sent = 0;

		if (!skb) {
			for (; i < n; i++)
				sent += ts_sub_wants(s, &ev[i]);
			atomic64_add(lost + sent, &s->lost);
			return;
		}
		/* One event always fits in an empty message. */
		for (; i < n; i++) {
			if (!ts_sub_wants(s, &ev[i]))
				continue;
			if (ts_ev_put(skb, &ev[i], sent ? 0 : lost))
				break;
			sent++;
		}
		if (!sent) {
			/* Nothing it wants here: the count waits for one. */
			nlmsg_free(skb);
			atomic64_add(lost, &s->lost);
			return;
		}
		if (genlmsg_unicast(s->net, skb, s->portid))
			atomic64_add(lost + sent, &s->lost);
	}
}

/*
 * Sends what the ring holds, at most a ring's worth per run (then it
 * queues itself again, to run at once), so that a barrier
 * (ts_events_subscribe_doit) waits for a bounded amount of work under an
 * exit storm.
 */
static void ts_ev_send_work(struct work_struct *work)
{
	unsigned int sent = 0;

	for (;;) {
		struct ts_subscriber *s;
		unsigned int n = 0;

		if (sent >= TS_EV_RING) {
			/* Now, even if a probe has armed it for later. */
			mod_delayed_work(system_unbound_wq, &ts_ev_work, 0);
			return;
		}

		spin_lock_irq(&ts_ring_lock);
		while (n < TS_EV_BATCH && ts_ring_tail != ts_ring_head) {
			ts_ev_batch[n++] =
				ts_ring[ts_ring_tail & (TS_EV_RING - 1)];
			ts_ring_tail++;
		}
		spin_unlock_irq(&ts_ring_lock);
		if (!n)
			return;

		mutex_lock(&ts_ev_mutex);
		list_for_each_entry(s, &ts_subs, node)
			ts_ev_send_to(s, ts_ev_batch, n);
		mutex_unlock(&ts_ev_mutex);
		sent += n;
		cond_resched();
	}
}

static void ts_ev_probes_off(void)
{
	lockdep_assert_held(&ts_ev_mutex);
	if (!ts_ev_probes_on)
		return;
	tracepoint_probe_unregister(ts_tp_newtask, ts_probe_newtask, NULL);
	tracepoint_probe_unregister(ts_tp_exec, ts_probe_exec, NULL);
	tracepoint_probe_unregister(ts_tp_rename, ts_probe_rename, NULL);
	tracepoint_probe_unregister(ts_tp_exit, ts_probe_exit, NULL);
	ts_ev_probes_on = false;
}

static int ts_ev_probes_register(void)
{
	int err;

	lockdep_assert_held(&ts_ev_mutex);
	if (ts_ev_probes_on)
		return 0;
	if (!ts_ring) {
		ts_ring = vmalloc_array(TS_EV_RING, sizeof(*ts_ring));
		ts_ev_batch = kmalloc_array(TS_EV_BATCH, sizeof(*ts_ev_batch),
					    GFP_KERNEL);
		if (!ts_ring || !ts_ev_batch) {
			vfree(ts_ring);
			kfree(ts_ev_batch);
			ts_ring = NULL;
			ts_ev_batch = NULL;
			return -ENOMEM;
		}
	}
	err = tracepoint_probe_register(ts_tp_newtask, ts_probe_newtask, NULL);
	if (err)
		return err;
	err = tracepoint_probe_register(ts_tp_exec, ts_probe_exec, NULL);
	if (err)
		goto newtask;
	err = tracepoint_probe_register(ts_tp_rename, ts_probe_rename, NULL);
	if (err)
		goto exec;
	err = tracepoint_probe_register(ts_tp_exit, ts_probe_exit, NULL);
	if (err)
		goto rename;
	ts_ev_probes_on = true;
	return 0;
rename:
	tracepoint_probe_unregister(ts_tp_rename, ts_probe_rename, NULL);
exec:
	tracepoint_probe_unregister(ts_tp_exec, ts_probe_exec, NULL);
newtask:
	tracepoint_probe_unregister(ts_tp_newtask, ts_probe_newtask, NULL);
	return err;
}

static struct ts_subscriber *ts_sub_find(struct net *net, u32 portid)
{
	struct ts_subscriber *s;

	list_for_each_entry(s, &ts_subs, node)
		if (s->portid == portid && net_eq(s->net, net))
			return s;
	return NULL;
}

/*
 * Drop a subscriber; the last one takes the probes with it, and the send
 * pending for it runs now (to nobody: it empties the ring) rather than a
 * jiffy later. ts_ev_mutex is held, which the sender takes: no flush here.
 */
static void ts_sub_remove(struct ts_subscriber *s)
{
	lockdep_assert_held(&ts_ev_mutex);
	list_del_rcu(&s->node);
	kfree_rcu(s, rcu);
	if (list_empty(&ts_subs)) {
		ts_ev_probes_off();
		mod_delayed_work(system_unbound_wq, &ts_ev_work, 0);
	}
}

const struct nla_policy ts_events_policy[THREADSTAT_A_EVENT_MAX + 1] = {
	[THREADSTAT_A_EVENT_TYPES] =
		NLA_POLICY_MASK(NLA_U32, THREADSTAT_EVENT_TYPES_ALL),
	[THREADSTAT_A_EVENT_TGID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static int ts_events_reply(struct genl_info *info, u32 types, u32 tgid)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ts_family, 0,
				THREADSTAT_CMD_EVENTS_SUBSCRIBE);
	if (!hdr ||
	    nla_put_u32(msg, THREADSTAT_A_EVENT_TYPES, types) ||
	    (tgid && nla_put_u32(msg, THREADSTAT_A_EVENT_TGID, tgid))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * ts_events_subscribe_doit() - THREADSTAT_CMD_EVENTS_SUBSCRIBE
 * @skb: the request
 * @info: its attributes (validated against ts_events_policy)
 *
 * Subscribes the requesting socket (or changes or ends its subscription);
 * the probes are registered before the reply, so every event after it
 * arrives or is counted lost. It is also a barrier, from any socket: the
 * events the probes took before the request have been sent (or counted
 * lost) when it returns. A sampler that asks for it after a dump has the
 * exits of every thread missing from the dump in its event socket.
 *
 * Return: 0 or a negative errno, with an extack message.
 */
int ts_events_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	u32 types = THREADSTAT_EVENT_TYPES_ALL, tgid = 0;
	struct ts_subscriber *s;
	struct ts_view view = { };
	int err = 0;

	if (task_active_pid_ns(current) != &init_pid_ns) {
		NL_SET_ERR_MSG(info->extack,
			       "events carry initial pid namespace ids: subscribe from there");
		return -EPERM;
	}
	ts_access_view_init(&view, skb);
	if (view.hidepid && !netlink_capable(skb, CAP_SYS_PTRACE)) {
		NL_SET_ERR_MSG(info->extack,
			       "hidepid is set: events need CAP_SYS_PTRACE");
		return -EPERM;
	}
	if (info->attrs[THREADSTAT_A_EVENT_TYPES])
		types = nla_get_u32(info->attrs[THREADSTAT_A_EVENT_TYPES]);
	if (info->attrs[THREADSTAT_A_EVENT_TGID])
		tgid = nla_get_u32(info->attrs[THREADSTAT_A_EVENT_TGID]);
	if (!ts_tp_newtask || !ts_tp_exec || !ts_tp_rename || !ts_tp_exit) {
		NL_SET_ERR_MSG(info->extack,
			       "this kernel lacks a lifecycle tracepoint");
		return -EOPNOTSUPP;
	}
	/*
	 * The barrier: a send waiting for its timer is queued now (not a
	 * jiffy on), and this waits for it and for one that is running.
	 */
	flush_delayed_work(&ts_ev_work);

	mutex_lock(&ts_ev_mutex);
	s = ts_sub_find(net, info->snd_portid);
	if (!types) {
		if (s)
			ts_sub_remove(s);
		goto unlock;
	}
	if (s) {
		/* Changing the filter: the probes read both without a lock. */
		WRITE_ONCE(s->types, types);
		WRITE_ONCE(s->tgid, tgid);
		goto unlock;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		err = -ENOMEM;
		goto unlock;
	}
	err = ts_ev_probes_register();
	if (err) {
		kfree(s);
		NL_SET_ERR_MSG(info->extack, "cannot register the event probes");
		goto unlock;
	}
	s->net = net;
	s->portid = info->snd_portid;
	s->types = types;
	s->tgid = tgid;
	list_add_tail_rcu(&s->node, &ts_subs);
unlock:
	mutex_unlock(&ts_ev_mutex);
	if (err)
		return err;
	return ts_events_reply(info, types, tgid);
}

static int ts_ev_netlink_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct netlink_notify *n = ptr;
	struct ts_subscriber *s;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	mutex_lock(&ts_ev_mutex);
	s = ts_sub_find(n->net, n->portid);
	if (s)
		ts_sub_remove(s);
	mutex_unlock(&ts_ev_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block ts_ev_nb = {
	.notifier_call = ts_ev_netlink_event,
};

/**
 * ts_events_init() - find the tracepoints, watch for closed sockets
 *
 * A missing tracepoint is not fatal: subscribing then fails with an
 * extack.
 *
 * Return: 0 or the error of netlink_register_notifier().
 */
int ts_events_init(void)
{
	ts_tp_newtask = ts_tracepoint_lookup("task_newtask");
	ts_tp_exec = ts_tracepoint_lookup("sched_process_exec");
	ts_tp_rename = ts_tracepoint_lookup("task_rename");
	ts_tp_exit = ts_tracepoint_lookup("sched_process_exit");
	return netlink_register_notifier(&ts_ev_nb);
}

/**
 * ts_events_exit() - drop every subscriber; no probe or send runs after
 *
 * Called after the family is unregistered, so no subscription comes in.
 */
void ts_events_exit(void)
{
	struct ts_subscriber *s, *tmp;

	netlink_unregister_notifier(&ts_ev_nb);
	mutex_lock(&ts_ev_mutex);
	list_for_each_entry_safe(s, tmp, &ts_subs, node)
		ts_sub_remove(s);
	mutex_unlock(&ts_ev_mutex);
	tracepoint_synchronize_unregister();
	cancel_delayed_work_sync(&ts_ev_work);
	rcu_barrier();	/* the kfree_rcu()s above */
	vfree(ts_ring);
	kfree(ts_ev_batch);
}
