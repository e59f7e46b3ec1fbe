// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * task_fields.bpf.c -- method (f) of `make bench`: a BPF task iterator
 * writing, for every thread, the fields of the module's default dump
 * (identity + sched group) as one struct ts_bpf_task with bpf_seq_write().
 *
 * This is what an expert would write instead of loading threadstat: the
 * kernel's own task walk (bpf_iter task: find_ge_pid over the pid
 * namespace, as the module's dump), no per-thread system call, no netlink
 * attributes. Loads through the task pointer are BTF-typed (the verifier
 * turns them into fault-safe PROBE_MEM loads), so no bpf_probe_read.
 *
 * What it does not do that the module does: task_cputime_adjusted() (not
 * callable from BPF; raw utime/stime are sent), pid and uid translation to
 * the reader's namespaces (init namespaces here; the bench runs there),
 * the full cpumask (first 64 CPUs) and the access checks.
 */
#include "task_core.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "task_record.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define PF_KTHREAD	0x00200000
#define MAX_RT_PRIO	100
#define NICE_0_PRIO	120
#define TASK_REPORT	0x7f
#define TASK_NOLOAD	0x0400
#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_IDLE	(TASK_UNINTERRUPTIBLE | TASK_NOLOAD)

/* task_state_to_char(): the highest TASK_REPORT bit picks the letter. */
static char state_char(const struct task_struct *task)
{
	unsigned int raw = task->__state;
	unsigned int st = (raw | task->exit_state) & TASK_REPORT;
	int i, index = 0;

	if ((raw & TASK_IDLE) == TASK_IDLE)
		return 'I';
	for (i = 0; i < 7; i++)
		if (st & (1u << i))
			index = i + 1;
	return "RSDTtXZP"[index];
}

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct ts_bpf_task r = {};

	if (!task)
		return 0;

	r.tid = task->pid;
	r.tgid = task->tgid;
	r.ppid = task->real_parent->tgid;
	r.uid = task->real_cred->uid.val;
	r.start_time = task->start_boottime;
	r.sum_exec_runtime = task->se.sum_exec_runtime;
	r.utime = task->utime;
	r.stime = task->stime;
	r.run_delay = task->sched_info.run_delay;
	r.pcount = task->sched_info.pcount;
	r.nvcsw = task->nvcsw;
	r.nivcsw = task->nivcsw;
	r.nr_migrations = task->se.nr_migrations;
	r.min_flt = task->min_flt;
	r.maj_flt = task->maj_flt;
	r.cpus_allowed = task->cpus_ptr->bits[0];
	r.nice = task->static_prio - NICE_0_PRIO;
	r.prio = task->prio - MAX_RT_PRIO;
	r.static_prio = task->static_prio;
	r.rt_priority = task->rt_priority;
	r.policy = task->policy;
	if (bpf_core_field_exists(task->cpu))
		r.cpu = task->cpu;
	else
		r.cpu = task->thread_info.cpu;
	r.nr_cpus_allowed = task->nr_cpus_allowed;
	if (task->flags & PF_KTHREAD)
		r.flags |= TS_BPF_KTHREAD;
	if (task->on_cpu)
		r.flags |= TS_BPF_ON_CPU;
	r.state = state_char(task);
	__builtin_memcpy(r.comm, task->comm, sizeof(r.comm));

	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
