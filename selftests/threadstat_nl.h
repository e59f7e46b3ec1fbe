/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deliberately small netlink client for the threadstat kselftests.
 *
 * The selftests do not use libthreadstat: they must run from a kernel tree
 * on their own, and they need to send requests the library never would
 * (unknown attributes, wrong lengths, bad flags).
 */
#ifndef THREADSTAT_SELFTEST_NL_H
#define THREADSTAT_SELFTEST_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/threadstat.h>

struct tsnl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq;
	unsigned int recv_size;	/* bytes asked of each recv() */
};

/* What one thread reply said (the fields the tests check). */
struct tsnl_thread {
	uint32_t tid, tgid, ppid, cpu, policy, rt_priority;
	int32_t nice, prio, static_prio;
	char comm[16];
	char state;
	uint64_t sum_exec_runtime, nvcsw, nivcsw;
	uint64_t present;	/* bit n: attribute n (n < 64) was present */
	/* Every fixed-size attribute as a number, by type (s32 extended). */
	bool has[THREADSTAT_A_THREAD_MAX + 1];
	int64_t v[THREADSTAT_A_THREAD_MAX + 1];
	uint64_t cpus[16];	/* cpus-allowed, CPUs 0..1023 */
	/* The stack, regs and syscall nests, by attribute type. */
	bool stack_has[THREADSTAT_A_STACK_MAX + 1];
	uint64_t stack[THREADSTAT_A_STACK_MAX + 1];
	bool regs_has[THREADSTAT_A_REGS_MAX + 1];
	uint64_t regs[THREADSTAT_A_REGS_MAX + 1];
	bool syscall_has[THREADSTAT_A_SYSCALL_MAX + 1];
	int32_t syscall_nr;
	uint64_t syscall_args[6];
	/* kernel-stack frames (the first TSNL_FRAMES) and wchan */
#define TSNL_FRAMES	32
	unsigned int n_frames;
	char frames[TSNL_FRAMES][128];
	char wchan[128];
	/* The wait nest: every attribute as a number (flags: 1), by type. */
	bool has_wait;
	bool wait_has[THREADSTAT_A_WAIT_MAX + 1];
	int64_t wait[THREADSTAT_A_WAIT_MAX + 1];
	/* The process nest (a leader's, or any thread's on a do request). */
	bool has_process;
	bool proc_has[THREADSTAT_A_PROCESS_MAX + 1];
	uint64_t proc[THREADSTAT_A_PROCESS_MAX + 1];
	/* The latency nest: u64 attributes by type, and the histogram. */
	bool has_latency;
	uint64_t lat[THREADSTAT_A_LATENCY_MAX + 1];
	uint64_t lat_hist[THREADSTAT_LATENCY_BUCKETS];
};

/* A CPU_GET or SYSTEM_GET reply: its fixed-size attributes by type. */
#define TSNL_REC_MAX	THREADSTAT_A_CPU_MAX
struct tsnl_rec {
	uint8_t cmd;		/* THREADSTAT_CMD_CPU_GET or _SYSTEM_GET */
	bool has[TSNL_REC_MAX + 1];
	int64_t v[TSNL_REC_MAX + 1];	/* u8, u32 and u64 values */
	uint64_t cpus[16];	/* siblings, CPUs 0..1023 */
	char comm[16];		/* curr-comm */
};

struct tsnl_reply {
	int error;		/* 0 or a negative errno */
	char extack[256];	/* the kernel's message, if any */
	bool dump_intr;
	unsigned int recvs;	/* recv() calls it took */
	unsigned int n;
	struct tsnl_thread *threads;	/* malloc'ed */
	/* Every THREAD_GET message as received, back to back (malloc'ed). */
	unsigned char *raw;
	size_t raw_len;
	unsigned int n_recs;
	struct tsnl_rec *recs;		/* CPU and SYSTEM replies, malloc'ed */
};

/* A CTRL_CMD_GETFAMILY request for the threadstat family, into @buf. */
struct nlmsghdr *tsnl_getfamily_msg(void *buf, uint32_t seq);

int tsnl_open(struct tsnl *t);
void tsnl_close(struct tsnl *t);

/* Start a request: a buffer with the netlink and genetlink headers. */
struct nlmsghdr *tsnl_msg(struct tsnl *t, void *buf, uint8_t cmd,
			  uint16_t flags);
/* A THREAD_GET dump request (tgid 0: all, fields 0: the default group). */
struct nlmsghdr *tsnl_dump_msg(struct tsnl *t, void *buf, uint32_t tgid,
			       uint32_t fields);
/* Send a message and collect every reply up to the ACK or NLMSG_DONE. */
int tsnl_send(struct tsnl *t, struct nlmsghdr *nlh, struct tsnl_reply *r);
void tsnl_reply_free(struct tsnl_reply *r);

/* One THREAD_GET reply message into @th (zeroed first). */
void tsnl_parse_thread(const struct nlmsghdr *nlh, struct tsnl_thread *th);

/* Convenience requests. */
int tsnl_dump_threads(struct tsnl *t, uint32_t tgid, struct tsnl_reply *r);
int tsnl_get_thread(struct tsnl *t, uint32_t tid, struct tsnl_reply *r);
/* The same, asking for the THREADSTAT_FIELDS_* groups in @fields. */
int tsnl_dump_fields(struct tsnl *t, uint32_t tgid, uint32_t fields,
		     struct tsnl_reply *r);
int tsnl_get_fields(struct tsnl *t, uint32_t tid, uint32_t fields,
		    struct tsnl_reply *r);

/* CPU_GET for one CPU (do) or all of them (dump), and SYSTEM_GET. */
int tsnl_get_cpu(struct tsnl *t, uint32_t cpu, struct tsnl_reply *r);
int tsnl_dump_cpus(struct tsnl *t, struct tsnl_reply *r);
int tsnl_get_system(struct tsnl *t, struct tsnl_reply *r);
/* nr-threads and nr-running of a CPU dump, summed over every CPU. */
int tsnl_sum_cpus(struct tsnl *t, uint64_t *threads, uint64_t *running);

#endif
