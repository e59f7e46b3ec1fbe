// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * spawn_processes PROCS THREADS: a load for benchmarks. Forks PROCS
 * processes of THREADS threads each (small stacks, all asleep), prints
 * "ready" once every thread exists, and kills them all when its stdin
 * closes.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void child(int threads, int ready_fd)
{
	pthread_attr_t attr;
	pthread_t th;
	int i;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 1; i < threads; i++)	/* the main thread is one */
		if (pthread_create(&th, &attr, sleeper, NULL)) {
			perror("spawn_threads: pthread_create");
			_exit(1);
		}
	if (write(ready_fd, "r", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int procs, threads, p, fds[2];
	pid_t *pids;
	char c;

	if (argc != 3 || (procs = atoi(argv[1])) < 1 ||
	    (threads = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: spawn_threads PROCS THREADS\n");
		return 2;
	}
	pids = calloc((size_t)procs, sizeof(*pids));
	if (!pids || pipe(fds))
		return 1;
	for (p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0) {
			perror("spawn_threads: fork");
			break;
		}
		if (!pids[p]) {
			close(fds[0]);
			child(threads, fds[1]);
		}
	}
	close(fds[1]);
	for (p = 0; p < procs && read(fds[0], &c, 1) == 1; p++)
		;
	printf("%s %d\n", p == procs ? "ready" : "failed", p * threads);
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	for (p = 0; p < procs; p++)
		if (pids[p] > 0)
			kill(pids[p], SIGKILL);
	while (wait(NULL) > 0)
		;
	free(pids);
	return 0;
}
