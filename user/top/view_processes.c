// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The processes view: a row per process (its threads beneath when
 * expanded), or a row per thread; flat or as a tree. The list machinery
 * it shares with the cores view is in list.c.
 */
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "top.h"

/* The role of a cell that is not the selection. */
static enum role cell_role(enum ts_col c, const struct ts_mstat *st,
			   const struct ts_row *r)
{
	if (st->flags & TS_MF_EXITED)	/* a tomb, shown this once */
		return c == TS_COL_ID ? ROLE_EXITED : ROLE_DIM;
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
 * threads, processes without one and recordings without command lines
 * show comm; thread rows show the thread's own name. False when comm is
 * to be shown.
 */
static bool cmdline_draw(struct top *t, struct surface *s,
			 const struct ts_row *r, const struct ts_mstat *st,
			 enum role role, bool selected)
{
	const struct ts_cmdline *cl;
	char part[SURFACE_LINE];
	size_t off, len;

	if (r->kind != TS_ROW_PROCESS ||
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

/* A tomb with its exit event: how long it lived, what it used. */
static void exited_note(struct surface *s, const struct ts_mthread *th,
			bool selected)
{
	surf_printf(s, selected ? ROLE_SELECTED : ROLE_EXITED,
		    "  exited: lived %.1f ms, CPU %.1f ms, switches %llu+%llu",
		    th->lifetime / 1e6, th->s.runtime / 1e6,
		    (unsigned long long)th->nvcsw,
		    (unsigned long long)th->nivcsw);
}

/* Puts the cells gathered in @row (a text frame's plain ones). */
static void row_flush(struct surface *s, char *row, size_t *len)
{
	if (!*len)
		return;
	row[*len] = '\0';
	surf_put_plain(s, ROLE_NORMAL, row, *len);	/* row_gather's: plain ASCII */
	*len = 0;
}

/*
 * A text frame has no roles: its plain cells (all but names, as a rule)
 * and their separators go to the surface in one piece, not a put each.
 * Only wholly plain ASCII cells are gathered, so every other cell starts
 * a put of its own, as on the screen (a mark at its start joins nothing).
 */
static bool row_gather(const struct surface *s, char *row, size_t *len,
		       const char *cell)
{
	size_t n = strlen(cell);

	if (s->curses || ts_text_plain(cell, n) != n ||
	    *len + n + 1 > SURFACE_LINE)
		return false;
	memcpy(row + *len, cell, n);
	*len += n;
	row[(*len)++] = ' ';
	return true;
}

/* The cells of a process or thread row, from @lead on. */
static void stat_cells(struct top *t, struct surface *s,
		       const struct ts_row *r, const struct ts_mstat *st,
		       const bool shown[TS_COLS], bool selected)
{
	char buf[SURFACE_LINE], prefix[TS_TREE_DEPTH * 2 + 4];
	char row[SURFACE_LINE + 1];
	size_t row_len = 0;
	bool tagged = act_tagged(t, r);
	const struct rowcache_entry *e = rowcache_find(&t->rowcache, st,
						       r->kind);
	bool keep = t->rowcache.on;	/* the cells gathered, at the first
					 * cell not gathered */
	int i = 0, c;

	if (e) {	/* the same values as a frame ago: the same text */
		memcpy(row, e->text, e->len);
		row_len = e->len;
		i = e->next;
		keep = false;
	}
	for (; i < TS_COLS; i++) {
		enum role role;

		c = (int)t->o.order[i];
		if (!shown[c])
			continue;
		if (c != TS_COL_COMMAND && !s->curses) {
			cell_text(buf, sizeof(buf), (enum ts_col)c, st,
				  r->kind == TS_ROW_THREAD);
			if (row_gather(s, row, &row_len, buf))
				continue;
		}
		if (keep) {
			rowcache_keep(&t->rowcache, st, r->kind, row, row_len,
				      i);
			keep = false;
		}
		if (c != TS_COL_COMMAND && !s->curses) {
			row_flush(s, row, &row_len);
			surf_put(s, ROLE_NORMAL, buf);
			surf_put(s, ROLE_NORMAL, " ");
			continue;
		}
		row_flush(s, row, &row_len);
		role = selected ? ROLE_SELECTED : tagged ? ROLE_TAGGED :
		       cell_role((enum ts_col)c, st, r);
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
		if (c == TS_COL_COMMAND && r->kind == TS_ROW_THREAD &&
		    (st->flags & TS_MF_FINAL))
			exited_note(s, (const void *)st, selected);
		if (c == TS_COL_COMMAND &&
		    t->view == VIEW_CORES && (st->flags & TS_MF_HOPPED)) {
			const struct ts_mthread *th = (const void *)st;

			surf_printf(s, selected ? ROLE_SELECTED : ROLE_DIM,
				    "  <- CPU %u", th->prev_cpu);
		}
		surf_put_plain(s, selected ? ROLE_SELECTED : ROLE_NORMAL, " ",
			       1);
	}
	if (keep)
		rowcache_keep(&t->rowcache, st, r->kind, row, row_len, i);
	row_flush(s, row, &row_len);
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
	rowcache_begin(&t->rowcache, !s->curses, t->rows.n, t->shown,
		       t->o.order);
	colhead_draw(t, s, t->shown, "");
	list_draw(t, s, process_row_draw);
}
