// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * One blocked thread in a sentence, for a detail page: "blocked 12.3 s in
 * futex_wait on lock_a held by 1234 (worker)". The owner and the lock's
 * name come from the live source (wait_owner.c, wait_names.c) as in the
 * graph; the owner's name from /proc. The sentence holds raw names: the
 * tool escapes it like any text it shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "waits.h"

static void ts_comm_of(uint32_t tid, char *buf, size_t len)
{
	char path[48];
	FILE *f;

	buf[0] = 0;
	snprintf(path, sizeof(path), "/proc/%u/comm", tid);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

int ts_wait_sentence(const struct ts_thread *t, char *buf, size_t len)
{
	struct ts_waiter w = { .fd = -1 };
	struct ts_wait_graph g = { 0 };
	struct ts_lock l = { 0 };
	char comm[TS_COMM_LEN + 1];
	const char *op;
	size_t n;

	if (!ts_thread_has(t, THREADSTAT_A_THREAD_WAIT))
		return 0;
	if (ts_present(&ts_wait_set, &t->wait, THREADSTAT_A_WAIT_FD))
		w.fd = t->wait.fd;
	w.syscall = t->wait.syscall;
	if (ts_present(&ts_wait_set, &t->wait, THREADSTAT_A_WAIT_FUTEX_ADDR)) {
		w.addr = t->wait.futex_addr;
		w.futex_op = t->wait.futex_op;
		ts_wait_source_live.owner(t, &w, &g, NULL);
		ts_wait_name_lock(t->tgid, w.addr, &l, NULL);
	}
	free(g.procs);
	op = ts_wait_op_name(&w);
	if (op)
		n = snprintf(buf, len, "blocked %.1f s in %s on %s (%s)",
			     t->wait.blocked_ns / 1e9, op, l.name,
			     ts_lock_kind_name(w.kind));
	else if (w.fd >= 0)
		n = snprintf(buf, len, "blocked %.1f s in system call %d on fd %d",
			     t->wait.blocked_ns / 1e9, w.syscall, w.fd);
	else
		n = snprintf(buf, len, "blocked %.1f s in system call %d",
			     t->wait.blocked_ns / 1e9, w.syscall);
	if (n >= len || w.kind == TS_LOCK_NONE)
		return 1;
	if (w.owner_tid) {
		ts_comm_of(w.owner_tid, comm, sizeof(comm));
		snprintf(buf + n, len - n, " held by %u (%s) [%s]", w.owner_tid,
			 comm, ts_owner_how_name(w.owner_how));
	} else {
		snprintf(buf + n, len - n, ", owner unknown");
	}
	return 1;
}
