/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * task_core.h -- the few kernel types task_fields.bpf.c reads, declared by
 * hand for CO-RE instead of a generated vmlinux.h.
 *
 * Why not vmlinux.h: it would be generated from some kernel's BTF at build
 * time, but the host that builds the bench is not a kernel it runs on (the
 * VMs boot Debian's 6.1 and 6.12, whose BTF is only readable inside them).
 * With preserve_access_index every member access below is a CO-RE
 * relocation that libbpf resolves against the running kernel's
 * /sys/kernel/btf/vmlinux by name, so the offsets written here do not
 * matter; only member names and types must exist in both kernels, and every
 * one used here does in 6.1 and 6.12 (libbpf refuses to load otherwise).
 */
#ifndef TASK_CORE_H
#define TASK_CORE_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct cpumask {
	unsigned long bits[1];
};

typedef struct {
	__u32 val;
} kuid_t;

struct cred {
	kuid_t uid;
};

struct sched_entity {
	__u64 sum_exec_runtime;
	__u64 nr_migrations;
};

struct sched_info {
	unsigned long pcount;
	unsigned long long run_delay;
};

/* x86 keeps the CPU number in task_struct on 6.1 and 6.12, and in
 * thread_info again from 6.15 on: task_fields.bpf.c asks which one exists.
 */
struct thread_info {
	__u32 cpu;
};

struct task_struct {
	struct thread_info thread_info;
	unsigned int __state;
	unsigned int flags;
	int on_cpu;
	unsigned int cpu;
	int prio;
	int static_prio;
	struct sched_entity se;
	unsigned int policy;
	unsigned int rt_priority;
	int nr_cpus_allowed;
	const struct cpumask *cpus_ptr;
	struct sched_info sched_info;
	int exit_state;
	int pid;
	int tgid;
	struct task_struct *real_parent;
	__u64 utime;
	__u64 stime;
	unsigned long nvcsw;
	unsigned long nivcsw;
	__u64 start_boottime;
	unsigned long min_flt;
	unsigned long maj_flt;
	const struct cred *real_cred;
	char comm[16];
};

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
};

#pragma clang attribute pop

#endif /* TASK_CORE_H */
