// SPDX-License-Identifier: GPL-2.0
/*
 * Ids are those of the requester's pid namespace: a process in a new pid
 * namespace sees only its namespace's threads, numbered from 1, and cannot
 * get a thread outside it; the initial namespace sees that process too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "threadstat_nl.h"

static void *park(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* Runs as pid 1 of a new namespace; exit status 0 when all checks hold. */
static int inside(uint32_t outside_tid)
{
	struct tsnl_reply r;
	struct tsnl nl;
	pthread_t th[3];
	unsigned int i;
	int bad = 0;

	for (i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, park, NULL);
	if (getpid() != 1 || tsnl_open(&nl))
		return 10;
	if (tsnl_dump_threads(&nl, 0, &r) || r.error)
		return 11;
	/* Our 4 threads: tids 1..4, all in process 1, parent outside. */
	if (r.n != 4)
		bad |= 1;
	for (i = 0; i < r.n; i++) {
		if (r.threads[i].tid != i + 1 || r.threads[i].tgid != 1)
			bad |= 2;
		if (r.threads[i].ppid != 0)
			bad |= 4;
	}
	tsnl_reply_free(&r);
	if (tsnl_get_thread(&nl, outside_tid, &r) || r.error != -ENOENT)
		bad |= 8;
	return bad ? 20 + bad : 0;
}

TEST(child_namespace_sees_only_itself)
{
	struct tsnl_reply r;
	struct tsnl nl;
	int status, found = 0;
	unsigned int i;
	pid_t child;

	pid_t me = getpid();	/* a tid the child's namespace cannot see */

	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(inside(me));

	ASSERT_EQ(0, tsnl_open(&nl));
	/* From the initial namespace the child is there, by its real pid. */
	usleep(100000);
	ASSERT_EQ(0, tsnl_dump_threads(&nl, child, &r));
	for (i = 0; i < r.n; i++)
		found += r.threads[i].tgid == (uint32_t)child;
	tsnl_reply_free(&r);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_GE(found, 1);
}

TEST_HARNESS_MAIN
