// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The /proc walk behind a TS_SOURCE_PROC client: every thread as
 * /proc/TGID/task/TID shows it, by rising tid like the module's dump. A
 * thread that exits between the listing and its reads is simply absent,
 * as in a dump. Ids are those of the /proc mount (the caller's pid
 * namespace, when /proc is its own).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "proc_source.h"

#define SLURP_MAX	(256 * 1024)	/* /proc/PID/sched is ~5 KiB */

char *ts_proc_slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 4096;
	char *buf = NULL, *p;
	ssize_t n;

	if (fd < 0)
		return NULL;
	for (;;) {
		if (!buf || len + 1 == cap) {
			if (buf)
				cap *= 2;
			p = cap <= SLURP_MAX ? realloc(buf, cap) : NULL;
			if (!p)
				goto fail;
			buf = p;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

static bool is_id(const char *s, uint32_t *id)
{
	unsigned long v;
	char *end;

	if (*s < '1' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > UINT32_MAX)
		return false;
	*id = (uint32_t)v;
	return true;
}

/* Read /proc/@tgid/task/@tid; -1 (errno) when it is gone or unreadable. */
static int read_thread(uint32_t tgid, uint32_t tid, uint32_t fields,
		       struct ts_thread *t)
{
	static const char *const names[] = { "stat", "status", "schedstat",
					     "sched" };
	char *text[4] = { NULL };
	struct ts_proc_files f;
	char path[64];
	size_t i;
	int rc;

	/* identity needs stat and status; the rest only the sched group */
	for (i = 0; i < 4; i++) {
		if (i >= 2 && fields && !(fields & THREADSTAT_FIELDS_SCHED))
			break;
		snprintf(path, sizeof(path), "/proc/%u/task/%u/%s", tgid, tid,
			 names[i]);
		text[i] = ts_proc_slurp(path);
		if (!text[i] && i < 2)
			break;
	}
	f = (struct ts_proc_files){ text[0], text[1], text[2], text[3] };
	rc = text[0] && text[1] ?
	     ts_proc_thread_parse(&f, fields, sysconf(_SC_CLK_TCK), t) : -1;
	/* A thread that exited between its files: not half of it. */
	if (!rc && t->tid != tid)
		rc = -1;
	for (i = 0; i < 4; i++)
		free(text[i]);
	return rc;
}

struct ids {
	struct { uint32_t tid, tgid; } *v;
	size_t n, cap;
};

static int list_tasks(struct ids *ids, uint32_t tgid)
{
	char path[32];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%u/task", tgid);
	d = opendir(path);
	if (!d)
		return 0;	/* exited since the listing */
	while ((e = readdir(d))) {
		struct { uint32_t tid, tgid; } one = { 0, tgid };

		if (!is_id(e->d_name, &one.tid))
			continue;
		if (ts_vec_push((void **)&ids->v, &ids->n, &ids->cap,
				sizeof(one), &one)) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

static int by_tid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Every (tid, tgid) of one process or of all, sorted by tid. */
static int list_threads(struct ids *ids, uint32_t only, struct ts_error *err)
{
	struct dirent *e;
	uint32_t tgid;
	DIR *d;

	memset(ids, 0, sizeof(*ids));
	if (only) {
		if (list_tasks(ids, only))
			return ts_fail(err, ENOMEM, "out of memory");
		return 0;
	}
	d = opendir("/proc");
	if (!d)
		return ts_fail(err, errno, "cannot read /proc: %s",
			       strerror(errno));
	while ((e = readdir(d)))
		if (is_id(e->d_name, &tgid) && list_tasks(ids, tgid)) {
			closedir(d);
			free(ids->v);
			return ts_fail(err, ENOMEM, "out of memory");
		}
	closedir(d);
	qsort(ids->v, ids->n, sizeof(*ids->v), by_tid);
	return 0;
}

int ts_proc_thread_dump(const struct ts_thread_query *q, ts_thread_cb cb,
			void *arg, struct ts_dump_info *info,
			struct ts_error *err)
{
	uint32_t fields = q ? q->fields : 0;
	struct ts_thread t;
	struct ids ids;
	size_t i;
	int rc = 0;

	if (info)
		memset(info, 0, sizeof(*info));
	if (list_threads(&ids, q ? q->tgid : 0, err))
		return -1;
	for (i = 0; i < ids.n && !rc; i++) {
		if (read_thread(ids.v[i].tgid, ids.v[i].tid, fields, &t))
			continue;
		/* /proc/TID/task of a non-leader lists its group: the module
		 * dumps nothing for a tgid that is no process's.
		 */
		if (q && q->tgid && t.tgid != q->tgid)
			continue;
		rc = cb(&t, arg);
		if (info)
			info->messages++;
	}
	free(ids.v);
	return rc;
}

int ts_proc_thread_get(uint32_t tid, uint32_t fields, struct ts_thread *out,
		       struct ts_error *err)
{
	char path[32], *status;
	const char *p;
	unsigned long tgid = 0;

	/* /proc/TID exists for every thread, listed or not: its Tgid. */
	snprintf(path, sizeof(path), "/proc/%u/status", tid);
	status = ts_proc_slurp(path);
	p = status ? strstr(status, "\nTgid:") : NULL;
	if (p)
		tgid = strtoul(p + 6, NULL, 10);
	free(status);
	if (!tgid || tgid > UINT32_MAX ||
	    read_thread((uint32_t)tgid, tid, fields, out))
		return ts_fail(err, ENOENT, "no thread %u", tid);
	return 0;
}
