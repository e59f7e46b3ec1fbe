/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of threadstat.ko, shared by its source files.
 */
#ifndef _THREADSTAT_H
#define _THREADSTAT_H

#include <linux/cpumask.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <net/genetlink.h>
#include <uapi/linux/threadstat.h>

struct file;
struct pid_namespace;
struct user_namespace;
struct task_struct;

/* Every attribute set of the family puts its 64-bit padding at type 1. */
#define TS_ATTR_PAD	1

/**
 * struct ts_view - who is asking, fixed when a request starts
 * @pid_ns:	pid namespace ids are translated into
 * @user_ns:	user namespace uids are translated into
 * @sock_file:	the requesting socket's file, whose opener's credentials
 *		count (valid while a request or dump callback runs on the
 *		socket, which holds it; never used after); NULL: unknown
 * @fields:	THREADSTAT_FIELDS_* groups to try for every thread
 * @withheld:	requested groups withheld from every thread (see access.c);
 *		per thread, ts_access_withheld() may withhold more
 * @schedstats:	the kernel is collecting schedstats
 * @delayacct:	delay accounting is on
 * @yama_scope:	kernel.yama.ptrace_scope when the request started
 * @hidepid:	the hidepid module parameter when the request started
 *
 * Small on purpose: a dump keeps it in the 48 bytes of cb->ctx.
 */
struct ts_view {
	struct pid_namespace *pid_ns;
	struct user_namespace *user_ns;
	const struct file *sock_file;
	u16 fields;
	u16 withheld;
	bool schedstats;
	bool delayacct;
	u8 yama_scope;
	u8 hidepid;
};

extern struct genl_family ts_family;

/* family.c */
int ts_family_register(void);
void ts_family_unregister(void);

/* thread_get.c: THREADSTAT_CMD_THREAD_GET */
int ts_thread_get_doit(struct sk_buff *skb, struct genl_info *info);
int ts_thread_get_start(struct netlink_callback *cb);
int ts_thread_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ts_thread_get_done(struct netlink_callback *cb);
extern const struct nla_policy ts_thread_get_policy[THREADSTAT_A_THREAD_MAX + 1];

/* thread_fill.c: one thread's attributes */
int ts_thread_fill(struct sk_buff *skb, struct task_struct *task,
		   const struct ts_view *view);

/* One file per optional field group. */
int ts_fill_schedstats(struct sk_buff *skb, struct task_struct *task,
		       const struct ts_view *view);
int ts_fill_delayacct(struct sk_buff *skb, struct task_struct *task,
		      const struct ts_view *view);
int ts_fill_stack(struct sk_buff *skb, struct task_struct *task,
		  const struct ts_view *view);
int ts_fill_kstack(struct sk_buff *skb, struct task_struct *task,
		   const struct ts_view *view);
int ts_fill_regs(struct sk_buff *skb, struct task_struct *task,
		 const struct ts_view *view);
int ts_fill_wait(struct sk_buff *skb, struct task_struct *task,
		 const struct ts_view *view);

/* thread_regs.c: saved user registers and the system call, for regs and wait */
struct pt_regs;
int ts_read_user_regs(struct task_struct *task, struct pt_regs *regs,
		      bool *stable, unsigned long *ncsw);
int ts_syscall_of(struct task_struct *task, struct pt_regs *regs,
		  u64 args[6]);

/*
 * Room for the largest THREAD_GET reply: every group and a full kernel
 * stack (frames are capped in count and length, see thread_kstack.c).
 * Do replies are allocated this big and dumps that ask for the kstack
 * group get skbs at least this big, so one thread always fits in an empty
 * message (a client must read dumps with buffers this large; libmnl's
 * MNL_SOCKET_DUMP_SIZE is 32 KiB).
 */
#define TS_THREAD_MSG_SIZE	8192

/* access.c: who may see what (the privilege table is there) */
void ts_access_init(void);
void ts_access_exit(void);
void ts_access_view_init(struct ts_view *view, const struct sk_buff *skb);
u32 ts_access_withheld(struct task_struct *task, const struct ts_view *view);
bool ts_access_visible(struct task_struct *task, const struct ts_view *view);
bool ts_access_delay_details(const struct ts_view *view);

/* accounting_state.c */
struct file *ts_sysctl_open(const char *path);
int ts_sysctl_read(struct file *file, int *val);
void ts_accounting_init(void);
void ts_accounting_exit(void);
bool ts_schedstats_on(void);
bool ts_delayacct_on(void);

/* thread_walk.c: every thread of a pid namespace, in bounded RCU batches */
void ts_walk_threads(struct pid_namespace *ns,
		     void (*visit)(struct task_struct *t, void *arg),
		     void *arg);

/* cpu_get.c: THREADSTAT_CMD_CPU_GET */
int ts_cpu_get_doit(struct sk_buff *skb, struct genl_info *info);
int ts_cpu_get_start(struct netlink_callback *cb);
int ts_cpu_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ts_cpu_get_done(struct netlink_callback *cb);
extern const struct nla_policy ts_cpu_get_policy[THREADSTAT_A_CPU_MAX + 1];

/**
 * struct ts_cpu_tally - what one walk over the visible threads found about a CPU
 * @curr_tid:	thread running there, in the requester's pid namespace; 0
 *		when the CPU idles or runs a thread invisible to the requester
 *		(outside its pid namespace, or hidden by the hidepid parameter)
 * @curr_tgid:	its process
 * @curr_runnable: the thread in @curr_tid was in state R when seen
 * @nr_running:	visible threads in state R whose CPU this is
 * @nr_threads:	visible threads whose current or last CPU this is
 * @curr_comm:	name of the running thread
 */
struct ts_cpu_tally {
	pid_t curr_tid;
	pid_t curr_tgid;
	bool curr_runnable;
	u32 nr_running;
	u32 nr_threads;
	char curr_comm[TASK_COMM_LEN];
};

/* cpu_tally.c: one bounded walk over the requester's threads, by CPU */
void ts_cpu_tally(struct ts_cpu_tally *tally, unsigned int first,
		  unsigned int count, const struct ts_view *view);

/* system_get.c: THREADSTAT_CMD_SYSTEM_GET */
int ts_system_get_doit(struct sk_buff *skb, struct genl_info *info);

/**
 * struct ts_dump_watch - one THREAD_GET dump in flight, seen by the probe
 * @node:	on the list of dumps in flight (RCU)
 * @ns:		pid namespace of the dump's tids
 * @tgid:	the only process listed, or 0 for all
 * @first:	lowest tid listed
 * @passed:	tids in [@first, @passed) have been looked at
 * @state:	whether a thread may be missing; whether the walk has ended
 */
struct ts_dump_watch {
	struct list_head node;
	struct pid_namespace *ns;
	u32 tgid;
	u32 first;
	atomic_t passed;
	atomic_t state;
};

/* dump_consistency.c: NLM_F_DUMP_INTR, set only when a thread may be missing */
int ts_dump_consistency_init(void);
void ts_dump_consistency_exit(void);
void ts_watch_start(struct ts_dump_watch *w, struct pid_namespace *ns,
		    u32 tgid, u32 first);
void ts_watch_pass(struct ts_dump_watch *w, u32 passed);
void ts_watch_give_up(struct ts_dump_watch *w);
bool ts_watch_missed(struct ts_dump_watch *w);
bool ts_watch_close(struct ts_dump_watch *w);

/* events.c: THREADSTAT_CMD_EVENTS_SUBSCRIBE and the event probes */
int ts_events_init(void);
void ts_events_exit(void);
int ts_events_subscribe_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy ts_events_policy[THREADSTAT_A_EVENT_MAX + 1];

/* tracepoint_lookup.c: scheduler tracepoints are found by name */
struct tracepoint *ts_tracepoint_lookup(const char *name);

/* latency.c: run-queue latency probes and the latency group */
#define TS_LAT_CAP	16384	/* threads tracked at once: 5 MiB */
void ts_latency_init(void);
int ts_latency_start(void);
void ts_latency_stop(void);
bool ts_latency_state(u32 *tracked, u64 *overflow);
int ts_fill_latency(struct sk_buff *skb, struct task_struct *task);

/* latency_set.c: THREADSTAT_CMD_LATENCY_SET, who holds latency on */
int ts_latency_set_init(void);
void ts_latency_set_exit(void);
int ts_latency_set_doit(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy ts_latency_policy[THREADSTAT_A_LATENCY_MAX + 1];

/* process_fill.c: the process nest (exited threads' totals, memory) */
int ts_fill_process(struct sk_buff *skb, struct task_struct *task);

/**
 * ts_put_u64() - put a 64-bit attribute, padded for alignment
 * @skb: message being built
 * @type: attribute type
 * @value: the value
 *
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
static inline int ts_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, TS_ATTR_PAD);
}

/**
 * ts_cpumask_bytes() - length of a CPU set attribute
 *
 * The ABI's CPU set is a bitmap of u64 words, the kernel's cpumask bits
 * up to nr_cpu_ids.
 *
 * Return: bytes of cpumask_bits() that a CPU set attribute carries.
 */
static inline int ts_cpumask_bytes(void)
{
	/* The kernel's bitmap is the ABI's where a long is a u64. */
	BUILD_BUG_ON(sizeof(long) != sizeof(u64));
	return BITS_TO_LONGS(nr_cpu_ids) * sizeof(long);
}

/**
 * ts_put_cpumask() - put a CPU set as the ABI's bitmap of u64 words
 * @skb: message being built
 * @type: attribute type
 * @mask: the CPUs
 *
 * Only the words up to nr_cpu_ids are sent.
 *
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
static inline int ts_put_cpumask(struct sk_buff *skb, int type,
				 const struct cpumask *mask)
{
	return nla_put(skb, type, ts_cpumask_bytes(), cpumask_bits(mask));
}

#endif /* _THREADSTAT_H */
