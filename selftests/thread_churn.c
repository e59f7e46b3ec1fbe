// SPDX-License-Identifier: GPL-2.0
/* Thread churn for the tests; see thread_churn.h. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "thread_churn.h"

static volatile sig_atomic_t churn_stop;

static void churn_stop_handler(int sig)
{
	churn_stop = 1;
}

/*
 * Churned threads are bare clone()s on IN_FLIGHT fixed stacks: no mmap,
 * no glibc thread set-up (TLS, rseq, robust list), so what the guest's CPU
 * spends goes to the kernel's create and exit paths that the dumps race.
 * The kernel clears a slot's word (CLONE_CHILD_CLEARTID) and wakes its
 * futex once that thread is done with the stack. Measured in the TCG guest
 * with nobody dumping: ~550 threads/s through pthread_create() with 8 MiB
 * stacks (glibc's stack cache overflows and every stack is mapped anew),
 * ~2400/s with 64 KiB stacks, ~2800/s this way.
 */
#define CHURNED_STACK	(16 * 1024)
static int slot_tid[IN_FLIGHT];
static char churned_stack[IN_FLIGHT][CHURNED_STACK] __attribute__((aligned(64)));

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
 * thread_churn_start() - fork a churner pinned to @cpu; SIGTERM stops it
 * @count: shared memory the churner adds each thread it made to
 * @cpu: the CPU it and its threads run on
 *
 * Return: the churner's pid (wait for it after SIGTERM), or -1.
 */
pid_t thread_churn_start(unsigned long *count, int cpu)
{
	cpu_set_t on;
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_SETTID |
			  CLONE_CHILD_CLEARTID;
	pid_t pid = fork();
	unsigned int i;
	int tid;

	if (pid)
		return pid;
	signal(SIGTERM, churn_stop_handler);
	CPU_ZERO(&on);
	CPU_SET(cpu, &on);
	sched_setaffinity(0, sizeof(on), &on);
	while (!churn_stop) {
		for (i = 0; i < IN_FLIGHT && !churn_stop; i++) {
			tid = __atomic_load_n(&slot_tid[i], __ATOMIC_ACQUIRE);
			if (tid) {
				syscall(SYS_futex, &slot_tid[i], FUTEX_WAIT,
					tid, NULL, NULL, 0);
				continue;
			}
			slot_tid[i] = -1;	/* busy until the kernel clears it */
			if (clone(churned, churned_stack[i] + CHURNED_STACK,
				  flags, NULL, NULL, NULL, &slot_tid[i]) < 0)
				slot_tid[i] = 0;
			else
				__atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
		}
	}
	/* Leave no thread running on a stack that _exit() would take away. */
	for (i = 0; i < IN_FLIGHT; i++)
		while ((tid = __atomic_load_n(&slot_tid[i], __ATOMIC_ACQUIRE)))
			syscall(SYS_futex, &slot_tid[i], FUTEX_WAIT, tid,
				NULL, NULL, 0);
	_exit(0);
}
