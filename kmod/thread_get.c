// SPDX-License-Identifier: GPL-2.0
/*
 * THREADSTAT_CMD_THREAD_GET: one thread by tid (do) or every thread of the
 * requester's pid namespace (dump).
 *
 * The dump walks pid numbers upwards with find_ge_pid(), the way /proc walks
 * its directories. Its only state between callbacks is the next tid to look
 * at, so no task is pinned while userspace is slow to read, a thread that
 * exits mid-dump is simply not found, and no thread is ever sent twice.
 */
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>

#include "threadstat.h"

/**
 * struct ts_dump_ctx - THREAD_GET dump state, kept in cb->ctx
 * @view: requester and requested fields (holds namespace references)
 * @next_tid: first tid the next callback looks at
 * @last_tid: the walk stops after this tid
 * @tgid: only threads of this process, or 0 for all
 * @generation: ts_generation_read() when the dump started
 */
struct ts_dump_ctx {
	struct ts_view view;
	u32 next_tid;
	u32 last_tid;
	u32 tgid;
	u32 generation;
};

static struct ts_dump_ctx *ts_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct ts_dump_ctx) > sizeof(cb->ctx));
	return (struct ts_dump_ctx *)cb->ctx;
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

static int ts_thread_put(struct sk_buff *skb, struct task_struct *task,
			 const struct ts_view *view, u32 portid, u32 seq,
			 int flags)
{
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, portid, seq, &ts_family, flags,
			  THREADSTAT_CMD_THREAD_GET);
	if (!hdr)
		return -EMSGSIZE;

	err = ts_thread_fill(skb, task, view);
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
			    0);
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
 * ts_thread_get_start() - validate a THREAD_GET dump and set up its state
 * @cb: the dump
 *
 * Return: 0, or a negative errno with an extack message.
 */
int ts_thread_get_start(struct netlink_callback *cb)
{
	struct ts_dump_ctx *ctx = ts_dump_ctx(cb);
	struct nlattr *tb[THREADSTAT_A_THREAD_MAX + 1];
	int err;

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, THREADSTAT_A_THREAD_MAX,
			  ts_thread_get_policy, cb->extack);
	if (err)
		return err;

	ts_view_init(&ctx->view, cb->skb, tb[THREADSTAT_A_THREAD_FIELDS]);
	get_pid_ns(ctx->view.pid_ns);
	get_user_ns(ctx->view.user_ns);
	ctx->tgid = tb[THREADSTAT_A_THREAD_TGID] ?
		    nla_get_u32(tb[THREADSTAT_A_THREAD_TGID]) : 0;
	ctx->next_tid = 1;
	ctx->last_tid = PID_MAX_LIMIT;
	if (tb[THREADSTAT_A_THREAD_TID]) {
		/*
		 * A dump filtered to one thread: zero or one message. No pid
		 * is above PID_MAX_LIMIT, and find_ge_pid() takes an int that
		 * a tid of 2^31 or more would turn negative (idr_get_next()
		 * then WARNs), so such a filter gives next > last: no walk.
		 */
		ctx->next_tid = nla_get_u32(tb[THREADSTAT_A_THREAD_TID]);
		ctx->last_tid = min_t(u32, ctx->next_tid, PID_MAX_LIMIT);
	}
	ctx->generation = ts_generation_read();
	/*
	 * One thread with a full kernel stack must fit in an empty skb;
	 * without the kstack group a thread fits in the default size, so
	 * clients reading with small buffers keep working.
	 */
	if (ctx->view.fields & THREADSTAT_FIELDS_KSTACK)
		cb->min_dump_alloc = TS_THREAD_MSG_SIZE;
	return 0;
}

/* Find the first thread with tid >= *tid and take a reference on it. */
static struct task_struct *ts_next_thread(struct ts_dump_ctx *ctx)
{
	struct pid_namespace *ns = ctx->view.pid_ns;
	struct task_struct *task = NULL;
	struct pid *pid;

	rcu_read_lock();
	while (ctx->next_tid <= ctx->last_tid &&
	       (pid = find_ge_pid(ctx->next_tid, ns))) {
		ctx->next_tid = pid_nr_ns(pid, ns);
		if (ctx->next_tid > ctx->last_tid)
			break;
		task = pid_task(pid, PIDTYPE_PID);
		if (task && (!ctx->tgid ||
			     task_tgid_nr_ns(task, ns) == ctx->tgid)) {
			get_task_struct(task);
			break;
		}
		task = NULL;
		ctx->next_tid++;
	}
	rcu_read_unlock();
	return task;
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
	struct ts_dump_ctx *ctx = ts_dump_ctx(cb);
	struct task_struct *task;
	int err = 0;

	/*
	 * A thread born or gone since the dump started may be missing from
	 * it: flag every message from then on, and through cb->seq the
	 * closing NLMSG_DONE too, as NLM_F_DUMP_INTR.
	 */
	cb->seq = ctx->generation;
	if (ts_generation_read() != ctx->generation)
		cb->seq = ctx->generation + 1;

	while ((task = ts_next_thread(ctx))) {
		u16 flags = NLM_F_MULTI;

		if (ts_generation_read() != ctx->generation)
			flags |= NLM_F_DUMP_INTR;
		err = ts_thread_put(skb, task, &ctx->view,
				    NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, flags);
		put_task_struct(task);
		if (err == -ESRCH)	/* exited since we found it */
			err = 0;
		if (err)
			break;
		ctx->next_tid++;
	}

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

/**
 * ts_thread_get_done() - release what ts_thread_get_start() took
 * @cb: the dump
 *
 * Return: 0.
 */
int ts_thread_get_done(struct netlink_callback *cb)
{
	struct ts_dump_ctx *ctx = ts_dump_ctx(cb);

	put_user_ns(ctx->view.user_ns);
	put_pid_ns(ctx->view.pid_ns);
	return 0;
}
