/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * proc_walk.h -- visit every thread under /proc/PID/task/TID, the walk a
 * procfs-based tool (htop, top, ps) makes before it reads anything.
 */
#ifndef BENCH_PROC_WALK_H
#define BENCH_PROC_WALK_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/*
 * Called per thread with the open /proc/PID/task directory and the tid as
 * its entry name. Returns how many threads it took (0 or 1), or -1 to stop
 * the walk.
 */
typedef int (*proc_thread_fn)(int taskfd, const char *tid, void *arg);

static inline int proc_is_pid(const char *s)
{
	if (*s < '1' || *s > '9')
		return 0;
	for (s++; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Returns the sum of @fn's results, or -1. Processes and threads that exit
 * during the walk are skipped, as /proc readers must.
 */
static inline long proc_walk(proc_thread_fn fn, void *arg)
{
	DIR *proc = opendir("/proc");
	struct dirent *pe, *te;
	long threads = 0;

	if (!proc) {
		perror("/proc");
		return -1;
	}
	while ((pe = readdir(proc))) {
		char path[sizeof(pe->d_name) + 8];
		DIR *task;
		int taskfd, rc;

		if (!proc_is_pid(pe->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/task", pe->d_name);
		taskfd = openat(dirfd(proc), path,
				O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (taskfd < 0)
			continue;
		task = fdopendir(taskfd);
		if (!task) {
			close(taskfd);
			continue;
		}
		while ((te = readdir(task))) {
			if (!proc_is_pid(te->d_name))
				continue;
			rc = fn(taskfd, te->d_name, arg);
			if (rc < 0) {
				closedir(task);
				closedir(proc);
				return -1;
			}
			threads += rc;
		}
		closedir(task);
	}
	closedir(proc);
	return threads;
}

#endif /* BENCH_PROC_WALK_H */
