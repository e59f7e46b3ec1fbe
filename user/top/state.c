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
	t->q.only_tgids = &t->o.pids;
	t->q.by_uid = t->o.by_user;
	t->q.uid = t->o.uid;
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
	/* A list rebuilt because the user changed it keeps the selected
	 * row; one rebuilt because a sample came in keeps the bar where it
	 * is, unless F follows the row (htop's behaviour).
	 */
	bool keep = t->rows_dirty || t->follow;
	size_t i;

	if (t->rows_seq == t->model.seq && !t->rows_dirty)
		return;
	top_query(t);
	if (t->rows_seq != t->model.seq)	/* processes may be gone */
		ts_cmdlines_prune(&t->cmdlines, &t->model);
	if (ts_rows_build(&t->model, &t->q, &t->rows))
		t->rows.n = 0;	/* out of memory: an empty list */
	t->rows_seq = t->model.seq;
	t->rows_dirty = false;
	for (i = 0; keep && i < t->rows.n; i++)
		if (t->rows.v[i].kind == t->sel_kind &&
		    ts_row_id(&t->model, &t->rows.v[i]) == t->sel_id) {
			t->sel = i;
			return;
		}
	/* Not kept, or it vanished: stay at the same place in the list. */
	if (t->follow && t->model.complete)
		t->follow = false;	/* what F followed is gone */
	top_select(t, t->sel);
}

void top_set_delay(struct top *t, int tenths)
{
	pthread_mutex_lock(&t->lock);
	t->o.delay = tenths;
	pthread_mutex_unlock(&t->lock);
	sampler_poke(t);	/* the next sample at the new pace */
}

char *prompt_text(struct top *t)
{
	switch (t->input) {
	case INPUT_SEARCH: return t->search;
	case INPUT_FILTER: return t->filter;
	case INPUT_GOTO: return t->goto_text;
	default: return t->prompt;
	}
}
