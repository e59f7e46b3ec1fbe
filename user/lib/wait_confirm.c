// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A cycle in one dump's wait-for graph is a deadlock only if it lasts.
 *
 * One dump is no instant: it reads one thread after another, and the owner
 * of each waiter's lock is read from the process's memory when that waiter
 * is reached. Under contention a lock changes hands between two such
 * reads, and two edges read at different times can close a cycle that
 * never existed at any one instant (waits_test saw it: 1000 threads
 * contending for one mutex, a 2-cycle through that mutex, once in about
 * fifty runs). A deadlocked thread never runs again, so a cycle is kept
 * only when a dump taken after the first one ended shows every member
 * still blocked on the same address, for the same owner, with both of its
 * context-switch counts unchanged: it did not run in between. A real
 * deadlock passes this every time; a torn one would need every member to
 * stay asleep through a second read of every owner.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "waits.h"

static const struct ts_waiter *ts_waiter_of(const struct ts_wait_graph *g,
					    uint32_t tid)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->w[i].tid == tid)
			return &g->w[i];
	return NULL;
}

/* Its switch counts, both sent: has it run between @a and @b? */
static bool ts_stayed_off_cpu(const struct ts_thread *a,
			      const struct ts_thread *b)
{
	return ts_thread_has(a, THREADSTAT_A_THREAD_NVCSW) &&
	       ts_thread_has(a, THREADSTAT_A_THREAD_NIVCSW) &&
	       ts_thread_has(b, THREADSTAT_A_THREAD_NVCSW) &&
	       ts_thread_has(b, THREADSTAT_A_THREAD_NIVCSW) &&
	       a->nvcsw == b->nvcsw && a->nivcsw == b->nivcsw;
}

/*
 * Does the cycle last? A member whose edge did not is left with no owner
 * (its owner changed while the dump read it), which also breaks the loop
 * the torn edges made, so that no view walks it as a chain.
 */
static bool ts_cycle_lasts(struct ts_wait_graph *g,
			   const struct ts_thread_list *list,
			   const struct ts_cycle *c,
			   const struct ts_wait_graph *later,
			   const struct ts_thread_list *later_list)
{
	bool lasts = true;
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct ts_waiter *w = &g->w[c->w[i]];
		const struct ts_waiter *v = ts_waiter_of(later, w->tid);

		if (v && v->addr == w->addr && v->owner_tid == w->owner_tid &&
		    v->owner_thread != SIZE_MAX &&
		    ts_stayed_off_cpu(&list->v[w->thread],
				      &later_list->v[v->thread]))
			continue;
		w->owner_tid = 0;
		w->owner_how = TS_OWNER_UNKNOWN;
		w->owner_thread = SIZE_MAX;
		w->next = SIZE_MAX;
		lasts = false;
	}
	return lasts;
}

/**
 * ts_wait_cycles_confirm() - keep the cycles that a later dump still shows
 * @g: the graph of @list, its cycles found
 * @list: the dump @g was built from
 * @later: the graph of a dump that began after @list's ended
 * @later_list: that dump
 *
 * A member of a dropped cycle whose edge did not last loses its owner.
 *
 * Return: how many cycles were dropped.
 */
size_t ts_wait_cycles_confirm(struct ts_wait_graph *g,
			      const struct ts_thread_list *list,
			      const struct ts_wait_graph *later,
			      const struct ts_thread_list *later_list)
{
	size_t i, kept = 0, dropped;

	for (i = 0; i < g->n_cycles; i++) {
		if (ts_cycle_lasts(g, list, &g->cycles[i], later, later_list))
			g->cycles[kept++] = g->cycles[i];
		else
			free(g->cycles[i].w);
	}
	dropped = g->n_cycles - kept;
	g->n_cycles = kept;
	return dropped;
}

/**
 * ts_wait_graph_confirm_live() - confirm @g's cycles with a second dump
 * @c: the client @list was dumped with
 * @tgid: the process @list was limited to, 0 for all
 * @list: the threads @g was built from
 * @g: their wait graph
 * @err: why it failed
 *
 * Without a cycle nothing is dumped. See ts_wait_cycles_confirm().
 *
 * Return: 0, or -1 (@err says).
 */
int ts_wait_graph_confirm_live(struct ts_client *c, uint32_t tgid,
			       const struct ts_thread_list *list,
			       struct ts_wait_graph *g, struct ts_error *err)
{
	const struct ts_thread_query q = {
		.tgid = tgid,
		.fields = THREADSTAT_FIELDS_SCHED | THREADSTAT_FIELDS_WAIT,
	};
	struct ts_thread_list later = { 0 };
	struct ts_wait_graph lg;

	if (!g->n_cycles)
		return 0;
	if (ts_thread_list_dump(c, &q, &later, err))
		return -1;
	if (ts_wait_graph_build(&later, &ts_wait_source_live, &lg, err)) {
		ts_thread_list_free(&later);
		return -1;
	}
	ts_wait_cycles_confirm(g, list, &lg, &later);
	ts_wait_graph_free(&lg);
	ts_thread_list_free(&later);
	return 0;
}

/**
 * ts_waits_confirm_live() - ts_wait_graph_confirm_live() for a view's waits
 * @c: the client @w's threads were dumped with
 * @tgid: the process they were limited to, 0 for all
 * @w: threads, graph and tree; the tree is rebuilt when a cycle goes
 * @err: why it failed
 *
 * Return: 0, or -1 (@err says).
 */
int ts_waits_confirm_live(struct ts_client *c, uint32_t tgid,
			  struct ts_waits *w, struct ts_error *err)
{
	if (!w->g.n_cycles)
		return 0;
	if (ts_wait_graph_confirm_live(c, tgid, &w->list, &w->g, err))
		return -1;
	ts_wait_tree_free(&w->tree);
	if (ts_wait_tree_build(&w->list, &w->g, &w->tree))
		return ts_fail(err, ENOMEM, "out of memory building the wait "
			       "tree");
	return 0;
}
