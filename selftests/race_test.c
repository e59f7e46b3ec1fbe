// SPDX-License-Identifier: GPL-2.0
/*
 * Race: the stack, kstack and regs groups of threads that exit as fast as
 * they can (one pinned churner process per CPU, >= 1000 threads/s aimed
 * at), while CPUs go offline and online (sysfs) and four clients ask for
 * exactly those threads: THREAD_GET of a churned tid, and tgid-filtered
 * dumps of a churner. The module must never show one thread's data as
 * another's: each churned thread parks a marker made of its own tid in two
 * callee-saved registers (r12 = MARK | tid, r13 = ~r12) for the system
 * call it sleeps in, so a regs reply for tid T that holds a marker must
 * hold T's. A thread that exits during the read must come back with its
 * values absent and a reason, and any reply must be well-formed
 * (nl_strict) with frames that name functions, never addresses. The
 * kernel log is checked by the VM runner (oops, WARNING, KASAN, lockdep).
 *
 * Stand-alone: ./race_test as root with threadstat.ko loaded.
 * 10 s; 120 s with TS_PROFILE=long; TS_RACE_SECS=N for N seconds (the
 * debug-kernel run); the long profile fails below 1000 threads/s
 * (TS_CHURN_MIN_RATE lowers that bar). TS_RACE_NO_HOTPLUG=1 leaves the CPUs alone (to
 * measure what hotplug costs). TS_RACE_BREAK=1 expects the wrong tid in the marker:
 * the run must then fail (shows the check can fail). For measurements:
 * TS_RACE_SLOTS=N (1..64, default 64) threads in flight per churner,
 * TS_RACE_HOTPLUG_MS=N (default 20) each CPU's time offline and the pause
 * after it comes back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "cpu_sysfs.h"
#include "nl_strict.h"
#include "thread_churn.h"

#define NR_CLIENTS	4
#define RACE_SLOTS	CHURN_MAX_SLOTS	/* churned threads per churner */
#define MAX_CHURNERS	64
#define RACE_MARK	0x7ace000000000000UL
#define RACE_MARK_MASK	0xffff000000000000UL
#define GROUPS		(THREADSTAT_FIELDS_SCHED | THREADSTAT_FIELDS_STACK | \
			 THREADSTAT_FIELDS_KSTACK | THREADSTAT_FIELDS_REGS)

/* What the churners share with the clients (MAP_SHARED). */
struct shared {
	unsigned long created;
	int nr_churners;
	int slots;	/* slots in use per churner, <= RACE_SLOTS */
	pid_t tgid[MAX_CHURNERS];
	int slot_tid[MAX_CHURNERS][RACE_SLOTS];
};

static struct shared *sh;
static volatile int stop;
static int breaks;	/* TS_RACE_BREAK: expect the wrong marker */

/*
 * A churned thread: no TLS, raw system calls only. It sleeps 100 us in
 * nanosleep() with its marker in r12 and r13, which the kernel saves in
 * its pt_regs on entry; then it exits.
 */
static int churned(void *arg)
{
	struct timespec ts = { 0, 100000 };
	unsigned long tid, mark;
	long ret;

	asm volatile("syscall" : "=a"(tid) : "0"((long)SYS_gettid)
		     : "rcx", "r11", "memory");
	mark = RACE_MARK | tid;
	{
		register unsigned long r12 asm("r12") = mark;
		register unsigned long r13 asm("r13") = ~mark;

		asm volatile("syscall" : "=a"(ret)
			     : "0"((long)SYS_nanosleep), "D"(&ts), "S"(0L),
			       "r"(r12), "r"(r13)
			     : "rcx", "r11", "memory");
	}
	return 0;
}

/* One churner process, pinned to @cpu, its slots in sh->slot_tid[@idx]. */
static pid_t start_churn(int idx, int cpu)
{
	const struct thread_churn tc = {
		.fn = churned, .slot_tid = sh->slot_tid[idx],
		.slots = sh->slots, .count = &sh->created, .cpu = cpu,
	};

	return thread_churn_fork(&tc);
}

struct client {
	pthread_t th;
	unsigned int seed;
	unsigned long replies, gone, dumps;
	unsigned long marked, absent_regs, absent_kstack, traces;
	unsigned long wchan_other, before_sleep;
	char wchan_example[300];
	char before_example[128];
	char why[400];
};

struct nested {
	const struct nlattr *a[THREADSTAT_A_REGS_MAX + 1];
};

static int nested_cb(const struct nlattr *a, void *data)
{
	struct nested *n = data;

	if (mnl_attr_get_type(a) <= THREADSTAT_A_REGS_MAX)
		n->a[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static uint64_t reg(const struct nested *n, int type, bool *ok)
{
	if (!n->a[type] || mnl_attr_get_payload_len(n->a[type]) != 8) {
		*ok = false;
		return 0;
	}
	return mnl_attr_get_u64(n->a[type]);
}

/* A frame names a function: "name+0xoff/0xsize [mod]" or "?". */
static bool frame_ok(const struct nlattr *a)
{
	const char *f = mnl_attr_get_str(a);

	if (!strcmp(f, "?"))
		return true;
	return (f[0] == '_' || f[0] == '.' || (f[0] >= 'a' && f[0] <= 'z') ||
		(f[0] >= 'A' && f[0] <= 'Z')) && strstr(f, "+0x") &&
	       !strstr(f, "0xffff");
}

/* Check one thread reply; NULL when consistent. */
static const char *check_thread(const struct nlmsghdr *nlh, void *arg)
{
	struct client *c = arg;
	const struct nlattr *a, *t = nls_attr(nlh, THREADSTAT_A_THREAD_TID);
	const struct nlattr *regs = nls_attr(nlh, THREADSTAT_A_THREAD_REGS);
	const struct nlattr *stk = nls_attr(nlh, THREADSTAT_A_THREAD_STACK);
	const char *wchan = NULL, *first = NULL;
	struct nested n = { 0 };
	uint32_t tid;
	bool ok = true, frames = false;
	uint64_t r12, r13, orig_ax, ip;

	if (!t)
		return "reply without tid";
	tid = mnl_attr_get_u32(t);
	c->replies++;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case THREADSTAT_A_THREAD_KERNEL_STACK:
			if (!frame_ok(a))
				return "frame that names no function";
			if (!first)
				first = mnl_attr_get_str(a);
			frames = true;
			break;
		case THREADSTAT_A_THREAD_WCHAN:
			wchan = mnl_attr_get_str(a);
			break;
		}
	}
	if (frames) {
		c->traces++;
		if (nls_attr(nlh, THREADSTAT_A_THREAD_KERNEL_STACK_MISSING))
			return "kernel stack both present and missing";
		/*
		 * 6.12: wchan is the first frame's function, by its return
		 * address as /proc/PID/wchan names it, while the frame is
		 * named by address - 1 (%pB, /proc/PID/stack): they differ
		 * after a call that does not return (do_exit() calling
		 * do_task_dead()). Counted, and the first one shown.
		 */
		if (!wchan || !strlen(wchan) || strchr(wchan, '+'))
			;
		else if (strncmp(first, wchan, strlen(wchan)) ||
			 first[strlen(wchan)] != '+')
			if (!c->wchan_other++)
				snprintf(c->wchan_example,
					 sizeof(c->wchan_example),
					 "wchan %s, first frame %s", wchan,
					 first);
	} else if (!nls_attr(nlh, THREADSTAT_A_THREAD_KERNEL_STACK_MISSING)) {
		return "no kernel stack and no reason";
	} else {
		c->absent_kstack++;
	}
	if (!stk && !nls_attr(nlh, THREADSTAT_A_THREAD_STACK_MISSING))
		return "no stack group and no reason";
	if (stk) {
		mnl_attr_parse_nested(stk, nested_cb, &n);
		if (!n.a[THREADSTAT_A_STACK_KERNEL_USED])
			return "stack without kernel-used";
		if (mnl_attr_get_u64(n.a[THREADSTAT_A_STACK_KERNEL_USED]) >
		    mnl_attr_get_u64(n.a[THREADSTAT_A_STACK_KERNEL_SIZE]))
			return "kernel-used above kernel-size";
	}
	if (!regs) {
		if (!nls_attr(nlh, THREADSTAT_A_THREAD_REGS_MISSING))
			return "user thread without regs or a reason";
		c->absent_regs++;
		return NULL;
	}
	if (nls_attr(nlh, THREADSTAT_A_THREAD_REGS_MISSING))
		return "regs both present and missing";
	memset(&n, 0, sizeof(n));
	mnl_attr_parse_nested(regs, nested_cb, &n);
	/* A thread that ran during the copy gets regs-missing instead. */
	if (!n.a[THREADSTAT_A_REGS_STABLE] ||
	    mnl_attr_get_u8(n.a[THREADSTAT_A_REGS_STABLE]) != 1)
		return "regs that are not an exact copy (stable 0)";
	r12 = reg(&n, THREADSTAT_A_REGS_R12, &ok);
	r13 = reg(&n, THREADSTAT_A_REGS_R13, &ok);
	if (!ok)
		return "regs without r12/r13";
	orig_ax = reg(&n, THREADSTAT_A_REGS_ORIG_AX, &ok);
	ip = reg(&n, THREADSTAT_A_REGS_IP, &ok);
	if (!ok)
		return "regs without orig_ax/ip";
	if ((r12 & RACE_MARK_MASK) != RACE_MARK)
		return NULL;	/* not in its marked sleep yet */
	/*
	 * churned() sets r12, then r13, then enters nanosleep: an interrupt
	 * between those instructions saves r12 marked and r13 not yet, an
	 * exact copy of that moment (orig_ax is then not the system call).
	 */
	if (orig_ax != SYS_nanosleep) {
		if (!c->before_sleep++)
			snprintf(c->before_example, sizeof(c->before_example),
				 "ip %#llx orig_ax %lld r12 %#llx r13 %#llx",
				 (unsigned long long)ip, (long long)orig_ax,
				 (unsigned long long)r12,
				 (unsigned long long)r13);
		return NULL;
	}
	c->marked++;
	if (r13 != ~r12) {
		static __thread char torn[160];

		snprintf(torn, sizeof(torn),
			 "r13 %#llx does not match r12 %#llx in nanosleep: a torn register copy",
			 (unsigned long long)r13, (unsigned long long)r12);
		return torn;
	}
	if ((uint32_t)r12 != tid + breaks) {
		static __thread char why[96];

		snprintf(why, sizeof(why),
			 "tid %u shows the marker of tid %u", tid,
			 (uint32_t)r12);
		return why;
	}
	return NULL;
}

static void *client(void *arg)
{
	struct client *c = arg;
	struct nls_result r;
	struct nlmsghdr *nlh;
	char buf[256];
	struct nls s;
	int err, i, tid;

	err = nls_open(&s, 10000);
	if (err) {
		snprintf(c->why, sizeof(c->why), "nls_open: %d", err);
		return NULL;
	}
	while (!stop) {
		i = rand_r(&c->seed) % sh->nr_churners;
		if (rand_r(&c->seed) % 16 == 0) {
			/* every thread of one churner, as it is now */
			nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET,
				      NLM_F_DUMP);
			nls_put_u32(nlh, THREADSTAT_A_THREAD_TGID, sh->tgid[i]);
			c->dumps++;
		} else {
			tid = __atomic_load_n(&sh->slot_tid[i][rand_r(&c->seed) %
							       sh->slots],
					      __ATOMIC_ACQUIRE);
			if (tid <= 0)
				continue;
			nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, 0);
			nls_put_u32(nlh, THREADSTAT_A_THREAD_TID, tid);
		}
		nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, GROUPS);
		err = nls_request(&s, nlh, check_thread, c, &r);
		if (!err && (r.error == -ESRCH || r.error == -ENOENT)) {
			c->gone++;	/* exited before the lookup */
			continue;
		}
		if (err || r.error || r.bad[0]) {
			snprintf(c->why, sizeof(c->why), "%s error %d: %s",
				 err ? strerror(-err) : "reply", r.error, r.bad);
			stop = 1;
			break;
		}
	}
	nls_close(&s);
	return NULL;
}

/* CPUs 1..n-1 offline and online in turn until stopped. */
static void *hotplug(void *arg)
{
	unsigned long *cycles = arg;
	int n = sysconf(_SC_NPROCESSORS_CONF), cpu;
	unsigned long before;
	useconds_t pause = getenv("TS_RACE_HOTPLUG_MS") ?
		atoi(getenv("TS_RACE_HOTPLUG_MS")) * 1000 : 20000;

	while (!stop) {
		before = *cycles;
		for (cpu = 1; cpu < n && !stop; cpu++) {
			if (cpu_set_online(cpu, false))
				continue;
			usleep(pause);
			cpu_set_online(cpu, true);
			(*cycles)++;
			usleep(pause);
		}
		if (*cycles == before)
			break;	/* nothing to unplug, or not allowed */
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(race) {
};

FIXTURE_SETUP(race)
{
}

FIXTURE_TEARDOWN(race)
{
}

TEST_F_TIMEOUT(race, stack_regs_of_exiting_threads_under_hotplug, 3600)
{
	const char *profile = getenv("TS_PROFILE");
	bool long_profile = profile && !strcmp(profile, "long");
	double secs = long_profile ? 120 : 10, t0, elapsed;
	int nr_cpus = sysconf(_SC_NPROCESSORS_ONLN), i;
	unsigned long cycles = 0, replies = 0, gone = 0, dumps = 0;
	unsigned long marked = 0, absent_regs = 0, absent_kstack = 0;
	unsigned long traces = 0, wchan_other = 0, before_sleep = 0;
	struct client c[NR_CLIENTS] = { 0 };
	pthread_t hp;

	if (getenv("TS_RACE_SECS"))
		secs = atof(getenv("TS_RACE_SECS"));
	breaks = getenv("TS_RACE_BREAK") ? 1 : 0;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	sh->slots = getenv("TS_RACE_SLOTS") ? atoi(getenv("TS_RACE_SLOTS")) :
		    RACE_SLOTS;
	ASSERT_TRUE(sh->slots > 0 && sh->slots <= RACE_SLOTS);
	sh->nr_churners = nr_cpus < MAX_CHURNERS ? nr_cpus : MAX_CHURNERS;
	for (i = 0; i < sh->nr_churners; i++) {
		sh->tgid[i] = start_churn(i, i);
		ASSERT_LT(0, sh->tgid[i]);
	}
	t0 = now();
	for (i = 0; i < NR_CLIENTS; i++) {
		c[i].seed = i + 1;
		ASSERT_EQ(0, pthread_create(&c[i].th, NULL, client, &c[i]));
	}
	if (!getenv("TS_RACE_NO_HOTPLUG"))	/* for measurements */
		ASSERT_EQ(0, pthread_create(&hp, NULL, hotplug, &cycles));
	while (!stop && now() - t0 < secs)
		usleep(100000);
	stop = 1;
	for (i = 0; i < NR_CLIENTS; i++)
		pthread_join(c[i].th, NULL);
	if (!getenv("TS_RACE_NO_HOTPLUG"))
		pthread_join(hp, NULL);
	for (i = 0; i < sh->nr_churners; i++)
		kill(sh->tgid[i], SIGTERM);
	elapsed = now() - t0;
	for (i = 0; i < sh->nr_churners; i++)
		waitpid(sh->tgid[i], NULL, 0);
	/* Leave every CPU online for the tests after us. */
	for (i = 1; i < sysconf(_SC_NPROCESSORS_CONF); i++)
		cpu_set_online(i, true);

	for (i = 0; i < NR_CLIENTS; i++) {
		if (c[i].why[0])
			TH_LOG("client %d: %s", i, c[i].why);
		EXPECT_STREQ("", c[i].why);
		replies += c[i].replies;
		gone += c[i].gone;
		dumps += c[i].dumps;
		marked += c[i].marked;
		absent_regs += c[i].absent_regs;
		absent_kstack += c[i].absent_kstack;
		traces += c[i].traces;
		wchan_other += c[i].wchan_other;
		if (c[i].wchan_other)
			printf("# %s\n", c[i].wchan_example);
		before_sleep += c[i].before_sleep;
		if (c[i].before_sleep)
			printf("# saved before its marked sleep: %s\n",
			       c[i].before_example);
	}
	printf("# race: %.1f s, %lu threads exited (%.0f/s), %lu hotplug cycles, %lu thread replies (%lu tgid dumps, %lu tids already gone), %lu regs with their own marker (%lu more saved between setting r12 and the call), %lu regs absent (exited), %lu kernel stacks (%lu with a wchan from the next function), %lu absent with a reason\n",
	       elapsed, sh->created, sh->created / elapsed, cycles, replies,
	       dumps, gone, marked, before_sleep, absent_regs, traces,
	       wchan_other,
	       absent_kstack);
	EXPECT_LT(0UL, sh->created);
	/* The check must have had something to check. */
	EXPECT_LT(0UL, marked);
	EXPECT_LT(0UL, traces);
	if (long_profile) {
		EXPECT_LE(thread_churn_min_rate(), sh->created / elapsed);
	} else if (sh->created / elapsed < 1000) {
		printf("# note: below the 1000 threads/s aim\n");
	}
	if (!cycles)
		printf("# note: no CPU could be taken offline\n");
}

TEST_HARNESS_MAIN
