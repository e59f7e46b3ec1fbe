// SPDX-License-Identifier: GPL-2.0
/*
 * THREAD_GET do: a thread's identity and scheduling attributes, as the test
 * set them up, and ENOENT for a tid that is not a thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "threadstat_nl.h"

struct subject {
	const char *name;
	int policy;		/* SCHED_* */
	int rt_priority;	/* for fifo / rr */
	int nice;		/* for normal / batch / idle */
	pthread_t th;
	uint32_t tid;
};

static pthread_barrier_t ready, release;

static void *subject_main(void *arg)
{
	struct subject *s = arg;
	struct sched_param sp = { .sched_priority = s->rt_priority };

	pthread_setname_np(pthread_self(), s->name);
	s->tid = gettid();
	if (sched_setscheduler(0, s->policy, &sp) == 0 &&
	    s->policy != SCHED_FIFO && s->policy != SCHED_RR)
		setpriority(PRIO_PROCESS, 0, s->nice);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&release);
	return NULL;
}

FIXTURE(subjects) {
	struct tsnl nl;
	struct subject s[4];
};

FIXTURE_SETUP(subjects)
{
	struct subject init[] = {
		{ .name = "ts-nice7", .policy = SCHED_OTHER, .nice = 7 },
		{ .name = "ts-fifo20", .policy = SCHED_FIFO, .rt_priority = 20 },
		{ .name = "ts-idle", .policy = SCHED_IDLE, .nice = 0 },
		{ .name = "ts-batch-3", .policy = SCHED_BATCH, .nice = -3 },
	};
	int i;

	ASSERT_EQ(0, tsnl_open(&self->nl));
	memcpy(self->s, init, sizeof(init));
	pthread_barrier_init(&ready, NULL, 5);
	pthread_barrier_init(&release, NULL, 5);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&self->s[i].th, NULL, subject_main,
					    &self->s[i]));
	pthread_barrier_wait(&ready);
}

FIXTURE_TEARDOWN(subjects)
{
	int i;

	pthread_barrier_wait(&release);
	for (i = 0; i < 4; i++)
		pthread_join(self->s[i].th, NULL);
	tsnl_close(&self->nl);
}

/* Wait (up to 2 s) until /proc says the thread sleeps. */
static void settle(uint32_t tid)
{
	char path[64], buf[512], *p;
	int i, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%u/stat", tid);
	for (i = 0; i < 200; i++) {
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			return;
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p && p[2] == 'S')
			return;
		usleep(10000);
	}
}

TEST_F(subjects, identity_and_scheduling_exact)
{
	int i;

	for (i = 0; i < 4; i++) {
		struct subject *s = &self->s[i];
		struct tsnl_reply r;
		struct tsnl_thread *t;

		settle(s->tid);
		ASSERT_EQ(0, tsnl_get_thread(&self->nl, s->tid, &r));
		ASSERT_EQ(0, r.error);
		ASSERT_EQ(1U, r.n);
		t = &r.threads[0];
		EXPECT_EQ(s->tid, t->tid);
		EXPECT_EQ((uint32_t)getpid(), t->tgid);
		EXPECT_EQ((uint32_t)getppid(), t->ppid);
		EXPECT_STREQ(s->name, t->comm);
		EXPECT_EQ((uint32_t)s->policy, t->policy);
		EXPECT_EQ((uint32_t)s->rt_priority, t->rt_priority);
		if (s->policy == SCHED_FIFO) {
			/* /proc shows prio -1 - rt_priority for RT threads */
			EXPECT_EQ(-1 - s->rt_priority, t->prio);
		} else {
			EXPECT_EQ(s->nice, t->nice);
			EXPECT_EQ(120 + s->nice, t->static_prio);
			EXPECT_EQ(20 + s->nice, t->prio);
		}
		/* Parked on a barrier: sleeping. */
		EXPECT_EQ('S', t->state);
		tsnl_reply_free(&r);
	}
}

/* Our own thread: running now, and its counters are live. */
TEST_F(subjects, self_is_running)
{
	struct tsnl_reply r;

	ASSERT_EQ(0, tsnl_get_thread(&self->nl, gettid(), &r));
	ASSERT_EQ(1U, r.n);
	EXPECT_EQ('R', r.threads[0].state);
	EXPECT_GT(r.threads[0].sum_exec_runtime, 0);
	EXPECT_STREQ("thread_get_test", r.threads[0].comm);
	tsnl_reply_free(&r);
}

/* A tid no thread has: ENOENT, with a message saying so. */
TEST_F(subjects, missing_tid_is_enoent)
{
	struct tsnl_reply r;
	char path[64];
	uint32_t tid;

	/* The highest pid below pid_max that is not in use. */
	for (tid = 4194303; tid > 300; tid--) {
		snprintf(path, sizeof(path), "/proc/%u", tid);
		if (access(path, F_OK))
			break;
	}
	ASSERT_EQ(0, tsnl_get_thread(&self->nl, tid, &r));
	EXPECT_EQ(-ENOENT, r.error);
	EXPECT_STREQ("no such thread", r.extack);
	EXPECT_EQ(0U, r.n);
}

TEST_HARNESS_MAIN
