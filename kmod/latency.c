// SPDX-License-Identifier: GPL-2.0
/*
 * Run-queue latency per thread (group latency; contract in the UAPI
 * header): the time from wakeup (sched_wakeup, sched_wakeup_new) or
 * preemption (sched_switch with the previous task still runnable) to the
 * sched_switch that runs the thread again, kept as a log2 histogram with
 * count, sum and maximum.
 *
 * Off by default and off means no probe: the probes and the table exist
 * only while at least one socket holds measurement on (LATENCY_SET on=1,
 * CAP_SYS_ADMIN); a hold ends with on=0 or when its socket is released
 * (the NETLINK_URELEASE notifier in events.c calls ts_latency_release()).
 *
 * State is bounded: a table of TS_LAT_CAP records allocated when turned
 * on, hashed by task (not tid: a tid is reused before the old task is
 * freed) into buckets each under its
 * own raw spinlock (the probes run under the runqueue lock with interrupts
 * off, so nothing here sleeps or takes a sleeping lock). A thread gets a
 * record at its first wait and gives it back when the task is freed
 * (sched_process_free); a wait that finds no free record is counted in
 * "overflow" and not measured.
 *
 * Timestamps are sched_clock_cpu() of the CPU the probe runs on, as the
 * scheduler's own run_delay accounting uses per-CPU clocks.
 */
#include <linux/capability.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "threadstat.h"

#define TS_LAT_CAP		8192	/* threads tracked at once: 2.5 MiB */
#define TS_LAT_HASH_BITS	12	/* 4096 buckets */
#define TS_LAT_HOLDERS_MAX	64	/* sockets holding it on */

/**
 * struct ts_lat_rec - one thread's waits
 * @next:	next record in the bucket, or in the free list
 * @task:	the thread (a key only, never dereferenced); NULL when free
 * @queued:	when it became runnable, 0 while it runs or sleeps
 * @count:	waits measured
 * @sum:	their total, ns
 * @max:	the longest, ns
 * @hist:	log2 histogram, see the UAPI header
 */
struct ts_lat_rec {
	struct ts_lat_rec *next;
	const struct task_struct *task;
	u64 queued;
	u64 count, sum, max;
	u64 hist[THREADSTAT_LATENCY_BUCKETS];
};

struct ts_lat_bucket {
	raw_spinlock_t lock;
	struct ts_lat_rec *head;
};

/**
 * struct ts_lat_table - everything that exists only while it is on
 * @buckets:	the hash of records by tid
 * @free:	records not in use, under @free_lock
 * @free_lock:	guards @free
 * @tracked:	records in use
 * @overflow:	waits not measured for lack of a record
 * @recs:	the TS_LAT_CAP records
 */
struct ts_lat_table {
	struct ts_lat_bucket buckets[1 << TS_LAT_HASH_BITS];
	struct ts_lat_rec *free;
	raw_spinlock_t free_lock;
	atomic_t tracked;
	atomic64_t overflow;
	struct ts_lat_rec recs[];
};

/* Published while the probes are registered; readers hold RCU. */
static struct ts_lat_table __rcu *ts_lat;

/* Who holds it on: (net, portid) pairs, under ts_lat_mutex. */
static struct {
	struct net *net;
	u32 portid;
} ts_lat_holders[TS_LAT_HOLDERS_MAX];
static unsigned int ts_lat_nr_holders;
static DEFINE_MUTEX(ts_lat_mutex);

static struct tracepoint *ts_tp_wakeup, *ts_tp_wakeup_new, *ts_tp_switch,
			 *ts_tp_free;

static struct ts_lat_bucket *ts_lat_bucket(struct ts_lat_table *t,
					   const struct task_struct *p)
{
	return &t->buckets[hash_ptr(p, TS_LAT_HASH_BITS)];
}

/* The record of @p in @b (its lock held), or NULL. */
static struct ts_lat_rec *ts_lat_find(struct ts_lat_bucket *b,
				      const struct task_struct *p)
{
	struct ts_lat_rec *r;

	for (r = b->head; r; r = r->next)
		if (r->task == p)
			return r;
	return NULL;
}

static struct ts_lat_rec *ts_lat_get(struct ts_lat_table *t,
				     struct ts_lat_bucket *b,
				     const struct task_struct *p)
{
	struct ts_lat_rec *r = ts_lat_find(b, p);

	if (r)
		return r;
	raw_spin_lock(&t->free_lock);
	r = t->free;
	if (r)
		t->free = r->next;
	raw_spin_unlock(&t->free_lock);
	if (!r) {
		atomic64_inc(&t->overflow);
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->task = p;
	r->next = b->head;
	b->head = r;
	atomic_inc(&t->tracked);
	return r;
}

/* @p became runnable (woken, new, or preempted): start its wait. */
static void ts_lat_queued(struct task_struct *p)
{
	struct ts_lat_table *t;
	struct ts_lat_bucket *b;
	struct ts_lat_rec *r;
	unsigned long flags;

	if (is_idle_task(p))
		return;
	t = rcu_dereference_sched(ts_lat);
	if (!t)
		return;
	b = ts_lat_bucket(t, p);
	raw_spin_lock_irqsave(&b->lock, flags);
	r = ts_lat_get(t, b, p);
	if (r && !r->queued)
		r->queued = sched_clock_cpu(raw_smp_processor_id());
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/* @p runs: end its wait, if one was started. */
static void ts_lat_runs(struct task_struct *p)
{
	struct ts_lat_table *t;
	struct ts_lat_bucket *b;
	struct ts_lat_rec *r;
	unsigned long flags;
	u64 now, d;

	if (is_idle_task(p))
		return;
	t = rcu_dereference_sched(ts_lat);
	if (!t)
		return;
	b = ts_lat_bucket(t, p);
	raw_spin_lock_irqsave(&b->lock, flags);
	r = ts_lat_find(b, p);
	if (r && r->queued) {
		now = sched_clock_cpu(raw_smp_processor_id());
		/* Clocks of two CPUs may differ a little: never negative. */
		d = now > r->queued ? now - r->queued : 0;
		r->queued = 0;
		r->count++;
		r->sum += d;
		if (d > r->max)
			r->max = d;
		r->hist[min_t(unsigned int, d > 1 ? ilog2(d) : 0,
			      THREADSTAT_LATENCY_BUCKETS - 1)]++;
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

static void ts_lat_probe_wakeup(void *data, struct task_struct *p)
{
	ts_lat_queued(p);
}

static void ts_lat_probe_switch(void *data, bool preempt,
				struct task_struct *prev,
				struct task_struct *next,
				unsigned int prev_state)
{
	/* A task switched out while still runnable waits from now. */
	if (prev_state == TASK_RUNNING)
		ts_lat_queued(prev);
	ts_lat_runs(next);
}

/* The task is gone for good: give its record back. */
static void ts_lat_probe_free(void *data, struct task_struct *p)
{
	struct ts_lat_rec **pp, *r = NULL;
	struct ts_lat_table *t;
	struct ts_lat_bucket *b;
	unsigned long flags;

	rcu_read_lock_sched();
	t = rcu_dereference_sched(ts_lat);
	if (!t)
		goto out;
	b = ts_lat_bucket(t, p);
	raw_spin_lock_irqsave(&b->lock, flags);
	for (pp = &b->head; *pp; pp = &(*pp)->next) {
		if ((*pp)->task == p) {
			r = *pp;
			*pp = r->next;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
	if (r) {
		raw_spin_lock_irqsave(&t->free_lock, flags);
		r->task = NULL;
		r->next = t->free;
		t->free = r;
		raw_spin_unlock_irqrestore(&t->free_lock, flags);
		atomic_dec(&t->tracked);
	}
out:
	rcu_read_unlock_sched();
}

static struct ts_lat_table *ts_lat_alloc(void)
{
	struct ts_lat_table *t;
	unsigned int i;

	t = vzalloc(struct_size(t, recs, TS_LAT_CAP));
	if (!t)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(t->buckets); i++)
		raw_spin_lock_init(&t->buckets[i].lock);
	raw_spin_lock_init(&t->free_lock);
	for (i = 0; i < TS_LAT_CAP; i++) {
		t->recs[i].next = t->free;
		t->free = &t->recs[i];
	}
	return t;
}

static int ts_lat_on(void)
{
	struct ts_lat_table *t;
	int err;

	lockdep_assert_held(&ts_lat_mutex);
	if (rcu_access_pointer(ts_lat))
		return 0;
	if (!ts_tp_wakeup || !ts_tp_wakeup_new || !ts_tp_switch || !ts_tp_free)
		return -EOPNOTSUPP;
	t = ts_lat_alloc();
	if (!t)
		return -ENOMEM;
	rcu_assign_pointer(ts_lat, t);
	err = tracepoint_probe_register(ts_tp_free, ts_lat_probe_free, NULL);
	if (err)
		goto free;
	err = tracepoint_probe_register(ts_tp_switch, ts_lat_probe_switch, NULL);
	if (err)
		goto unfree;
	err = tracepoint_probe_register(ts_tp_wakeup, ts_lat_probe_wakeup, NULL);
	if (err)
		goto unswitch;
	err = tracepoint_probe_register(ts_tp_wakeup_new, ts_lat_probe_wakeup,
					NULL);
	if (!err)
		return 0;
	tracepoint_probe_unregister(ts_tp_wakeup, ts_lat_probe_wakeup, NULL);
unswitch:
	tracepoint_probe_unregister(ts_tp_switch, ts_lat_probe_switch, NULL);
unfree:
	tracepoint_probe_unregister(ts_tp_free, ts_lat_probe_free, NULL);
free:
	RCU_INIT_POINTER(ts_lat, NULL);
	tracepoint_synchronize_unregister();
	vfree(t);
	return err;
}

static void ts_lat_off(void)
{
	struct ts_lat_table *t = rcu_dereference_protected(ts_lat,
				lockdep_is_held(&ts_lat_mutex));

	if (!t)
		return;
	tracepoint_probe_unregister(ts_tp_wakeup_new, ts_lat_probe_wakeup,
				    NULL);
	tracepoint_probe_unregister(ts_tp_wakeup, ts_lat_probe_wakeup, NULL);
	tracepoint_probe_unregister(ts_tp_switch, ts_lat_probe_switch, NULL);
	tracepoint_probe_unregister(ts_tp_free, ts_lat_probe_free, NULL);
	RCU_INIT_POINTER(ts_lat, NULL);
	/* Probes and readers (ts_fill_latency, under RCU) are done after. */
	tracepoint_synchronize_unregister();
	vfree(t);
}

static int ts_lat_holder(struct net *net, u32 portid)
{
	unsigned int i;

	for (i = 0; i < ts_lat_nr_holders; i++)
		if (ts_lat_holders[i].portid == portid &&
		    net_eq(ts_lat_holders[i].net, net))
			return i;
	return -1;
}

static void ts_lat_drop_holder(int i)
{
	ts_lat_holders[i] = ts_lat_holders[--ts_lat_nr_holders];
	if (!ts_lat_nr_holders)
		ts_lat_off();
}

/**
 * ts_latency_release() - a netlink socket is gone: drop its hold, if any
 * @net: its network namespace
 * @portid: its port id
 */
void ts_latency_release(struct net *net, u32 portid)
{
	int i;

	mutex_lock(&ts_lat_mutex);
	i = ts_lat_holder(net, portid);
	if (i >= 0)
		ts_lat_drop_holder(i);
	mutex_unlock(&ts_lat_mutex);
}

const struct nla_policy ts_latency_policy[THREADSTAT_A_LATENCY_MAX + 1] = {
	[THREADSTAT_A_LATENCY_ON] = NLA_POLICY_MAX(NLA_U32, 1),
};

static int ts_lat_set(struct genl_info *info, bool on)
{
	struct net *net = genl_info_net(info);
	int i, err = 0;

	lockdep_assert_held(&ts_lat_mutex);
	i = ts_lat_holder(net, info->snd_portid);
	if (!on) {
		if (i >= 0) {
			ts_lat_drop_holder(i);
		} else {
			/* An administrator's off from outside: everyone's. */
			ts_lat_nr_holders = 0;
			ts_lat_off();
		}
		return 0;
	}
	if (i >= 0)
		return 0;
	if (ts_lat_nr_holders == TS_LAT_HOLDERS_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many sockets hold latency on");
		return -EBUSY;
	}
	err = ts_lat_on();
	if (err) {
		NL_SET_ERR_MSG(info->extack,
			       "cannot register the latency probes");
		return err;
	}
	ts_lat_holders[ts_lat_nr_holders].net = net;
	ts_lat_holders[ts_lat_nr_holders].portid = info->snd_portid;
	ts_lat_nr_holders++;
	return 0;
}

static int ts_lat_put_state(struct sk_buff *msg)
{
	struct ts_lat_table *t = rcu_dereference_protected(ts_lat,
				lockdep_is_held(&ts_lat_mutex));

	if (nla_put_u8(msg, THREADSTAT_A_LATENCY_ENABLED, !!t) ||
	    nla_put_u32(msg, THREADSTAT_A_LATENCY_HOLDERS, ts_lat_nr_holders) ||
	    nla_put_u32(msg, THREADSTAT_A_LATENCY_CAPACITY, TS_LAT_CAP))
		return -EMSGSIZE;
	if (t && (nla_put_u32(msg, THREADSTAT_A_LATENCY_TRACKED,
			      atomic_read(&t->tracked)) ||
		  ts_put_u64(msg, THREADSTAT_A_LATENCY_OVERFLOW,
			     atomic64_read(&t->overflow))))
		return -EMSGSIZE;
	return 0;
}

/**
 * ts_latency_set_doit() - THREADSTAT_CMD_LATENCY_SET
 * @skb: the request
 * @info: its attributes (validated against ts_latency_policy)
 *
 * Return: 0 or a negative errno, with an extack message.
 */
int ts_latency_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *on = info->attrs[THREADSTAT_A_LATENCY_ON];
	struct sk_buff *msg;
	void *hdr;
	int err = 0;

	if (on && !netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "turning latency on or off needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ts_family, 0,
				THREADSTAT_CMD_LATENCY_SET);
	mutex_lock(&ts_lat_mutex);
	if (on)
		err = ts_lat_set(info, nla_get_u32(on));
	if (!err && (!hdr || ts_lat_put_state(msg)))
		err = -EMSGSIZE;
	mutex_unlock(&ts_lat_mutex);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * ts_fill_latency() - the latency group of one thread
 * @skb: message being built
 * @task: the thread
 * @view: the request
 *
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
int ts_fill_latency(struct sk_buff *skb, struct task_struct *task,
		    const struct ts_view *view)
{
	struct ts_lat_rec copy, *r;
	struct ts_lat_table *t;
	struct ts_lat_bucket *b;
	unsigned long flags;
	struct nlattr *nest;
	bool found = false;

	rcu_read_lock_sched();
	t = rcu_dereference_sched(ts_lat);
	if (t) {
		b = ts_lat_bucket(t, task);
		raw_spin_lock_irqsave(&b->lock, flags);
		r = ts_lat_find(b, task);
		if (r && r->count) {
			copy = *r;
			found = true;
		}
		raw_spin_unlock_irqrestore(&b->lock, flags);
	}
	rcu_read_unlock_sched();

	if (nla_put_u8(skb, THREADSTAT_A_THREAD_LATENCY_ENABLED, !!t))
		return -EMSGSIZE;
	if (!found)
		return 0;
	nest = nla_nest_start_noflag(skb, THREADSTAT_A_THREAD_LATENCY);
	if (!nest ||
	    ts_put_u64(skb, THREADSTAT_A_LATENCY_COUNT, copy.count) ||
	    ts_put_u64(skb, THREADSTAT_A_LATENCY_SUM, copy.sum) ||
	    ts_put_u64(skb, THREADSTAT_A_LATENCY_MAX_WAIT, copy.max) ||
	    nla_put(skb, THREADSTAT_A_LATENCY_HIST, sizeof(copy.hist),
		    copy.hist))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static void ts_find_latency_tracepoints(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_wakeup"))
		ts_tp_wakeup = tp;
	else if (!strcmp(tp->name, "sched_wakeup_new"))
		ts_tp_wakeup_new = tp;
	else if (!strcmp(tp->name, "sched_switch"))
		ts_tp_switch = tp;
	else if (!strcmp(tp->name, "sched_process_free"))
		ts_tp_free = tp;
}

/**
 * ts_latency_init() - find the tracepoints; nothing is registered yet
 */
void ts_latency_init(void)
{
	for_each_kernel_tracepoint(ts_find_latency_tracepoints, NULL);
}

/**
 * ts_latency_exit() - turn it off whoever holds it
 *
 * Called after the family and the socket notifier are gone.
 */
void ts_latency_exit(void)
{
	mutex_lock(&ts_lat_mutex);
	ts_lat_nr_holders = 0;
	ts_lat_off();
	mutex_unlock(&ts_lat_mutex);
}
