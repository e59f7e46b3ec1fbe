// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * command_snapshot -- method (e) of `make bench`: time a whole program that
 * takes a snapshot, e.g. `ps -eLf`, with its output thrown away.
 *
 * usage: command_snapshot [--runs R] [--warmup W] -- PROGRAM [ARGS...]
 *
 * Each snapshot forks, execs PROGRAM with stdout on /dev/null, and waits
 * for it; the CPU time reported is the child's (wait4's rusage), the wall
 * time includes fork and exec, as a person typing the command would see.
 * The thread count printed is the lines PROGRAM would have printed, minus
 * one header line, counted by a separate untimed run.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_run.h"

/* Run @argv with stdout on @out_fd; 0 on a zero exit status. */
static int run(char **argv, int out_fd, struct rusage *ru)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(out_fd, 1);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, ru) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static long count_lines(char **argv)
{
	struct rusage ru;
	char buf[65536];
	long lines = 0;
	FILE *tmp = tmpfile();
	size_t n, i;

	if (!tmp || run(argv, fileno(tmp), &ru))
		return -1;
	rewind(tmp);
	while ((n = fread(buf, 1, sizeof(buf), tmp)) > 0)
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	fclose(tmp);
	return lines - 1;
}

int main(int argc, char **argv)
{
	int runs = 5, warmup = 1, devnull, i;
	char **cmd;
	long lines;

	if (bench_parse(&argc, argv, &runs, &warmup) || argc < 3 ||
	    strcmp(argv[1], "--")) {
		fprintf(stderr, "usage: command_snapshot [--runs R] [--warmup W] -- PROGRAM [ARGS...]\n");
		return 2;
	}
	cmd = argv + 2;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	lines = count_lines(cmd);
	if (devnull < 0 || lines < 0) {
		fprintf(stderr, "command_snapshot: %s failed\n", cmd[0]);
		return 1;
	}
	for (i = 0; i < warmup + runs; i++) {
		struct rusage ru;
		double t0, t1;

		t0 = bench_now_us();
		if (run(cmd, devnull, &ru)) {
			fprintf(stderr, "command_snapshot: %s failed\n", cmd[0]);
			return 1;
		}
		t1 = bench_now_us();
		if (i < warmup)
			continue;
		bench_report(i - warmup, t1 - t0, bench_tv_us(&ru.ru_utime),
			     bench_tv_us(&ru.ru_stime), lines);
	}
	return 0;
}
