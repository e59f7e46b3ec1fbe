// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The UI state turned into a rows query, and the selection kept on the
 * same process, thread or CPU as rows are rebuilt sample after sample.
 */
#include "top.h"

static enum view list_view(const struct top *t)
{
	return t->view == VIEW_DETAIL || t->view == VIEW_HELP ? t->back :
								t->view;
}

void top_query(struct top *t)
{
	t->q.mode = list_view(t) == VIEW_CORES ? TS_ROWS_CORES :
		    t->o.threads ? TS_ROWS_THREADS : TS_ROWS_PROCESSES;
	t->q.sort = t->o.sort;
	t->q.invert = t->o.invert;
	t->q.tree = t->o.tree;
	t->q.kernel_threads = t->o.kernel;
	t->q.filter = t->filter;
	t->q.only_tgid = t->o.pid;
	t->q.expanded = &t->expanded;
}

void top_select(struct top *t, size_t i)
{
	if (!t->rows.n) {
		t->sel = 0;
		return;
	}
	if (i >= t->rows.n)
		i = t->rows.n - 1;
	t->sel = i;
	t->sel_kind = t->rows.v[i].kind;
	t->sel_id = ts_row_id(&t->model, &t->rows.v[i]);
}

void top_rows(struct top *t)
{
	size_t i;

	if (t->rows_seq == t->model.seq && !t->rows_dirty)
		return;
	top_query(t);
	if (ts_rows_build(&t->model, &t->q, &t->rows))
		t->rows.n = 0;	/* out of memory: an empty list */
	t->rows_seq = t->model.seq;
	t->rows_dirty = false;
	for (i = 0; i < t->rows.n; i++)
		if (t->rows.v[i].kind == t->sel_kind &&
		    ts_row_id(&t->model, &t->rows.v[i]) == t->sel_id) {
			t->sel = i;
			return;
		}
	/* The selection vanished: stay at the same place in the list. */
	top_select(t, t->sel);
}
