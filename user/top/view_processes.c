// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The processes view: a row per process (its threads beneath when
 * expanded), or a row per thread; flat or as a tree. Also the list
 * machinery the cores view shares: column header, scrolling, selection.
 */
#include <stdio.h>
#include <string.h>

#include "top.h"

void colhead_draw(struct top *t, struct surface *s, const bool shown[TS_COLS],
		  const char *lead)
{
	int i, c;

	t->colhead_y = s->y;
	t->n_col_at = 0;
	surf_put(s, ROLE_COLHEAD, lead);
	for (i = 0; i < TS_COLS; i++) {
		const struct column *col = &columns[c = (int)t->o.order[i]];
		enum role r = c == (int)t->q.sort ? ROLE_COLHEAD_SORT :
						    ROLE_COLHEAD;

		if (!shown[c])
			continue;
		t->col_x[t->n_col_at] = s->x;
		t->col_at[t->n_col_at++] = (enum ts_col)c;
		if (c == TS_COL_COMMAND)
			surf_printf(s, r, "%s", col->title);
		else
			surf_printf(s, r, col->left ? "%-*s" : "%*s", col->width,
				    col->title);
		surf_put(s, ROLE_COLHEAD, " ");
	}
	t->col_x[t->n_col_at] = s->width;
	surf_pad(s, ROLE_COLHEAD, -1);
	surf_newline(s);
}

void list_draw(struct top *t, struct surface *s,
	       void (*row)(struct top *t, struct surface *s,
			   const struct ts_row *r, bool selected))
{
	size_t i, end;
	int avail;

	if (!s->curses) {
		for (i = 0; i < t->rows.n; i++)
			row(t, s, &t->rows.v[i], false);
		return;
	}
	avail = s->height - s->y - 1;	/* the footer's line */
	if (avail < 1)
		avail = 1;
	t->list_y = s->y;
	t->list_rows = avail;
	if (t->sel >= t->rows.n)
		t->sel = t->rows.n ? t->rows.n - 1 : 0;
	if (t->sel < t->scroll)
		t->scroll = t->sel;
	if (t->sel >= t->scroll + (size_t)avail)
		t->scroll = t->sel - (size_t)avail + 1;
	if (t->rows.n <= (size_t)avail)
		t->scroll = 0;
	else if (t->scroll > t->rows.n - (size_t)avail)
		t->scroll = t->rows.n - (size_t)avail;
	end = t->scroll + (size_t)avail;
	for (i = t->scroll; i < end && i < t->rows.n; i++)
		row(t, s, &t->rows.v[i], i == t->sel);
}

/* The role of a cell that is not the selection. */
static enum role cell_role(enum ts_col c, const struct ts_mstat *st,
			   const struct ts_row *r)
{
	if (st->flags & TS_MF_EXITED)	/* a tomb, shown this once */
		return ROLE_DIM;
	if (c == TS_COL_ID && (st->flags & TS_MF_NEW))
		return ROLE_NEW;
	if (c == TS_COL_STATE && st->state == 'R')
		return ROLE_RUNNING;
	if (c == TS_COL_COMMAND) {
		if (st->flags & TS_MF_KTHREAD)
			return ROLE_KTHREAD;
		if (r->kind == TS_ROW_THREAD && r->depth)
			return ROLE_THREAD;
	}
	return ROLE_NORMAL;
}

/*
 * A process row's COMMAND: its command line, read once per process, with
 * the program's name (argv[0]'s basename) bold, as htop shows it. Kernel
 * threads, processes without one and replays show comm; thread rows show
 * the thread's own name. False when comm is to be shown.
 */
static bool cmdline_draw(struct top *t, struct surface *s,
			 const struct ts_row *r, const struct ts_mstat *st,
			 enum role role, bool selected)
{
	const struct ts_cmdline *cl;
	char part[SURFACE_LINE];
	size_t off, len;

	if (r->kind != TS_ROW_PROCESS || t->src.reader ||
	    (st->flags & (TS_MF_KTHREAD | TS_MF_EXITED)))
		return false;
	cl = ts_cmdline_get(&t->cmdlines, st->id, st->start_time);
	if (!cl || !cl->text)
		return false;
	off = cl->prog_off;
	len = cl->prog_len;
	/* surf_put sanitizes; it needs strings, so in three pieces. */
	snprintf(part, sizeof(part), "%.*s", (int)off, cl->text);
	surf_put(s, role, part);
	snprintf(part, sizeof(part), "%.*s", (int)len, cl->text + off);
	surf_put(s, selected ? role : ROLE_PROGRAM, part);
	snprintf(part, sizeof(part), "%s", cl->text + off + len);
	surf_put(s, role, part);
	return true;
}

/* The cells of a process or thread row, from @lead on. */
static void stat_cells(struct top *t, struct surface *s,
		       const struct ts_row *r, const struct ts_mstat *st,
		       const bool shown[TS_COLS], bool selected)
{
	char buf[SURFACE_LINE], prefix[TS_TREE_DEPTH * 2 + 4];
	bool tagged = act_tagged(t, r);
	int i, c;

	for (i = 0; i < TS_COLS; i++) {
		enum role role;

		c = (int)t->o.order[i];
		role = selected ? ROLE_SELECTED : tagged ? ROLE_TAGGED :
		       cell_role((enum ts_col)c, st, r);
		if (!shown[c])
			continue;
		if (c == TS_COL_COMMAND) {
			bool expandable = r->kind == TS_ROW_PROCESS &&
					  st->n_threads > 1 &&
					  t->view == VIEW_PROCESSES &&
					  !t->o.threads;

			tree_prefix(prefix, sizeof(prefix), r, expandable);
			surf_put(s, selected ? ROLE_SELECTED : ROLE_DIM, prefix);
		}
		if (c != TS_COL_COMMAND ||
		    !cmdline_draw(t, s, r, st, role, selected)) {
			cell_text(buf, sizeof(buf), (enum ts_col)c, st,
				  r->kind == TS_ROW_THREAD);
			surf_put(s, role, buf);
		}
		if (c == TS_COL_COMMAND &&
		    t->view == VIEW_CORES && (st->flags & TS_MF_HOPPED)) {
			const struct ts_mthread *th = (const void *)st;

			surf_printf(s, selected ? ROLE_SELECTED : ROLE_DIM,
				    "  <- CPU %u", th->prev_cpu);
		}
		surf_put(s, selected ? ROLE_SELECTED : ROLE_NORMAL, " ");
	}
	surf_pad(s, selected ? ROLE_SELECTED : ROLE_NORMAL, -1);
	surf_newline(s);
}

void process_row_draw(struct top *t, struct surface *s,
		      const struct ts_row *r, bool selected)
{
	const struct ts_mstat *st = ts_row_stat(&t->model, r);

	if (!st)
		return;
	if (t->view == VIEW_CORES) {
		bool running = !(st->flags & TS_MF_EXITED) &&
			       (st->flags & TS_MF_ON_CPU ||
				(st->cpu < t->model.n_cpus &&
				 st->id == t->model.cpus[st->cpu].running_tid));

		surf_put(s, selected ? ROLE_SELECTED : ROLE_RUNNING,
			 running ? " * " : "   ");
	}
	stat_cells(t, s, r, st, t->shown, selected);
}

void view_processes_draw(struct top *t, struct surface *s)
{
	header_draw(t, s);
	if (!s->curses)
		surf_newline(s);
	columns_fit(t, s->width, VIEW_PROCESSES, t->shown);
	colhead_draw(t, s, t->shown, "");
	list_draw(t, s, process_row_draw);
}
