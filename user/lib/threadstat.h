/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * libthreadstat: the client side of the "threadstat" generic netlink family.
 *
 * This library is the only userspace code that speaks netlink. It opens the
 * socket, resolves the family, sends requests, walks multipart replies,
 * reports kernel errors with their extack message, and decodes attributes
 * into plain structs, validating each by type and ignoring unknown ones so
 * that a newer module never breaks an older tool.
 */
#ifndef THREADSTAT_LIB_H
#define THREADSTAT_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/threadstat.h>

#define TS_VERSION "0.1.0"

/* Error details: errno-style code plus a sentence for a person. */
struct ts_error {
	int code;		/* positive errno value */
	char msg[256];
};

struct ts_client;

/*
 * Open a netlink socket and resolve the family. When the module is not
 * loaded this fails with ENOENT and a message that says how to load it.
 */
int ts_open(struct ts_client **out, struct ts_error *err);
void ts_close(struct ts_client *c);

/*
 * Where the data comes from: the module, /proc (the fields /proc has, the
 * rest absent), or auto: the module when its family resolves (the lookup
 * lets the kernel autoload it), else /proc. A /proc client answers
 * ts_thread_dump(), ts_thread_get(), ts_cpu_list_dump(), ts_cpu_get() and
 * ts_system_get() with the same structs; callers need not know which.
 */
enum ts_source { TS_SOURCE_AUTO, TS_SOURCE_MODULE, TS_SOURCE_PROC };

/* "auto", "module" or "proc"; -1 on anything else. */
int ts_source_parse(const char *name, enum ts_source *out);
/*
 * Open a client for @src. When auto falls back to /proc, @why (if not
 * NULL) gets the reason the module could not be used; else "".
 */
int ts_open_source(struct ts_client **out, enum ts_source src, char *why,
		   size_t why_len, struct ts_error *err);
/* A client that reads /proc only (what ts_open_source() opens for proc). */
int ts_open_proc(struct ts_client **out, struct ts_error *err);
bool ts_client_proc(const struct ts_client *c);
/* What a /proc-fed client leaves absent, in one sentence for a notice. */
extern const char ts_proc_needs_module[];

/*
 * Show every reply payload (the attributes after the genetlink header, as
 * received, before decoding) to @cb, with the command of the request it
 * answers, and every event notification read (ts_events_read); for
 * recording. NULL turns it off.
 */
typedef void (*ts_capture_cb)(uint8_t cmd, const void *attrs, size_t len,
			      void *arg);
void ts_set_capture(struct ts_client *c, ts_capture_cb cb, void *arg);

/* ---- field metadata: one table per attribute set ---- */

enum ts_kind {
	TS_KIND_U8,		/* unsigned 8-bit number */
	TS_KIND_CHAR,		/* u8 holding an ASCII letter */
	TS_KIND_BOOL,		/* u8 0/1 */
	TS_KIND_U32,
	TS_KIND_S32,
	TS_KIND_U64,
	TS_KIND_FLAG,		/* present or not */
	TS_KIND_STRING,		/* NUL-terminated, copied into a char array */
	TS_KIND_CPUSET,		/* bitmap of u64 words */
	TS_KIND_POLICY,		/* u32 scheduling policy */
	TS_KIND_GROUPS,		/* u32 mask of THREADSTAT_FIELDS_* */
	TS_KIND_KSTACK_MISSING,	/* u32 enum threadstat_kstack_missing */
	TS_KIND_STRINGS,	/* repeated string attribute */
	TS_KIND_NEST,		/* nested attribute set */
	TS_KIND_U64_ARRAY,	/* binary of native-endian u64 */
	TS_KIND_LATENCY_MISSING, /* u32 enum threadstat_latency_missing */
};

struct ts_field {
	uint16_t type;		/* attribute type in its set */
	uint8_t kind;		/* enum ts_kind */
	uint8_t group;		/* THREADSTAT_FIELDS_* bit; 0: always sent */
	const char *name;	/* spec name, also the JSON key */
	size_t offset;		/* where the value lives in the record */
	size_t size;		/* bytes there (arrays, strings); for
				 * TS_KIND_STRINGS the offset of its count */
	const struct ts_set *nest; /* TS_KIND_NEST: the nested set */
};

struct ts_set {
	const char *name;
	const struct ts_field *fields;
	size_t n_fields;
	uint16_t max_type;
	size_t present_offset;	/* uint64_t present[2] in the record */
	uint8_t *by_type;	/* max_type + 1 bytes: 1 + index into fields
				 * per type, 0 for none; [0] says built */
};

/* Is attribute @type present in a record of @set? Inline: the tools ask
 * it for every field of every thread they print.
 */
static inline bool ts_present(const struct ts_set *set, const void *rec,
			      uint16_t type)
{
	const uint64_t *bits = (const uint64_t *)
			       ((const char *)rec + set->present_offset);

	return type < 128 && (bits[type / 64] >> (type % 64)) & 1;
}
const struct ts_field *ts_field_by_name(const struct ts_set *set,
					const char *name);
const struct ts_field *ts_field_by_type(const struct ts_set *set,
					uint16_t type);

/* ---- threads ---- */

#define TS_CPUSET_WORDS		16	/* CPUs 0..1023; higher ones dropped */
#define TS_COMM_LEN		16
#define TS_WCHAN_LEN		64
#define TS_SYSCALL_ARGS		6

struct ts_stack {
	uint64_t present[2];
	uint64_t kernel_size, kernel_used, kernel_depth;
	uint64_t user_start, user_end, user_sp, user_depth, user_guard;
	uint64_t user_used;
};

struct ts_regs {
	uint64_t present[2];
	bool stable;
	uint64_t ip, sp, bp, flags, ax, bx, cx, dx, si, di;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15, cs, ss, orig_ax;
};

struct ts_syscall {
	uint64_t present[2];
	int32_t nr;
	uint64_t args[TS_SYSCALL_ARGS];
};

/* What a blocked thread waits on (group wait); see the UAPI header. */
struct ts_wait {
	uint64_t present[2];
	int32_t syscall, fd;
	uint64_t blocked_ns, futex_addr;
	uint32_t futex_op, futex_val, futex_word, owner_tid, futex_count;
	bool futex_private, futex_word_fault, owner_died;
};

/*
 * The per-process set, sent with the sched group on the group leader's
 * message of a dump and on every THREAD_GET do reply. exited_* are the
 * totals of the process's threads that have already exited: add them to
 * the sum over its live threads for process totals. sum_exec_runtime,
 * nvcsw and nivcsw are the whole process summed at one instant by the
 * kernel (newer modules): exact across churn, where live + exited of one
 * dump can miss a thread that exited while the dump ran.
 * Memory fields are bytes, absent for kernel threads.
 */
struct ts_process {
	uint64_t present[2];	/* bit per THREADSTAT_A_PROCESS_* received */
	uint32_t nr_threads;
	uint64_t exited_sum_exec_runtime, exited_utime, exited_stime;
	uint64_t exited_nvcsw, exited_nivcsw, exited_min_flt, exited_maj_flt;
	uint64_t vm_size, rss_anon, rss_file, rss_shmem, swap;
	uint64_t sum_exec_runtime, nvcsw, nivcsw;
};

/*
 * Run-queue waits of one thread (group latency): totals since the module
 * started measuring it; hist[i] counts waits of [2^i, 2^(i+1)) ns.
 */
struct ts_latency {
	uint64_t present[2];	/* bit per THREADSTAT_A_LATENCY_* received */
	uint64_t count, sum, max_wait;
	uint64_t hist[THREADSTAT_LATENCY_BUCKETS];
};

/* Counters of the schedstats and delayacct groups, in attribute order. */
#define TS_COUNTER_FIRST	THREADSTAT_A_THREAD_WAIT_SUM
#define TS_COUNTER_LAST		THREADSTAT_A_THREAD_DELAY_COMPACT_COUNT
#define TS_COUNTERS		(TS_COUNTER_LAST - TS_COUNTER_FIRST + 1)

struct ts_thread {
	uint64_t present[2];	/* bit per THREADSTAT_A_THREAD_* received */

	uint32_t tid, tgid, ppid, uid;
	char comm[TS_COMM_LEN];
	uint64_t start_time;
	bool kthread;

	char state;
	bool on_cpu;
	uint32_t cpu, policy, rt_priority, nr_cpus_allowed;
	int32_t nice, prio, static_prio;
	uint64_t cpus_allowed[TS_CPUSET_WORDS];
	uint64_t sum_exec_runtime, utime, stime, run_delay, pcount;
	uint64_t nvcsw, nivcsw, nr_migrations, min_flt, maj_flt;

	uint32_t withheld;
	bool schedstats_enabled, delayacct_enabled;
	/* schedstats and delayacct counters (wait-sum ... delay-compact-count)
	 * live in counters[type - TS_COUNTER_FIRST]; present[] says which.
	 */
	uint64_t counters[TS_COUNTERS];
	/* delays 6.1's task_delay_info lacks (irq) or came later (wpcopy) */
	uint64_t delay_wpcopy, delay_wpcopy_count, delay_irq, delay_irq_count;

	struct ts_stack stack;
	struct ts_regs regs;
	struct ts_syscall syscall;
	char *kernel_stack;	/* frames, NUL-separated; malloc'ed or NULL */
	uint32_t n_kernel_stack;
	char wchan[TS_WCHAN_LEN];
	uint32_t kernel_stack_missing;
	struct ts_process process;	/* present: THREADSTAT_A_THREAD_PROCESS */
	/* why stack, regs or wchan is absent (threadstat_kstack_missing) */
	uint32_t stack_missing, regs_missing, wchan_missing;
	struct ts_wait wait;		/* present: THREADSTAT_A_THREAD_WAIT */
	uint32_t wait_missing;
	struct ts_latency latency;	/* present: THREADSTAT_A_THREAD_LATENCY */
	uint32_t latency_missing;	/* threadstat_latency_missing */
};

extern const struct ts_set ts_thread_set;
extern const struct ts_set ts_stack_set;
extern const struct ts_set ts_regs_set;
extern const struct ts_set ts_syscall_set;
extern const struct ts_set ts_process_set;
extern const struct ts_set ts_wait_set;
extern const struct ts_set ts_latency_set;

static inline bool ts_thread_has(const struct ts_thread *t, uint16_t type)
{
	return ts_present(&ts_thread_set, t, type);
}

/* Is @cpu set in a CPU bitmap of @words 64-bit words? */
static inline bool ts_cpuset_has(const uint64_t *set, size_t words,
				 unsigned int cpu)
{
	return cpu / 64 < words && (set[cpu / 64] >> (cpu % 64)) & 1;
}

/*
 * The first CPU >= @cpu set in a bitmap of @words 64-bit words, or
 * words * 64 when none is: a word at a time, so that printing a mask of
 * a few CPUs does not test all 1024 bits (JSON and CSV do it per thread).
 */
static inline unsigned int ts_cpuset_next(const uint64_t *set, size_t words,
					  unsigned int cpu)
{
	uint64_t w;

	while (cpu / 64 < words) {
		w = set[cpu / 64] >> (cpu % 64);
		if (w)
			return cpu + (unsigned int)__builtin_ctzll(w);
		cpu = (cpu / 64 + 1) * 64;
	}
	return (unsigned int)(words * 64);
}

struct ts_thread_query {
	uint32_t tgid;		/* dump only this process; 0: all */
	uint32_t fields;	/* THREADSTAT_FIELDS_*; 0: the default */
};

/* Called for each thread of a dump; @t is valid during the call only.
 * A non-zero return stops the dump and is returned by ts_thread_dump().
 */
typedef int (*ts_thread_cb)(const struct ts_thread *t, void *arg);

struct ts_dump_info {
	/* NLM_F_DUMP_INTR on any message or on DONE: a thread the caller
	 * could see may be missing (one created behind the dump's cursor).
	 * A thread that exited during the dump is simply absent.
	 */
	bool interrupted;
	size_t messages;
};

int ts_thread_dump(struct ts_client *c, const struct ts_thread_query *q,
		   ts_thread_cb cb, void *arg, struct ts_dump_info *info,
		   struct ts_error *err);
int ts_thread_get(struct ts_client *c, uint32_t tid, uint32_t fields,
		  struct ts_thread *out, struct ts_error *err);

/* A growable array of threads, for tools that want them all at once. */
struct ts_thread_list {
	struct ts_thread *v;
	size_t n, cap;
	bool interrupted;
};

/*
 * One dump into @list, never retried: a retry costs a whole dump and, on a
 * host that creates threads all the time, is interrupted again.
 * list->interrupted says the kernel flagged it (threads may be missing).
 */
int ts_thread_list_dump(struct ts_client *c, const struct ts_thread_query *q,
			struct ts_thread_list *list, struct ts_error *err);
void ts_thread_list_free(struct ts_thread_list *list);

/* Decode one THREAD_GET reply payload (attributes after the genl header).
 * Exposed for tests and for replaying recorded messages.
 */
int ts_thread_decode(const void *attrs, size_t len, struct ts_thread *out,
		     struct ts_error *err);
/* Free what a decoded thread owns (its kernel stack) and clear it. */
void ts_thread_release(struct ts_thread *t);

/* ---- CPUs and the machine ---- */

struct ts_cpu {
	uint64_t present[2];	/* bit per THREADSTAT_A_CPU_* received */
	uint32_t cpu;
	bool online;
	uint32_t package_id, die_id, cluster_id, core_id;
	uint64_t siblings[TS_CPUSET_WORDS];
	/* ns spent in each state since boot */
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
	uint64_t guest, guest_nice;
	uint32_t freq_khz;
	uint32_t curr_tid, curr_tgid;	/* absent when the CPU idles */
	char curr_comm[TS_COMM_LEN];
	uint32_t nr_running, nr_threads;
};

struct ts_system {
	uint64_t present[2];	/* bit per THREADSTAT_A_SYSTEM_* received */
	uint32_t cpus_possible, cpus_online;
	uint64_t boot_time;	/* ns since the epoch */
	uint64_t uptime;	/* ns since boot */
	uint32_t load_1, load_5, load_15;	/* load x 1000, /proc's rounding */
	uint32_t nr_processes, nr_threads, nr_running, nr_blocked;
};

extern const struct ts_set ts_cpu_set;
extern const struct ts_set ts_system_set;

struct ts_cpu_list {
	struct ts_cpu *v;
	size_t n, cap;
};

int ts_cpu_list_dump(struct ts_client *c, struct ts_cpu_list *list,
		     struct ts_error *err);
void ts_cpu_list_free(struct ts_cpu_list *list);
int ts_cpu_get(struct ts_client *c, uint32_t cpu, struct ts_cpu *out,
	       struct ts_error *err);
int ts_system_get(struct ts_client *c, struct ts_system *out,
		  struct ts_error *err);
int ts_cpu_decode(const void *attrs, size_t len, struct ts_cpu *out,
		  struct ts_error *err);
/* All time a CPU accounted since boot, and the part that was not idle or
 * iowait; ns. Differences of two samples give utilisation.
 */
uint64_t ts_cpu_total_ns(const struct ts_cpu *cpu);
uint64_t ts_cpu_busy_ns(const struct ts_cpu *cpu);
int ts_system_decode(const void *attrs, size_t len, struct ts_system *out,
		     struct ts_error *err);

/* ---- the machine's totals as text: one wording for every tool ---- */

/* A load average x 1000 (SYSTEM_GET) as /proc/loadavg prints it: "1.50". */
void ts_load_text(char *buf, size_t len, uint32_t x1000);
/* An uptime as "H:MM:SS" or "N days, H:MM:SS", whole seconds. */
void ts_uptime_text(char *buf, size_t len, uint64_t ns);

/* ---- names ---- */

const char *ts_policy_name(uint32_t policy);	/* "normal", "fifo", ... */
const char *ts_group_name(uint32_t bit);	/* "sched", "schedstats", ... */
/* Parse "sched,stack" or "all" into a mask; -1 on an unknown name. */
int64_t ts_groups_parse(const char *list, char *bad, size_t bad_len);
const char *ts_kstack_missing_name(uint32_t why);
const char *ts_latency_missing_name(uint32_t why);	/* "off", "untracked" */

/* ---- lifecycle events (events.c) ---- */

struct ts_event {
	uint64_t present[2];	/* bit per THREADSTAT_A_EVENT_* received */
	uint32_t type;		/* enum threadstat_event_type */
	uint32_t tid, tgid, ppid;	/* initial pid namespace */
	char comm[TS_COMM_LEN], old_comm[TS_COMM_LEN];
	bool thread, group_dead;
	uint64_t time;		/* CLOCK_MONOTONIC ns */
	uint32_t cpu;
	uint64_t lost;		/* events dropped just before this one */
	/* exit: the thread's final numbers (ns and counts) */
	uint64_t lifetime, sum_exec_runtime, utime, stime;
	uint64_t nvcsw, nivcsw, nr_migrations, min_flt, maj_flt, run_delay;
	uint32_t exit_code;
};

extern const struct ts_set ts_event_set;

const char *ts_event_type_name(uint32_t type);	/* "start", ..., "exit" */
/* Parse "start,exit" into a mask of 1 << type; -1 on an unknown name. */
int64_t ts_event_types_parse(const char *list, char *bad, size_t bad_len);
/*
 * Subscribe @c's socket to the events of @types (a mask of 1 << type),
 * of process @tgid only (0: all). Every event after this returns is
 * delivered or counted in a later event's "lost".
 */
int ts_events_subscribe(struct ts_client *c, uint32_t types, uint32_t tgid,
			struct ts_error *err);
/*
 * A barrier, on a socket that is not subscribed (it would end its
 * subscription): when it returns 0, every event that happened before it
 * is in the subscribers' sockets (or counted lost).
 */
int ts_events_sync(struct ts_client *c, struct ts_error *err);
/*
 * Wait up to @timeout_ms (-1: forever) for events and give each to @cb;
 * returns 0 (also on timeout), @cb's non-zero value, or -1 with @err.
 */
typedef int (*ts_event_cb)(const struct ts_event *ev, void *arg);
/* One event message's attributes: 1, 0 when it has no type, -1 (@err). */
int ts_event_decode(const void *attrs, size_t len, struct ts_event *ev,
		    struct ts_error *err);
int ts_events_read(struct ts_client *c, int timeout_ms, ts_event_cb cb,
		   void *arg, struct ts_error *err);

/* ---- run-queue latency measurement (latency.c) ---- */

/* The module's state, as THREADSTAT_CMD_LATENCY_SET replies it. */
struct ts_latency_state {
	uint64_t present[2];	/* bit per THREADSTAT_A_LATENCY_* received */
	bool enabled, persistent;
	uint32_t holders, tracked, capacity;
	uint64_t overflow;
};

extern const struct ts_set ts_latency_state_set;

enum ts_latency_op {
	TS_LATENCY_STATUS,	/* only ask; anyone */
	TS_LATENCY_HOLD,	/* on while @c stays open */
	TS_LATENCY_PERSIST,	/* on until TS_LATENCY_OFF */
	TS_LATENCY_OFF,		/* off, whoever held it on */
};

/*
 * Do @op and fill @out with the state after it. Every op but
 * TS_LATENCY_STATUS needs CAP_NET_ADMIN; the kernel's reason is in @err.
 */
int ts_latency_control(struct ts_client *c, enum ts_latency_op op,
		       struct ts_latency_state *out, struct ts_error *err);

/*
 * Waits between two samples of one thread: @now minus @before (@before
 * NULL or without the nest: all of @now). False when @now has no nest.
 */
bool ts_latency_delta(const struct ts_thread *before,
		      const struct ts_thread *now, struct ts_latency *out);
/*
 * The same for two histograms: @now minus @before (NULL: all of @now),
 * the interval's longest wait exact when the maximum grew in it, else the
 * end of the top bucket that grew.
 */
void ts_latency_interval(const struct ts_latency *before,
			 const struct ts_latency *now, struct ts_latency *out);
/*
 * The wait below which @pct percent (0-100) of @l's waits fall, as the
 * upper bound of the histogram bucket holding it (ns; 0 with no waits).
 */
uint64_t ts_latency_percentile(const struct ts_latency *l, unsigned int pct);

#endif /* THREADSTAT_LIB_H */
