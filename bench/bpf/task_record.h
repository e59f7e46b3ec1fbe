/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * task_record.h -- one thread as the BPF task iterator peer (method (f) of
 * `make bench`) writes it with bpf_seq_write(): the identity and sched
 * fields the module's default dump sends, in a fixed binary layout that
 * both task_fields.bpf.c and its loader compile. Fixed-width fields only,
 * laid out without holes, so the BPF target and x86-64 agree on it.
 */
#ifndef TASK_RECORD_H
#define TASK_RECORD_H

#define TS_BPF_KTHREAD	0x1u
#define TS_BPF_ON_CPU	0x2u

struct ts_bpf_task {
	__u32 tid;		/* ids as the init pid namespace sees them */
	__u32 tgid;
	__u32 ppid;
	__u32 uid;		/* real uid, init user namespace */
	__u64 start_time;	/* start_boottime, ns */
	__u64 sum_exec_runtime;
	__u64 utime;		/* raw, not task_cputime_adjusted() */
	__u64 stime;
	__u64 run_delay;
	__u64 pcount;
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 nr_migrations;
	__u64 min_flt;
	__u64 maj_flt;
	__u64 cpus_allowed;	/* the first 64 CPUs of cpus_ptr */
	__s32 nice;
	__s32 prio;		/* prio - MAX_RT_PRIO, as the module sends */
	__s32 static_prio;
	__u32 rt_priority;
	__u32 policy;
	__u32 cpu;
	__u32 nr_cpus_allowed;
	__u32 flags;		/* TS_BPF_* */
	char state;		/* task_state_to_char() */
	char comm[16];
	char pad[7];
};

#endif /* TASK_RECORD_H */
