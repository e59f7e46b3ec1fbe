// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The wait-for graph: one node per blocked thread, an edge from a waiter
 * to the owner of what it waits on, when the owner is known and alive in
 * the dump. A blocked thread waits on one thing, so each node has at most
 * one edge out and every cycle is found by following edges once.
 *
 * Locks are keyed by (process, address), or for a futex that is not
 * process-private by the file, inode and offset it lies in, so waiters of
 * one process-shared mutex in several processes meet at one lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "waits.h"

struct ts_tid_index {
	uint32_t tid;
	size_t idx;
};

static int ts_tid_cmp(const void *a, const void *b)
{
	const struct ts_tid_index *x = a, *y = b;

	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static size_t ts_tid_find(const struct ts_tid_index *ix, size_t n,
			  uint32_t tid)
{
	struct ts_tid_index key = { .tid = tid };
	const struct ts_tid_index *hit;

	hit = bsearch(&key, ix, n, sizeof(*ix), ts_tid_cmp);
	return hit ? hit->idx : SIZE_MAX;
}

static int ts_waiter_cmp(const void *a, const void *b)
{
	const struct ts_waiter *x = a, *y = b;

	if (x->blocked_ns != y->blocked_ns)
		return x->blocked_ns > y->blocked_ns ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static bool ts_shared_key(const struct ts_lock *l)
{
	return l->shared && l->ino;
}

/* The lock @w waits on: an existing one or a new one (-1: no memory). */
static int ts_lock_of(struct ts_wait_graph *g, const struct ts_thread *t,
		      struct ts_waiter *w, const struct ts_wait_source *src)
{
	struct ts_lock l = { 0 };
	size_t i;

	for (i = 0; i < g->n_locks; i++)
		if (g->locks[i].tgid == w->tgid && g->locks[i].addr == w->addr)
			goto found;
	l.tgid = w->tgid;
	l.addr = w->addr;
	l.shared = !t->wait.futex_private;
	l.kind = w->kind;
	src->name(w->tgid, w->addr, &l, src->arg);
	if (ts_shared_key(&l))
		for (i = 0; i < g->n_locks; i++)
			if (ts_shared_key(&g->locks[i]) &&
			    g->locks[i].dev == l.dev &&
			    g->locks[i].ino == l.ino &&
			    g->locks[i].offset == l.offset)
				goto found;
	if (ts_vec_push((void **)&g->locks, &g->n_locks, &g->locks_cap,
			sizeof(l), &l))
		return -1;
	i = g->n_locks - 1;
found:
	w->lock = i;
	return 0;
}

static int ts_lock_cmp(const void *a, const void *b)
{
	const struct ts_lock *x = a, *y = b;	/* first member of a slot */

	if (x->n_waiters != y->n_waiters)
		return x->n_waiters > y->n_waiters ? -1 : 1;
	if (x->longest_ns != y->longest_ns)
		return x->longest_ns > y->longest_ns ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* A lock with the index it had before sorting. */
struct ts_lock_slot {
	struct ts_lock l;
	size_t old;
};

/* Sort locks by waiters and longest wait, and renumber the waiters'. */
static int ts_locks_sort(struct ts_wait_graph *g)
{
	struct ts_lock_slot *tmp;
	size_t *map, i;

	map = calloc(g->n_locks ? g->n_locks : 1, sizeof(*map));
	tmp = calloc(g->n_locks ? g->n_locks : 1, sizeof(*tmp));
	if (!map || !tmp) {
		free(map);
		free(tmp);
		return -1;
	}
	for (i = 0; i < g->n_locks; i++) {
		tmp[i].l = g->locks[i];
		tmp[i].old = i;
	}
	if (g->n_locks)
		qsort(tmp, g->n_locks, sizeof(*tmp), ts_lock_cmp);
	for (i = 0; i < g->n_locks; i++) {
		g->locks[i] = tmp[i].l;
		map[tmp[i].old] = i;
	}
	for (i = 0; i < g->n; i++)
		if (g->w[i].lock != SIZE_MAX)
			g->w[i].lock = map[g->w[i].lock];
	free(tmp);
	free(map);
	return 0;
}

/*
 * Keep an owner only when it is a live thread of the dump, and of the
 * waiter's own process for a private futex: a tid that names nobody (an
 * owner that exited) or somebody unrelated is no owner we can show.
 */
static void ts_owner_check(struct ts_waiter *w, const struct ts_thread_list *l,
			   const struct ts_tid_index *ix, size_t n, bool priv)
{
	size_t o;

	w->owner_thread = SIZE_MAX;
	if (!w->owner_tid)
		return;
	o = ts_tid_find(ix, n, w->owner_tid);
	if (o == SIZE_MAX || (priv && l->v[o].tgid != w->tgid)) {
		if (w->owner_how == TS_OWNER_LAYOUT) {
			w->owner_tid = 0;
			w->owner_how = TS_OWNER_UNKNOWN;
		}
		return;
	}
	w->owner_thread = o;
}

int ts_wait_graph_build(const struct ts_thread_list *list,
			const struct ts_wait_source *src,
			struct ts_wait_graph *g, struct ts_error *err)
{
	struct ts_tid_index *ix = NULL, *wix = NULL;
	size_t i;

	memset(g, 0, sizeof(*g));
	ix = calloc(list->n ? list->n : 1, sizeof(*ix));
	if (!ix)
		goto oom;
	for (i = 0; i < list->n; i++) {
		const struct ts_thread *t = &list->v[i];
		struct ts_waiter w = {
			.thread = i, .tid = t->tid, .tgid = t->tgid,
			.fd = -1, .lock = SIZE_MAX, .next = SIZE_MAX,
			.owner_thread = SIZE_MAX,
		};

		ix[i].tid = t->tid;
		ix[i].idx = i;
		if (!ts_thread_has(t, THREADSTAT_A_THREAD_WAIT))
			continue;
		w.syscall = t->wait.syscall;
		w.blocked_ns = t->wait.blocked_ns;
		if (ts_present(&ts_wait_set, &t->wait, THREADSTAT_A_WAIT_FD))
			w.fd = t->wait.fd;
		if (ts_present(&ts_wait_set, &t->wait,
			       THREADSTAT_A_WAIT_FUTEX_ADDR)) {
			w.addr = t->wait.futex_addr;
			w.futex_op = t->wait.futex_op;
			src->owner(t, &w, g, src->arg);
		}
		if (ts_vec_push((void **)&g->w, &g->n, &g->cap, sizeof(w), &w))
			goto oom;
	}
	if (list->n)
		qsort(ix, list->n, sizeof(*ix), ts_tid_cmp);
	if (g->n)
		qsort(g->w, g->n, sizeof(*g->w), ts_waiter_cmp);

	for (i = 0; i < g->n; i++) {
		struct ts_waiter *w = &g->w[i];
		const struct ts_thread *t = &list->v[w->thread];

		if (w->kind == TS_LOCK_NONE)
			continue;
		ts_owner_check(w, list, ix, list->n, t->wait.futex_private);
		if (ts_lock_of(g, t, w, src))
			goto oom;
	}
	/* each lock: its waiters, longest wait, and an owner when one knows */
	for (i = 0; i < g->n; i++) {
		const struct ts_waiter *w = &g->w[i];
		struct ts_lock *l;

		if (w->lock == SIZE_MAX)
			continue;
		l = &g->locks[w->lock];
		l->n_waiters++;
		if (w->blocked_ns > l->longest_ns)
			l->longest_ns = w->blocked_ns;
		if (w->owner_tid && !l->owner_tid) {
			l->owner_tid = w->owner_tid;
			l->owner_how = w->owner_how;
			l->kind = w->kind;
		} else if (!l->owner_how) {
			l->owner_how = w->owner_how;
		}
	}
	if (ts_locks_sort(g))
		goto oom;

	/* edges: waiter -> the owner's own waiter entry */
	wix = calloc(g->n ? g->n : 1, sizeof(*wix));
	if (!wix)
		goto oom;
	for (i = 0; i < g->n; i++) {
		wix[i].tid = g->w[i].tid;
		wix[i].idx = i;
	}
	if (g->n)
		qsort(wix, g->n, sizeof(*wix), ts_tid_cmp);
	for (i = 0; i < g->n; i++)
		if (g->w[i].owner_thread != SIZE_MAX)
			g->w[i].next = ts_tid_find(wix, g->n, g->w[i].owner_tid);
	free(wix);
	free(ix);
	if (ts_wait_cycles(g))
		goto oom_freed;
	return 0;
oom:
	free(ix);
oom_freed:
	ts_wait_graph_free(g);
	return ts_fail(err, ENOMEM, "out of memory building the wait graph");
}

/* Add the cycle through waiter @x, starting at its lowest tid. */
static int ts_cycle_add(struct ts_wait_graph *g, size_t x)
{
	struct ts_cycle c = { 0 };
	size_t n = 1, y, lo = x, i;

	for (y = g->w[x].next; y != x; y = g->w[y].next) {
		n++;
		if (g->w[y].tid < g->w[lo].tid)
			lo = y;
	}
	c.w = malloc(n * sizeof(*c.w));
	if (!c.w)
		return -1;
	for (i = 0, y = lo; i < n; i++, y = g->w[y].next)
		c.w[i] = y;
	c.n = n;
	if (ts_vec_push((void **)&g->cycles, &g->n_cycles, &g->cycles_cap,
			sizeof(c), &c)) {
		free(c.w);
		return -1;
	}
	return 0;
}

int ts_wait_cycles(struct ts_wait_graph *g)
{
	size_t *mark, s, x;
	int ret = 0;

	mark = calloc(g->n ? g->n : 1, sizeof(*mark));
	if (!mark)
		return -1;
	for (s = 0; s < g->n && !ret; s++) {
		for (x = s; x != SIZE_MAX && !mark[x]; x = g->w[x].next)
			mark[x] = s + 1;
		/* back on this walk's own path: a new cycle */
		if (x != SIZE_MAX && mark[x] == s + 1)
			ret = ts_cycle_add(g, x);
	}
	free(mark);
	return ret;
}

void ts_wait_graph_free(struct ts_wait_graph *g)
{
	size_t i;

	for (i = 0; i < g->n_cycles; i++)
		free(g->cycles[i].w);
	free(g->cycles);
	free(g->locks);
	free(g->w);
	free(g->procs);
	memset(g, 0, sizeof(*g));
}
