// SPDX-License-Identifier: GPL-2.0
/*
 * THREADSTAT_CMD_SYSTEM_GET: the machine-wide numbers a top header shows.
 *
 * Only what exported interfaces give: CPU counts, boot time, uptime and
 * load averages, plus process and thread counts from one walk over the
 * requester's pid namespace (ts_walk_threads(): bounded RCU batches).
 * The fork and context switch totals of /proc/stat (total_forks,
 * nr_context_switches()) are not exported, so this reply has none.
 */
#include <linux/cpumask.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/loadavg.h>
#include <linux/sched/signal.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "threadstat.h"

struct ts_system_counts {
	u32 processes;
	u32 threads;
	u32 running;
	u32 blocked;
};

/* Under RCU (ts_walk_threads()): t is not kept past this call. */
static void ts_system_count_one(struct task_struct *t, void *arg)
{
	struct ts_system_counts *n = arg;
	char state = task_state_to_char(t);

	/*
	 * A process is counted at its leader, which stays (a zombie, if
	 * need be) until its last thread is reaped; the leader has an id
	 * in every namespace its threads have one in.
	 */
	n->processes += thread_group_leader(t);
	n->threads++;
	n->running += state == 'R';
	n->blocked += state == 'D';
}

/* Every thread and process with an id in @ns, in bounded RCU batches. */
static void ts_system_count(struct ts_system_counts *n,
			    struct pid_namespace *ns)
{
	memset(n, 0, sizeof(*n));
	ts_walk_threads(ns, ts_system_count_one, n);
}

/*
 * A load average times 1000, offset as /proc/loadavg offsets it
 * (FIXED_1/200, get_avenrun()) and truncated: its first two decimals are
 * then exactly the ones /proc/loadavg prints, since truncating to
 * thousandths and then to hundredths is truncating to hundredths.
 */
static u32 ts_load_x1000(unsigned long avg)
{
	return min_t(u64, (u64)(avg + FIXED_1 / 200) * 1000 >> FSHIFT,
		     U32_MAX);
}

/*
 * Boot time and uptime in the caller's time namespace, as /proc/stat's
 * btime (timens_sub_boottime()) and /proc/uptime (timens_add_boottime())
 * give them: a boot-time offset moves the boot later and the uptime down.
 */
static void ts_boot_and_uptime(struct timespec64 *boot,
			       struct timespec64 *uptime)
{
	getboottime64(boot);
	timens_sub_boottime(boot);
	ktime_get_boottime_ts64(uptime);
	timens_add_boottime(uptime);
}

static int ts_system_fill(struct sk_buff *skb, struct pid_namespace *ns)
{
	struct timespec64 boot, uptime;
	struct ts_system_counts n;

	ts_boot_and_uptime(&boot, &uptime);
	ts_system_count(&n, ns);

	if (nla_put_u32(skb, THREADSTAT_A_SYSTEM_CPUS_POSSIBLE,
			num_possible_cpus()) ||
	    nla_put_u32(skb, THREADSTAT_A_SYSTEM_CPUS_ONLINE,
			num_online_cpus()) ||
	    ts_put_u64(skb, THREADSTAT_A_SYSTEM_BOOT_TIME,
		       timespec64_to_ns(&boot)) ||
	    ts_put_u64(skb, THREADSTAT_A_SYSTEM_UPTIME,
		       timespec64_to_ns(&uptime)) ||
	    nla_put_u32(skb, THREADSTAT_A_SYSTEM_LOAD_1,
			ts_load_x1000(READ_ONCE(avenrun[0]))) ||
	    nla_put_u32(skb, THREADSTAT_A_SYSTEM_LOAD_5,
			ts_load_x1000(READ_ONCE(avenrun[1]))) ||
	    nla_put_u32(skb, THREADSTAT_A_SYSTEM_LOAD_15,
			ts_load_x1000(READ_ONCE(avenrun[2]))) ||
	    nla_put_u32(skb, THREADSTAT_A_SYSTEM_NR_PROCESSES, n.processes) ||
	    nla_put_u32(skb, THREADSTAT_A_SYSTEM_NR_THREADS, n.threads) ||
	    nla_put_u32(skb, THREADSTAT_A_SYSTEM_NR_RUNNING, n.running) ||
	    nla_put_u32(skb, THREADSTAT_A_SYSTEM_NR_BLOCKED, n.blocked))
		return -EMSGSIZE;
	return 0;
}

/**
 * ts_system_get_doit() - answer a SYSTEM_GET request
 * @skb: the request
 * @info: parsed request (it has no attributes)
 *
 * Return: 0 with the reply sent, or a negative errno.
 */
int ts_system_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ts_family, 0,
				THREADSTAT_CMD_SYSTEM_GET);
	if (!hdr || ts_system_fill(msg, task_active_pid_ns(current))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
