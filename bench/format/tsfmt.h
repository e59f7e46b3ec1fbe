/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * tsfmt.h -- the bench-only "tsfmt_bench" generic netlink family of
 * bench/format/tsfmt.ko and its reader format_snapshot.c: one dump of
 * every thread in one of several message formats, to measure what the
 * format of THREAD_GET's dump costs (see tsfmt.c). Not an ABI: nothing
 * but the bench uses it, and it may change with the bench.
 */
#ifndef TSFMT_H
#define TSFMT_H

#include <linux/types.h>

#define TSFMT_FAMILY_NAME	"tsfmt_bench"
#define TSFMT_FAMILY_VERSION	1

enum {
	TSFMT_CMD_UNSPEC,
	TSFMT_CMD_DUMP,		/* dump only; request: TSFMT_A_FORMAT */
};

/*
 * Formats of the reply. TSFMT_FORMAT_ATTRS and _BULK use the attribute ids
 * of THREADSTAT_A_THREAD_* (include/uapi/linux/threadstat.h) in the
 * message body; the others use TSFMT_A_*.
 */
enum {
	TSFMT_FORMAT_ATTRS,	/* 0: a message per thread, production's attributes */
	TSFMT_FORMAT_PACKED,	/* 1: a message per thread, one TSFMT_A_RECORD */
	TSFMT_FORMAT_ARRAY,	/* 2: messages of as many TSFMT_A_RECORDs as fit */
	TSFMT_FORMAT_WALK,	/* 3: records collected, not sent: TSFMT_A_COUNT */
	TSFMT_FORMAT_BULK,	/* 4: format 0's bytes, written in one pass */
	TSFMT_FORMAT_REF,	/* 5: threads referenced, nothing read or sent */
	TSFMT_FORMAT_NESTS,	/* 6: format 4's attributes in TSFMT_A_THREAD nests,
				 * as many a message as fit
				 */
	TSFMT_FORMAT_REF1,	/* 7: as 5, one look per batch instead of two */
	TSFMT_FORMAT_MAX = TSFMT_FORMAT_REF1,
};

enum {
	TSFMT_A_UNSPEC,
	TSFMT_A_PAD,
	TSFMT_A_FORMAT,		/* u32, request */
	TSFMT_A_RECORD,		/* struct tsfmt_record (binary) */
	TSFMT_A_COUNT,		/* u32: threads collected for this message */
	TSFMT_A_THREAD,		/* nest: one thread's THREADSTAT_A_THREAD_* */
	__TSFMT_A_MAX,
	TSFMT_A_MAX = __TSFMT_A_MAX - 1,
};

#define TSFMT_F_KTHREAD		0x1u
#define TSFMT_F_ON_CPU		0x2u

/* Bits of tsfmt_record.present: which fields the kernel filled. */
#define TSFMT_P_IDENTITY	0x1ull	/* tid ... start_time, comm */
#define TSFMT_P_SCHED		0x2ull	/* state ... maj_flt, cpus_allowed */

/*
 * One thread: the identity fields and the sched group, the values the
 * production default dump sends, in a fixed binary layout (a taskstats
 * style record), laid out without holes.
 *
 * The first 16 bytes are what would make it forward compatible the way
 * perf_event_attr, sched_attr and clone_args are: @size is the record size
 * the kernel wrote (a reader copies min(size, sizeof) and zero-fills the
 * rest; a newer kernel only appends fields), and @present says which
 * groups of fields were filled (presence per group, not per attribute).
 *
 * cpus_allowed holds the first 64 CPUs only (the VM has one); an ABI
 * would need nr_cpu_ids bits: a tail of variable length or an attribute
 * of its own.
 */
struct tsfmt_record {
	__u16 size;
	__u16 reserved;
	__u32 flags;		/* TSFMT_F_* */
	__u64 present;		/* TSFMT_P_* */
	__u32 tid;		/* ids in the requester's pid namespace */
	__u32 tgid;
	__u32 ppid;
	__u32 uid;		/* in the requester's user namespace */
	__u64 start_time;	/* boot-time ns, requester's time namespace */
	__u32 cpu;
	__u32 policy;
	__s32 nice;
	__s32 prio;		/* prio - MAX_RT_PRIO, as threadstat sends */
	__s32 static_prio;
	__u32 rt_priority;
	__u32 nr_cpus_allowed;
	__u8 state;		/* task_state_to_char() */
	__u8 pad[3];
	char comm[16];
	__u64 sum_exec_runtime;
	__u64 utime;		/* task_cputime_adjusted(), as threadstat */
	__u64 stime;
	__u64 run_delay;
	__u64 pcount;
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 nr_migrations;
	__u64 min_flt;
	__u64 maj_flt;
	__u64 cpus_allowed;	/* CPUs 0-63 */
};

#endif /* TSFMT_H */
