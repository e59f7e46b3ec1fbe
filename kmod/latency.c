// SPDX-License-Identifier: GPL-2.0
/*
 * Run-queue latency per thread (group latency; contract in the UAPI
 * header): each wait from a thread's wakeup or preemption to running
 * again, kept as a log2 histogram with count, sum and maximum.
 *
 * The scheduler already times every such wait for run_delay (sched_info,
 * CONFIG_SCHED_INFO, on in every Debian kernel): sched_info_enqueue()
 * stamps a wakeup (or a preempted task put back), sched_info_arrive() adds
 * "now - stamp" to run_delay when the task runs. So one probe suffices:
 * on sched_switch, the task switched out has had exactly one arrival since
 * it was last switched out, and the growth of its run_delay since then is
 * that wait, measured by the scheduler's own run-queue clock (a migration
 * while waiting adds its two parts). The histogram's sum therefore equals
 * the growth of /proc/PID/schedstat's run_delay from the thread's second
 * switch-out after turning on (the first sets the baseline) to its last
 * one; a wait is seen when the thread next leaves its CPU, not when it
 * starts to run. Own timestamps on sched_wakeup/sched_switch were tried
 * first: under qemu TCG a sleeper's sum came out 13% above run_delay, the
 * two clocks being read at different points of the same switch.
 *
 * Off means no probe: the probes and the table exist only between
 * ts_latency_start() and ts_latency_stop() (latency_set.c decides when).
 *
 * State is bounded: a table of TS_LAT_CAP records, allocated when it is
 * turned on, hashed by task pointer (not tid: a tid is reused before the
 * old task is freed) into buckets, each under its own raw spinlock (the
 * probe runs under the run-queue lock with interrupts off, so nothing here
 * sleeps, allocates or takes a sleeping lock). A thread takes a record at
 * its first switch-out and gives it back when the task is freed
 * (sched_process_free, which fires before the task_struct can be reused);
 * a switch-out that finds no free record is counted in "overflow".
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>

#include "threadstat.h"

#define TS_LAT_HASH_BITS	13	/* 8192 buckets for TS_LAT_CAP records */

/**
 * struct ts_lat_rec - one thread's waits
 * @next:	next record in the bucket, or in the free list
 * @task:	the thread (a key only, never dereferenced); NULL when free
 * @run_delay:	its sched_info.run_delay when last switched out
 * @pcount:	its sched_info.pcount (arrivals on a CPU) then
 * @count:	waits measured
 * @sum:	their total, ns
 * @max:	the longest, ns
 * @hist:	log2 histogram, see the UAPI header
 */
struct ts_lat_rec {
	struct ts_lat_rec *next;
	const struct task_struct *task;
	u64 run_delay;
	unsigned long pcount;
	u64 count, sum, max;
	u64 hist[THREADSTAT_LATENCY_BUCKETS];
};

struct ts_lat_bucket {
	raw_spinlock_t lock;
	struct ts_lat_rec *head;
};

/**
 * struct ts_lat_table - everything that exists only while it is on
 * @buckets:	records by task
 * @free:	records not in use, under @free_lock
 * @free_lock:	guards @free (taken inside a bucket lock, never around one)
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

/* Set while the probes are registered; probes and readers hold RCU-sched. */
static struct ts_lat_table __rcu *ts_lat;

static struct tracepoint *ts_tp_switch, *ts_tp_free;

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

/* A new record for @p in @b (its lock held), or NULL: overflow. */
static struct ts_lat_rec *ts_lat_new(struct ts_lat_table *t,
				     struct ts_lat_bucket *b,
				     const struct task_struct *p)
{
	struct ts_lat_rec *r;

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
	r->run_delay = p->sched_info.run_delay;
	r->pcount = p->sched_info.pcount;
	r->next = b->head;
	b->head = r;
	atomic_inc(&t->tracked);
	return r;
}

/* The wait that ended when @p last started to run, if any. */
static void ts_lat_account(struct ts_lat_rec *r, const struct task_struct *p)
{
	u64 d = p->sched_info.run_delay - r->run_delay;

	if (p->sched_info.pcount == r->pcount)
		return;
	r->run_delay = p->sched_info.run_delay;
	r->pcount = p->sched_info.pcount;
	/* Arrived with no wait stamped (e.g. preempted while going to sleep). */
	if (!d)
		return;
	r->count++;
	r->sum += d;
	if (d > r->max)
		r->max = d;
	r->hist[min_t(unsigned int, d > 1 ? ilog2(d) : 0,
		      THREADSTAT_LATENCY_BUCKETS - 1)]++;
}

/*
 * Called before the scheduler's own sched_info_switch(): @prev's counters
 * include its last arrival, not yet this departure.
 */
static void ts_lat_probe_switch(void *data, bool preempt,
				struct task_struct *prev,
				struct task_struct *next,
				unsigned int prev_state)
{
	struct ts_lat_table *t = rcu_dereference_sched(ts_lat);
	struct ts_lat_bucket *b;
	struct ts_lat_rec *r;
	unsigned long flags;

	if (!t || is_idle_task(prev))
		return;
	b = ts_lat_bucket(t, prev);
	raw_spin_lock_irqsave(&b->lock, flags);
	r = ts_lat_find(b, prev);
	if (r)
		ts_lat_account(r, prev);
	else
		ts_lat_new(t, b, prev);
	raw_spin_unlock_irqrestore(&b->lock, flags);
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

/**
 * ts_latency_start() - allocate the table and register the probes
 *
 * Context: process context, serialized with ts_latency_stop() by the
 * caller; may sleep.
 * Return: 0 (also when already on), -EOPNOTSUPP when this kernel lacks
 * one of the tracepoints, -ENOMEM, or the error of
 * tracepoint_probe_register().
 */
int ts_latency_start(void)
{
	struct ts_lat_table *t;
	int err;

	if (rcu_access_pointer(ts_lat))
		return 0;
	if (!ts_tp_switch || !ts_tp_free)
		return -EOPNOTSUPP;
	t = ts_lat_alloc();
	if (!t)
		return -ENOMEM;
	rcu_assign_pointer(ts_lat, t);
	/* The free probe first: no record outlives its task. */
	err = tracepoint_probe_register(ts_tp_free, ts_lat_probe_free, NULL);
	if (err)
		goto free;
	err = tracepoint_probe_register(ts_tp_switch, ts_lat_probe_switch, NULL);
	if (!err)
		return 0;
	tracepoint_probe_unregister(ts_tp_free, ts_lat_probe_free, NULL);
free:
	RCU_INIT_POINTER(ts_lat, NULL);
	tracepoint_synchronize_unregister();
	vfree(t);
	return err;
}

/**
 * ts_latency_stop() - unregister the probes and free the table
 *
 * Context: process context, serialized with ts_latency_start(); sleeps
 * until no probe and no reader (ts_fill_latency()) uses the table.
 */
void ts_latency_stop(void)
{
	struct ts_lat_table *t = rcu_dereference_protected(ts_lat, true);

	if (!t)
		return;
	tracepoint_probe_unregister(ts_tp_switch, ts_lat_probe_switch, NULL);
	tracepoint_probe_unregister(ts_tp_free, ts_lat_probe_free, NULL);
	RCU_INIT_POINTER(ts_lat, NULL);
	/* An inline over exported symbols: SRCU and RCU grace periods. */
	tracepoint_synchronize_unregister();
	vfree(t);
}

/**
 * ts_latency_state() - is it on, and how full is the table
 * @tracked: set to the records in use (0 when off)
 * @overflow: set to the waits not measured for lack of a record
 *
 * Context: serialized with ts_latency_start() and ts_latency_stop().
 * Return: true when it is on.
 */
bool ts_latency_state(u32 *tracked, u64 *overflow)
{
	struct ts_lat_table *t = rcu_dereference_protected(ts_lat, true);

	*tracked = t ? atomic_read(&t->tracked) : 0;
	*overflow = t ? atomic64_read(&t->overflow) : 0;
	return !!t;
}

/**
 * ts_fill_latency() - the latency group of one thread
 * @skb: message being built
 * @task: the thread
 *
 * The latency nest, or latency-missing when it is off or @task has no
 * record.
 *
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
int ts_fill_latency(struct sk_buff *skb, struct task_struct *task)
{
	u32 missing = THREADSTAT_LATENCY_MISSING_OFF;
	struct ts_lat_table *t;
	struct ts_lat_bucket *b;
	struct ts_lat_rec *r, copy;
	unsigned long flags;
	struct nlattr *nest;

	rcu_read_lock_sched();
	t = rcu_dereference_sched(ts_lat);
	if (t) {
		missing = THREADSTAT_LATENCY_MISSING_UNTRACKED;
		b = ts_lat_bucket(t, task);
		raw_spin_lock_irqsave(&b->lock, flags);
		r = ts_lat_find(b, task);
		if (r) {
			copy = *r;
			missing = 0;
		}
		raw_spin_unlock_irqrestore(&b->lock, flags);
	}
	rcu_read_unlock_sched();

	if (missing)
		return nla_put_u32(skb, THREADSTAT_A_THREAD_LATENCY_MISSING,
				   missing);
	nest = nla_nest_start(skb, THREADSTAT_A_THREAD_LATENCY);
	if (!nest)
		return -EMSGSIZE;
	if (ts_put_u64(skb, THREADSTAT_A_LATENCY_COUNT, copy.count) ||
	    ts_put_u64(skb, THREADSTAT_A_LATENCY_SUM, copy.sum) ||
	    ts_put_u64(skb, THREADSTAT_A_LATENCY_MAX_WAIT, copy.max) ||
	    nla_put(skb, THREADSTAT_A_LATENCY_HIST, sizeof(copy.hist),
		    copy.hist)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * ts_latency_init() - find the tracepoints; nothing is registered yet
 *
 * A missing tracepoint is not fatal: turning it on then fails.
 */
void ts_latency_init(void)
{
	ts_tp_switch = ts_tracepoint_lookup("sched_switch");
	ts_tp_free = ts_tracepoint_lookup("sched_process_free");
}
