// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * spawn_threads -- the thread population `make bench` measures.
 *
 * usage: spawn_threads N [--spinners S] [--stack KIB]
 *
 * Creates N threads that block on a futex (state S, like the idle worker
 * threads that make up most of a big machine's thread count) plus S
 * spinners (default 2) that are runnable part of the time, so some threads
 * are on a CPU or queued while a snapshot is taken. Spinners burn ~2 ms of
 * every 20 ms: enough to be seen running, little enough not to starve the
 * measuring process on a small VM.
 *
 * Thread stacks are KIB KiB (default 64): 50k threads with glibc's default
 * 8 MiB stacks would need 400 GiB of address space and a page table per
 * stack touched.
 *
 * When every thread exists it prints "ready TGID THREADS" (THREADS counts
 * the main thread too) on stdout and waits for SIGTERM, SIGINT or SIGHUP;
 * then it lets the blocked threads end RELEASE_BATCH at a time and exits.
 * Exiting with all of them at once would make 100k threads runnable
 * together: in the TCG guest that starved the RCU grace-period kthread for
 * 21 s (an RCU stall report) while they died.
 */
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SPIN_NS		(2 * 1000 * 1000L)
#define SPIN_PERIOD_NS	(20 * 1000 * 1000L)

#define RELEASE_BATCH	256

/*
 * One futex word per RELEASE_BATCH blocked threads: 100k waiters on one
 * word share one futex hash bucket, and every exiting thread's
 * clear_child_tid wake that hashes there walks all of them under the
 * bucket lock (that too starved the RCU kthread).
 */
static int *release;	/* release[i / RELEASE_BATCH]: thread i may end */
static long blocked;	/* blocked threads not yet ended */

static void *blocker(void *arg)
{
	int *word = arg;

	while (!__atomic_load_n(word, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	__atomic_sub_fetch(&blocked, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* End the blocked threads RELEASE_BATCH at a time (see the top). */
static void release_blocked(long n)
{
	struct timespec ms = { 0, 1000 * 1000 };
	long b, target;

	for (b = 0; b * RELEASE_BATCH < n; b++) {
		target = n - (b + 1) * RELEASE_BATCH;
		if (target < 0)
			target = 0;
		__atomic_store_n(&release[b], 1, __ATOMIC_RELEASE);
		syscall(SYS_futex, &release[b], FUTEX_WAKE_PRIVATE, INT_MAX,
			NULL, NULL, 0);
		/*
		 * Until the batch is gone, however slow the machine: moving on
		 * after a timeout let ended-but-not-gone threads pile up in
		 * an overloaded TCG guest and the final exit kill thousands.
		 */
		while (__atomic_load_n(&blocked, __ATOMIC_RELAXED) > target)
			nanosleep(&ms, NULL);
	}
}

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void *spinner(void *arg)
{
	struct timespec rest = { 0, SPIN_PERIOD_NS - SPIN_NS };
	volatile unsigned long work = 0;

	(void)arg;
	for (;;) {
		long end = now_ns() + SPIN_NS;

		while (now_ns() < end)
			work++;
		nanosleep(&rest, NULL);
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: spawn_threads N [--spinners S] [--stack KIB]\n");
	exit(2);
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	long n, spinners = 2, stack_kib = 64, i;
	pthread_attr_t attr;
	sigset_t stop;
	int sig, rc;

	if (argc < 2)
		usage();
	n = number(argv[1]);
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--spinners") && i + 1 < argc)
			spinners = number(argv[++i]);
		else if (!strcmp(argv[i], "--stack") && i + 1 < argc)
			stack_kib = number(argv[++i]);
		else
			usage();
	}

	/* Threads inherit the mask: only the main thread takes these. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	pthread_attr_init(&attr);
	rc = pthread_attr_setstacksize(&attr, stack_kib * 1024);
	if (rc) {
		fprintf(stderr, "spawn_threads: stack size %ld KiB: %s\n",
			stack_kib, strerror(rc));
		return 1;
	}
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	release = calloc(n / RELEASE_BATCH + 1, sizeof(*release));
	if (!release) {
		fprintf(stderr, "spawn_threads: out of memory\n");
		return 1;
	}
	blocked = n;
	for (i = 0; i < n + spinners; i++) {
		pthread_t t;

		rc = i < n ? pthread_create(&t, &attr, blocker,
					    &release[i / RELEASE_BATCH]) :
			     pthread_create(&t, &attr, spinner, NULL);
		if (rc) {
			fprintf(stderr,
				"spawn_threads: thread %ld of %ld: %s (see kernel.threads-max, kernel.pid_max, vm.max_map_count)\n",
				i + 1, n + spinners, strerror(rc));
			return 1;
		}
	}
	pthread_attr_destroy(&attr);

	printf("ready %d %ld\n", getpid(), n + spinners + 1);
	fflush(stdout);

	sigwait(&stop, &sig);
	release_blocked(n);
	return 0;
}
