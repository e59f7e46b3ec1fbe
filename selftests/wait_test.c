// SPDX-License-Identifier: GPL-2.0
/*
 * The wait group against what this test knows: threads blocked in
 * FUTEX_WAIT on a word of ours (address, command, private flag, expected
 * value, the word itself), in FUTEX_LOCK_PI on a word a thread of ours
 * owns (the owner's tid, as the kernel defines it), and in read() on a
 * pipe (the fd); blocked-ns grows while they stay blocked and never
 * exceeds the time since they started. A spinning thread gets
 * wait-missing. An unprivileged caller (nobody, no capabilities) gets
 * "withheld" naming the group and no wait nest.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "threadstat_nl.h"

#define NOBODY		65534
#define DEADLINE_S	60

static uint32_t futex_word = 7;
static uint32_t pi_word;
static int pipe_fds[2];
static atomic_int spin = 1;
static pid_t tids[4];	/* futex, pi, read, spinner */
static uint64_t started_ns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Every thread ends when the teardown lets it: no exit with waiters. */
static atomic_int done;

static void *futex_waiter(void *arg)
{
	(void)arg;
	tids[0] = gettid();
	while (!atomic_load(&done))
		syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE,
			futex_word, NULL, NULL, 0);
	return NULL;
}

/* Takes the PI futex once the setup thread gives it up, and gives it back. */
static void *pi_waiter(void *arg)
{
	(void)arg;
	tids[1] = gettid();
	if (!syscall(SYS_futex, &pi_word, FUTEX_LOCK_PI_PRIVATE, 0, NULL,
		     NULL, 0))
		syscall(SYS_futex, &pi_word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL,
			NULL, 0);
	return NULL;
}

static void *reader(void *arg)
{
	char c;

	(void)arg;
	tids[2] = gettid();
	while (read(pipe_fds[0], &c, 1) > 0)
		;
	return NULL;
}

static void *spinner(void *arg)
{
	(void)arg;
	tids[3] = gettid();
	while (atomic_load(&spin))
		;
	return NULL;
}

/* The one thread @tid with the wait group, once it is blocked. */
static int get_blocked(struct tsnl *nl, pid_t tid, struct tsnl_thread *out)
{
	uint64_t end = now_ns() + DEADLINE_S * 1000000000ULL;
	struct tsnl_reply r;

	do {
		if (tsnl_get_fields(nl, tid, THREADSTAT_FIELDS_SCHED |
				    THREADSTAT_FIELDS_WAIT, &r) || r.error)
			return -1;
		if (r.n == 1 && r.threads[0].has_wait) {
			*out = r.threads[0];
			tsnl_reply_free(&r);
			return 0;
		}
		tsnl_reply_free(&r);
		usleep(50000);
	} while (now_ns() < end);
	return -1;
}

FIXTURE(waiters) {
	struct tsnl nl;
	pthread_t th[4];
};

FIXTURE_SETUP(waiters)
{
	void *(*fn[4])(void *) = { futex_waiter, pi_waiter, reader, spinner };
	int i;

	/* this thread owns the PI futex: its tid in the word */
	pi_word = gettid();
	ASSERT_EQ(0, pipe(pipe_fds));
	started_ns = now_ns();
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&self->th[i], NULL, fn[i], NULL));
	while (!tids[0] || !tids[1] || !tids[2] || !tids[3])
		usleep(1000);
	ASSERT_EQ(0, tsnl_open(&self->nl));
}

FIXTURE_TEARDOWN(waiters)
{
	int i;

	atomic_store(&done, 1);
	atomic_store(&spin, 0);
	futex_word++;
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	syscall(SYS_futex, &pi_word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL,
		0);
	close(pipe_fds[1]);
	for (i = 0; i < 4; i++)
		pthread_join(self->th[i], NULL);
	close(pipe_fds[0]);
	tsnl_close(&self->nl);
}

TEST_F(waiters, futex_wait_address_op_word)
{
	struct tsnl_thread t, later;
	const int64_t *w = t.wait;

	ASSERT_EQ(0, get_blocked(&self->nl, tids[0], &t));
	EXPECT_EQ(SYS_futex, w[THREADSTAT_A_WAIT_SYSCALL]);
	EXPECT_EQ((int64_t)(uintptr_t)&futex_word,
		  w[THREADSTAT_A_WAIT_FUTEX_ADDR]);
	EXPECT_EQ(FUTEX_WAIT, w[THREADSTAT_A_WAIT_FUTEX_OP]);
	EXPECT_EQ(1, w[THREADSTAT_A_WAIT_FUTEX_PRIVATE]);
	EXPECT_EQ(7, w[THREADSTAT_A_WAIT_FUTEX_VAL]);
	EXPECT_EQ(7, w[THREADSTAT_A_WAIT_FUTEX_WORD]);
	EXPECT_FALSE(t.wait_has[THREADSTAT_A_WAIT_OWNER_TID]);
	EXPECT_FALSE(t.wait_has[THREADSTAT_A_WAIT_FD]);
	ASSERT_TRUE(t.wait_has[THREADSTAT_A_WAIT_BLOCKED_NS]);
	EXPECT_LE((uint64_t)w[THREADSTAT_A_WAIT_BLOCKED_NS],
		  now_ns() - started_ns);

	/* the word changes under it (no wake): the reply says what it is now */
	futex_word = 9;
	usleep(200000);
	ASSERT_EQ(0, get_blocked(&self->nl, tids[0], &later));
	EXPECT_EQ(9, later.wait[THREADSTAT_A_WAIT_FUTEX_WORD]);
	EXPECT_EQ(7, later.wait[THREADSTAT_A_WAIT_FUTEX_VAL]);
	EXPECT_GT(later.wait[THREADSTAT_A_WAIT_BLOCKED_NS],
		  w[THREADSTAT_A_WAIT_BLOCKED_NS]);
}

TEST_F(waiters, pi_futex_owner_is_the_word_tid)
{
	struct tsnl_thread t;

	ASSERT_EQ(0, get_blocked(&self->nl, tids[1], &t));
	EXPECT_EQ(SYS_futex, t.wait[THREADSTAT_A_WAIT_SYSCALL]);
	EXPECT_EQ((int64_t)(uintptr_t)&pi_word,
		  t.wait[THREADSTAT_A_WAIT_FUTEX_ADDR]);
	EXPECT_EQ(FUTEX_LOCK_PI, t.wait[THREADSTAT_A_WAIT_FUTEX_OP]);
	EXPECT_EQ(gettid(), t.wait[THREADSTAT_A_WAIT_OWNER_TID]);
	/* the kernel set FUTEX_WAITERS when the waiter queued */
	EXPECT_EQ(FUTEX_WAITERS | (uint32_t)gettid(),
		  (uint32_t)t.wait[THREADSTAT_A_WAIT_FUTEX_WORD]);
	EXPECT_FALSE(t.wait_has[THREADSTAT_A_WAIT_OWNER_DIED]);
}

TEST_F(waiters, read_on_a_pipe_gives_the_fd)
{
	struct tsnl_thread t;

	ASSERT_EQ(0, get_blocked(&self->nl, tids[2], &t));
	EXPECT_EQ(SYS_read, t.wait[THREADSTAT_A_WAIT_SYSCALL]);
	EXPECT_EQ(pipe_fds[0], t.wait[THREADSTAT_A_WAIT_FD]);
	EXPECT_FALSE(t.wait_has[THREADSTAT_A_WAIT_FUTEX_ADDR]);
}

TEST_F(waiters, a_spinning_thread_is_not_waiting)
{
	struct tsnl_reply r;
	int64_t why;

	ASSERT_EQ(0, tsnl_get_fields(&self->nl, tids[3],
				     THREADSTAT_FIELDS_WAIT, &r));
	ASSERT_EQ(1, r.n);
	EXPECT_FALSE(r.threads[0].has_wait);
	why = r.threads[0].v[THREADSTAT_A_THREAD_WAIT_MISSING];
	EXPECT_TRUE(why == THREADSTAT_KSTACK_MISSING_RUNNING ||
		    why == THREADSTAT_KSTACK_MISSING_RUNNABLE);
	tsnl_reply_free(&r);
}

static int as_nobody(pid_t tid, uint32_t *withheld, bool *has_wait)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	struct tsnl_reply r;
	struct tsnl nl;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY) ||
	    syscall(SYS_capset, &h, d) || tsnl_open(&nl))
		return -1;
	if (tsnl_get_fields(&nl, tid, THREADSTAT_FIELDS_WAIT, &r) || r.error ||
	    r.n != 1)
		return -1;
	*withheld = r.threads[0].v[THREADSTAT_A_THREAD_WITHHELD];
	*has_wait = r.threads[0].has_wait ||
		    r.threads[0].has[THREADSTAT_A_THREAD_WAIT_MISSING];
	tsnl_reply_free(&r);
	tsnl_close(&nl);
	return 0;
}

TEST_F(waiters, withheld_without_ptrace_rights)
{
	struct { int err; uint32_t withheld; bool has_wait; } v = { 0 };
	struct tsnl_thread t;
	int fds[2], status;
	pid_t child;

	/* root (this test) sees it */
	ASSERT_EQ(0, get_blocked(&self->nl, tids[0], &t));
	EXPECT_EQ(0, t.v[THREADSTAT_A_THREAD_WITHHELD]);
	ASSERT_EQ(0, pipe(fds));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		v.err = as_nobody(tids[0], &v.withheld, &v.has_wait);
		_exit(write(fds[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	ASSERT_EQ(sizeof(v), read(fds[0], &v, sizeof(v)));
	waitpid(child, &status, 0);
	ASSERT_EQ(0, v.err);
	EXPECT_EQ(THREADSTAT_FIELDS_WAIT, v.withheld);
	EXPECT_FALSE(v.has_wait);
}

TEST_HARNESS_MAIN
