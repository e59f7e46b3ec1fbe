// SPDX-License-Identifier: GPL-2.0
/*
 * THREADSTAT_CMD_CPU_GET: one CPU (do) or every possible CPU (dump).
 *
 * Times come from the same sources as /proc/stat: kcpustat_cpu_fetch(),
 * with idle and iowait from the NO_HZ idle accounting while it is active
 * and the CPU is online. Topology is sent for online CPUs only, as sysfs
 * does: an offline CPU has no sibling mask, and a CPU that was never
 * brought up has no ids at all.
 *
 * Per-CPU thread counts cost a walk over every thread the requester can
 * see, so a dump walks once, in .start, into an array of every CPU it
 * will send (freed in .done); callbacks only emit from it, and the walk
 * costs O(threads) per request however many skbs the CPUs take. Between
 * callbacks the dump keeps that array, the requester's pid namespace and
 * the next CPU number: no task pointer. A cpu in the dump request narrows
 * it to that CPU, as a tid does a THREAD_GET dump: zero or one message,
 * never an error.
 */
#include <linux/cpufreq.h>
#include <linux/cpumask.h>
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tick.h>
#include <linux/topology.h>
#include <net/genetlink.h>

#include "compat.h"
#include "threadstat.h"

/**
 * struct ts_cpu_dump_ctx - CPU_GET dump state, kept in cb->ctx
 * @pid_ns: requester's pid namespace (a reference is held)
 * @tally: one entry per CPU from @first_cpu to @end_cpu, filled in .start
 * @first_cpu: first CPU of the dump; @tally[0] is this CPU's
 * @next_cpu: first CPU the next callback looks at
 * @end_cpu: the dump stops before this CPU
 */
struct ts_cpu_dump_ctx {
	struct pid_namespace *pid_ns;
	struct ts_cpu_tally *tally;
	unsigned int first_cpu;
	unsigned int next_cpu;
	unsigned int end_cpu;
};

static struct ts_cpu_dump_ctx *ts_cpu_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct ts_cpu_dump_ctx) > sizeof(cb->ctx));
	return (struct ts_cpu_dump_ctx *)cb->ctx;
}

/*
 * Ids as sysfs shows them under cpuN/topology. The generic fallbacks
 * say -1 for a level the architecture does not have; leave those out.
 */
static int ts_put_topology_id(struct sk_buff *skb, int type, int id)
{
	if (id < 0)
		return 0;
	return nla_put_u32(skb, type, id);
}

static int ts_cpu_fill_topology(struct sk_buff *skb, unsigned int cpu)
{
	int cluster_id = -1;

#ifdef TS_HAVE_CLUSTER_ID
	cluster_id = topology_cluster_id(cpu);
#endif
	if (ts_put_topology_id(skb, THREADSTAT_A_CPU_PACKAGE_ID,
			       topology_physical_package_id(cpu)) ||
	    ts_put_topology_id(skb, THREADSTAT_A_CPU_DIE_ID,
			       topology_die_id(cpu)) ||
	    ts_put_topology_id(skb, THREADSTAT_A_CPU_CLUSTER_ID, cluster_id) ||
	    ts_put_topology_id(skb, THREADSTAT_A_CPU_CORE_ID,
			       topology_core_id(cpu)) ||
	    ts_put_cpumask(skb, THREADSTAT_A_CPU_SIBLINGS,
			   topology_sibling_cpumask(cpu)))
		return -EMSGSIZE;
	return 0;
}

/*
 * NO_HZ idle time in ns, or @fallback (the tick-based counter) while
 * NO_HZ is not active (the helper says -1) or the CPU is offline, which
 * is what /proc/stat does.
 */
static u64 ts_idle_ns(u64 (*nohz_us)(int cpu, u64 *last), unsigned int cpu,
		      bool online, u64 fallback)
{
	u64 us = online ? nohz_us(cpu, NULL) : -1ULL;

	return us == -1ULL ? fallback : us * NSEC_PER_USEC;
}

static int ts_cpu_fill_times(struct sk_buff *skb, unsigned int cpu,
			     bool online)
{
	static const struct {
		u16 attr;
		u8 index;
	} plain[] = {
		{ THREADSTAT_A_CPU_USER, CPUTIME_USER },
		{ THREADSTAT_A_CPU_NICE, CPUTIME_NICE },
		{ THREADSTAT_A_CPU_SYSTEM, CPUTIME_SYSTEM },
		{ THREADSTAT_A_CPU_IRQ, CPUTIME_IRQ },
		{ THREADSTAT_A_CPU_SOFTIRQ, CPUTIME_SOFTIRQ },
		{ THREADSTAT_A_CPU_STEAL, CPUTIME_STEAL },
		{ THREADSTAT_A_CPU_GUEST, CPUTIME_GUEST },
		{ THREADSTAT_A_CPU_GUEST_NICE, CPUTIME_GUEST_NICE },
	};
	struct kernel_cpustat kcs;
	u64 *t = kcs.cpustat;
	unsigned int i;

	kcpustat_cpu_fetch(&kcs, cpu);
	for (i = 0; i < ARRAY_SIZE(plain); i++)
		if (ts_put_u64(skb, plain[i].attr, t[plain[i].index]))
			return -EMSGSIZE;
	if (ts_put_u64(skb, THREADSTAT_A_CPU_IDLE,
		       ts_idle_ns(get_cpu_idle_time_us, cpu, online,
				  t[CPUTIME_IDLE])) ||
	    ts_put_u64(skb, THREADSTAT_A_CPU_IOWAIT,
		       ts_idle_ns(get_cpu_iowait_time_us, cpu, online,
				  t[CPUTIME_IOWAIT])))
		return -EMSGSIZE;
	return 0;
}

/*
 * The requester as the tally needs it: pid namespace and, for naming the
 * thread on a CPU, the hidepid rule of access.c. No field group applies.
 */
static void ts_cpu_view_init(struct ts_view *view, const struct sk_buff *skb,
			     struct pid_namespace *ns)
{
	memset(view, 0, sizeof(*view));
	view->pid_ns = ns;
	view->user_ns = current_user_ns();
	ts_access_view_init(view, skb);
}

static int ts_cpu_fill(struct sk_buff *skb, unsigned int cpu,
		       const struct ts_cpu_tally *tally)
{
	bool online = cpu_online(cpu);
	unsigned int khz;

	if (nla_put_u32(skb, THREADSTAT_A_CPU_CPU, cpu) ||
	    nla_put_u8(skb, THREADSTAT_A_CPU_ONLINE, online))
		return -EMSGSIZE;
	if (online && ts_cpu_fill_topology(skb, cpu))
		return -EMSGSIZE;
	if (ts_cpu_fill_times(skb, cpu, online))
		return -EMSGSIZE;

	/* 0: no cpufreq driver or policy for this CPU. */
	khz = cpufreq_quick_get(cpu);
	if (khz && nla_put_u32(skb, THREADSTAT_A_CPU_FREQ_KHZ, khz))
		return -EMSGSIZE;

	if (tally->curr_tid &&
	    (nla_put_u32(skb, THREADSTAT_A_CPU_CURR_TID, tally->curr_tid) ||
	     nla_put_u32(skb, THREADSTAT_A_CPU_CURR_TGID, tally->curr_tgid) ||
	     nla_put_string(skb, THREADSTAT_A_CPU_CURR_COMM,
			    tally->curr_comm)))
		return -EMSGSIZE;
	if (nla_put_u32(skb, THREADSTAT_A_CPU_NR_RUNNING, tally->nr_running) ||
	    nla_put_u32(skb, THREADSTAT_A_CPU_NR_THREADS, tally->nr_threads))
		return -EMSGSIZE;
	return 0;
}

static int ts_cpu_put(struct sk_buff *skb, unsigned int cpu,
		      const struct ts_cpu_tally *tally, u32 portid, u32 seq,
		      int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ts_family, flags,
			  THREADSTAT_CMD_CPU_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (ts_cpu_fill(skb, cpu, tally)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * ts_cpu_get_doit() - answer a CPU_GET do request
 * @skb: the request
 * @info: parsed request; THREADSTAT_A_CPU_CPU is required
 *
 * Return: 0 with the reply sent, or a negative errno: -EINVAL without a
 * cpu, -ENOENT for a CPU that is not possible on this machine.
 */
int ts_cpu_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *cpu_attr = info->attrs[THREADSTAT_A_CPU_CPU];
	struct ts_cpu_tally tally;
	struct ts_view view;
	struct sk_buff *msg;
	u32 cpu;
	int err;

	if (!cpu_attr) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, THREADSTAT_A_CPU_CPU);
		NL_SET_ERR_MSG(info->extack, "cpu is required");
		return -EINVAL;
	}
	cpu = nla_get_u32(cpu_attr);
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		NL_SET_ERR_MSG_ATTR(info->extack, cpu_attr,
				    "no such CPU: not possible on this machine");
		return -ENOENT;
	}

	ts_cpu_view_init(&view, skb, task_active_pid_ns(current));
	ts_cpu_tally(&tally, cpu, 1, &view);

	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = ts_cpu_put(msg, cpu, &tally, info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * ts_cpu_get_start() - validate a CPU_GET dump and set up its state
 * @cb: the dump
 *
 * Return: 0, or a negative errno with an extack message.
 */
int ts_cpu_get_start(struct netlink_callback *cb)
{
	struct ts_cpu_dump_ctx *ctx = ts_cpu_dump_ctx(cb);
	struct nlattr *tb[THREADSTAT_A_CPU_MAX + 1];
	struct ts_view view;
	int err;

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, THREADSTAT_A_CPU_MAX,
			  ts_cpu_get_policy, cb->extack);
	if (err)
		return err;
	ctx->next_cpu = 0;
	ctx->end_cpu = nr_cpu_ids;
	if (tb[THREADSTAT_A_CPU_CPU]) {
		ctx->next_cpu = min(nla_get_u32(tb[THREADSTAT_A_CPU_CPU]),
				    nr_cpu_ids);
		ctx->end_cpu = min(ctx->next_cpu + 1, nr_cpu_ids);
	}

	ctx->first_cpu = ctx->next_cpu;

	/* One spare entry: an empty range still has a valid array. */
	ctx->tally = kvcalloc(ctx->end_cpu - ctx->first_cpu + 1,
			      sizeof(*ctx->tally), GFP_KERNEL);
	if (!ctx->tally)
		return -ENOMEM;
	ctx->pid_ns = get_pid_ns(task_active_pid_ns(current));
	/* The one walk of this request; callbacks only emit. */
	ts_cpu_view_init(&view, cb->skb, ctx->pid_ns);
	ts_cpu_tally(ctx->tally, ctx->first_cpu, ctx->end_cpu - ctx->first_cpu,
		     &view);
	return 0;
}

/**
 * ts_cpu_get_dumpit() - fill one skb of a CPU_GET dump
 * @skb: the skb to fill
 * @cb: the dump
 *
 * Return: skb->len while there is more to send, 0 at the end, or a negative
 * errno.
 */
int ts_cpu_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ts_cpu_dump_ctx *ctx = ts_cpu_dump_ctx(cb);
	unsigned int cpu;
	int err = 0;

	for (cpu = ctx->next_cpu; cpu < ctx->end_cpu; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		err = ts_cpu_put(skb, cpu, &ctx->tally[cpu - ctx->first_cpu],
				 NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
	}
	ctx->next_cpu = cpu;

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

/**
 * ts_cpu_get_done() - release what ts_cpu_get_start() took
 * @cb: the dump
 *
 * Return: 0.
 */
int ts_cpu_get_done(struct netlink_callback *cb)
{
	struct ts_cpu_dump_ctx *ctx = ts_cpu_dump_ctx(cb);

	kvfree(ctx->tally);
	put_pid_ns(ctx->pid_ns);
	return 0;
}
