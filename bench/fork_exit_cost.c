// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fork_exit_cost -- what creating and ending a task costs, per iteration.
 *
 * usage: fork_exit_cost [ITERATIONS]
 *
 * Times ITERATIONS (default 2000) fork() + _exit() + waitpid() and as many
 * pthread_create() + pthread_join() of a thread that returns at once, and
 * prints one line per kind:
 *
 *   fork_exit_ns=X thread_create_join_ns=Y
 *
 * (mean wall time per iteration). fork_exit_cost.sh runs it with and
 * without threadstat.ko loaded, which hooks the task_newtask tracepoint of
 * every task creation (kmod/dump_consistency.c).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *nothing(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 2000;
	double t0, fork_ns, thread_ns;
	pthread_t t;
	pid_t pid;

	if (n <= 0) {
		fprintf(stderr, "usage: fork_exit_cost [ITERATIONS]\n");
		return 2;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid) {
			perror("fork");
			return 1;
		}
	}
	fork_ns = (now_ns() - t0) / n;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (pthread_create(&t, NULL, nothing, NULL) ||
		    pthread_join(t, NULL)) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	thread_ns = (now_ns() - t0) / n;
	printf("fork_exit_ns=%.0f thread_create_join_ns=%.0f\n", fork_ns,
	       thread_ns);
	return 0;
}
