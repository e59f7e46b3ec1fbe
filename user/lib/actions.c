// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Actions on threads (see actions.h): signals, nice, affinity, policy.
 * Every system call that changes another task lives here.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "actions.h"

const char *ts_action_verb(enum ts_action_kind kind)
{
	switch (kind) {
	case TS_ACT_SIGNAL:
		return "signal";
	case TS_ACT_NICE:
	case TS_ACT_NICE_BY:
		return "renice";
	case TS_ACT_AFFINITY:
		return "set affinity of";
	case TS_ACT_SCHED:
		return "set policy of";
	default:
		return "act on";
	}
}

/* CPU n of a word array as a cpu_set_t of the kernel's size or larger. */
static cpu_set_t *cpuset_from(const uint64_t *w, size_t n_words,
			      size_t *size)
{
	size_t ncpu = n_words * 64, i;
	cpu_set_t *set;

	if (ncpu < CPU_SETSIZE)
		ncpu = CPU_SETSIZE;
	set = CPU_ALLOC(ncpu);
	if (!set)
		return NULL;
	*size = CPU_ALLOC_SIZE(ncpu);
	CPU_ZERO_S(*size, set);
	for (i = 0; i < n_words * 64; i++)
		if (w[i / 64] & (1ull << (i % 64)))
			CPU_SET_S(i, *size, set);
	return set;
}

int ts_get_affinity(uint32_t tid, uint64_t *cpus, size_t n_words)
{
	size_t size, i;
	cpu_set_t *set;
	int rc;

	memset(cpus, 0, n_words * sizeof(*cpus));
	set = cpuset_from(cpus, n_words, &size);
	if (!set)
		return -1;
	rc = sched_getaffinity((pid_t)tid, size, set);
	if (!rc)
		for (i = 0; i < n_words * 64; i++)
			if (CPU_ISSET_S(i, size, set))
				cpus[i / 64] |= 1ull << (i % 64);
	CPU_FREE(set);
	return rc;
}

/* One thread; 0 or the errno of the failure. */
static int act_thread(const struct ts_action *a, uint32_t tgid, uint32_t tid,
		      const cpu_set_t *set, size_t set_size)
{
	struct sched_param sp = { .sched_priority = a->rt_priority };
	int nice;

	errno = 0;
	switch (a->kind) {
	case TS_ACT_SIGNAL:
		if (syscall(SYS_tgkill, (pid_t)tgid, (pid_t)tid, a->signal))
			return errno;
		return 0;
	case TS_ACT_NICE_BY:
		/* getpriority() returns the nice; -1 is a nice, not an error,
		 * unless errno says so.
		 */
		nice = getpriority(PRIO_PROCESS, (id_t)tid);
		if (nice == -1 && errno)
			return errno;
		nice += a->nice;
		nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
		return setpriority(PRIO_PROCESS, (id_t)tid, nice) ? errno : 0;
	case TS_ACT_NICE:
		return setpriority(PRIO_PROCESS, (id_t)tid, a->nice) ? errno : 0;
	case TS_ACT_AFFINITY:
		return sched_setaffinity((pid_t)tid, set_size, set) ? errno : 0;
	case TS_ACT_SCHED:
		return sched_setscheduler((pid_t)tid, a->policy, &sp) ? errno : 0;
	default:
		return EINVAL;
	}
}

static void count(struct ts_action_result *res, uint32_t tid, int e)
{
	if (!e) {
		res->done++;
		return;
	}
	if (!res->failed++) {
		res->first_errno = e;
		res->first_tid = tid;
	}
}

/* Every thread of a process, listed now. */
static void act_process(const struct ts_action *a, uint32_t tgid,
			const cpu_set_t *set, size_t set_size,
			struct ts_action_result *res)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	if (a->kind == TS_ACT_SIGNAL) {
		count(res, tgid, kill((pid_t)tgid, a->signal) ? errno : 0);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%u/task", tgid);
	dir = opendir(path);
	if (!dir) {
		count(res, tgid, errno == ENOENT ? ESRCH : errno);
		return;
	}
	while ((d = readdir(dir))) {
		char *end;
		unsigned long tid = strtoul(d->d_name, &end, 10);

		if (d->d_name[0] < '0' || d->d_name[0] > '9' || *end)
			continue;
		count(res, (uint32_t)tid,
		      act_thread(a, tgid, (uint32_t)tid, set, set_size));
	}
	closedir(dir);
}

int ts_act(const struct ts_action *a, const struct ts_target *targets,
	   size_t n, struct ts_action_result *res, struct ts_error *err)
{
	cpu_set_t *set = NULL;
	size_t set_size = 0, i;

	memset(res, 0, sizeof(*res));
	if (a->kind == TS_ACT_AFFINITY) {
		set = cpuset_from(a->cpus, a->n_words, &set_size);
		if (!set) {
			res->failed = n;
			res->first_errno = ENOMEM;
		}
	}
	for (i = 0; i < n && (set || a->kind != TS_ACT_AFFINITY); i++) {
		if (targets[i].tid)
			count(res, targets[i].tid,
			      act_thread(a, targets[i].tgid, targets[i].tid,
					 set, set_size));
		else
			act_process(a, targets[i].tgid, set, set_size, res);
	}
	CPU_FREE(set);
	if (!res->failed)
		return 0;
	if (err) {
		err->code = res->first_errno;
		if (res->failed > 1 || res->done)
			snprintf(err->msg, sizeof(err->msg),
				 "%s %u: %s (%zu of %zu failed)",
				 ts_action_verb(a->kind), res->first_tid,
				 strerror(res->first_errno), res->failed,
				 res->failed + res->done);
		else
			snprintf(err->msg, sizeof(err->msg), "%s %u: %s",
				 ts_action_verb(a->kind), res->first_tid,
				 strerror(res->first_errno));
	}
	errno = res->first_errno;
	return -1;
}
