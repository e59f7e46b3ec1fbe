// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Threads: the attribute tables of THREAD_GET replies and the do / dump
 * requests that fetch them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "proc_source.h"

#define STACK(type, name, member) \
	TS_FIELD(STACK, ts_stack, type, U64, THREADSTAT_FIELDS_STACK, name, member)

static const struct ts_field ts_stack_fields[] = {
	STACK(KERNEL_SIZE, "kernel-size", kernel_size),
	STACK(KERNEL_USED, "kernel-used", kernel_used),
	STACK(KERNEL_DEPTH, "kernel-depth", kernel_depth),
	STACK(USER_START, "user-start", user_start),
	STACK(USER_END, "user-end", user_end),
	STACK(USER_SP, "user-sp", user_sp),
	STACK(USER_DEPTH, "user-depth", user_depth),
	STACK(USER_GUARD, "user-guard", user_guard),
	STACK(USER_USED, "user-used", user_used),
};

#define REG(type, name, member) \
	TS_FIELD(REGS, ts_regs, type, U64, THREADSTAT_FIELDS_REGS, name, member)

static const struct ts_field ts_regs_fields[] = {
	TS_FIELD(REGS, ts_regs, STABLE, BOOL, THREADSTAT_FIELDS_REGS, "stable",
	      stable),
	REG(IP, "ip", ip), REG(SP, "sp", sp), REG(BP, "bp", bp),
	REG(FLAGS, "flags", flags), REG(AX, "ax", ax), REG(BX, "bx", bx),
	REG(CX, "cx", cx), REG(DX, "dx", dx), REG(SI, "si", si),
	REG(DI, "di", di), REG(R8, "r8", r8), REG(R9, "r9", r9),
	REG(R10, "r10", r10), REG(R11, "r11", r11), REG(R12, "r12", r12),
	REG(R13, "r13", r13), REG(R14, "r14", r14), REG(R15, "r15", r15),
	REG(CS, "cs", cs), REG(SS, "ss", ss),
	REG(ORIG_AX, "orig-ax", orig_ax),
};

static const struct ts_field ts_syscall_fields[] = {
	TS_FIELD(SYSCALL, ts_syscall, NR, S32, THREADSTAT_FIELDS_REGS, "nr", nr),
	TS_FIELD(SYSCALL, ts_syscall, ARGS, U64_ARRAY, THREADSTAT_FIELDS_REGS,
	      "args", args),
};

#define WAIT(type, kind, name, member) \
	TS_FIELD(WAIT, ts_wait, type, kind, THREADSTAT_FIELDS_WAIT, name, member)

static const struct ts_field ts_wait_fields[] = {
	WAIT(SYSCALL, S32, "syscall", syscall),
	WAIT(BLOCKED_NS, U64, "blocked-ns", blocked_ns),
	WAIT(FD, S32, "fd", fd),
	WAIT(FUTEX_ADDR, U64, "futex-addr", futex_addr),
	WAIT(FUTEX_OP, U32, "futex-op", futex_op),
	WAIT(FUTEX_PRIVATE, BOOL, "futex-private", futex_private),
	WAIT(FUTEX_VAL, U32, "futex-val", futex_val),
	WAIT(FUTEX_WORD, U32, "futex-word", futex_word),
	WAIT(FUTEX_WORD_FAULT, FLAG, "futex-word-fault", futex_word_fault),
	WAIT(OWNER_TID, U32, "owner-tid", owner_tid),
	WAIT(OWNER_DIED, FLAG, "owner-died", owner_died),
	WAIT(FUTEX_COUNT, U32, "futex-count", futex_count),
};

const struct ts_set ts_wait_set =
	TS_SET("wait", ts_wait, ts_wait_fields, THREADSTAT_A_WAIT_MAX);

#define LAT(type, kind, name, member) \
	TS_FIELD(LATENCY, ts_latency, type, kind, THREADSTAT_FIELDS_LATENCY, \
		 name, member)

static const struct ts_field ts_latency_fields[] = {
	LAT(COUNT, U64, "count", count),
	LAT(SUM, U64, "sum", sum),
	LAT(MAX_WAIT, U64, "max-wait", max_wait),
	LAT(HIST, U64_ARRAY, "hist", hist),
};

const struct ts_set ts_latency_set =
	TS_SET("latency", ts_latency, ts_latency_fields,
	       THREADSTAT_A_LATENCY_MAX);
const struct ts_set ts_stack_set =
	TS_SET("stack", ts_stack, ts_stack_fields, THREADSTAT_A_STACK_MAX);
const struct ts_set ts_regs_set =
	TS_SET("regs", ts_regs, ts_regs_fields, THREADSTAT_A_REGS_MAX);
const struct ts_set ts_syscall_set =
	TS_SET("syscall", ts_syscall, ts_syscall_fields, THREADSTAT_A_SYSCALL_MAX);

#define PROC(type, kind, name, member) \
	TS_FIELD(PROCESS, ts_process, type, kind, THREADSTAT_FIELDS_SCHED, \
		 name, member)

static const struct ts_field ts_process_fields[] = {
	PROC(NR_THREADS, U32, "nr-threads", nr_threads),
	PROC(EXITED_SUM_EXEC_RUNTIME, U64, "exited-sum-exec-runtime",
	     exited_sum_exec_runtime),
	PROC(EXITED_UTIME, U64, "exited-utime", exited_utime),
	PROC(EXITED_STIME, U64, "exited-stime", exited_stime),
	PROC(EXITED_NVCSW, U64, "exited-nvcsw", exited_nvcsw),
	PROC(EXITED_NIVCSW, U64, "exited-nivcsw", exited_nivcsw),
	PROC(EXITED_MIN_FLT, U64, "exited-min-flt", exited_min_flt),
	PROC(EXITED_MAJ_FLT, U64, "exited-maj-flt", exited_maj_flt),
	PROC(VM_SIZE, U64, "vm-size", vm_size),
	PROC(RSS_ANON, U64, "rss-anon", rss_anon),
	PROC(RSS_FILE, U64, "rss-file", rss_file),
	PROC(RSS_SHMEM, U64, "rss-shmem", rss_shmem),
	PROC(SWAP, U64, "swap", swap),
	PROC(SUM_EXEC_RUNTIME, U64, "sum-exec-runtime", sum_exec_runtime),
	PROC(NVCSW, U64, "nvcsw", nvcsw),
	PROC(NIVCSW, U64, "nivcsw", nivcsw),
};

const struct ts_set ts_process_set =
	TS_SET("process", ts_process, ts_process_fields,
	       THREADSTAT_A_PROCESS_MAX);

#define T(type, kind, group, name, member) \
	TS_FIELD(THREAD, ts_thread, type, kind, group, name, member)
#define ID(type, kind, name, member) T(type, kind, 0, name, member)
#define SCHED(type, kind, name, member) \
	T(type, kind, THREADSTAT_FIELDS_SCHED, name, member)
/* Counters live in one array, indexed from TS_COUNTER_FIRST. */
#define COUNTER(type_, group_, name_)					\
	{ .type = THREADSTAT_A_THREAD_##type_, .kind = TS_KIND_U64,	\
	  .group = group_, .name = name_,				\
	  .offset = offsetof(struct ts_thread, counters) +		\
		    (THREADSTAT_A_THREAD_##type_ - TS_COUNTER_FIRST) * 8, \
	  .size = 8 }
#define SS(type, name) COUNTER(type, THREADSTAT_FIELDS_SCHEDSTATS, name)
#define DA(type, name) COUNTER(type, THREADSTAT_FIELDS_DELAYACCT, name)

static const struct ts_field ts_thread_fields[] = {
	ID(TID, U32, "tid", tid),
	ID(TGID, U32, "tgid", tgid),
	ID(PPID, U32, "ppid", ppid),
	ID(COMM, STRING, "comm", comm),
	ID(UID, U32, "uid", uid),
	ID(START_TIME, U64, "start-time", start_time),
	ID(KTHREAD, FLAG, "kthread", kthread),
	SCHED(STATE, CHAR, "state", state),
	SCHED(CPU, U32, "cpu", cpu),
	SCHED(ON_CPU, FLAG, "on-cpu", on_cpu),
	SCHED(POLICY, POLICY, "policy", policy),
	SCHED(NICE, S32, "nice", nice),
	SCHED(PRIO, S32, "prio", prio),
	SCHED(STATIC_PRIO, S32, "static-prio", static_prio),
	SCHED(RT_PRIORITY, U32, "rt-priority", rt_priority),
	SCHED(CPUS_ALLOWED, CPUSET, "cpus-allowed", cpus_allowed),
	SCHED(NR_CPUS_ALLOWED, U32, "nr-cpus-allowed", nr_cpus_allowed),
	SCHED(SUM_EXEC_RUNTIME, U64, "sum-exec-runtime", sum_exec_runtime),
	SCHED(UTIME, U64, "utime", utime),
	SCHED(STIME, U64, "stime", stime),
	SCHED(RUN_DELAY, U64, "run-delay", run_delay),
	SCHED(PCOUNT, U64, "pcount", pcount),
	SCHED(NVCSW, U64, "nvcsw", nvcsw),
	SCHED(NIVCSW, U64, "nivcsw", nivcsw),
	SCHED(NR_MIGRATIONS, U64, "nr-migrations", nr_migrations),
	SCHED(MIN_FLT, U64, "min-flt", min_flt),
	SCHED(MAJ_FLT, U64, "maj-flt", maj_flt),
	ID(WITHHELD, GROUPS, "withheld", withheld),
	T(SCHEDSTATS_ENABLED, BOOL, THREADSTAT_FIELDS_SCHEDSTATS,
	  "schedstats-enabled", schedstats_enabled),
	SS(WAIT_SUM, "wait-sum"),
	SS(WAIT_COUNT, "wait-count"),
	SS(WAIT_MAX, "wait-max"),
	SS(IOWAIT_SUM, "iowait-sum"),
	SS(IOWAIT_COUNT, "iowait-count"),
	SS(SLEEP_SUM, "sleep-sum"),
	SS(SLEEP_MAX, "sleep-max"),
	SS(BLOCK_SUM, "block-sum"),
	SS(BLOCK_MAX, "block-max"),
	SS(EXEC_MAX, "exec-max"),
	SS(SLICE_MAX, "slice-max"),
	SS(NR_MIGRATIONS_COLD, "nr-migrations-cold"),
	SS(NR_FAILED_MIGRATIONS_AFFINE, "nr-failed-migrations-affine"),
	SS(NR_FAILED_MIGRATIONS_RUNNING, "nr-failed-migrations-running"),
	SS(NR_FAILED_MIGRATIONS_HOT, "nr-failed-migrations-hot"),
	SS(NR_FORCED_MIGRATIONS, "nr-forced-migrations"),
	SS(NR_WAKEUPS, "nr-wakeups"),
	SS(NR_WAKEUPS_SYNC, "nr-wakeups-sync"),
	SS(NR_WAKEUPS_MIGRATE, "nr-wakeups-migrate"),
	SS(NR_WAKEUPS_LOCAL, "nr-wakeups-local"),
	SS(NR_WAKEUPS_REMOTE, "nr-wakeups-remote"),
	SS(NR_WAKEUPS_AFFINE, "nr-wakeups-affine"),
	SS(NR_WAKEUPS_AFFINE_ATTEMPTS, "nr-wakeups-affine-attempts"),
	SS(NR_WAKEUPS_PASSIVE, "nr-wakeups-passive"),
	SS(NR_WAKEUPS_IDLE, "nr-wakeups-idle"),
	T(DELAYACCT_ENABLED, BOOL, THREADSTAT_FIELDS_DELAYACCT,
	  "delayacct-enabled", delayacct_enabled),
	DA(DELAY_BLKIO, "delay-blkio"),
	DA(DELAY_BLKIO_COUNT, "delay-blkio-count"),
	DA(DELAY_SWAPIN, "delay-swapin"),
	DA(DELAY_SWAPIN_COUNT, "delay-swapin-count"),
	DA(DELAY_RECLAIM, "delay-reclaim"),
	DA(DELAY_RECLAIM_COUNT, "delay-reclaim-count"),
	DA(DELAY_THRASHING, "delay-thrashing"),
	DA(DELAY_THRASHING_COUNT, "delay-thrashing-count"),
	DA(DELAY_COMPACT, "delay-compact"),
	DA(DELAY_COMPACT_COUNT, "delay-compact-count"),
	T(DELAY_WPCOPY, U64, THREADSTAT_FIELDS_DELAYACCT, "delay-wpcopy",
	  delay_wpcopy),
	T(DELAY_WPCOPY_COUNT, U64, THREADSTAT_FIELDS_DELAYACCT,
	  "delay-wpcopy-count", delay_wpcopy_count),
	T(DELAY_IRQ, U64, THREADSTAT_FIELDS_DELAYACCT, "delay-irq", delay_irq),
	T(DELAY_IRQ_COUNT, U64, THREADSTAT_FIELDS_DELAYACCT,
	  "delay-irq-count", delay_irq_count),
	{ .type = THREADSTAT_A_THREAD_STACK, .kind = TS_KIND_NEST,
	  .group = THREADSTAT_FIELDS_STACK, .name = "stack",
	  .offset = offsetof(struct ts_thread, stack),
	  .size = sizeof(struct ts_stack), .nest = &ts_stack_set },
	T(STACK_MISSING, KSTACK_MISSING, THREADSTAT_FIELDS_STACK,
	  "stack-missing", stack_missing),
	{ .type = THREADSTAT_A_THREAD_KERNEL_STACK, .kind = TS_KIND_STRINGS,
	  .group = THREADSTAT_FIELDS_KSTACK, .name = "kernel-stack",
	  .offset = offsetof(struct ts_thread, kernel_stack),
	  .size = offsetof(struct ts_thread, n_kernel_stack) },
	T(WCHAN, STRING, THREADSTAT_FIELDS_KSTACK, "wchan", wchan),
	T(KERNEL_STACK_MISSING, KSTACK_MISSING, THREADSTAT_FIELDS_KSTACK,
	  "kernel-stack-missing", kernel_stack_missing),
	T(WCHAN_MISSING, KSTACK_MISSING, THREADSTAT_FIELDS_KSTACK,
	  "wchan-missing", wchan_missing),
	{ .type = THREADSTAT_A_THREAD_REGS, .kind = TS_KIND_NEST,
	  .group = THREADSTAT_FIELDS_REGS, .name = "regs",
	  .offset = offsetof(struct ts_thread, regs),
	  .size = sizeof(struct ts_regs), .nest = &ts_regs_set },
	T(REGS_MISSING, KSTACK_MISSING, THREADSTAT_FIELDS_REGS,
	  "regs-missing", regs_missing),
	{ .type = THREADSTAT_A_THREAD_SYSCALL, .kind = TS_KIND_NEST,
	  .group = THREADSTAT_FIELDS_REGS, .name = "syscall",
	  .offset = offsetof(struct ts_thread, syscall),
	  .size = sizeof(struct ts_syscall), .nest = &ts_syscall_set },
	{ .type = THREADSTAT_A_THREAD_WAIT, .kind = TS_KIND_NEST,
	  .group = THREADSTAT_FIELDS_WAIT, .name = "wait",
	  .offset = offsetof(struct ts_thread, wait),
	  .size = sizeof(struct ts_wait), .nest = &ts_wait_set },
	T(WAIT_MISSING, KSTACK_MISSING, THREADSTAT_FIELDS_WAIT,
	  "wait-missing", wait_missing),
	{ .type = THREADSTAT_A_THREAD_LATENCY, .kind = TS_KIND_NEST,
	  .group = THREADSTAT_FIELDS_LATENCY, .name = "latency",
	  .offset = offsetof(struct ts_thread, latency),
	  .size = sizeof(struct ts_latency), .nest = &ts_latency_set },
	T(LATENCY_MISSING, LATENCY_MISSING, THREADSTAT_FIELDS_LATENCY,
	  "latency-missing", latency_missing),
	{ .type = THREADSTAT_A_THREAD_PROCESS, .kind = TS_KIND_NEST,
	  .group = THREADSTAT_FIELDS_SCHED, .name = "process",
	  .offset = offsetof(struct ts_thread, process),
	  .size = sizeof(struct ts_process), .nest = &ts_process_set },
};

const struct ts_set ts_thread_set =
	TS_SET("thread", ts_thread, ts_thread_fields, THREADSTAT_A_THREAD_MAX);

/* Free what @t owns, leaving the rest as is: for a thread about to go. */
static void ts_thread_free_owned(struct ts_thread *t)
{
	free(t->kernel_stack);
}

void ts_thread_release(struct ts_thread *t)
{
	ts_thread_free_owned(t);
	memset(t, 0, sizeof(*t));
}

int ts_thread_decode(const void *attrs, size_t len, struct ts_thread *out,
		     struct ts_error *err)
{
	memset(out, 0, sizeof(*out));
	if (ts_decode_set(&ts_thread_set, out, attrs, len, err) == 0) {
		if (ts_thread_has(out, THREADSTAT_A_THREAD_TID))
			return 0;
		ts_fail(err, EPROTO, "thread reply without a tid");
	}
	ts_thread_release(out);
	return -1;
}

static size_t ts_thread_attrs(struct ts_req_attr *a, uint32_t tgid,
			      uint32_t tid, uint32_t fields)
{
	size_t n = 0;

	if (tid)
		a[n++] = (struct ts_req_attr){ THREADSTAT_A_THREAD_TID, tid };
	if (tgid)
		a[n++] = (struct ts_req_attr){ THREADSTAT_A_THREAD_TGID, tgid };
	if (fields)
		a[n++] = (struct ts_req_attr){ THREADSTAT_A_THREAD_FIELDS,
					       fields };
	return n;
}

struct ts_dump_state {
	ts_thread_cb cb;
	void *arg;
	struct ts_error *err;
};

static int ts_thread_msg(const void *attrs, size_t len, void *arg)
{
	struct ts_dump_state *st = arg;
	struct ts_thread t;
	int rc;

	/* This module version's default group: thread_fastpath.c. */
	if (ts_thread_decode_fast(attrs, len, &t) &&
	    ts_thread_decode(attrs, len, &t, st->err))
		return -1;
	rc = st->cb(&t, st->arg);
	/* No clearing: t goes with this frame, and 1 KiB a thread adds up. */
	ts_thread_free_owned(&t);
	return rc;
}

int ts_thread_dump(struct ts_client *c, const struct ts_thread_query *q,
		   ts_thread_cb cb, void *arg, struct ts_dump_info *info,
		   struct ts_error *err)
{
	struct ts_dump_state st = { cb, arg, err };
	struct ts_req_attr a[3];
	size_t n = ts_thread_attrs(a, q ? q->tgid : 0, 0, q ? q->fields : 0);

	if (ts_client_proc(c))
		return ts_proc_thread_dump(q, cb, arg, info, err);
	if (info)
		memset(info, 0, sizeof(*info));
	return ts_request(c, THREADSTAT_CMD_THREAD_GET, true, a, n,
			  ts_thread_msg, &st, info, err);
}

static int ts_thread_keep(const void *attrs, size_t len, void *arg)
{
	struct ts_thread *out = arg;

	ts_thread_release(out);
	return ts_thread_decode(attrs, len, out, NULL) ? -1 : 0;
}

int ts_thread_get(struct ts_client *c, uint32_t tid, uint32_t fields,
		  struct ts_thread *out, struct ts_error *err)
{
	struct ts_req_attr a[3];
	size_t n = ts_thread_attrs(a, 0, tid, fields);

	memset(out, 0, sizeof(*out));
	if (ts_client_proc(c))
		return ts_proc_thread_get(tid, fields, out, err);
	if (ts_request(c, THREADSTAT_CMD_THREAD_GET, false, a, n,
		       ts_thread_keep, out, NULL, err))
		return -1;
	if (!ts_thread_has(out, THREADSTAT_A_THREAD_TID))
		return ts_fail(err, EPROTO, "no thread in the reply");
	return 0;
}

static int ts_list_add(const struct ts_thread *t, void *arg)
{
	struct ts_thread_list *list = arg;

	if (ts_vec_push((void **)&list->v, &list->n, &list->cap, sizeof(*t), t)) {
		errno = ENOMEM;
		return -1;
	}
	/* The list owns the kernel stack from now on. */
	((struct ts_thread *)t)->kernel_stack = NULL;
	return 0;
}

void ts_thread_list_free(struct ts_thread_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		ts_thread_release(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

int ts_thread_list_dump(struct ts_client *c, const struct ts_thread_query *q,
			struct ts_thread_list *list, struct ts_error *err)
{
	struct ts_dump_info info;
	int rc;

	memset(list, 0, sizeof(*list));
	if (err)
		err->msg[0] = '\0';
	rc = ts_thread_dump(c, q, ts_list_add, list, &info, err);
	if (rc < 0 && errno == ENOMEM && err && !err->msg[0])
		ts_fail(err, ENOMEM, "out of memory");
	if (rc) {
		ts_thread_list_free(list);
		return -1;
	}
	list->interrupted = info.interrupted;
	return 0;
}
