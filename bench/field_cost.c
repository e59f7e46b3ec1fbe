// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * field_cost: what each THREAD_GET field group costs per thread.
 *
 * Starts N threads blocked in read() on a pipe (the common state of a
 * thread on a real machine, and one where every group has something to
 * say), then dumps this process's threads through libthreadstat once per
 * group and prints microseconds per thread: the group alone (identity,
 * message and decoding included) and the group added to the default sched
 * group. For scale it also times reading /proc/TID/stack and
 * /proc/TID/syscall, what the kstack and regs groups replace.
 * Run as root with threadstat.ko loaded; prints numbers, asserts nothing.
 *
 * usage: field_cost [THREADS [RUNS]]   (default 1000 threads, 5 rounds;
 * each request's best round counts)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "threadstat.h"

static int pipe_fds[2];
static pid_t *tids;

static void *blocked(void *arg)
{
	char c;

	*(pid_t *)arg = gettid();
	return (void *)(long)read(pipe_fds[0], &c, 1);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int count(const struct ts_thread *t, void *arg)
{
	(void)t;
	(*(size_t *)arg)++;
	return 0;
}

/* Time of one dump of our threads with @fields, per thread. */
static double dump_cost(struct ts_client *c, uint32_t fields, size_t *threads)
{
	struct ts_thread_query q = { .tgid = (uint32_t)getpid(),
				     .fields = fields };
	struct ts_error err;
	double t0 = now_us();

	*threads = 0;
	if (ts_thread_dump(c, &q, count, threads, NULL, &err)) {
		fprintf(stderr, "field_cost: dump: %s\n", err.msg);
		exit(1);
	}
	return (now_us() - t0) / (double)*threads;
}

/* Best time of @runs passes reading /proc/TID/stack and syscall. */
static double proc_cost(int n, int runs)
{
	static const char *const files[] = { "stack", "syscall" };
	char path[64], buf[4096];
	double best = 0;
	int r, i, f;

	for (r = 0; r < runs; r++) {
		double t0 = now_us(), dt;

		for (i = 0; i < n; i++) {
			for (f = 0; f < 2; f++) {
				int fd;

				snprintf(path, sizeof(path), "/proc/self/task/%d/%s",
					 tids[i], files[f]);
				fd = open(path, O_RDONLY);
				if (fd < 0)
					continue;
				if (read(fd, buf, sizeof(buf)) < 0)
					perror(path);
				close(fd);
			}
		}
		dt = now_us() - t0;
		if (!r || dt < best)
			best = dt;
	}
	return best / n;
}

static int sysctl_on(const char *path)
{
	char buf[8] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return atoi(buf);
}

/*
 * The requests measured: sched, each other group alone and with sched, and
 * everything. Measured round-robin, @runs rounds, keeping each one's best
 * time, so that noise from other load hits all of them alike.
 */
#define NR_GROUPS	6
#define NR_CASES	(2 * NR_GROUPS + 1)

static uint32_t case_fields(int i)
{
	if (i == NR_CASES - 1)
		return THREADSTAT_FIELDS_ALL;
	if (i < NR_GROUPS)
		return 1u << i;
	return (1u << (i - NR_GROUPS)) | THREADSTAT_FIELDS_SCHED;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	double best[NR_CASES], t;
	struct ts_error err;
	struct ts_client *c;
	pthread_t *th;
	size_t threads = 0;
	int i, r;

	if (n <= 0 || runs <= 0) {
		fprintf(stderr, "usage: field_cost [THREADS [RUNS]]\n");
		return 2;
	}
	if (ts_open(&c, &err)) {
		fprintf(stderr, "field_cost: %s\n", err.msg);
		return 1;
	}
	th = calloc(n, sizeof(*th));
	tids = calloc(n, sizeof(*tids));
	if (!th || !tids || pipe(pipe_fds)) {
		perror("field_cost");
		return 1;
	}
	for (i = 0; i < n; i++) {
		errno = pthread_create(&th[i], NULL, blocked, &tids[i]);
		if (errno) {
			perror("pthread_create");
			return 1;
		}
	}
	usleep(200000 + n * 100);	/* let them all reach read() */

	for (r = 0; r < runs; r++) {
		for (i = 0; i < NR_CASES; i++) {
			if (i == NR_GROUPS)	/* sched with sched */
				continue;
			t = dump_cost(c, case_fields(i), &threads);
			if (!r || t < best[i])
				best[i] = t;
		}
	}

	printf("field_cost: %zu threads (%d blocked in read), best of %d "
	       "rounds, microseconds per thread\n", threads, n, runs);
	printf("kernel.sched_schedstats=%d kernel.task_delayacct=%d (a group "
	       "that is off costs next to nothing)\n",
	       sysctl_on("/proc/sys/kernel/sched_schedstats"),
	       sysctl_on("/proc/sys/kernel/task_delayacct"));
	printf("%-12s %8s %16s\n", "group", "alone", "added to sched");
	for (i = 0; i < NR_GROUPS; i++) {
		if (!i)
			printf("%-12s %8.2f %16s\n", ts_group_name(1u << i),
			       best[i], "-");
		else
			printf("%-12s %8.2f %16.2f\n", ts_group_name(1u << i),
			       best[i], best[NR_GROUPS + i] - best[0]);
	}
	printf("%-12s %8.2f %16.2f\n", "all", best[NR_CASES - 1],
	       best[NR_CASES - 1] - best[0]);
	printf("for scale: /proc/TID/stack + /proc/TID/syscall %.2f\n",
	       proc_cost(n, runs));

	ts_close(c);
	close(pipe_fds[1]);	/* readers see EOF and return */
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	free(th);
	free(tids);
	return 0;
}
