// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The wait graph as a tree, for threadtop's wait view: an owner, then the
 * threads waiting for what it holds, then theirs, and so on down the
 * chains. Roots are, in order: one member of each cycle (the cycle is
 * walked until it comes back, which ends in a "back" row), the owners at
 * the top of a chain (locks by waiters, most first), and locks whose
 * owner is unknown or not in the dump, with their waiters beneath. Every
 * blocked thread waiting on a lock appears once; a thread blocked on
 * something else appears only when it holds what others wait on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "waits.h"

#define TS_TREE_MAX_DEPTH	1000	/* a longer chain is cut there */

struct ts_tree_build {
	const struct ts_thread_list *list;
	const struct ts_wait_graph *g;
	struct ts_wait_tree *tree;
	size_t *waiter_of;	/* per thread: its waiter index, or SIZE_MAX */
	size_t *child;		/* per thread: its first waiter, or SIZE_MAX */
	size_t *sibling;	/* per waiter: the next with the same owner */
	size_t *lock_first;	/* per lock: its first waiter */
	size_t *lock_next;	/* per waiter: the next of the same lock */
	bool *seen;		/* per thread */
	bool *in_cycle;		/* per waiter */
};

static int ts_row_push(struct ts_tree_build *b, const struct ts_wait_row *r)
{
	struct ts_wait_tree *t = b->tree;

	return ts_vec_push((void **)&t->v, &t->n, &t->cap, sizeof(*r), r);
}

/* @thread and, beneath it, what waits for it. */
static int ts_emit(struct ts_tree_build *b, size_t thread, unsigned int depth)
{
	size_t w = b->waiter_of[thread], c;
	struct ts_wait_row r = {
		.kind = TS_WROW_THREAD, .depth = depth, .thread = thread,
		.waiter = w, .lock = SIZE_MAX,
		.in_cycle = w != SIZE_MAX && b->in_cycle[w],
	};

	if (b->seen[thread]) {
		r.kind = TS_WROW_BACK;
		return ts_row_push(b, &r);
	}
	b->seen[thread] = true;
	if (ts_row_push(b, &r))
		return -1;
	if (depth >= TS_TREE_MAX_DEPTH)
		return 0;
	for (c = b->child[thread]; c != SIZE_MAX; c = b->sibling[c])
		if (ts_emit(b, b->g->w[c].thread, depth + 1))
			return -1;
	return 0;
}

/* The top of @thread's chain: follow owners while they are blocked. */
static size_t ts_chain_top(const struct ts_tree_build *b, size_t thread)
{
	size_t steps, w;

	for (steps = 0; steps <= b->g->n; steps++) {
		w = b->waiter_of[thread];
		if (w == SIZE_MAX || b->g->w[w].owner_thread == SIZE_MAX ||
		    b->seen[b->g->w[w].owner_thread])
			break;
		thread = b->g->w[w].owner_thread;
	}
	return thread;
}

static int ts_emit_lock(struct ts_tree_build *b, size_t lock)
{
	struct ts_wait_row r = { .kind = TS_WROW_LOCK, .lock = lock,
				 .thread = SIZE_MAX, .waiter = SIZE_MAX };
	size_t w, owner = SIZE_MAX;
	bool header = false;

	for (w = b->lock_first[lock]; w != SIZE_MAX; w = b->lock_next[w])
		if (b->g->w[w].owner_thread != SIZE_MAX) {
			owner = b->g->w[w].owner_thread;
			break;
		}
	if (owner != SIZE_MAX) {
		owner = ts_chain_top(b, owner);
		if (!b->seen[owner] && ts_emit(b, owner, 0))
			return -1;
	}
	/* waiters no owner above took in: under the lock itself */
	for (w = b->lock_first[lock]; w != SIZE_MAX; w = b->lock_next[w]) {
		size_t th = b->g->w[w].thread;

		if (b->seen[th])
			continue;
		if (!header && ts_row_push(b, &r))
			return -1;
		header = true;
		if (ts_emit(b, th, 1))
			return -1;
	}
	return 0;
}

static void ts_build_free(struct ts_tree_build *b)
{
	free(b->waiter_of);
	free(b->child);
	free(b->sibling);
	free(b->lock_first);
	free(b->lock_next);
	free(b->seen);
	free(b->in_cycle);
}

/**
 * ts_wait_tree_build() - the wait view's rows
 * @list: the threads @g was built from
 * @g: the wait graph
 * @tree: filled with rows (free with ts_wait_tree_free())
 *
 * Return: 0, or -1 when out of memory (@tree is then empty).
 */
int ts_wait_tree_build(const struct ts_thread_list *list,
		       const struct ts_wait_graph *g, struct ts_wait_tree *tree)
{
	size_t nt = list->n ? list->n : 1, nw = g->n ? g->n : 1;
	size_t nl = g->n_locks ? g->n_locks : 1;
	struct ts_tree_build b = { .list = list, .g = g, .tree = tree };
	size_t i, j;

	memset(tree, 0, sizeof(*tree));
	b.waiter_of = malloc(nt * sizeof(size_t));
	b.child = malloc(nt * sizeof(size_t));
	b.sibling = malloc(nw * sizeof(size_t));
	b.lock_first = malloc(nl * sizeof(size_t));
	b.lock_next = malloc(nw * sizeof(size_t));
	b.seen = calloc(nt, sizeof(bool));
	b.in_cycle = calloc(nw, sizeof(bool));
	if (!b.waiter_of || !b.child || !b.sibling || !b.lock_first ||
	    !b.lock_next || !b.seen || !b.in_cycle)
		goto oom;
	memset(b.waiter_of, 0xff, nt * sizeof(size_t));
	memset(b.child, 0xff, nt * sizeof(size_t));
	memset(b.lock_first, 0xff, nl * sizeof(size_t));
	/* backwards, so that the lists keep the graph's order (longest
	 * waits first)
	 */
	for (i = g->n; i-- > 0;) {
		const struct ts_waiter *w = &g->w[i];

		b.waiter_of[w->thread] = i;
		b.sibling[i] = SIZE_MAX;
		b.lock_next[i] = SIZE_MAX;
		if (w->owner_thread != SIZE_MAX) {
			b.sibling[i] = b.child[w->owner_thread];
			b.child[w->owner_thread] = i;
		}
		if (w->lock != SIZE_MAX) {
			b.lock_next[i] = b.lock_first[w->lock];
			b.lock_first[w->lock] = i;
		}
	}
	for (i = 0; i < g->n_cycles; i++)
		for (j = 0; j < g->cycles[i].n; j++)
			b.in_cycle[g->cycles[i].w[j]] = true;
	for (i = 0; i < g->n_cycles; i++)
		if (ts_emit(&b, g->w[g->cycles[i].w[0]].thread, 0))
			goto oom;
	for (i = 0; i < g->n_locks; i++)
		if (ts_emit_lock(&b, i))
			goto oom;
	ts_build_free(&b);
	return 0;
oom:
	ts_build_free(&b);
	ts_wait_tree_free(tree);
	return -1;
}

void ts_wait_tree_free(struct ts_wait_tree *tree)
{
	free(tree->v);
	memset(tree, 0, sizeof(*tree));
}

const char *ts_wait_op_text(const struct ts_waiter *w, char *buf, size_t len)
{
	const char *op = ts_wait_op_name(w);

	if (op)
		return op;
	if (w->fd >= 0)
		snprintf(buf, len, "syscall %d fd %d", w->syscall, w->fd);
	else
		snprintf(buf, len, "syscall %d", w->syscall);
	return buf;
}

/**
 * ts_wait_row_text() - one row of the wait view, names raw
 * @list: the threads
 * @g: the graph
 * @r: the row
 * @buf: the text (the tool escapes it like any name it shows)
 * @len: its size
 */
void ts_wait_row_text(const struct ts_thread_list *list,
		      const struct ts_wait_graph *g,
		      const struct ts_wait_row *r, char *buf, size_t len)
{
	const struct ts_thread *t;
	const struct ts_waiter *w;
	char op[48];
	size_t n;

	if (r->kind == TS_WROW_LOCK) {
		const struct ts_lock *l = &g->locks[r->lock];

		n = snprintf(buf, len, "%s (%s) of %u: %zu waiter%s, ", l->name,
			     ts_lock_kind_name(l->kind), l->tgid, l->n_waiters,
			     l->n_waiters == 1 ? "" : "s");
		if (n >= len)
			return;
		if (l->owner_tid)
			snprintf(buf + n, len - n, "held by %u [%s], not in "
				 "the dump", l->owner_tid,
				 ts_owner_how_name(l->owner_how));
		else
			snprintf(buf + n, len - n, "owner unknown");
		return;
	}
	t = &list->v[r->thread];
	if (r->kind == TS_WROW_BACK) {
		snprintf(buf, len, "%u (%s): the cycle closes here", t->tid,
			 t->comm);
		return;
	}
	n = snprintf(buf, len, "%u (%s) of %u, state %c", t->tid, t->comm,
		     t->tgid, t->state ? t->state : '?');
	if (n >= len || r->waiter == SIZE_MAX)
		return;
	w = &g->w[r->waiter];
	n += snprintf(buf + n, len - n, ": blocked %.1f s in %s",
		      w->blocked_ns / 1e9, ts_wait_op_text(w, op, sizeof(op)));
	if (n >= len || w->lock == SIZE_MAX)
		return;
	n += snprintf(buf + n, len - n, " on %s (%s)", g->locks[w->lock].name,
		      ts_lock_kind_name(w->kind));
	if (n >= len)
		return;
	if (w->owner_tid)
		snprintf(buf + n, len - n, " held by %u [%s]", w->owner_tid,
			 ts_owner_how_name(w->owner_how));
	else
		snprintf(buf + n, len - n, ", owner unknown");
}

int ts_waits_build(struct ts_waits *w, const struct ts_wait_source *src,
		   struct ts_error *err)
{
	size_t i;

	w->withheld = 0;
	for (i = 0; i < w->list.n; i++)
		if (w->list.v[i].withheld & THREADSTAT_FIELDS_WAIT)
			w->withheld++;
	if (ts_wait_graph_build(&w->list, src, &w->g, err))
		return -1;
	if (ts_wait_tree_build(&w->list, &w->g, &w->tree)) {
		ts_wait_graph_free(&w->g);
		return ts_fail(err, ENOMEM, "out of memory building the wait "
			       "tree");
	}
	w->valid = true;
	return 0;
}

void ts_waits_free(struct ts_waits *w)
{
	ts_wait_tree_free(&w->tree);
	ts_wait_graph_free(&w->g);
	ts_thread_list_free(&w->list);
	memset(w, 0, sizeof(*w));
}
