// SPDX-License-Identifier: GPL-2.0
/* Thread churn for the tests; see thread_churn.h. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "thread_churn.h"

static volatile sig_atomic_t churn_stop;

static void churn_stop_handler(int sig)
{
	churn_stop = 1;
}

/*
 * Churned threads are bare clone()s on fixed stacks, one a slot: no mmap,
 * no glibc thread set-up (TLS, rseq, robust list), so what the guest's CPU
 * spends goes to the kernel's create and exit paths that the dumps race.
 * The kernel clears a slot's word (CLONE_CHILD_CLEARTID) and wakes its
 * futex once that thread is done with the stack. Measured in the TCG guest
 * with nobody dumping: ~550 threads/s through pthread_create() with 8 MiB
 * stacks (glibc's stack cache overflows and every stack is mapped anew),
 * ~2400/s with 64 KiB stacks, ~2800/s this way.
 */
#define CHURNED_STACK	(16 * 1024)
static char churned_stack[CHURN_MAX_SLOTS][CHURNED_STACK]
	__attribute__((aligned(64)));

/* Runs without TLS of its own: it must touch nothing but its stack. */
static int churned(void *arg)
{
	return 0;
}

/*
 * One churner process per CPU, pinned there, with its threads born on the
 * same CPU. A churner is a process of its own, as threads in the clients'
 * process would make every exit a TLB shootdown of each client's CPU.
 * One per CPU because qemu TCG (thread=single) gives every busy vCPU an
 * equal turn, whatever the guest's priorities: a single churner against 4
 * dumping clients got a quarter of the machine and ~450 threads/s, one per
 * CPU gets ~1900/s.
 */
/**
 * thread_churn_fork() - fork a churner as @tc says; SIGTERM stops it
 * @tc: the threads' body, their slots, the counter and the CPU
 *
 * Return: the churner's pid (wait for it after SIGTERM), or -1.
 */
pid_t thread_churn_fork(const struct thread_churn *tc)
{
	cpu_set_t on;
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_SETTID |
			  CLONE_CHILD_CLEARTID;
	unsigned int i, n = tc->slots;
	int *slot = tc->slot_tid;
	pid_t pid;
	int tid;

	if (n > CHURN_MAX_SLOTS)
		return -1;
	pid = fork();
	if (pid)
		return pid;
	signal(SIGTERM, churn_stop_handler);
	CPU_ZERO(&on);
	CPU_SET(tc->cpu, &on);
	sched_setaffinity(0, sizeof(on), &on);
	while (!churn_stop) {
		for (i = 0; i < n && !churn_stop; i++) {
			tid = __atomic_load_n(&slot[i], __ATOMIC_ACQUIRE);
			if (tid) {
				syscall(SYS_futex, &slot[i], FUTEX_WAIT,
					tid, NULL, NULL, 0);
				continue;
			}
			slot[i] = -1;	/* busy until the kernel clears it */
			if (clone(tc->fn, churned_stack[i] + CHURNED_STACK,
				  flags, NULL, NULL, NULL, &slot[i]) < 0)
				slot[i] = 0;
			else
				__atomic_add_fetch(tc->count, 1,
						   __ATOMIC_RELAXED);
		}
	}
	/* Leave no thread running on a stack that _exit() would take away. */
	for (i = 0; i < n; i++)
		while ((tid = __atomic_load_n(&slot[i], __ATOMIC_ACQUIRE)))
			syscall(SYS_futex, &slot[i], FUTEX_WAIT, tid,
				NULL, NULL, 0);
	_exit(0);
}

/**
 * thread_churn_start() - fork a churner of threads that return at once
 * @count: shared memory the churner adds each thread it made to
 * @cpu: the CPU it and its threads run on
 *
 * Its IN_FLIGHT slots are its own (the fork copies them).
 *
 * Return: the churner's pid (wait for it after SIGTERM), or -1.
 */
pid_t thread_churn_start(unsigned long *count, int cpu)
{
	static int slot_tid[IN_FLIGHT];
	const struct thread_churn tc = {
		.fn = churned, .slot_tid = slot_tid, .slots = IN_FLIGHT,
		.count = count, .cpu = cpu,
	};

	return thread_churn_fork(&tc);
}

/*
 * The long profile's bar, 1000 threads/s. TS_CHURN_MIN_RATE lowers it where
 * speed is not the point: make check-debug sets 0, since a KASAN and lockdep
 * kernel under TCG creates threads several times slower; the churn and the
 * checks still run.
 */
double thread_churn_min_rate(void)
{
	const char *v = getenv("TS_CHURN_MIN_RATE");

	return v ? atof(v) : 1000.0;
}
