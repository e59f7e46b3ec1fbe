// SPDX-License-Identifier: GPL-2.0
/*
 * Time namespaces: a process in a time namespace whose boot-time clock is
 * OFFSET_S seconds ahead sees start-time, boot-time and uptime as
 * /proc/PID/stat, /proc/stat and /proc/uptime show them to it: start-time
 * and uptime OFFSET_S later, boot OFFSET_S earlier than from outside.
 * Needs root (unshare(CLONE_NEWTIME)); skipped where the kernel has no
 * time namespaces.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "text_file.h"
#include "threadstat_nl.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

#define OFFSET_S	100000LL	/* a bit over a day */
#define NS		1000000000LL

/* What one process measures of itself and of the machine. */
struct seen {
	long long start_time;	/* ns, threadstat */
	long long proc_start;	/* clock ticks, /proc/self/stat field 22 */
	long long boot_time;	/* ns since the epoch, threadstat */
	long long btime;	/* s, /proc/stat */
	long long uptime;	/* ns, threadstat */
	double up_before, up_after;	/* s, /proc/uptime around it */
	int err;
};

static double read_uptime(void)
{
	char buf[128];

	return text_file_read("/proc/uptime", buf, sizeof(buf)) > 0 ?
	       atof(buf) : -1;
}

static long long proc_btime(void)
{
	char buf[8192], *p;

	if (text_file_read("/proc/stat", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nbtime ");
	return p ? atoll(p + 7) : -1;
}

/* Field 22 of /proc/self/stat, after the ")" that ends the name. */
static long long proc_starttime(void)
{
	char buf[1024], *p;
	int field;

	if (text_file_read("/proc/self/stat", buf, sizeof(buf)) < 0)
		return -1;
	p = strrchr(buf, ')');
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	return p ? atoll(p + 1) : -1;
}

static void measure(struct seen *s)
{
	struct tsnl_reply r;
	struct tsnl nl;

	memset(s, 0, sizeof(*s));
	s->err = tsnl_open(&nl);
	if (s->err)
		return;
	s->err = tsnl_get_fields(&nl, getpid(), THREADSTAT_FIELDS_SCHED, &r);
	if (!s->err && !r.error && r.n == 1)
		s->start_time = r.threads[0].v[THREADSTAT_A_THREAD_START_TIME];
	else
		s->err = s->err ?: -EIO;
	if (!s->err)
		tsnl_reply_free(&r);
	s->proc_start = proc_starttime();
	s->up_before = read_uptime();
	if (!s->err && !(s->err = tsnl_get_system(&nl, &r))) {
		if (r.n_recs == 1) {
			s->boot_time = r.recs[0].v[THREADSTAT_A_SYSTEM_BOOT_TIME];
			s->uptime = r.recs[0].v[THREADSTAT_A_SYSTEM_UPTIME];
		} else {
			s->err = -EIO;
		}
		tsnl_reply_free(&r);
	}
	s->up_after = read_uptime();
	s->btime = proc_btime();
	tsnl_close(&nl);
}

/* Each value of @s against what /proc showed the same process. */
static void expect_as_proc(struct __test_metadata *_metadata,
			   const struct seen *s, const char *who)
{
	long long tick = NS / sysconf(_SC_CLK_TCK);

	TH_LOG("%s: start %lld ns (/proc %lld ticks), uptime %.3f s (/proc %.2f..%.2f), boot %lld s (/proc %lld)",
	       who, s->start_time, s->proc_start, s->uptime / 1e9,
	       s->up_before, s->up_after, s->boot_time / NS, s->btime);
	ASSERT_EQ(0, s->err);
	EXPECT_EQ(s->proc_start, s->start_time / tick);
	EXPECT_GE(s->uptime / 1e9, s->up_before);
	EXPECT_LE(s->uptime / 1e9, s->up_after + 0.01);
	EXPECT_LE(llabs(s->boot_time / NS - s->btime), 1);
}

TEST(boottime_offset_moves_start_uptime_and_boot)
{
	struct seen out, in;
	int pipefd[2], status;
	pid_t child;

	if (unshare(CLONE_NEWTIME)) {
		if (errno == EINVAL)
			SKIP(return, "no time namespaces in this kernel");
		ASSERT_EQ(0, -errno) TH_LOG("unshare(CLONE_NEWTIME): needs root");
	}
	/* Offsets can be set until the first process enters the namespace. */
	{
		char offs[64];
		int fd = open("/proc/self/timens_offsets", O_WRONLY);

		ASSERT_LE(0, fd);
		snprintf(offs, sizeof(offs), "boottime %lld 0\n", OFFSET_S);
		ASSERT_EQ((ssize_t)strlen(offs), write(fd, offs, strlen(offs)));
		close(fd);
	}
	ASSERT_EQ(0, pipe(pipefd));
	child = fork();		/* the child lives in the new time namespace */
	ASSERT_LE(0, child);
	if (!child) {
		measure(&in);
		_exit(write(pipefd[1], &in, sizeof(in)) != sizeof(in));
	}
	ASSERT_EQ((ssize_t)sizeof(in), read(pipefd[0], &in, sizeof(in)));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	measure(&out);		/* the parent: still the initial namespace */

	expect_as_proc(_metadata, &out, "outside");
	expect_as_proc(_metadata, &in, "inside");
	/* The same clocks, OFFSET_S apart (the child ran just before). */
	EXPECT_LE(llabs(in.uptime - out.uptime - OFFSET_S * NS), 5 * NS);
	EXPECT_LE(llabs(out.boot_time - in.boot_time - OFFSET_S * NS), NS);
	/* The child started after the parent, seen from inside OFFSET_S on. */
	EXPECT_LT(out.start_time + OFFSET_S * NS, in.start_time);
	EXPECT_LT(in.start_time - OFFSET_S * NS, out.uptime);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_HARNESS_MAIN
