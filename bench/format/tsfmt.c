// SPDX-License-Identifier: GPL-2.0
/*
 * tsfmt.ko -- bench only: what the message format of threadstat's THREAD_GET
 * dump costs.
 *
 * A generic netlink family of its own ("tsfmt_bench", bench/format/tsfmt.h)
 * with one dump that walks every thread of the requester's pid namespace the
 * way kmod/thread_get.c's dump does (find_ge_pid() batches of TS_BATCH tids
 * under RCU, looked up twice per batch, each thread referenced and read
 * outside RCU), reads for each thread the values of the production default
 * dump (identity and sched group, kmod/thread_fill.c) into one struct
 * tsfmt_record, and sends it in the format the request names:
 *
 *   0 attrs   a message per thread, the production attributes (same ids,
 *             same order) put by an nla_put call each: production's writer
 *             until kmod/attr_writer.h, and the control, which cost what the
 *             production dump cost then
 *   1 packed  a message per thread holding one binary record attribute
 *   2 array   messages holding as many record attributes as fit in the skb
 *   3 walk    records read, not sent: one message per skb with a count
 *             (as many threads per skb as format 2 puts there); the floor
 *   4 bulk    format 0's bytes (the same attributes, so the same ABI and
 *             decoder), written in one pass after one room check instead
 *             of an nla_put() call per attribute: what production does
 *             since kmod/attr_writer.h (one room check per group there)
 *   5 ref     as 3 without reading: each thread looked up, referenced and
 *             released only; the floor of the walk
 *   6 nests   format 4's attributes, each thread's in a nest, as many
 *             nests a message as fit (attributes kept, messages batched)
 *   7 ref1    as 5 with one look per batch: what production's second look
 *             (kept for dump_consistency.c) costs the walk
 *
 * Left out of every format, so also of the control: the process nest
 * production adds to a group leader's message (ts_fill_process(), once per
 * process: one for the bench's 10k threads), the hidepid check (nothing is
 * checked with the parameter off) and dump_consistency.c's watch of
 * threads created behind the cursor (a list insert per dump and an atomic
 * store per batch).
 *
 * Not for production: no per-thread privilege model and no hidepid
 * check, so the dump is for CAP_NET_ADMIN in the initial user namespace
 * only (GENL_ADMIN_PERM), a caller /proc hides nothing from; no tgid
 * filter, no do request.
 */
#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/prio.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <uapi/linux/threadstat.h>

#include "compat.h"	/* kmod/compat.h: ts_dump_attrs() */
#include "tsfmt.h"

/* As kmod/thread_get.c. */
#define TS_BATCH	32

struct tsfmt_batch {
	u32 nr;
	bool complete;
	u32 tid[TS_BATCH];
};

/**
 * struct tsfmt_dump - one dump's state; cb->ctx holds a pointer to it
 * @pid_ns: pid namespace ids are translated into (referenced)
 * @user_ns: user namespace uids are translated into (referenced)
 * @format: TSFMT_FORMAT_*
 * @batch: threads looked up and not yet sent
 * @pos: next entry of @batch to send
 * @next_tid: first tid not yet looked at
 */
struct tsfmt_dump {
	struct pid_namespace *pid_ns;
	struct user_namespace *user_ns;
	u32 format;
	struct tsfmt_batch batch;
	u32 pos;
	u32 next_tid;
};

static struct genl_family tsfmt_family;

static struct tsfmt_dump **tsfmt_slot(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct tsfmt_dump *) > sizeof(cb->ctx));
	return (struct tsfmt_dump **)cb->ctx;
}

/*
 * The walk: mirrors kmod/thread_get.c (ts_collect_all() to
 * ts_next_thread()), keep in step.
 */

static void tsfmt_collect(const struct tsfmt_dump *d, struct tsfmt_batch *b)
{
	struct pid_namespace *ns = d->pid_ns;
	struct pid *pid;
	u32 nr = d->next_tid;

	b->nr = 0;
	b->complete = true;
	rcu_read_lock();
	while (nr <= PID_MAX_LIMIT && (pid = find_ge_pid(nr, ns))) {
		nr = pid_nr_ns(pid, ns);
		if (nr > PID_MAX_LIMIT)
			break;
		if (pid_task(pid, PIDTYPE_PID)) {
			if (b->nr == TS_BATCH) {
				b->complete = false;
				break;
			}
			b->tid[b->nr++] = nr;
		}
		nr++;
	}
	rcu_read_unlock();
}

static u32 tsfmt_passed(const struct tsfmt_batch *b)
{
	return b->nr ? b->tid[b->nr - 1] + 1 : PID_MAX_LIMIT + 1;
}

static bool tsfmt_covers(const struct tsfmt_batch *b,
			 const struct tsfmt_batch *again, u32 passed)
{
	u32 i, j = 0;

	for (i = 0; i < again->nr && again->tid[i] < passed; i++) {
		while (j < b->nr && b->tid[j] < again->tid[i])
			j++;
		if (j == b->nr || b->tid[j] != again->tid[i])
			return false;
	}
	return true;
}

/* Production looks twice per batch (ts_refill()); so does the bench. */
static void tsfmt_refill(struct tsfmt_dump *d)
{
	struct tsfmt_batch again;
	int tries;

	tsfmt_collect(d, &d->batch);
	d->pos = 0;
	if (d->format == TSFMT_FORMAT_REF1)
		return;
	for (tries = 0; tries < 4; tries++) {
		tsfmt_collect(d, &again);
		if (tsfmt_covers(&d->batch, &again, tsfmt_passed(&d->batch)))
			return;
		d->batch = again;
	}
}

static struct task_struct *tsfmt_next_thread(struct tsfmt_dump *d)
{
	struct task_struct *task;
	u32 tid;

	for (;;) {
		if (d->pos == d->batch.nr) {
			if (d->batch.complete && !d->batch.nr)
				return NULL;
			if (d->batch.nr)
				d->next_tid = d->batch.tid[d->batch.nr - 1] + 1;
			tsfmt_refill(d);
			continue;
		}
		tid = d->batch.tid[d->pos];
		rcu_read_lock();
		task = pid_task(find_pid_ns(tid, d->pid_ns), PIDTYPE_PID);
		if (task)
			get_task_struct(task);
		rcu_read_unlock();
		if (task)
			return task;
		d->pos++;
	}
}

/*
 * One thread's values: mirrors kmod/thread_fill.c (ts_fill_identity(),
 * ts_fill_sched()), keep in step.
 */

static int tsfmt_read(struct tsfmt_record *r, struct task_struct *task,
		      const struct tsfmt_dump *d)
{
	struct pid_namespace *ns = d->pid_ns;
	const struct cpumask *allowed = task->cpus_ptr;
	u64 utime, stime;

	r->size = sizeof(*r);
	r->reserved = 0;
	r->flags = 0;
	r->ppid = 0;

	rcu_read_lock();
	r->tid = task_pid_nr_ns(task, ns);
	r->tgid = task_tgid_nr_ns(task, ns);
	if (pid_alive(task))
		r->ppid = task_tgid_nr_ns(rcu_dereference(task->real_parent),
					  ns);
	r->uid = from_kuid_munged(d->user_ns, task_uid(task));
	rcu_read_unlock();
	if (!r->tid)
		return -ESRCH;

	__get_task_comm(r->comm, sizeof(r->comm), task);
	r->start_time = timens_add_boottime_ns(task->start_boottime);
	if (task->flags & PF_KTHREAD)
		r->flags |= TSFMT_F_KTHREAD;

	task_cputime_adjusted(task, &utime, &stime);
	r->state = task_state_to_char(task);
	memset(r->pad, 0, sizeof(r->pad));
	r->cpu = task_cpu(task);
	r->policy = task->policy;
	r->nice = task_nice(task);
	r->prio = task->prio - MAX_RT_PRIO;
	r->static_prio = task->static_prio;
	r->rt_priority = task->rt_priority;
	r->cpus_allowed = cpumask_bits(allowed)[0];
	r->nr_cpus_allowed = task->nr_cpus_allowed;
	r->sum_exec_runtime = task->se.sum_exec_runtime;
	r->utime = utime;
	r->stime = stime;
	r->run_delay = task->sched_info.run_delay;
	r->pcount = task->sched_info.pcount;
	r->nvcsw = task->nvcsw;
	r->nivcsw = task->nivcsw;
	r->nr_migrations = task->se.nr_migrations;
	r->min_flt = task->min_flt;
	r->maj_flt = task->maj_flt;
	if (READ_ONCE(task->on_cpu))
		r->flags |= TSFMT_F_ON_CPU;
	r->present = TSFMT_P_IDENTITY | TSFMT_P_SCHED;
	return 0;
}

/* The formats. */

static int tsfmt_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, THREADSTAT_A_THREAD_PAD);
}

/*
 * Format 0: the attributes of kmod/thread_fill.c in its order, from the
 * record. The CPU set is the production attribute's size (words up to
 * nr_cpu_ids) while that is the record's one word, as it is in the VM.
 */
static int tsfmt_put_attrs(struct sk_buff *skb, const struct tsfmt_record *r)
{
	int cpu_bytes = min_t(int, BITS_TO_LONGS(nr_cpu_ids), 1) * sizeof(u64);

	if (nla_put_u32(skb, THREADSTAT_A_THREAD_TID, r->tid) ||
	    nla_put_u32(skb, THREADSTAT_A_THREAD_TGID, r->tgid) ||
	    nla_put_u32(skb, THREADSTAT_A_THREAD_PPID, r->ppid) ||
	    nla_put_string(skb, THREADSTAT_A_THREAD_COMM, r->comm) ||
	    nla_put_u32(skb, THREADSTAT_A_THREAD_UID, r->uid) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_START_TIME, r->start_time))
		return -EMSGSIZE;
	if ((r->flags & TSFMT_F_KTHREAD) &&
	    nla_put_flag(skb, THREADSTAT_A_THREAD_KTHREAD))
		return -EMSGSIZE;
	if (nla_put_u8(skb, THREADSTAT_A_THREAD_STATE, r->state) ||
	    nla_put_u32(skb, THREADSTAT_A_THREAD_CPU, r->cpu) ||
	    nla_put_u32(skb, THREADSTAT_A_THREAD_POLICY, r->policy) ||
	    nla_put_s32(skb, THREADSTAT_A_THREAD_NICE, r->nice) ||
	    nla_put_s32(skb, THREADSTAT_A_THREAD_PRIO, r->prio) ||
	    nla_put_s32(skb, THREADSTAT_A_THREAD_STATIC_PRIO, r->static_prio) ||
	    nla_put_u32(skb, THREADSTAT_A_THREAD_RT_PRIORITY, r->rt_priority) ||
	    nla_put(skb, THREADSTAT_A_THREAD_CPUS_ALLOWED, cpu_bytes,
		    &r->cpus_allowed) ||
	    nla_put_u32(skb, THREADSTAT_A_THREAD_NR_CPUS_ALLOWED,
			r->nr_cpus_allowed) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME,
			  r->sum_exec_runtime) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_UTIME, r->utime) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_STIME, r->stime) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_RUN_DELAY, r->run_delay) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_PCOUNT, r->pcount) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_NVCSW, r->nvcsw) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_NIVCSW, r->nivcsw) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_NR_MIGRATIONS,
			  r->nr_migrations) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_MIN_FLT, r->min_flt) ||
	    tsfmt_put_u64(skb, THREADSTAT_A_THREAD_MAJ_FLT, r->maj_flt))
		return -EMSGSIZE;
	if ((r->flags & TSFMT_F_ON_CPU) &&
	    nla_put_flag(skb, THREADSTAT_A_THREAD_ON_CPU))
		return -EMSGSIZE;
	return 0;
}

/*
 * Format 4: what tsfmt_put_attrs() writes, byte for byte on x86-64 (where
 * nla_put_64bit() adds no padding attribute), in one pass: one room
 * check for the largest message, then each attribute header and value
 * stored in place, padding zeroed as __nla_reserve() does.
 */
#define TSFMT_BULK_ROOM	320	/* 11 u32, 11 u64, u8, comm, CPU set, 2 flags: 268 */

static __always_inline void *tsfmt_w(void *p, int type, const void *data,
				     int len)
{
	struct nlattr *a = p;

	a->nla_type = type;
	a->nla_len = nla_attr_size(len);
	memcpy(nla_data(a), data, len);
	memset((char *)nla_data(a) + len, 0, nla_padlen(len));
	return (char *)a + nla_total_size(len);
}

static __always_inline void *tsfmt_w32(void *p, int type, u32 v)
{
	return tsfmt_w(p, type, &v, sizeof(v));
}

static __always_inline void *tsfmt_w64(void *p, int type, u64 v)
{
	return tsfmt_w(p, type, &v, sizeof(v));
}

/* @nest: inside a TSFMT_A_THREAD nest (format 6), else bare (format 4). */
static int tsfmt_put_bulk(struct sk_buff *skb, const struct tsfmt_record *r,
			  bool nest)
{
	int cpu_bytes = min_t(int, BITS_TO_LONGS(nr_cpu_ids), 1) * sizeof(u64);
	struct nlattr *outer = NULL;
	void *start, *p;

	if (skb_tailroom(skb) < TSFMT_BULK_ROOM + (nest ? NLA_HDRLEN : 0))
		return -EMSGSIZE;
	start = skb_tail_pointer(skb);
	p = start;
	if (nest) {
		outer = p;
		outer->nla_type = TSFMT_A_THREAD | NLA_F_NESTED;
		p = (char *)p + NLA_HDRLEN;
	}
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_TID, r->tid);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_TGID, r->tgid);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_PPID, r->ppid);
	p = tsfmt_w(p, THREADSTAT_A_THREAD_COMM, r->comm,
		    strnlen(r->comm, sizeof(r->comm) - 1) + 1);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_UID, r->uid);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_START_TIME, r->start_time);
	if (r->flags & TSFMT_F_KTHREAD)
		p = tsfmt_w(p, THREADSTAT_A_THREAD_KTHREAD, NULL, 0);
	p = tsfmt_w(p, THREADSTAT_A_THREAD_STATE, &r->state, 1);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_CPU, r->cpu);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_POLICY, r->policy);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_NICE, r->nice);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_PRIO, r->prio);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_STATIC_PRIO, r->static_prio);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_RT_PRIORITY, r->rt_priority);
	p = tsfmt_w(p, THREADSTAT_A_THREAD_CPUS_ALLOWED, &r->cpus_allowed,
		    cpu_bytes);
	p = tsfmt_w32(p, THREADSTAT_A_THREAD_NR_CPUS_ALLOWED,
		      r->nr_cpus_allowed);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME,
		      r->sum_exec_runtime);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_UTIME, r->utime);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_STIME, r->stime);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_RUN_DELAY, r->run_delay);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_PCOUNT, r->pcount);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_NVCSW, r->nvcsw);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_NIVCSW, r->nivcsw);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_NR_MIGRATIONS, r->nr_migrations);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_MIN_FLT, r->min_flt);
	p = tsfmt_w64(p, THREADSTAT_A_THREAD_MAJ_FLT, r->maj_flt);
	if (r->flags & TSFMT_F_ON_CPU)
		p = tsfmt_w(p, THREADSTAT_A_THREAD_ON_CPU, NULL, 0);
	if (outer)
		outer->nla_len = (char *)p - (char *)start;
	__skb_put(skb, (char *)p - (char *)start);
	return 0;
}

/* Formats 0, 1 and 4: one message for one thread, as ts_thread_put(). */
static int tsfmt_put_one(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct tsfmt_dump *d, struct task_struct *task)
{
	struct tsfmt_record r;
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tsfmt_family, NLM_F_MULTI, TSFMT_CMD_DUMP);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	err = tsfmt_read(&r, task, d);
	if (!err) {
		if (d->format == TSFMT_FORMAT_ATTRS)
			err = tsfmt_put_attrs(skb, &r);
		else if (d->format == TSFMT_FORMAT_BULK)
			err = tsfmt_put_bulk(skb, &r, false);
		else if (nla_put(skb, TSFMT_A_RECORD, sizeof(r), &r))
			err = -EMSGSIZE;
	}
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int tsfmt_dump_single(struct sk_buff *skb, struct netlink_callback *cb,
			     struct tsfmt_dump *d)
{
	struct task_struct *task;
	int err = 0;

	while ((task = tsfmt_next_thread(d))) {
		err = tsfmt_put_one(skb, cb, d, task);
		put_task_struct(task);
		if (err == -ESRCH)
			err = 0;
		if (err)
			break;
		d->pos++;
	}
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

/*
 * Formats 2, 3, 5, 6 and 7: one message per skb. Formats 2 and 6 fill it
 * with record attributes (nests) until the next does not fit; formats 3,
 * 5 and 7 take as many threads as format 2 would send in this skb and
 * send only their count.
 */
static int tsfmt_dump_batched(struct sk_buff *skb, struct netlink_callback *cb,
			      struct tsfmt_dump *d)
{
	struct task_struct *task;
	u32 count = 0, cap = U32_MAX;
	bool ref = d->format == TSFMT_FORMAT_REF ||
		   d->format == TSFMT_FORMAT_REF1;
	void *hdr;
	int err = 0;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tsfmt_family, NLM_F_MULTI, TSFMT_CMD_DUMP);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (d->format == TSFMT_FORMAT_WALK || ref)
		cap = (skb_tailroom(skb) - nla_total_size(sizeof(u32))) /
		      nla_total_size(sizeof(struct tsfmt_record));

	while (count < cap && (task = tsfmt_next_thread(d))) {
		struct tsfmt_record r;
		struct nlattr *a = NULL;

		if (ref) {
			put_task_struct(task);
			count++;
			d->pos++;
			continue;
		}
		if (d->format == TSFMT_FORMAT_ARRAY) {
			a = nla_reserve(skb, TSFMT_A_RECORD, sizeof(r));
			if (!a) {
				put_task_struct(task);
				break;
			}
		}
		if (d->format == TSFMT_FORMAT_NESTS &&
		    skb_tailroom(skb) < TSFMT_BULK_ROOM + NLA_HDRLEN) {
			put_task_struct(task);
			break;
		}
		err = tsfmt_read(&r, task, d);
		put_task_struct(task);
		if (!err && d->format == TSFMT_FORMAT_NESTS) {
			if (tsfmt_put_bulk(skb, &r, true))
				break;	/* cannot happen: room checked */
			count++;
			d->pos++;
			continue;
		}
		if (err) {		/* -ESRCH: reaped; give the room back */
			if (a)
				nlmsg_trim(skb, a);
			err = 0;
			d->pos++;
			continue;
		}
		if (a)
			memcpy(nla_data(a), &r, sizeof(r));
		else
			barrier_data(&r);	/* read, not sent */
		count++;
		d->pos++;
	}
	if ((d->format == TSFMT_FORMAT_WALK || ref) &&
	    nla_put_u32(skb, TSFMT_A_COUNT, count))
		err = -EMSGSIZE;
	if (err || !count) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	return skb->len;
}

static int tsfmt_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tsfmt_dump *d = *tsfmt_slot(cb);

	if (d->format == TSFMT_FORMAT_ATTRS ||
	    d->format == TSFMT_FORMAT_PACKED || d->format == TSFMT_FORMAT_BULK)
		return tsfmt_dump_single(skb, cb, d);
	return tsfmt_dump_batched(skb, cb, d);
}

static int tsfmt_start(struct netlink_callback *cb)
{
	struct nlattr **tb = ts_dump_attrs(cb);
	struct tsfmt_dump *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->pid_ns = get_pid_ns(task_active_pid_ns(current));
	d->user_ns = get_user_ns(current_user_ns());
	d->format = tb[TSFMT_A_FORMAT] ? nla_get_u32(tb[TSFMT_A_FORMAT]) :
					 TSFMT_FORMAT_ATTRS;
	d->next_tid = 1;
	*tsfmt_slot(cb) = d;
	return 0;
}

static int tsfmt_done(struct netlink_callback *cb)
{
	struct tsfmt_dump *d = *tsfmt_slot(cb);

	put_user_ns(d->user_ns);
	put_pid_ns(d->pid_ns);
	kfree(d);
	return 0;
}

static const struct nla_policy tsfmt_policy[TSFMT_A_MAX + 1] = {
	[TSFMT_A_FORMAT] = NLA_POLICY_MAX(NLA_U32, TSFMT_FORMAT_MAX),
};

static const struct genl_ops tsfmt_ops[] = {
	{
		.cmd = TSFMT_CMD_DUMP,
		.flags = GENL_ADMIN_PERM,
		.start = tsfmt_start,
		.dumpit = tsfmt_dumpit,
		.done = tsfmt_done,
		.policy = tsfmt_policy,
		.maxattr = TSFMT_A_MAX,
	},
};

static struct genl_family tsfmt_family __ro_after_init = {
	.name = TSFMT_FAMILY_NAME,
	.version = TSFMT_FAMILY_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = tsfmt_ops,
	.n_ops = ARRAY_SIZE(tsfmt_ops),
};

static int __init tsfmt_init(void)
{
	return genl_register_family(&tsfmt_family);
}

static void __exit tsfmt_exit(void)
{
	genl_unregister_family(&tsfmt_family);
}

module_init(tsfmt_init);
module_exit(tsfmt_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("threadstat bench: THREAD_GET dump cost per message format");
