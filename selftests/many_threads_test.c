// SPDX-License-Identifier: GPL-2.0
/*
 * CPU dumps and SYSTEM_GET from an unprivileged user, in a loop, while the
 * machine holds 20k threads (100k with TS_PROFILE=long, make stress): each
 * request walks every thread, so without bounded RCU sections and
 * rescheduling points this is where RCU stalls and soft lockups would be
 * reported. Any such report in the kernel log, from the first thread
 * created to the last request, fails the test (and scripts/vm/run.sh
 * fails the run on them too). The counts are checked against the threads
 * held, and the cost of each request is printed.
 *
 * Needs root to raise kernel.pid_max and kernel.threads-max (restored
 * afterwards) and to drop to nobody for the requests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "threadstat_nl.h"

#define S(x)		THREADSTAT_A_SYSTEM_##x
#define NOBODY		65534
#define NR_CLIENTS	2
/*
 * A held thread only ever runs parked() below: a call and a futex
 * syscall, a few hundred bytes of stack once the syscall() PLT entry is
 * bound (start_holder() binds it first: the lazy resolver saves the
 * vector registers on the stack, 2.5 KiB with AVX-512, and overflowed
 * 1 KiB slices). 1 KiB slices keep 100k user stacks at 100 MiB; the
 * kernel's own cost per thread (a 16 KiB stack, the task_struct) is what
 * sets the guest's memory (make stress boots it with more).
 */
#define PARK_STACK	1024

struct shared {
	unsigned long created;	/* threads started, all holders */
	unsigned long requests[NR_CLIENTS];
	double max_cpu_ms[NR_CLIENTS], sum_cpu_ms[NR_CLIENTS];
	double max_sys_ms[NR_CLIENTS], sum_sys_ms[NR_CLIENTS];
	char why[NR_CLIENTS][160];
};

static struct shared *sh;
static int park_word;	/* never changes: held threads wait forever */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* No TLS of its own: touches nothing but its stack until SIGKILL. */
static int parked(void *arg)
{
	for (;;)
		syscall(SYS_futex, &park_word, FUTEX_WAIT, 0, NULL, NULL, 0);
	return 0;
}

/* A process holding @n threads, pinned to @cpu; killed at the end. */
static pid_t start_holder(unsigned long n, int cpu)
{
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM;
	pid_t pid = fork();
	unsigned long i;
	cpu_set_t on;
	char *stacks;

	if (pid)
		return pid;
	CPU_ZERO(&on);
	CPU_SET(cpu, &on);
	sched_setaffinity(0, sizeof(on), &on);
	syscall(SYS_gettid);	/* binds syscall() before any thread runs */
	stacks = mmap(NULL, n * PARK_STACK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stacks == MAP_FAILED)
		_exit(1);
	for (i = 0; i < n; i++) {
		if (clone(parked, stacks + (i + 1) * PARK_STACK, flags,
			  NULL) < 0)
			break;
		__atomic_add_fetch(&sh->created, 1, __ATOMIC_RELAXED);
	}
	for (;;)
		pause();
}

/* Lines in the kernel log that report a stall or a lockup. */
static int stall_reports(void)
{
	static const char *const what[] = {
		"detected stall", "detected stalls", "soft lockup",
		"hard LOCKUP", "blocked for more than",
	};
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	int n = 0, len;
	unsigned int i;
	char *buf, *p;

	if (size <= 0)
		return -1;
	buf = calloc(1, size + 1);
	if (!buf)
		return -1;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	for (i = 0; len > 0 && i < sizeof(what) / sizeof(what[0]); i++)
		for (p = buf; (p = strstr(p, what[i])); p++)
			n++;
	free(buf);
	return len < 0 ? -1 : n;
}

/* MemAvailable of /proc/meminfo, KiB. */
static long mem_available_kib(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static void timed(double *sum, double *max, double t0)
{
	double ms = (now() - t0) * 1e3;

	*sum += ms;
	if (ms > *max)
		*max = ms;
}

/* As nobody: CPU dumps and system summaries until @secs have passed. */
static void client(int id, unsigned long held, double secs)
{
	double t0, end = now() + secs;
	uint64_t threads, running;
	struct tsnl_reply r;
	struct tsnl nl;
	char *why = sh->why[id];

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY) ||
	    tsnl_open(&nl)) {
		snprintf(why, sizeof(sh->why[id]), "cannot become nobody: %s",
			 strerror(errno));
		_exit(1);
	}
	while (now() < end) {
		t0 = now();
		if (tsnl_sum_cpus(&nl, &threads, &running)) {
			snprintf(why, sizeof(sh->why[id]), "CPU dump failed");
			break;
		}
		timed(&sh->sum_cpu_ms[id], &sh->max_cpu_ms[id], t0);
		t0 = now();
		if (tsnl_get_system(&nl, &r) || r.error || r.n_recs != 1) {
			snprintf(why, sizeof(sh->why[id]), "SYSTEM_GET failed");
			break;
		}
		timed(&sh->sum_sys_ms[id], &sh->max_sys_ms[id], t0);
		/* Every held thread is in the initial namespace, visible. */
		if (threads < held || r.recs[0].v[S(NR_THREADS)] < (int64_t)held)
			snprintf(why, sizeof(sh->why[id]),
				 "counted %llu (CPUs), %lld (system) of %lu held",
				 (unsigned long long)threads,
				 (long long)r.recs[0].v[S(NR_THREADS)], held);
		tsnl_reply_free(&r);
		sh->requests[id]++;
		if (*why)
			break;
	}
	tsnl_close(&nl);
	_exit(*why ? 1 : 0);
}

static long read_sysctl(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int write_sysctl(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -1;
	err = fprintf(f, "%ld\n", v) < 0;
	return fclose(f) || err ? -1 : 0;
}

static void raise_sysctl(const char *path, long need, long *saved)
{
	*saved = read_sysctl(path);
	if (*saved >= 0 && *saved < need)
		write_sysctl(path, need);
}

static void restore_sysctl(const char *path, long saved)
{
	if (saved >= 0 && read_sysctl(path) != saved)
		write_sysctl(path, saved);
}

FIXTURE(many) {};
FIXTURE_SETUP(many) {}
FIXTURE_TEARDOWN(many) {}

/* Creating 100k threads in the TCG guest takes about a minute. */
TEST_F_TIMEOUT(many, cpu_and_system_requests, 1800)
{
	const char *profile = getenv("TS_PROFILE");
	bool long_profile = profile && !strcmp(profile, "long");
	unsigned long want = long_profile ? 100000 : 20000;
	double secs = long_profile ? 60 : 10, t0, made_s;
	int nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	pid_t holder[CPU_SETSIZE], cl[NR_CLIENTS];
	long saved_pid_max, saved_threads_max;
	int reports0, reports1, status, i;
	unsigned long requests = 0;
	long mem0, mem_held;

	if (geteuid())
		SKIP(return, "raising pid_max and dropping to nobody need root");
	if (getenv("TS_MANY_THREADS"))
		want = strtoul(getenv("TS_MANY_THREADS"), NULL, 10);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	reports0 = stall_reports();
	ASSERT_LE(0, reports0);

	raise_sysctl("/proc/sys/kernel/pid_max", 4 * want + 65536,
		     &saved_pid_max);
	raise_sysctl("/proc/sys/kernel/threads-max", 2 * want + 65536,
		     &saved_threads_max);

	/* One holder per CPU: TCG gives each busy vCPU an equal turn. */
	mem0 = mem_available_kib();
	t0 = now();
	for (i = 0; i < nr_cpus; i++) {
		holder[i] = start_holder(want / nr_cpus +
					 (i < (int)(want % nr_cpus)), i);
		ASSERT_LT(0, holder[i]);
	}
	/* Until every thread is there, or creation stalls (out of memory). */
	for (;;) {
		unsigned long before = __atomic_load_n(&sh->created,
						       __ATOMIC_RELAXED);

		if (before >= want)
			break;
		usleep(2000000);
		if (__atomic_load_n(&sh->created, __ATOMIC_RELAXED) == before)
			break;
	}
	made_s = now() - t0;
	mem_held = mem_available_kib();

	if (sh->created >= want) {
		for (i = 0; i < NR_CLIENTS; i++) {
			cl[i] = fork();
			ASSERT_LE(0, cl[i]);
			if (!cl[i])
				client(i, want, secs);
		}
		for (i = 0; i < NR_CLIENTS; i++) {
			ASSERT_EQ(cl[i], waitpid(cl[i], &status, 0));
			EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
				TH_LOG("client %d: %s", i, sh->why[i]);
			requests += sh->requests[i];
		}
	}

	for (i = 0; i < nr_cpus; i++)
		kill(holder[i], SIGKILL);
	for (i = 0; i < nr_cpus; i++)
		waitpid(holder[i], NULL, 0);
	restore_sysctl("/proc/sys/kernel/threads-max", saved_threads_max);
	restore_sysctl("/proc/sys/kernel/pid_max", saved_pid_max);

	ASSERT_LE(want, sh->created)
		TH_LOG("only %lu of %lu threads could be created",
		       sh->created, want);
	printf("# %lu threads held: %.1f KiB of memory each (MemAvailable "
	       "%ld -> %ld MiB)\n", sh->created,
	       (double)(mem0 - mem_held) / (sh->created ?: 1), mem0 / 1024,
	       mem_held / 1024);
	for (i = 0; i < NR_CLIENTS; i++)
		printf("# %lu threads held (created in %.1f s); client %d as "
		       "nobody, %.0f s: %lu CPU dumps + SYSTEM_GETs, CPU dump "
		       "%.2f ms mean %.2f ms max, SYSTEM_GET %.2f ms mean "
		       "%.2f ms max\n", sh->created, made_s, i, secs,
		       sh->requests[i],
		       sh->sum_cpu_ms[i] / (sh->requests[i] ?: 1),
		       sh->max_cpu_ms[i],
		       sh->sum_sys_ms[i] / (sh->requests[i] ?: 1),
		       sh->max_sys_ms[i]);
	EXPECT_LT(0UL, requests);
	reports1 = stall_reports();
	EXPECT_EQ(reports0, reports1)
		TH_LOG("the kernel log reports a stall or lockup");
}

TEST_HARNESS_MAIN
