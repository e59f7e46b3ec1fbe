// SPDX-License-Identifier: GPL-2.0
/*
 * The stack, kstack and regs groups against threads whose state the test
 * set up: blocked in a pipe read with known arguments, blocked deep in a
 * recursion or after one, created with a 4 MiB stack, spinning, exited.
 * Values are checked against what the test did and against /proc
 * (/proc/TID/stack, /proc/TID/wchan, /proc/self/maps).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "text_file.h"
#include "threadstat_nl.h"

#define MiB		(1UL << 20)
#define READ_LEN	1234
#define BIG_STACK	(4 * MiB)
/* Frames of about 4 KiB: this many reach a bit over 1 MiB. */
#define DEEP_FRAMES	270

enum { READER, DEEP, DEEP_RETURNED, BIG, SPINNER, NR_SUBJECTS };

struct subject {
	pthread_t th;
	uint32_t tid;
	int pipe[2];
	char buf[READ_LEN];
	volatile int stop;	/* for the spinner */
};

static pthread_barrier_t started;

/* Fill a 4 KiB frame with non-zero bytes, @depth times over, then read. */
static __attribute__((noinline)) long recurse(int depth, struct subject *s,
					      bool read_at_bottom)
{
	volatile char pad[4096];
	size_t i;

	for (i = 0; i < sizeof(pad); i++)
		pad[i] = 0x5a;
	if (depth > 0)
		return recurse(depth - 1, s, read_at_bottom) + pad[depth];
	if (read_at_bottom)
		return read(s->pipe[0], s->buf, READ_LEN) + pad[0];
	return pad[0];
}

static void *reader_main(void *arg)
{
	struct subject *s = arg;

	s->tid = gettid();
	pthread_barrier_wait(&started);
	return (void *)read(s->pipe[0], s->buf, READ_LEN);
}

static void *deep_main(void *arg)
{
	struct subject *s = arg;

	s->tid = gettid();
	pthread_barrier_wait(&started);
	return (void *)recurse(DEEP_FRAMES, s, true);
}

static void *deep_returned_main(void *arg)
{
	struct subject *s = arg;

	s->tid = gettid();
	recurse(DEEP_FRAMES, s, false);
	pthread_barrier_wait(&started);
	return (void *)read(s->pipe[0], s->buf, READ_LEN);
}

static void *spinner_main(void *arg)
{
	struct subject *s = arg;

	s->tid = gettid();
	pthread_barrier_wait(&started);
	while (!s->stop)
		;
	return NULL;
}

FIXTURE(threads) {
	struct tsnl nl;
	struct subject s[NR_SUBJECTS];
};

FIXTURE_SETUP(threads)
{
	void *(*mains[NR_SUBJECTS])(void *) = {
		[READER] = reader_main, [DEEP] = deep_main,
		[DEEP_RETURNED] = deep_returned_main, [BIG] = reader_main,
		[SPINNER] = spinner_main,
	};
	pthread_attr_t attr;
	int i;

	ASSERT_EQ(0, tsnl_open(&self->nl));
	pthread_barrier_init(&started, NULL, NR_SUBJECTS + 1);
	for (i = 0; i < NR_SUBJECTS; i++) {
		ASSERT_EQ(0, pipe(self->s[i].pipe));
		pthread_attr_init(&attr);
		if (i == BIG)
			pthread_attr_setstacksize(&attr, BIG_STACK);
		ASSERT_EQ(0, pthread_create(&self->s[i].th, &attr, mains[i],
					    &self->s[i]));
		pthread_attr_destroy(&attr);
	}
	pthread_barrier_wait(&started);
}

FIXTURE_TEARDOWN(threads)
{
	int i;

	self->s[SPINNER].stop = 1;
	for (i = 0; i < NR_SUBJECTS; i++) {
		if (write(self->s[i].pipe[1], "x", 1) != 1)
			perror("write");
		pthread_join(self->s[i].th, NULL);
		close(self->s[i].pipe[0]);
		close(self->s[i].pipe[1]);
	}
	tsnl_close(&self->nl);
}

/* Wait (up to 5 s) until /proc says the thread sleeps in syscall @nr. */
static bool blocked_in(uint32_t tid, int nr)
{
	char path[64], buf[512], *p;
	int i;

	for (i = 0; i < 500; i++) {
		snprintf(path, sizeof(path), "/proc/self/task/%u/stat", tid);
		if (text_file_read(path, buf, sizeof(buf)) > 0) {
			p = strrchr(buf, ')');
			snprintf(path, sizeof(path), "/proc/self/task/%u/syscall",
				 tid);
			if (p && p[2] == 'S' &&
			    text_file_read(path, buf, sizeof(buf)) > 0 &&
			    atoi(buf) == nr)
				return true;
		}
		usleep(10000);
	}
	return false;
}

static void get_one(struct __test_metadata *_metadata, struct tsnl *nl,
		    uint32_t tid, struct tsnl_reply *r)
{
	ASSERT_EQ(0, tsnl_get_fields(nl, tid, THREADSTAT_FIELDS_ALL, r));
	ASSERT_EQ(0, r->error);
	ASSERT_EQ(1U, r->n);
}

/* Every group of a subject, once it sleeps in read(). */
static const struct tsnl_thread *get_reader(struct __test_metadata *_metadata,
					    struct tsnl *nl,
					    const struct subject *s,
					    struct tsnl_reply *r)
{
	ASSERT_TRUE(blocked_in(s->tid, __NR_read));
	get_one(_metadata, nl, s->tid, r);
	return &r->threads[0];
}

static void user_depth_used(struct __test_metadata *_metadata,
			    const struct tsnl_thread *t, const char *who,
			    uint64_t *depth, uint64_t *used)
{
	ASSERT_TRUE(t->stack_has[THREADSTAT_A_STACK_USER_DEPTH]);
	ASSERT_TRUE(t->stack_has[THREADSTAT_A_STACK_USER_USED]);
	*depth = t->stack[THREADSTAT_A_STACK_USER_DEPTH];
	*used = t->stack[THREADSTAT_A_STACK_USER_USED];
	TH_LOG("%s: user-depth %lu, user-used %lu", who,
	       (unsigned long)*depth, (unsigned long)*used);
}

/* The r-xp mappings of libc in /proc/self/maps: is @ip in one? */
static bool in_libc_text(uint64_t ip)
{
	unsigned long lo, hi;
	char line[512], perms[8], path[256];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		path[0] = '\0';
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s", &lo, &hi,
			   perms, path) < 3)
			continue;
		found = perms[2] == 'x' && strstr(path, "/libc.so") &&
			ip >= lo && ip < hi;
	}
	fclose(f);
	return found;
}

/* The frames of /proc/TID/stack ("[<0>] pipe_read+0x.../0x..."). */
static int proc_stack(uint32_t tid, char frames[][128], int max)
{
	char path[64], buf[8192], *line, *save;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%u/stack", tid);
	if (text_file_read(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		char *p = strstr(line, "] ");

		if (p)
			snprintf(frames[n++], 128, "%s", p + 2);
	}
	return n;
}

static void proc_wchan(uint32_t tid, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%u/wchan", tid);
	if (text_file_read(path, buf, size) < 0)
		buf[0] = '\0';
}

static bool frame_well_formed(const char *frame)
{
	static const char pattern[] =
		"^[A-Za-z_.][A-Za-z0-9_.$]*\\+0x[0-9a-f]{1,6}/0x[0-9a-f]{1,6}"
		"( \\[[A-Za-z0-9_]+\\])?$";
	regex_t re;
	bool ok;

	if (!strcmp(frame, "?"))
		return true;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&re, frame, 0, NULL, 0);
	regfree(&re);
	return ok;
}

/*
 * Does this kernel export what an exact wchan and /proc's scheduler-free
 * trace need (stack_trace_save_tsk(), 6.7 on)? 6.1 does not.
 */
static bool kernel_filters_scheduler(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 7);
}

/*
 * Our frames are /proc/TID/stack's (6.12), or /proc's preceded by the
 * scheduler frames that 6.1 cannot tell apart; wchan is /proc/TID/wchan's
 * (6.12), or absent with wchan-missing = unsupported (6.1).
 */
static void expect_same_as_proc(struct __test_metadata *_metadata,
				uint32_t tid, const struct tsnl_thread *t)
{
	char frames[TSNL_FRAMES][128], wchan[128];
	unsigned int skip = 0;
	int n, i;

	n = proc_stack(tid, frames, TSNL_FRAMES);
	ASSERT_GT(n, 0);
	proc_wchan(tid, wchan, sizeof(wchan));
	if (kernel_filters_scheduler()) {
		EXPECT_EQ((unsigned int)n, t->n_frames);
		EXPECT_STREQ(wchan, t->wchan);
	} else {
		ASSERT_LE((unsigned int)n, t->n_frames);
		skip = t->n_frames - n;
		for (i = 0; i < (int)skip; i++)
			EXPECT_TRUE(strstr(t->frames[i], "schedule") != NULL) {
				TH_LOG("6.1 leading frame %d: %s", i,
				       t->frames[i]);
			}
		EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_WCHAN]);
		EXPECT_EQ(THREADSTAT_KSTACK_MISSING_UNSUPPORTED,
			  t->v[THREADSTAT_A_THREAD_WCHAN_MISSING]);
		EXPECT_STRNE("0", wchan);	/* /proc has one: it sleeps */
	}
	for (i = 0; i < n && skip + i < t->n_frames; i++)
		EXPECT_STREQ(frames[i], t->frames[skip + i]);
}

static bool has_frame(const struct tsnl_thread *t, const char *func)
{
	size_t len = strlen(func);
	unsigned int i;

	for (i = 0; i < t->n_frames && i < TSNL_FRAMES; i++)
		if (!strncmp(t->frames[i], func, len) &&
		    t->frames[i][len] == '+')
			return true;
	return false;
}

/* Blocked in read(fd, buf, 1234) on a pipe: syscall, regs, kernel stack. */
TEST_F(threads, pipe_reader_syscall_regs_kstack)
{
	struct subject *s = &self->s[READER];
	const struct tsnl_thread *t;
	struct tsnl_reply r;
	unsigned int i;

	t = get_reader(_metadata, &self->nl, s, &r);

	ASSERT_TRUE(t->has[THREADSTAT_A_THREAD_SYSCALL]);
	EXPECT_EQ(__NR_read, t->syscall_nr);
	ASSERT_TRUE(t->syscall_has[THREADSTAT_A_SYSCALL_ARGS]);
	EXPECT_EQ((uint64_t)s->pipe[0], t->syscall_args[0]);
	EXPECT_EQ((uint64_t)(uintptr_t)s->buf, t->syscall_args[1]);
	EXPECT_EQ((uint64_t)READ_LEN, t->syscall_args[2]);

	ASSERT_TRUE(t->has[THREADSTAT_A_THREAD_REGS]);
	EXPECT_EQ(1, t->regs[THREADSTAT_A_REGS_STABLE]);
	EXPECT_TRUE(in_libc_text(t->regs[THREADSTAT_A_REGS_IP]));
	EXPECT_EQ((uint64_t)__NR_read, t->regs[THREADSTAT_A_REGS_ORIG_AX]);
	EXPECT_EQ((uint64_t)s->pipe[0], t->regs[THREADSTAT_A_REGS_DI]);
	EXPECT_EQ((uint64_t)READ_LEN, t->regs[THREADSTAT_A_REGS_DX]);
	/* user code segment, 64-bit: __USER_CS = 0x33, __USER_DS = 0x2b */
	EXPECT_EQ(0x33, t->regs[THREADSTAT_A_REGS_CS]);
	EXPECT_EQ(0x2b, t->regs[THREADSTAT_A_REGS_SS]);

	/* The saved sp is the one the stack group measures from. */
	EXPECT_EQ(t->regs[THREADSTAT_A_REGS_SP],
		  t->stack[THREADSTAT_A_STACK_USER_SP]);
	EXPECT_LE(t->stack[THREADSTAT_A_STACK_USER_START],
		  t->stack[THREADSTAT_A_STACK_USER_SP]);
	EXPECT_LT(t->stack[THREADSTAT_A_STACK_USER_SP],
		  t->stack[THREADSTAT_A_STACK_USER_END]);

	EXPECT_TRUE(has_frame(t, "pipe_read"));
	if (kernel_filters_scheduler())
		EXPECT_STREQ("pipe_read", t->wchan);
	EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_KERNEL_STACK_MISSING]);
	for (i = 0; i < t->n_frames; i++)
		EXPECT_TRUE(frame_well_formed(t->frames[i])) {
			TH_LOG("frame %u: '%s'", i, t->frames[i]);
		}
	expect_same_as_proc(_metadata, s->tid, t);
	tsnl_reply_free(&r);
}

/* Blocked 1 MiB deep: depth and the high-water mark both see it. */
TEST_F(threads, deep_user_stack)
{
	struct subject *s = &self->s[DEEP];
	const struct tsnl_thread *t;
	struct tsnl_reply r;
	uint64_t depth, used;

	t = get_reader(_metadata, &self->nl, s, &r);
	user_depth_used(_metadata, t, "deep", &depth, &used);
	EXPECT_GE(depth, MiB);
	EXPECT_GE(used, depth);
	/* read() and libc below the recursion: a page or two, not more */
	EXPECT_LT(used, depth + 64 * 1024);
	EXPECT_EQ(t->stack[THREADSTAT_A_STACK_USER_END] -
		  t->stack[THREADSTAT_A_STACK_USER_SP], depth);
	tsnl_reply_free(&r);
}

/* Recursed 1 MiB deep, came back, then blocked: only user-used remembers. */
TEST_F(threads, user_stack_high_water_mark)
{
	struct subject *s = &self->s[DEEP_RETURNED];
	const struct tsnl_thread *t;
	struct tsnl_reply r;
	uint64_t depth, used;

	t = get_reader(_metadata, &self->nl, s, &r);
	user_depth_used(_metadata, t, "returned", &depth, &used);
	EXPECT_LT(depth, 64 * 1024);
	EXPECT_GE(used, MiB);
	EXPECT_LT(used, MiB + 256 * 1024);
	tsnl_reply_free(&r);
}

/* pthread_attr_setstacksize(4 MiB): the VMA is 4 MiB give or take a guard. */
TEST_F(threads, four_mib_stack)
{
	struct subject *s = &self->s[BIG];
	const struct tsnl_thread *t;
	struct tsnl_reply r;
	uint64_t size, guard;

	t = get_reader(_metadata, &self->nl, s, &r);
	ASSERT_TRUE(t->stack_has[THREADSTAT_A_STACK_USER_GUARD]);
	size = t->stack[THREADSTAT_A_STACK_USER_END] -
	       t->stack[THREADSTAT_A_STACK_USER_START];
	guard = t->stack[THREADSTAT_A_STACK_USER_GUARD];
	TH_LOG("4 MiB stack: VMA %lu bytes, guard %lu", (unsigned long)size,
	       (unsigned long)guard);
	/* glibc's default guard: one page, PROT_NONE, right below */
	EXPECT_EQ((uint64_t)getpagesize(), guard);
	EXPECT_GE(size + guard, BIG_STACK);
	EXPECT_LE(size, BIG_STACK + guard);
	tsnl_reply_free(&r);
}

/*
 * THREAD_SIZE on x86_64: 16 KiB, doubled under KASAN (KASAN_STACK_ORDER),
 * as on the debug kernel of make check-debug. kasan_report() exists
 * exactly when KASAN is built in; /proc/kallsyms lists it by name.
 */
static uint64_t kernel_thread_size(void)
{
	char line[256];
	bool kasan = false;
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	while (f && !kasan && fgets(line, sizeof(line), f))
		kasan = strstr(line, " kasan_report\n") != NULL;
	if (f)
		fclose(f);
	return kasan ? 32768 : 16384;
}

/* Every thread: 0 < kernel-used <= kernel-size, depth within used. */
TEST_F(threads, kernel_stack_usage_every_thread)
{
	struct tsnl_reply r;
	unsigned int i, with_stack = 0, with_depth = 0;
	uint64_t thread_size = kernel_thread_size();

	ASSERT_EQ(0, tsnl_dump_fields(&self->nl, 0, THREADSTAT_FIELDS_STACK,
				      &r));
	ASSERT_EQ(0, r.error);
	ASSERT_GT(r.n, 10U);
	for (i = 0; i < r.n; i++) {
		const struct tsnl_thread *t = &r.threads[i];
		uint64_t size = t->stack[THREADSTAT_A_STACK_KERNEL_SIZE];
		uint64_t used = t->stack[THREADSTAT_A_STACK_KERNEL_USED];

		if (!t->has[THREADSTAT_A_THREAD_STACK])
			continue;	/* exited during the dump */
		with_stack++;
		EXPECT_EQ(thread_size, size);
		EXPECT_GT(used, 0);
		EXPECT_LE(used, size) {
			TH_LOG("tid %u: used %lu", t->tid, (unsigned long)used);
		}
		if (t->stack_has[THREADSTAT_A_STACK_KERNEL_DEPTH]) {
			with_depth++;
			EXPECT_LE(t->stack[THREADSTAT_A_STACK_KERNEL_DEPTH],
				  used);
		}
		/* Kernel threads have no user stack. */
		if (t->has[THREADSTAT_A_THREAD_KTHREAD])
			EXPECT_FALSE(t->stack_has[THREADSTAT_A_STACK_USER_SP]);
	}
	EXPECT_GE(with_stack + 2, r.n);
	/* Nearly everything sleeps; only the running ones lack a depth. */
	EXPECT_GT(with_depth, with_stack / 2);
	tsnl_reply_free(&r);
}

/*
 * Every blocked thread of the machine: wchan as /proc/TID/wchan says right
 * after (6.12; a thread may wake in between, so nine in ten), or absent
 * with wchan-missing = unsupported (6.1).
 */
TEST_F(threads, wchan_of_every_sleeping_thread_matches_proc)
{
	unsigned int i, with = 0, same = 0, blocked = 0, unsupported = 0;
	struct tsnl_reply r;
	char wchan[128];

	ASSERT_EQ(0, tsnl_dump_fields(&self->nl, 0, THREADSTAT_FIELDS_SCHED |
				      THREADSTAT_FIELDS_KSTACK, &r));
	ASSERT_EQ(0, r.error);
	for (i = 0; i < r.n; i++) {
		const struct tsnl_thread *t = &r.threads[i];
		char state = t->v[THREADSTAT_A_THREAD_STATE];

		if (state != 'S' && state != 'D' && state != 'I')
			continue;
		blocked++;
		unsupported += t->v[THREADSTAT_A_THREAD_WCHAN_MISSING] ==
			       THREADSTAT_KSTACK_MISSING_UNSUPPORTED;
		if (!t->has[THREADSTAT_A_THREAD_WCHAN])
			continue;
		with++;
		proc_wchan(t->v[THREADSTAT_A_THREAD_TID], wchan, sizeof(wchan));
		if (!strcmp(wchan, t->wchan))
			same++;
		else
			TH_LOG("tid %ld: wchan %s, /proc %s",
			       (long)t->v[THREADSTAT_A_THREAD_TID], t->wchan,
			       wchan);
	}
	TH_LOG("%u blocked threads, %u with wchan, %u as /proc, %u unsupported",
	       blocked, with, same, unsupported);
	ASSERT_LT(10U, blocked);
	if (kernel_filters_scheduler()) {
		EXPECT_LE(blocked * 9 / 10, with);
		EXPECT_LE(with * 9 / 10, same);
		EXPECT_EQ(0U, unsupported);
	} else {
		EXPECT_EQ(0U, with);
		EXPECT_LE(blocked * 9 / 10, unsupported);
	}
	tsnl_reply_free(&r);
}

/* kthreadd: a kernel thread has a kernel stack but no registers. */
TEST_F(threads, kernel_thread_kstack_no_regs)
{
	const struct tsnl_thread *t;
	struct tsnl_reply r;

	get_one(_metadata, &self->nl, 2, &r);
	t = &r.threads[0];
	ASSERT_TRUE(t->has[THREADSTAT_A_THREAD_KTHREAD]);
	EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_REGS]);
	EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_SYSCALL]);
	EXPECT_TRUE(t->stack_has[THREADSTAT_A_STACK_KERNEL_USED]);
	EXPECT_FALSE(t->stack_has[THREADSTAT_A_STACK_USER_START]);
	if (kernel_filters_scheduler())
		EXPECT_STREQ("kthreadd", t->wchan);
	EXPECT_TRUE(has_frame(t, "kthreadd"));
	expect_same_as_proc(_metadata, 2, t);
	tsnl_reply_free(&r);
}

/* A running thread: no trace and no registers, and why. */
TEST_F(threads, running_thread)
{
	struct tsnl_reply r;
	const struct tsnl_thread *t;

	/* The requester itself is on a CPU while the kernel answers. */
	get_one(_metadata, &self->nl, gettid(), &r);
	t = &r.threads[0];
	EXPECT_EQ(THREADSTAT_KSTACK_MISSING_RUNNING,
		  t->v[THREADSTAT_A_THREAD_KERNEL_STACK_MISSING]);
	EXPECT_EQ(0U, t->n_frames);
	EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_WCHAN]);
	EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_REGS]);
	EXPECT_EQ(THREADSTAT_KSTACK_MISSING_RUNNING,
		  t->v[THREADSTAT_A_THREAD_REGS_MISSING]);
	EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_SYSCALL]);
	EXPECT_FALSE(t->stack_has[THREADSTAT_A_STACK_KERNEL_DEPTH]);
	tsnl_reply_free(&r);
}

/* A spinning thread: whenever the reply says it ran, it has no trace. */
TEST_F(threads, spinning_thread)
{
	struct subject *s = &self->s[SPINNER];
	unsigned int i, running = 0;

	for (i = 0; i < 50; i++) {
		const struct tsnl_thread *t;
		struct tsnl_reply r;

		get_one(_metadata, &self->nl, s->tid, &r);
		t = &r.threads[0];
		if (t->has[THREADSTAT_A_THREAD_KERNEL_STACK_MISSING]) {
			int64_t why =
				t->v[THREADSTAT_A_THREAD_KERNEL_STACK_MISSING];

			running++;
			/* 6.1: preempted, off CPU, but it may exit: runnable */
			if (why != THREADSTAT_KSTACK_MISSING_RUNNABLE ||
			    kernel_filters_scheduler())
				EXPECT_EQ(THREADSTAT_KSTACK_MISSING_RUNNING, why);
			EXPECT_EQ(0U, t->n_frames);
		}
		/*
		 * Registers only as an exact copy (stable), else absent and
		 * why; the syscall nest only with them.
		 */
		if (t->has[THREADSTAT_A_THREAD_REGS]) {
			EXPECT_EQ(1, t->regs[THREADSTAT_A_REGS_STABLE]);
			EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_REGS_MISSING]);
		} else {
			int64_t why = t->v[THREADSTAT_A_THREAD_REGS_MISSING];

			EXPECT_TRUE(why == THREADSTAT_KSTACK_MISSING_RUNNING ||
				    why == THREADSTAT_KSTACK_MISSING_RUNNABLE);
			EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_SYSCALL]);
		}
		tsnl_reply_free(&r);
	}
	TH_LOG("spinner seen running in %u of 50 replies", running);
	EXPECT_GT(running, 0U);
}

/*
 * An exited thread whose stack is gone: a process leader that left with
 * SYS_exit while another thread lives on stays as a zombie without stacks.
 */
static void *linger(void *arg)
{
	pause();
	return arg;
}

TEST_F(threads, exited_leader)
{
	const struct tsnl_thread *t;
	struct tsnl_reply r;
	char path[64], buf[512], *p;
	pthread_t th;
	pid_t child;
	int i;

	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		pthread_create(&th, NULL, linger, NULL);
		syscall(SYS_exit, 0);	/* this thread only */
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", child);
	for (i = 0; i < 500; i++) {
		p = text_file_read(path, buf, sizeof(buf)) > 0 ?
		    strrchr(buf, ')') : NULL;
		if (p && p[2] == 'Z')
			break;
		usleep(10000);
	}
	ASSERT_TRUE(p && p[2] == 'Z');

	get_one(_metadata, &self->nl, child, &r);
	t = &r.threads[0];
	EXPECT_EQ(THREADSTAT_KSTACK_MISSING_EXITED,
		  t->v[THREADSTAT_A_THREAD_KERNEL_STACK_MISSING]);
	EXPECT_EQ(0U, t->n_frames);
	EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_REGS]);
	EXPECT_EQ(THREADSTAT_KSTACK_MISSING_EXITED,
		  t->v[THREADSTAT_A_THREAD_REGS_MISSING]);
	EXPECT_FALSE(t->has[THREADSTAT_A_THREAD_STACK]);
	EXPECT_EQ(THREADSTAT_KSTACK_MISSING_EXITED,
		  t->v[THREADSTAT_A_THREAD_STACK_MISSING]);
	EXPECT_TRUE(t->has[THREADSTAT_A_THREAD_STATE]);
	tsnl_reply_free(&r);

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

TEST_HARNESS_MAIN
