// SPDX-License-Identifier: GPL-2.0
/*
 * THREADSTAT_CMD_THREAD_GET: one thread by tid (do) or every thread of the
 * requester's pid namespace (dump).
 *
 * The dump walks tids upwards, the way /proc walks its directories: with
 * find_ge_pid() over the whole namespace, or over the thread list of one
 * process for a tgid-filtered dump. Its state between callbacks is tids, a
 * batch of the next ones to send and the first not yet looked at, so no
 * task is pinned while userspace is slow to read, a thread that exits
 * mid-dump is simply not found, and no thread is ever sent twice. How far
 * the walk has looked is published for dump_consistency.c, which flags the
 * dump (NLM_F_DUMP_INTR) when a thread is created behind it.
 */
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>

#include "compat.h"
#include "threadstat.h"

/* Threads collected per look at the pid space, sent before the next look. */
#define TS_BATCH	32

/*
 * cb->seq while no thread may be missing; see ts_dump_seq().
 */
#define TS_SEQ_CLEAN	1

/**
 * struct ts_batch - the next threads a dump sends, sorted by tid
 * @nr: tids in @tid
 * @complete: no thread of the dump came after @tid[@nr - 1] when looked
 * @tid: the tids, in the requester's pid namespace
 */
struct ts_batch {
	u32 nr;
	bool complete;
	u32 tid[TS_BATCH];
};

/**
 * struct ts_dump - THREAD_GET dump state; cb->ctx holds a pointer to it
 * @view: requester and requested fields (holds namespace references)
 * @watch: what dump_consistency.c sees of this dump
 * @batch: threads looked up and not yet sent
 * @pos: next entry of @batch to send
 * @next_tid: first tid not yet looked at
 * @last_tid: the walk stops after this tid
 * @tgid: only threads of this process, or 0 for all
 * @rcu: the probe may still read @watch for a grace period after close
 */
struct ts_dump {
	struct ts_view view;
	struct ts_dump_watch watch;
	struct ts_batch batch;
	u32 pos;
	u32 next_tid;
	u32 last_tid;
	u32 tgid;
	struct rcu_head rcu;
};

static struct ts_dump **ts_dump_slot(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct ts_dump *) > sizeof(cb->ctx));
	return (struct ts_dump **)cb->ctx;
}

static void ts_view_init(struct ts_view *view, const struct sk_buff *skb,
			 const struct nlattr *fields)
{
	view->pid_ns = task_active_pid_ns(current);
	view->user_ns = current_user_ns();
	view->fields = fields ? nla_get_u32(fields) : THREADSTAT_FIELDS_SCHED;
	ts_access_view_init(view, skb);
	view->schedstats = (view->fields & THREADSTAT_FIELDS_SCHEDSTATS) &&
			   ts_schedstats_on();
	view->delayacct = (view->fields & THREADSTAT_FIELDS_DELAYACCT) &&
			  ts_delayacct_on();
}

/*
 * One thread's message. @process adds the process nest (with the sched
 * group): every do reply, and a dump's group leaders, so a dump carries it
 * once per process. @cb, for a dump, flags the message through cb->seq.
 */
static int ts_thread_put(struct sk_buff *skb, struct task_struct *task,
			 const struct ts_view *view, u32 portid, u32 seq,
			 int flags, bool process, struct netlink_callback *cb)
{
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, portid, seq, &ts_family, flags,
			  THREADSTAT_CMD_THREAD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	err = ts_thread_fill(skb, task, view);
	if (!err && process && (view->fields & THREADSTAT_FIELDS_SCHED))
		err = ts_fill_process(skb, task);
	if (err) {
		genlmsg_cancel(skb, hdr);
		return err;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * ts_thread_get_doit() - answer a THREAD_GET do request
 * @skb: the request
 * @info: parsed request; THREADSTAT_A_THREAD_TID is required
 *
 * Return: 0 with the reply sent, or a negative errno (-ENOENT for a tid
 * that is not a thread in the requester's pid namespace).
 */
int ts_thread_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tid_attr = info->attrs[THREADSTAT_A_THREAD_TID];
	struct task_struct *task;
	struct sk_buff *msg;
	struct ts_view view;
	int err;

	if (!tid_attr) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     THREADSTAT_A_THREAD_TID);
		NL_SET_ERR_MSG(info->extack, "tid is required");
		return -EINVAL;
	}
	if (info->attrs[THREADSTAT_A_THREAD_TGID]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[THREADSTAT_A_THREAD_TGID],
				    "tgid filters dumps; a do request takes a tid");
		return -EINVAL;
	}

	ts_view_init(&view, skb, info->attrs[THREADSTAT_A_THREAD_FIELDS]);

	rcu_read_lock();
	task = pid_task(find_pid_ns(nla_get_u32(tid_attr), view.pid_ns),
			PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		NL_SET_ERR_MSG_ATTR(info->extack, tid_attr, "no such thread");
		return -ENOENT;
	}

	msg = genlmsg_new(TS_THREAD_MSG_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_put_task;
	}

	err = ts_thread_put(msg, task, &view, info->snd_portid, info->snd_seq,
			    0, true, NULL);
	if (err) {
		nlmsg_free(msg);
		/* Exited, or hidden by hidepid: the same to the caller. */
		if (err == -ESRCH) {
			NL_SET_ERR_MSG_ATTR(info->extack, tid_attr,
					    "no such thread");
			err = -ENOENT;
		}
		goto out_put_task;
	}
	err = genlmsg_reply(msg, info);

out_put_task:
	put_task_struct(task);
	return err;
}

/**
 * ts_thread_get_start() - set up a THREAD_GET dump
 * @cb: the dump; the core has parsed and validated its request already
 *
 * Return: 0, or -ENOMEM.
 */
int ts_thread_get_start(struct netlink_callback *cb)
{
	struct nlattr **tb = ts_dump_attrs(cb);
	struct ts_dump *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;

	ts_view_init(&d->view, cb->skb, tb[THREADSTAT_A_THREAD_FIELDS]);
	get_pid_ns(d->view.pid_ns);
	get_user_ns(d->view.user_ns);
	d->tgid = tb[THREADSTAT_A_THREAD_TGID] ?
		  nla_get_u32(tb[THREADSTAT_A_THREAD_TGID]) : 0;
	d->next_tid = 1;
	d->last_tid = PID_MAX_LIMIT;
	if (tb[THREADSTAT_A_THREAD_TID]) {
		/*
		 * A dump filtered to one thread: zero or one message. No pid
		 * is above PID_MAX_LIMIT, and find_ge_pid() takes an int that
		 * a tid of 2^31 or more would turn negative (idr_get_next()
		 * then WARNs), so such a filter gives next > last: no walk.
		 */
		d->next_tid = nla_get_u32(tb[THREADSTAT_A_THREAD_TID]);
		d->last_tid = min_t(u32, d->next_tid, PID_MAX_LIMIT);
	}
	/*
	 * One thread with a full kernel stack must fit in an empty skb;
	 * without the kstack group a thread fits in the default size, so
	 * clients reading with small buffers keep working.
	 */
	if (d->view.fields & THREADSTAT_FIELDS_KSTACK)
		cb->min_dump_alloc = TS_THREAD_MSG_SIZE;

	/* The first message may already be flagged: compare from here. */
	cb->seq = TS_SEQ_CLEAN;
	cb->prev_seq = TS_SEQ_CLEAN;
	ts_watch_start(&d->watch, d->view.pid_ns, d->tgid, d->next_tid);
	*ts_dump_slot(cb) = d;
	return 0;
}

/* Keep the TS_BATCH smallest tids: insert @tid in order. */
static void ts_batch_add(struct ts_batch *b, u32 tid)
{
	u32 i;

	if (b->nr == TS_BATCH) {
		b->complete = false;
		if (tid > b->tid[TS_BATCH - 1])
			return;
		b->nr--;
	}
	for (i = b->nr; i && b->tid[i - 1] > tid; i--)
		b->tid[i] = b->tid[i - 1];
	b->tid[i] = tid;
	b->nr++;
}

/* The next threads of the namespace from @from on, by find_ge_pid(). */
static void ts_collect_all(const struct ts_dump *d, u32 from,
			   struct ts_batch *b)
{
	struct pid_namespace *ns = d->view.pid_ns;
	struct pid *pid;
	u32 nr = from;

	rcu_read_lock();
	while (nr <= d->last_tid && (pid = find_ge_pid(nr, ns))) {
		nr = pid_nr_ns(pid, ns);
		if (nr > d->last_tid)
			break;
		/* A pid whose task is not attached yet counts as passed. */
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

/*
 * The next threads of one process from @from on: its thread list, not the
 * whole pid space. The list is in creation order, so each look keeps the
 * TS_BATCH smallest tids.
 */
static void ts_collect_group(const struct ts_dump *d, u32 from,
			     struct ts_batch *b)
{
	struct pid_namespace *ns = d->view.pid_ns;
	struct task_struct *leader, *t;

	rcu_read_lock();
	leader = pid_task(find_pid_ns(d->tgid, ns), PIDTYPE_TGID);
	if (leader) {
		for_each_thread(leader, t) {
			u32 tid = task_pid_nr_ns(t, ns);

			if (tid && tid >= from && tid <= d->last_tid)
				ts_batch_add(b, tid);
		}
	}
	rcu_read_unlock();
}

static void ts_collect(const struct ts_dump *d, struct ts_batch *b)
{
	b->nr = 0;
	b->complete = true;
	if (d->next_tid > d->last_tid)
		return;
	if (d->tgid)
		ts_collect_group(d, d->next_tid, b);
	else
		ts_collect_all(d, d->next_tid, b);
}

/*
 * Every tid below this has been looked at once @b is the batch. Only an
 * empty look reaches the end of the range: threads created above the last
 * one found while the batch is sent are found by the next look, so the
 * window in which any new thread counts as passed stays tiny.
 */
static u32 ts_batch_passed(const struct ts_dump *d, const struct ts_batch *b)
{
	if (!b->nr)
		return d->last_tid + 1;
	return b->tid[b->nr - 1] + 1;
}

/*
 * Did the second look find nothing new below @passed? Threads found above
 * it are found again by the next look, and a thread of @b that is gone
 * has exited, which needs no flag; only a new one behind the cursor does.
 */
static bool ts_batch_covers(const struct ts_batch *b,
			    const struct ts_batch *again, u32 passed)
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

/*
 * Look up the next batch and publish how far it reaches, then look again:
 * a thread created behind the published cursor after that second look is
 * seen by the probe (see dump_consistency.c), one created before it is in
 * the second look. Under churn that keeps putting new threads behind the
 * cursor, give up after a few tries and flag the dump.
 */
static void ts_refill(struct ts_dump *d)
{
	struct ts_batch again;
	int tries;

	ts_collect(d, &d->batch);
	d->pos = 0;
	for (tries = 0; tries < 4; tries++) {
		u32 passed = ts_batch_passed(d, &d->batch);

		ts_watch_pass(&d->watch, passed);
		ts_collect(d, &again);
		if (ts_batch_covers(&d->batch, &again, passed))
			return;
		d->batch = again;
	}
	ts_watch_pass(&d->watch, ts_batch_passed(d, &d->batch));
	ts_watch_give_up(&d->watch);
}

/* Find the next thread to send and take a reference on it. */
static struct task_struct *ts_next_thread(struct ts_dump *d)
{
	struct pid_namespace *ns = d->view.pid_ns;
	struct task_struct *task;
	u32 tid;

	for (;;) {
		if (d->pos == d->batch.nr) {
			/* Empty and incomplete only before the first look. */
			if (d->batch.complete && !d->batch.nr)
				return NULL;
			if (d->batch.nr)
				d->next_tid = d->batch.tid[d->batch.nr - 1] + 1;
			ts_refill(d);
			continue;
		}
		tid = d->batch.tid[d->pos];
		rcu_read_lock();
		task = pid_task(find_pid_ns(tid, ns), PIDTYPE_PID);
		if (task && d->tgid && task_tgid_nr_ns(task, ns) != d->tgid)
			task = NULL;
		if (task)
			get_task_struct(task);
		rcu_read_unlock();
		if (task)
			return task;
		d->pos++;	/* exited since the batch was looked up */
	}
}

/*
 * Flag from now on through the kernel's own check: once a thread may be
 * missing, every later message differs from the one before it, so the
 * next data message and the closing NLMSG_DONE (netlink_dump_done() runs
 * the same check) carry NLM_F_DUMP_INTR.
 */
static void ts_dump_seq(struct netlink_callback *cb, bool missed)
{
	if (missed)
		cb->seq = cb->prev_seq + 1 ?: TS_SEQ_CLEAN + 1;
}

/**
 * ts_thread_get_dumpit() - fill one skb of a THREAD_GET dump
 * @skb: the skb to fill
 * @cb: the dump
 *
 * Return: skb->len while there is more to send, 0 at the end, or a negative
 * errno.
 */
int ts_thread_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ts_dump *d = *ts_dump_slot(cb);
	struct task_struct *task;
	int err = 0;

	while ((task = ts_next_thread(d))) {
		ts_dump_seq(cb, ts_watch_missed(&d->watch));
		err = ts_thread_put(skb, task, &d->view,
				    NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    thread_group_leader(task), cb);
		put_task_struct(task);
		if (err == -ESRCH)	/* exited since we found it */
			err = 0;
		if (err)
			break;
		d->pos++;
	}

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	if (err)
		return err;
	/* The walk is over: threads created from now on are after it. */
	ts_dump_seq(cb, ts_watch_close(&d->watch));
	return 0;
}

/**
 * ts_thread_get_done() - release what ts_thread_get_start() took
 * @cb: the dump
 *
 * Return: 0.
 */
int ts_thread_get_done(struct netlink_callback *cb)
{
	struct ts_dump *d = *ts_dump_slot(cb);

	ts_watch_close(&d->watch);
	put_user_ns(d->view.user_ns);
	put_pid_ns(d->view.pid_ns);
	kfree_rcu(d, rcu);
	return 0;
}
