/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Synthetic samples for the host unit tests: threads, CPUs and machine
 * totals built as the module would send them (netlink attributes), so the
 * tests go through the same decoding as a live or replayed sample.
 */
#ifndef THREADSTAT_TESTS_SYNTH_H
#define THREADSTAT_TESTS_SYNTH_H

#include <string.h>

#include <libmnl/libmnl.h>

#include "model.h"

#define MS	1000000ULL	/* ns */
#define SEC	1000000000ULL

struct synth {
	uint32_t tid, tgid, ppid;
	const char *comm;
	char state;		/* 0: no sched group at all */
	uint32_t cpu;
	bool on_cpu, kthread;
	uint64_t start;		/* start-time */
	uint64_t runtime, run_delay, nvcsw, nivcsw, migr;
	uint64_t utime, stime;	/* sent when either is set */
	int32_t nice;
	uint32_t uid;
	uint32_t unknown;	/* > 0: add an attribute of this unknown type */
	/* The process set (sent on the leader's message when .proc) */
	bool proc;
	uint64_t exited_runtime, exited_nvcsw, exited_nivcsw;
	uint64_t exited_utime, exited_stime;	/* sent when either is set */
	uint64_t rss_anon;
	bool mm;		/* with vm-size, rss-file, rss-shmem */
	uint64_t vm_size, rss_file, rss_shmem;
	/* The wait nest: blocked in FUTEX_WAIT on this private futex */
	uint64_t wait_futex, wait_ns;
};

struct synth_msg {
	char buf[4096];
	struct nlmsghdr *nlh;
};

static inline void synth_begin(struct synth_msg *m)
{
	memset(m->buf, 0, sizeof(m->buf));
	m->nlh = mnl_nlmsg_put_header(m->buf);
}

static inline const void *synth_payload(struct synth_msg *m, size_t *len)
{
	*len = mnl_nlmsg_get_payload_len(m->nlh);
	return mnl_nlmsg_get_payload(m->nlh);
}

static inline void synth_thread_msg(struct synth_msg *m, const struct synth *s)
{
	struct nlmsghdr *n;

	synth_begin(m);
	n = m->nlh;
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_TID, s->tid);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_TGID, s->tgid ? s->tgid : s->tid);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_PPID, s->ppid);
	mnl_attr_put_strz(n, THREADSTAT_A_THREAD_COMM, s->comm ? s->comm : "t");
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_UID, s->uid);
	mnl_attr_put_u64(n, THREADSTAT_A_THREAD_START_TIME, s->start);
	if (s->kthread)
		mnl_attr_put(n, THREADSTAT_A_THREAD_KTHREAD, 0, NULL);
	if (s->unknown)
		mnl_attr_put_u32(n, (uint16_t)s->unknown, 0xdeadbeef);
	if (!s->state)
		return;
	mnl_attr_put_u8(n, THREADSTAT_A_THREAD_STATE, (uint8_t)s->state);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_CPU, s->cpu);
	if (s->on_cpu)
		mnl_attr_put(n, THREADSTAT_A_THREAD_ON_CPU, 0, NULL);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_POLICY, 0);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_NICE, (uint32_t)s->nice);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_PRIO, (uint32_t)(120 + s->nice));
	mnl_attr_put_u64(n, THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME, s->runtime);
	mnl_attr_put_u64(n, THREADSTAT_A_THREAD_RUN_DELAY, s->run_delay);
	mnl_attr_put_u64(n, THREADSTAT_A_THREAD_NVCSW, s->nvcsw);
	mnl_attr_put_u64(n, THREADSTAT_A_THREAD_NIVCSW, s->nivcsw);
	mnl_attr_put_u64(n, THREADSTAT_A_THREAD_NR_MIGRATIONS, s->migr);
	if (s->utime || s->stime) {
		mnl_attr_put_u64(n, THREADSTAT_A_THREAD_UTIME, s->utime);
		mnl_attr_put_u64(n, THREADSTAT_A_THREAD_STIME, s->stime);
	}
	if (s->wait_futex) {
		struct nlattr *nest = mnl_attr_nest_start(n,
						THREADSTAT_A_THREAD_WAIT);

		mnl_attr_put_u32(n, THREADSTAT_A_WAIT_SYSCALL, 202);
		mnl_attr_put_u64(n, THREADSTAT_A_WAIT_BLOCKED_NS, s->wait_ns);
		mnl_attr_put_u64(n, THREADSTAT_A_WAIT_FUTEX_ADDR, s->wait_futex);
		mnl_attr_put_u32(n, THREADSTAT_A_WAIT_FUTEX_OP, 0);
		mnl_attr_put_u8(n, THREADSTAT_A_WAIT_FUTEX_PRIVATE, 1);
		mnl_attr_put_u32(n, THREADSTAT_A_WAIT_FUTEX_VAL, 2);
		mnl_attr_put_u32(n, THREADSTAT_A_WAIT_FUTEX_WORD, 2);
		mnl_attr_nest_end(n, nest);
	}
	if (s->proc) {
		struct nlattr *nest = mnl_attr_nest_start(n,
						THREADSTAT_A_THREAD_PROCESS);

		mnl_attr_put_u32(n, THREADSTAT_A_PROCESS_NR_THREADS, 1);
		mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_EXITED_SUM_EXEC_RUNTIME,
				 s->exited_runtime);
		mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_EXITED_NVCSW,
				 s->exited_nvcsw);
		mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_EXITED_NIVCSW,
				 s->exited_nivcsw);
		if (s->exited_utime || s->exited_stime) {
			mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_EXITED_UTIME,
					 s->exited_utime);
			mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_EXITED_STIME,
					 s->exited_stime);
		}
		mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_RSS_ANON, s->rss_anon);
		if (s->mm) {
			mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_VM_SIZE,
					 s->vm_size);
			mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_RSS_FILE,
					 s->rss_file);
			mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_RSS_SHMEM,
					 s->rss_shmem);
		}
		if (s->unknown)	/* a newer module's process attribute */
			mnl_attr_put_u64(n, THREADSTAT_A_PROCESS_MAX + 1, 7);
		mnl_attr_nest_end(n, nest);
	}
}

/* CPU @cpu with these ns in each state (user, system, irq, steal, idle). */
static inline void synth_cpu_msg(struct synth_msg *m, uint32_t cpu,
				 uint64_t user, uint64_t system, uint64_t irq,
				 uint64_t steal, uint64_t idle, uint32_t curr)
{
	synth_begin(m);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_CPU_CPU, cpu);
	mnl_attr_put_u8(m->nlh, THREADSTAT_A_CPU_ONLINE, 1);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_CPU_CORE_ID, cpu / 2);
	mnl_attr_put_u64(m->nlh, THREADSTAT_A_CPU_USER, user);
	mnl_attr_put_u64(m->nlh, THREADSTAT_A_CPU_SYSTEM, system);
	mnl_attr_put_u64(m->nlh, THREADSTAT_A_CPU_IRQ, irq);
	mnl_attr_put_u64(m->nlh, THREADSTAT_A_CPU_STEAL, steal);
	mnl_attr_put_u64(m->nlh, THREADSTAT_A_CPU_IDLE, idle);
	if (curr)
		mnl_attr_put_u32(m->nlh, THREADSTAT_A_CPU_CURR_TID, curr);
}

static inline void synth_system_msg(struct synth_msg *m, uint32_t procs,
				    uint32_t threads, uint64_t uptime)
{
	synth_begin(m);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_SYSTEM_NR_PROCESSES, procs);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_SYSTEM_NR_THREADS, threads);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_SYSTEM_NR_RUNNING, 3);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_SYSTEM_NR_BLOCKED, 1);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_SYSTEM_LOAD_1, 1500);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_SYSTEM_LOAD_5, 750);
	mnl_attr_put_u32(m->nlh, THREADSTAT_A_SYSTEM_LOAD_15, 250);
	mnl_attr_put_u64(m->nlh, THREADSTAT_A_SYSTEM_UPTIME, uptime);
}

/* Stage @s into @m the way a sample does: decode, then add. */
static inline int synth_add(struct ts_model *m, const struct synth *s)
{
	struct synth_msg msg;
	struct ts_thread t;
	size_t len;
	const void *p;
	int rc;

	synth_thread_msg(&msg, s);
	p = synth_payload(&msg, &len);
	if (ts_thread_decode(p, len, &t, NULL))
		return -1;
	rc = ts_model_add_thread(m, &t);
	ts_thread_release(&t);
	return rc;
}

static inline int synth_add_cpu(struct ts_model *m, uint32_t cpu,
				uint64_t user, uint64_t system, uint64_t irq,
				uint64_t steal, uint64_t idle, uint32_t curr)
{
	struct synth_msg msg;
	struct ts_cpu c;
	size_t len;
	const void *p;

	synth_cpu_msg(&msg, cpu, user, system, irq, steal, idle, curr);
	p = synth_payload(&msg, &len);
	if (ts_cpu_decode(p, len, &c, NULL))
		return -1;
	return ts_model_add_cpu(m, &c);
}

/* Stage a sample of @n threads at @t_ns (not committed). */
static inline int synth_stage(struct ts_model *m, uint64_t t_ns,
			      const struct synth *s, size_t n)
{
	size_t i;

	if (ts_model_begin(m, t_ns, 1700000000 * SEC + t_ns))
		return -1;
	for (i = 0; i < n; i++)
		if (synth_add(m, &s[i]))
			return -1;
	return 0;
}

/* A whole sample of @n threads at @t_ns. */
static inline int synth_sample(struct ts_model *m, uint64_t t_ns,
			       const struct synth *s, size_t n, bool complete)
{
	if (synth_stage(m, t_ns, s, n))
		return -1;
	return ts_model_commit(m, complete);
}

/* A sample whose SYSTEM_GET read @uptime (boot-time ns, as start times). */
static inline int synth_sample_at(struct ts_model *m, uint64_t t_ns,
				  uint64_t uptime, const struct synth *s,
				  size_t n, bool complete)
{
	struct synth_msg msg;
	struct ts_system sys;
	const void *p;
	size_t len, i;

	if (ts_model_begin(m, t_ns, 1700000000 * SEC + t_ns))
		return -1;
	synth_system_msg(&msg, 1, (uint32_t)n, uptime);
	p = synth_payload(&msg, &len);
	if (ts_system_decode(p, len, &sys, NULL))
		return -1;
	ts_model_set_system(m, &sys);
	for (i = 0; i < n; i++)
		if (synth_add(m, &s[i]))
			return -1;
	return ts_model_commit(m, complete);
}

/* Compare rates to 0.001. */
#define milli(x)	((long long)((x) * 1000.0 + ((x) < 0 ? -0.5 : 0.5)))

#endif
