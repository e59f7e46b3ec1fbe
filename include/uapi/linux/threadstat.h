/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * threadstat: per-thread and per-CPU statistics over generic netlink.
 *
 * This header is the ABI between threadstat.ko and userspace. It is kept in
 * sync with the YNL spec beside it (threadstat.yaml); a test compares them.
 *
 * Commands
 *   THREADSTAT_CMD_THREAD_GET
 *     do:   request { tid, fields? }            reply: one thread
 *     dump: request { tgid?, tid?, fields? }    reply: one message per thread
 *   THREADSTAT_CMD_CPU_GET
 *     do:   request { cpu }                     reply: one CPU
 *     dump: request { cpu? }                    reply: one message per
 *                                               possible CPU (or just cpu)
 *   THREADSTAT_CMD_SYSTEM_GET
 *     do:   request { }                         reply: machine-wide totals
 *   THREADSTAT_CMD_EVENTS_SUBSCRIBE
 *     do:   request { types?, tgid? }           reply: { types, tgid? }
 *   THREADSTAT_CMD_EVENT                        (kernel to subscriber only)
 *
 * Attribute tree of a THREADSTAT_CMD_THREAD_GET reply (set "thread"):
 *   tid, tgid, ppid, comm, uid, start-time, kthread,       (always)
 *   state, cpu, on-cpu, policy, nice, prio, static-prio, rt-priority,
 *   cpus-allowed, nr-cpus-allowed, sum-exec-runtime, utime, stime,
 *   run-delay, pcount, nvcsw, nivcsw, nr-migrations, min-flt, maj-flt
 *                                                          (group sched)
 *   schedstats-enabled, wait-sum ... nr-wakeups-idle       (group schedstats)
 *   delayacct-enabled, delay-blkio ... delay-compact-count,
 *   delay-wpcopy(-count), delay-irq(-count) (where the kernel counts
 *   them: irq from 6.2 on)                                 (group delayacct)
 *   stack { kernel-size, kernel-used, kernel-depth, user-start, user-end,
 *           user-sp, user-depth, user-guard, user-used }, stack-missing
 *                                                          (group stack)
 *   kernel-stack (repeated string), kernel-stack-missing, wchan,
 *   wchan-missing                                          (group kstack)
 *   regs { stable, ip, sp, ..., orig-ax }, syscall { nr, args },
 *   regs-missing                                           (group regs)
 *   wait { syscall, blocked-ns, fd, futex-addr, futex-op, futex-private,
 *          futex-val, futex-word, futex-word-fault, owner-tid, owner-died,
 *          futex-count }, wait-missing                  (group wait)
 *   withheld: mask of requested groups left out for lack of privilege,
 *             per thread
 *
 * Privileges: never wider than /proc for the same caller and thread.
 *   group      /proc for the same data            threadstat
 *   sched,     stat, status, schedstat: anyone    anyone
 *   schedstats
 *   delayacct  blkio delay (stat): anyone; the    blkio delay: anyone; the
 *              rest taskstats: CAP_NET_ADMIN      rest CAP_NET_ADMIN, else
 *                                                 "withheld" names delayacct
 *   stack      /proc/PID/mem: ptrace attach       ptrace attach
 *   kstack     /proc/PID/stack: CAP_SYS_ADMIN +   the same
 *              ptrace attach
 *   regs       /proc/PID/syscall: ptrace attach   ptrace attach
 *   wait       /proc/PID/syscall and /proc/PID/mem ptrace attach
 *              (the futex word): ptrace attach
 *   (all)      hidepid=2/4 mount option           module parameter hidepid
 *                                                 (a CPU's curr-* too)
 * ptrace attach: same process; or same fsuid/fsgid as all the target's
 * ids, or CAP_SYS_PTRACE in its user namespace; non-dumpable targets need
 * CAP_SYS_PTRACE over their memory's namespace; capabilities must cover
 * the target's (commoncap); Yama ptrace_scope 1/2/3 as Yama. Both the
 * socket's opener and the task running the request must qualify.
 * LSM ptrace policies (AppArmor, SELinux) cannot be consulted by a module
 * and are not applied; Yama's PR_SET_PTRACER exceptions are refused.
 *
 * The schedstats group is present only while the kernel collects schedstats
 * (sysctl kernel.sched_schedstats=1), the delayacct group only while delay
 * accounting is on (kernel.task_delayacct=1); "absent" is not "zero".
 * schedstats-enabled / delayacct-enabled say which was the case.
 *
 * The process nest (set "process") is sent with the sched group: in a dump
 * once per process, on its group leader's message (tid == tgid), and on
 * every do reply. See the enum below.
 *
 * Dump consistency (NLM_F_DUMP_INTR). A THREAD_GET dump walks tids upwards
 * and keeps no thread pinned between messages, so the thread set may change
 * while it runs. The module promises:
 *   - NLM_F_DUMP_INTR is set when a thread that the requester could see may
 *     be missing from the dump: a thread created (clone, an io_uring worker,
 *     a vhost task or a kernel thread alike) before the walk ended, at a tid
 *     in the requester's pid namespace that the walk had already passed, and
 *     (for a tgid-filtered dump) in that process. It is conservative: "may".
 *   - It is not set for a thread that exits during the dump (it is simply
 *     absent: it was alive for part of the dump), for threads created above
 *     the cursor (they are listed), nor for threads in pid namespaces the
 *     requester cannot see.
 *   - Once set, it is on every later data message and on the closing
 *     NLMSG_DONE, so a client may check DONE alone. A thread counts as
 *     created when the kernel's task_newtask tracepoint fires, after its
 *     pid is attached and before it first runs.
 * A client that gets the flag may retry or show the dump as incomplete;
 * without it, every thread that lived through the whole dump is listed.
 *
 * Ids (tid, tgid, ppid, curr-tid, ...) are in the pid namespace of the
 * process that sent the request; uid is in its user namespace. start-time,
 * boot-time and uptime are in the time namespace of the process reading
 * the reply, as /proc/PID/stat, /proc/stat and /proc/uptime give them.
 *
 * A value of the stack, kstack or regs group that cannot be read safely
 * (the thread runs, exits or exited meanwhile) is absent, and its *-missing
 * attribute says why (enum threadstat_kstack_missing); it is never another
 * thread's data.
 * Times are in nanoseconds. A CPU set ("cpus-allowed", "siblings") is a
 * bitmap of native-endian 64-bit words, CPU n being bit n % 64 of word n / 64.
 * Clients must ignore attributes they do not know.
 */
#ifndef _UAPI_LINUX_THREADSTAT_H
#define _UAPI_LINUX_THREADSTAT_H

#define THREADSTAT_FAMILY_NAME		"threadstat"
#define THREADSTAT_FAMILY_VERSION	1

/* Scheduling policies, as in SCHED_* of <linux/sched.h>. */
enum threadstat_policy {
	THREADSTAT_POLICY_NORMAL = 0,
	THREADSTAT_POLICY_FIFO = 1,
	THREADSTAT_POLICY_RR = 2,
	THREADSTAT_POLICY_BATCH = 3,
	THREADSTAT_POLICY_ISO = 4,	/* reserved, not implemented */
	THREADSTAT_POLICY_IDLE = 5,
	THREADSTAT_POLICY_DEADLINE = 6,
};

/* Field groups: the "fields" request attribute and "withheld" reply one. */
enum threadstat_fields {
	THREADSTAT_FIELDS_SCHED = 1,
	THREADSTAT_FIELDS_SCHEDSTATS = 2,
	THREADSTAT_FIELDS_DELAYACCT = 4,
	THREADSTAT_FIELDS_STACK = 8,
	THREADSTAT_FIELDS_KSTACK = 16,
	THREADSTAT_FIELDS_REGS = 32,
	THREADSTAT_FIELDS_WAIT = 64,
	THREADSTAT_FIELDS_LATENCY = 128,
};

#define THREADSTAT_FIELDS_ALL		0xff
/* Groups that need ptrace rights over the thread (see the table above). */
#define THREADSTAT_FIELDS_PRIVILEGED	(THREADSTAT_FIELDS_STACK | \
					 THREADSTAT_FIELDS_KSTACK | \
					 THREADSTAT_FIELDS_REGS | \
					 THREADSTAT_FIELDS_WAIT)

/*
 * Why a value of the stack, kstack or regs group is absent: the value of
 * kernel-stack-missing, stack-missing, regs-missing and wchan-missing.
 */
enum threadstat_kstack_missing {
	THREADSTAT_KSTACK_MISSING_RUNNING = 1,	/* on a CPU right now */
	THREADSTAT_KSTACK_MISSING_EXITED = 2,	/* stack already released */
	/* waiting for a CPU, not blocked: it may exit while being read */
	THREADSTAT_KSTACK_MISSING_RUNNABLE = 3,
	/* this kernel exports no way to read it exactly (wchan on 6.1) */
	THREADSTAT_KSTACK_MISSING_UNSUPPORTED = 4,
};

enum {
	THREADSTAT_A_THREAD_PAD = 1,
	THREADSTAT_A_THREAD_TID,
	THREADSTAT_A_THREAD_TGID,
	THREADSTAT_A_THREAD_PPID,
	THREADSTAT_A_THREAD_COMM,
	THREADSTAT_A_THREAD_UID,
	THREADSTAT_A_THREAD_START_TIME,
	THREADSTAT_A_THREAD_KTHREAD,
	THREADSTAT_A_THREAD_STATE,
	THREADSTAT_A_THREAD_CPU,
	THREADSTAT_A_THREAD_ON_CPU,
	THREADSTAT_A_THREAD_POLICY,
	THREADSTAT_A_THREAD_NICE,
	THREADSTAT_A_THREAD_PRIO,
	THREADSTAT_A_THREAD_STATIC_PRIO,
	THREADSTAT_A_THREAD_RT_PRIORITY,
	THREADSTAT_A_THREAD_CPUS_ALLOWED,
	THREADSTAT_A_THREAD_NR_CPUS_ALLOWED,
	THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME,
	THREADSTAT_A_THREAD_UTIME,
	THREADSTAT_A_THREAD_STIME,
	THREADSTAT_A_THREAD_RUN_DELAY,
	THREADSTAT_A_THREAD_PCOUNT,
	THREADSTAT_A_THREAD_NVCSW,
	THREADSTAT_A_THREAD_NIVCSW,
	THREADSTAT_A_THREAD_NR_MIGRATIONS,
	THREADSTAT_A_THREAD_MIN_FLT,
	THREADSTAT_A_THREAD_MAJ_FLT,
	THREADSTAT_A_THREAD_FIELDS,
	THREADSTAT_A_THREAD_WITHHELD,
	THREADSTAT_A_THREAD_SCHEDSTATS_ENABLED,
	THREADSTAT_A_THREAD_WAIT_SUM,
	THREADSTAT_A_THREAD_WAIT_COUNT,
	THREADSTAT_A_THREAD_WAIT_MAX,
	THREADSTAT_A_THREAD_IOWAIT_SUM,
	THREADSTAT_A_THREAD_IOWAIT_COUNT,
	THREADSTAT_A_THREAD_SLEEP_SUM,
	THREADSTAT_A_THREAD_SLEEP_MAX,
	THREADSTAT_A_THREAD_BLOCK_SUM,
	THREADSTAT_A_THREAD_BLOCK_MAX,
	THREADSTAT_A_THREAD_EXEC_MAX,
	THREADSTAT_A_THREAD_SLICE_MAX,
	THREADSTAT_A_THREAD_NR_MIGRATIONS_COLD,
	THREADSTAT_A_THREAD_NR_FAILED_MIGRATIONS_AFFINE,
	THREADSTAT_A_THREAD_NR_FAILED_MIGRATIONS_RUNNING,
	THREADSTAT_A_THREAD_NR_FAILED_MIGRATIONS_HOT,
	THREADSTAT_A_THREAD_NR_FORCED_MIGRATIONS,
	THREADSTAT_A_THREAD_NR_WAKEUPS,
	THREADSTAT_A_THREAD_NR_WAKEUPS_SYNC,
	THREADSTAT_A_THREAD_NR_WAKEUPS_MIGRATE,
	THREADSTAT_A_THREAD_NR_WAKEUPS_LOCAL,
	THREADSTAT_A_THREAD_NR_WAKEUPS_REMOTE,
	THREADSTAT_A_THREAD_NR_WAKEUPS_AFFINE,
	THREADSTAT_A_THREAD_NR_WAKEUPS_AFFINE_ATTEMPTS,
	THREADSTAT_A_THREAD_NR_WAKEUPS_PASSIVE,
	THREADSTAT_A_THREAD_NR_WAKEUPS_IDLE,
	THREADSTAT_A_THREAD_DELAYACCT_ENABLED,
	THREADSTAT_A_THREAD_DELAY_BLKIO,
	THREADSTAT_A_THREAD_DELAY_BLKIO_COUNT,
	THREADSTAT_A_THREAD_DELAY_SWAPIN,
	THREADSTAT_A_THREAD_DELAY_SWAPIN_COUNT,
	THREADSTAT_A_THREAD_DELAY_RECLAIM,
	THREADSTAT_A_THREAD_DELAY_RECLAIM_COUNT,
	THREADSTAT_A_THREAD_DELAY_THRASHING,
	THREADSTAT_A_THREAD_DELAY_THRASHING_COUNT,
	THREADSTAT_A_THREAD_DELAY_COMPACT,
	THREADSTAT_A_THREAD_DELAY_COMPACT_COUNT,
	THREADSTAT_A_THREAD_STACK,
	THREADSTAT_A_THREAD_KERNEL_STACK,
	THREADSTAT_A_THREAD_WCHAN,
	THREADSTAT_A_THREAD_KERNEL_STACK_MISSING,
	THREADSTAT_A_THREAD_REGS,
	THREADSTAT_A_THREAD_SYSCALL,
	THREADSTAT_A_THREAD_PROCESS,
	THREADSTAT_A_THREAD_STACK_MISSING,
	THREADSTAT_A_THREAD_REGS_MISSING,
	THREADSTAT_A_THREAD_WCHAN_MISSING,
	THREADSTAT_A_THREAD_DELAY_WPCOPY,
	THREADSTAT_A_THREAD_DELAY_WPCOPY_COUNT,
	THREADSTAT_A_THREAD_DELAY_IRQ,
	THREADSTAT_A_THREAD_DELAY_IRQ_COUNT,
	THREADSTAT_A_THREAD_WAIT,		/* nest, set "wait" */
	THREADSTAT_A_THREAD_WAIT_MISSING,	/* u32 kstack-missing */
	THREADSTAT_A_THREAD_LATENCY,		/* nest, set "latency" */
	THREADSTAT_A_THREAD_LATENCY_MISSING,	/* u32 latency-missing */

	__THREADSTAT_A_THREAD_MAX,
	THREADSTAT_A_THREAD_MAX = (__THREADSTAT_A_THREAD_MAX - 1)
};

/*
 * Per-process attributes (set "process", nested in THREADSTAT_A_THREAD_PROCESS
 * and sent with the sched group): once per process in a dump, on the message
 * of its group leader (tid == tgid), and on every THREAD_GET do reply.
 * EXITED_* are what the kernel keeps in the process's signal_struct for its
 * threads that have already exited (the part of /proc/PID/stat that no live
 * thread holds any more): a client adds them to the sum over live threads to
 * get exact process totals across thread churn. They are read together,
 * under the seqlock the kernel updates them with when a thread is released
 * (the same moment it leaves the thread list), so live + exited counts
 * every thread once. Children's times (cutime) are not included.
 * EXITED_UTIME / EXITED_STIME are adjusted like the per-thread utime/stime
 * (task_cputime_adjusted): they add up to EXITED_SUM_EXEC_RUNTIME, split in
 * the ratio of the kernel's tick samples, so live + exited utime + stime
 * matches /proc/PID/stat's process utime + stime. Memory attributes are
 * bytes (VmSize, RssAnon, RssFile, RssShmem, VmSwap of /proc/PID/status),
 * read from the reported thread's mm; absent when it has none (kernel
 * threads, an exited group leader).
 * SUM_EXEC_RUNTIME, NVCSW and NIVCSW are the whole process at one instant:
 * the exited totals plus every live thread, summed in one pass that a
 * thread's exit restarts (what /proc/PID/stat's thread_group_cputime()
 * does). A dump's threads are read one after another, so live threads +
 * exited-* of one dump can miss a thread that exited between the leader's
 * message and its own; use these for a process's totals and rates.
 */
enum {
	THREADSTAT_A_PROCESS_PAD = 1,
	THREADSTAT_A_PROCESS_NR_THREADS,		/* u32, live threads */
	THREADSTAT_A_PROCESS_EXITED_SUM_EXEC_RUNTIME,	/* u64 ns */
	THREADSTAT_A_PROCESS_EXITED_UTIME,		/* u64 ns */
	THREADSTAT_A_PROCESS_EXITED_STIME,		/* u64 ns */
	THREADSTAT_A_PROCESS_EXITED_NVCSW,		/* u64 */
	THREADSTAT_A_PROCESS_EXITED_NIVCSW,		/* u64 */
	THREADSTAT_A_PROCESS_EXITED_MIN_FLT,		/* u64 */
	THREADSTAT_A_PROCESS_EXITED_MAJ_FLT,		/* u64 */
	THREADSTAT_A_PROCESS_VM_SIZE,			/* u64 bytes */
	THREADSTAT_A_PROCESS_RSS_ANON,			/* u64 bytes */
	THREADSTAT_A_PROCESS_RSS_FILE,			/* u64 bytes */
	THREADSTAT_A_PROCESS_RSS_SHMEM,			/* u64 bytes */
	THREADSTAT_A_PROCESS_SWAP,			/* u64 bytes */
	THREADSTAT_A_PROCESS_SUM_EXEC_RUNTIME,		/* u64 ns, all threads */
	THREADSTAT_A_PROCESS_NVCSW,			/* u64, all threads */
	THREADSTAT_A_PROCESS_NIVCSW,			/* u64, all threads */

	__THREADSTAT_A_PROCESS_MAX,
	THREADSTAT_A_PROCESS_MAX = (__THREADSTAT_A_PROCESS_MAX - 1)
};

enum {
	THREADSTAT_A_STACK_PAD = 1,
	THREADSTAT_A_STACK_KERNEL_SIZE,
	THREADSTAT_A_STACK_KERNEL_USED,
	THREADSTAT_A_STACK_KERNEL_DEPTH,
	THREADSTAT_A_STACK_USER_START,
	THREADSTAT_A_STACK_USER_END,
	THREADSTAT_A_STACK_USER_SP,
	THREADSTAT_A_STACK_USER_DEPTH,
	THREADSTAT_A_STACK_USER_GUARD,
	THREADSTAT_A_STACK_USER_USED,

	__THREADSTAT_A_STACK_MAX,
	THREADSTAT_A_STACK_MAX = (__THREADSTAT_A_STACK_MAX - 1)
};

enum {
	THREADSTAT_A_REGS_PAD = 1,
	THREADSTAT_A_REGS_STABLE,
	THREADSTAT_A_REGS_IP,
	THREADSTAT_A_REGS_SP,
	THREADSTAT_A_REGS_BP,
	THREADSTAT_A_REGS_FLAGS,
	THREADSTAT_A_REGS_AX,
	THREADSTAT_A_REGS_BX,
	THREADSTAT_A_REGS_CX,
	THREADSTAT_A_REGS_DX,
	THREADSTAT_A_REGS_SI,
	THREADSTAT_A_REGS_DI,
	THREADSTAT_A_REGS_R8,
	THREADSTAT_A_REGS_R9,
	THREADSTAT_A_REGS_R10,
	THREADSTAT_A_REGS_R11,
	THREADSTAT_A_REGS_R12,
	THREADSTAT_A_REGS_R13,
	THREADSTAT_A_REGS_R14,
	THREADSTAT_A_REGS_R15,
	THREADSTAT_A_REGS_CS,
	THREADSTAT_A_REGS_SS,
	THREADSTAT_A_REGS_ORIG_AX,

	__THREADSTAT_A_REGS_MAX,
	THREADSTAT_A_REGS_MAX = (__THREADSTAT_A_REGS_MAX - 1)
};

enum {
	THREADSTAT_A_SYSCALL_NR = 1,	/* s32; -1 when not in a system call */
	THREADSTAT_A_SYSCALL_ARGS,	/* binary: six native-endian u64 */

	__THREADSTAT_A_SYSCALL_MAX,
	THREADSTAT_A_SYSCALL_MAX = (__THREADSTAT_A_SYSCALL_MAX - 1)
};

/*
 * What a blocked thread waits on (set "wait", group wait; nested in
 * THREADSTAT_A_THREAD_WAIT). Sent for a user thread that is blocked (not
 * running, not runnable) in a system call and stayed off CPU while it was
 * read; else wait-missing says why not (running, runnable, exited). 64-bit
 * system calls only: a compat (32-bit) thread gets SYSCALL alone.
 *   SYSCALL	 s32, the system call number (x86-64), as /proc/PID/syscall
 *   BLOCKED_NS	 u64 ns since the thread last left a CPU: sched_clock now
 *		 minus (sched_info.last_arrival + the length of its last run,
 *		 se.sum_exec_runtime - se.prev_sum_exec_runtime). sched_clock
 *		 (TSC) resolution; the last run's length is exact for fair
 *		 (SCHED_OTHER/BATCH/IDLE) threads and taken as 0 for RT and
 *		 deadline ones, so there it is an upper bound. A futex waiter
 *		 woken and put back to sleep (a spurious or lost wake-up)
 *		 starts again from 0.
 *   FD		 s32, the file descriptor argument of read, write, recv*,
 *		 send*, accept*, connect, epoll_wait*, flock, fcntl, ioctl,
 *		 fsync, ...
 *   FUTEX_ADDR	 u64, the futex's user address in the thread's process
 *		 (futex_waitv: the first futex of the vector)
 *   FUTEX_OP	 u32, the futex command (FUTEX_WAIT, FUTEX_LOCK_PI, ...),
 *		 the flags masked off; futex_waitv: FUTEX_WAIT_BITSET (9)
 *   FUTEX_PRIVATE u8, 1 when FUTEX_PRIVATE_FLAG was given (the futex is
 *		 not shared with other processes)
 *   FUTEX_VAL	 u32, the value the thread expected (FUTEX_WAIT*'s val)
 *   FUTEX_WORD	 u32, the futex word now, read from the thread's memory
 *		 as /proc/PID/mem would; FUTEX_WORD_FAULT (flag) instead when
 *		 it cannot be read
 *   OWNER_TID	 u32, for FUTEX_LOCK_PI / LOCK_PI2 (the kernel defines the
 *		 owner: the word's low 30 bits): the owner's tid in the
 *		 requester's pid namespace; absent when it is not visible
 *		 there or no longer exists. OWNER_DIED (flag): FUTEX_OWNER_DIED.
 *   FUTEX_COUNT u32, futex_waitv: how many futexes the thread waits on
 */
enum {
	THREADSTAT_A_WAIT_PAD = 1,
	THREADSTAT_A_WAIT_SYSCALL,
	THREADSTAT_A_WAIT_BLOCKED_NS,
	THREADSTAT_A_WAIT_FD,
	THREADSTAT_A_WAIT_FUTEX_ADDR,
	THREADSTAT_A_WAIT_FUTEX_OP,
	THREADSTAT_A_WAIT_FUTEX_PRIVATE,
	THREADSTAT_A_WAIT_FUTEX_VAL,
	THREADSTAT_A_WAIT_FUTEX_WORD,
	THREADSTAT_A_WAIT_FUTEX_WORD_FAULT,
	THREADSTAT_A_WAIT_OWNER_TID,
	THREADSTAT_A_WAIT_OWNER_DIED,
	THREADSTAT_A_WAIT_FUTEX_COUNT,

	__THREADSTAT_A_WAIT_MAX,
	THREADSTAT_A_WAIT_MAX = (__THREADSTAT_A_WAIT_MAX - 1)
};

enum {
	THREADSTAT_A_CPU_PAD = 1,
	THREADSTAT_A_CPU_CPU,
	THREADSTAT_A_CPU_ONLINE,
	THREADSTAT_A_CPU_PACKAGE_ID,
	THREADSTAT_A_CPU_DIE_ID,
	THREADSTAT_A_CPU_CLUSTER_ID,
	THREADSTAT_A_CPU_CORE_ID,
	THREADSTAT_A_CPU_SIBLINGS,
	THREADSTAT_A_CPU_USER,
	THREADSTAT_A_CPU_NICE,
	THREADSTAT_A_CPU_SYSTEM,
	THREADSTAT_A_CPU_IDLE,
	THREADSTAT_A_CPU_IOWAIT,
	THREADSTAT_A_CPU_IRQ,
	THREADSTAT_A_CPU_SOFTIRQ,
	THREADSTAT_A_CPU_STEAL,
	THREADSTAT_A_CPU_GUEST,
	THREADSTAT_A_CPU_GUEST_NICE,
	THREADSTAT_A_CPU_FREQ_KHZ,
	THREADSTAT_A_CPU_CURR_TID,
	THREADSTAT_A_CPU_CURR_TGID,
	THREADSTAT_A_CPU_CURR_COMM,
	THREADSTAT_A_CPU_NR_RUNNING,
	THREADSTAT_A_CPU_NR_THREADS,

	__THREADSTAT_A_CPU_MAX,
	THREADSTAT_A_CPU_MAX = (__THREADSTAT_A_CPU_MAX - 1)
};

enum {
	THREADSTAT_A_SYSTEM_PAD = 1,
	THREADSTAT_A_SYSTEM_CPUS_POSSIBLE,
	THREADSTAT_A_SYSTEM_CPUS_ONLINE,
	THREADSTAT_A_SYSTEM_BOOT_TIME,
	THREADSTAT_A_SYSTEM_UPTIME,
	THREADSTAT_A_SYSTEM_LOAD_1,
	THREADSTAT_A_SYSTEM_LOAD_5,
	THREADSTAT_A_SYSTEM_LOAD_15,
	THREADSTAT_A_SYSTEM_NR_PROCESSES,
	THREADSTAT_A_SYSTEM_NR_THREADS,
	THREADSTAT_A_SYSTEM_NR_RUNNING,
	THREADSTAT_A_SYSTEM_NR_BLOCKED,

	__THREADSTAT_A_SYSTEM_MAX,
	THREADSTAT_A_SYSTEM_MAX = (__THREADSTAT_A_SYSTEM_MAX - 1)
};

enum {
	THREADSTAT_CMD_THREAD_GET = 1,
	THREADSTAT_CMD_CPU_GET,
	THREADSTAT_CMD_SYSTEM_GET,
	THREADSTAT_CMD_EVENTS_SUBSCRIBE,
	THREADSTAT_CMD_EVENT,
	THREADSTAT_CMD_LATENCY_SET,

	__THREADSTAT_CMD_MAX,
	THREADSTAT_CMD_MAX = (__THREADSTAT_CMD_MAX - 1)
};

/*
 * Lifecycle events (issue 16). A client subscribes its socket with
 * THREADSTAT_CMD_EVENTS_SUBSCRIBE (do; request { types?, tgid? }, reply
 * { types, tgid? }; types = 0 unsubscribes, closing the socket does too).
 * From then on the module sends that socket THREADSTAT_CMD_EVENT messages
 * (set "event"), several per datagram, in the order the events happened
 * on each CPU (across CPUs, order by "time"):
 *   start   tid, tgid, ppid, comm (the parent's name), thread (a thread
 *           of an existing process, not a new process)
 *   exec    tid, tgid, ppid, comm (the new program's name)
 *   rename  tid, tgid, ppid, old-comm, comm (the new name)
 *   exit    tid, tgid, ppid, comm and the thread's final numbers:
 *           lifetime, sum-exec-runtime, utime, stime, nvcsw, nivcsw,
 *           nr-migrations, min-flt, maj-flt, run-delay, exit-code,
 *           group-dead (the last thread of its process)
 * and always type, time (CLOCK_MONOTONIC ns when it happened), cpu.
 *
 * Probes are registered only while at least one socket is subscribed. They
 * never sleep and never wait for a listener: an event is copied into a
 * fixed ring and sent from a workqueue with a non-blocking unicast. When
 * the ring is full, or a subscriber's socket buffer is, events are dropped
 * for that subscriber and counted; the next message it receives carries
 * "lost": how many events (of the types and process it asked for) were
 * dropped just before it. Received + lost = events that happened.
 * The client should set NETLINK_NO_ENOBUFS (the count replaces the error).
 * A subscribe request from any socket is also a barrier: when its reply
 * comes, every event the probes took before it was sent or counted lost
 * (types = 0 from a socket without a subscription does nothing else).
 *
 * Ids are those of the initial pid namespace; a subscription from any
 * other pid namespace is refused (EPERM, with an extack message). Events
 * carry no more than /proc/PID/stat shows anyone; with the hidepid module
 * parameter set, subscribing needs CAP_SYS_PTRACE.
 */
enum threadstat_event_type {
	THREADSTAT_EVENT_TYPE_START = 1,
	THREADSTAT_EVENT_TYPE_EXEC,
	THREADSTAT_EVENT_TYPE_RENAME,
	THREADSTAT_EVENT_TYPE_EXIT,
};

/* The "types" attribute: a mask of 1 << THREADSTAT_EVENT_TYPE_*. */
#define THREADSTAT_EVENT_TYPES_ALL	0x1e

enum {
	THREADSTAT_A_EVENT_PAD = 1,
	THREADSTAT_A_EVENT_TYPE,		/* u32, enum threadstat_event_type */
	THREADSTAT_A_EVENT_TYPES,		/* u32 mask (subscription) */
	THREADSTAT_A_EVENT_TGID,		/* u32 */
	THREADSTAT_A_EVENT_TID,			/* u32 */
	THREADSTAT_A_EVENT_PPID,		/* u32 */
	THREADSTAT_A_EVENT_COMM,		/* string */
	THREADSTAT_A_EVENT_OLD_COMM,		/* string */
	THREADSTAT_A_EVENT_THREAD,		/* flag */
	THREADSTAT_A_EVENT_TIME,		/* u64 ns, CLOCK_MONOTONIC */
	THREADSTAT_A_EVENT_CPU,			/* u32 */
	THREADSTAT_A_EVENT_LOST,		/* u64 */
	THREADSTAT_A_EVENT_LIFETIME,		/* u64 ns */
	THREADSTAT_A_EVENT_SUM_EXEC_RUNTIME,	/* u64 ns */
	THREADSTAT_A_EVENT_UTIME,		/* u64 ns */
	THREADSTAT_A_EVENT_STIME,		/* u64 ns */
	THREADSTAT_A_EVENT_NVCSW,		/* u64 */
	THREADSTAT_A_EVENT_NIVCSW,		/* u64 */
	THREADSTAT_A_EVENT_NR_MIGRATIONS,	/* u64 */
	THREADSTAT_A_EVENT_MIN_FLT,		/* u64 */
	THREADSTAT_A_EVENT_MAJ_FLT,		/* u64 */
	THREADSTAT_A_EVENT_RUN_DELAY,		/* u64 ns */
	THREADSTAT_A_EVENT_EXIT_CODE,		/* u32, as wait(2) status */
	THREADSTAT_A_EVENT_GROUP_DEAD,		/* flag */

	__THREADSTAT_A_EVENT_MAX,
	THREADSTAT_A_EVENT_MAX = (__THREADSTAT_A_EVENT_MAX - 1)
};

/*
 * Run-queue latency (issue 16), group THREADSTAT_FIELDS_LATENCY.
 * While it is on, the module keeps for every thread each wait on a run
 * queue, from its wakeup or preemption to running again: the interval the
 * scheduler itself adds to run-delay (sched_info), read per wait on
 * sched_switch. A wait is counted when the thread next leaves its CPU, so
 * a running thread's latest wait is not in yet. Off by default; off means
 * no probe registered and no memory held.
 *
 * THREADSTAT_CMD_LATENCY_SET (do, set "latency"):
 *   request { on?, persist? }
 *     on = 1	turn it on and hold it on for this socket: it stays on
 *		while the socket is open (closing it drops the hold);
 *		with persist (flag), hold it on until an explicit on = 0.
 *     on = 0	turn it off: every hold is dropped (an administrator's off).
 *     no on	only ask; anyone may.
 *   Changing it needs CAP_NET_ADMIN (EPERM with an extack message).
 *   reply { enabled, holders, persistent, tracked, capacity, overflow }
 *     holders	 sockets holding it on; persistent: a persist hold exists
 *     tracked	 threads with a record now (at most capacity)
 *     overflow	 switch-outs of threads that found no free record (their
 *		 waits are not measured; a thread takes a record when it
 *		 first leaves a CPU and frees it when the task is freed; the
 *		 count restarts each time it is turned on)
 *
 * Thread replies with the group carry the "latency" nest when it is on and
 * the thread has a record: count, sum, max-wait (ns, since its first
 * switch-out after it was turned on) and hist, a log2 histogram of
 * THREADSTAT_LATENCY_BUCKETS native-endian u64 counts: bucket 0 counts
 * waits below 2 ns, bucket i (i >= 1) waits of [2^i, 2^(i+1)) ns, the last
 * bucket also everything longer. The sum grows exactly as
 * /proc/PID/task/TID/schedstat's run_delay between two of the thread's
 * switch-outs. Else latency-missing says why (enum
 * threadstat_latency_missing). The values are like /proc/PID/schedstat:
 * anyone who can see the thread may read them.
 */
#define THREADSTAT_LATENCY_BUCKETS	32

enum threadstat_latency_missing {
	THREADSTAT_LATENCY_MISSING_OFF = 1,	/* measurement is off */
	/* no record: not off a CPU since it was turned on, or none free */
	THREADSTAT_LATENCY_MISSING_UNTRACKED = 2,
};

enum {
	THREADSTAT_A_LATENCY_PAD = 1,
	THREADSTAT_A_LATENCY_COUNT,		/* u64 */
	THREADSTAT_A_LATENCY_SUM,		/* u64 ns */
	THREADSTAT_A_LATENCY_MAX_WAIT,		/* u64 ns */
	THREADSTAT_A_LATENCY_HIST,		/* binary, u64[BUCKETS] */
	THREADSTAT_A_LATENCY_ON,		/* u32 0/1, request */
	THREADSTAT_A_LATENCY_PERSIST,		/* flag, request */
	THREADSTAT_A_LATENCY_ENABLED,		/* u8 */
	THREADSTAT_A_LATENCY_HOLDERS,		/* u32 */
	THREADSTAT_A_LATENCY_PERSISTENT,	/* u8 */
	THREADSTAT_A_LATENCY_TRACKED,		/* u32 */
	THREADSTAT_A_LATENCY_CAPACITY,		/* u32 */
	THREADSTAT_A_LATENCY_OVERFLOW,		/* u64 */

	__THREADSTAT_A_LATENCY_MAX,
	THREADSTAT_A_LATENCY_MAX = (__THREADSTAT_A_LATENCY_MAX - 1)
};

#endif /* _UAPI_LINUX_THREADSTAT_H */
