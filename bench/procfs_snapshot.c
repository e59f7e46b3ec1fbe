// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * procfs_snapshot -- method (c) of `make bench`: one snapshot of every
 * thread read from /proc the way htop does it.
 *
 * usage: procfs_snapshot [--runs R] [--warmup W]
 *
 * htop (LinuxProcessTable.c) walks /proc/PID/task/TID, opens each thread
 * directory as an O_PATH descriptor and then, per thread, openat()s, reads
 * and closes "stat", "status" and "schedstat" relative to it. We do the
 * same and parse the values a thread table shows (state, times, faults,
 * priority, CPU; uid and context switches; run time and run delay), so
 * the comparison with a threadstat dump, which decodes its replies too, is
 * like for like.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_run.h"
#include "proc_walk.h"

struct thread_values {
	char state;
	uint64_t utime, stime, minflt, majflt, run_ns, delay_ns;
	uint64_t vcsw, ivcsw;
	long prio, nice, cpu;
	unsigned int uid;
};

static uint64_t checksum;	/* keeps the parsing from being optimised out */

/* Read a small file below @dirfd into @buf (NUL-terminated); -1 if gone. */
static ssize_t read_at(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Fields 3.. of /proc/TID/stat, after "pid (comm) ". */
static void parse_stat(const char *buf, struct thread_values *v)
{
	const char *p = strrchr(buf, ')');
	unsigned long long f[40];
	char *end;
	int i;

	if (!p || !p[1] || !p[2])
		return;
	v->state = p[2];
	p += 3;
	/* f[0] is field 4 (ppid) */
	for (i = 0; i < 36; i++) {
		f[i] = strtoull(p, &end, 10);
		if (end == p)
			break;
		p = end;
	}
	if (i < 36)
		return;
	v->minflt = f[6];
	v->majflt = f[8];
	v->utime = f[10];
	v->stime = f[11];
	v->prio = (long)f[14];
	v->nice = (long)f[15];
	v->cpu = (long)f[35];
}

static void parse_status(const char *buf, struct thread_values *v)
{
	const char *p;

	p = strstr(buf, "\nUid:");
	if (p)
		v->uid = strtoul(p + 5, NULL, 10);
	p = strstr(buf, "\nvoluntary_ctxt_switches:");
	if (p)
		v->vcsw = strtoull(p + 25, NULL, 10);
	p = strstr(buf, "\nnonvoluntary_ctxt_switches:");
	if (p)
		v->ivcsw = strtoull(p + 28, NULL, 10);
}

static void parse_schedstat(const char *buf, struct thread_values *v)
{
	char *end;

	v->run_ns = strtoull(buf, &end, 10);
	v->delay_ns = strtoull(end, NULL, 10);
}

static int read_thread(int taskfd, const char *tid, void *arg)
{
	struct thread_values v = { 0 };
	char buf[4096];
	int fd;

	(void)arg;
	fd = openat(taskfd, tid, O_RDONLY | O_DIRECTORY | O_PATH | O_NOFOLLOW |
		    O_CLOEXEC);
	if (fd < 0)
		return 0;	/* exited since readdir */
	if (read_at(fd, "stat", buf, sizeof(buf)) > 0)
		parse_stat(buf, &v);
	if (read_at(fd, "status", buf, sizeof(buf)) > 0)
		parse_status(buf, &v);
	if (read_at(fd, "schedstat", buf, sizeof(buf)) > 0)
		parse_schedstat(buf, &v);
	close(fd);
	checksum += v.state + v.utime + v.stime + v.minflt + v.majflt +
		    v.run_ns + v.delay_ns + v.vcsw + v.ivcsw + v.uid +
		    (uint64_t)(v.prio + v.nice + v.cpu);
	return 1;
}

static long snapshot(void *arg)
{
	(void)arg;
	return proc_walk(read_thread, NULL);
}

int main(int argc, char **argv)
{
	int runs = 5, warmup = 1, rc;

	if (bench_parse(&argc, argv, &runs, &warmup) || argc != 1) {
		fprintf(stderr, "usage: procfs_snapshot [--runs R] [--warmup W]\n");
		return 2;
	}
	rc = bench_loop(snapshot, NULL, runs, warmup);
	fprintf(stderr, "procfs_snapshot: checksum %llu\n",
		(unsigned long long)checksum);
	return rc;
}
