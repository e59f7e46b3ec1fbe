// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The list machinery every list view shares (processes, cores): the column
 * header, which also records where each column starts for mouse clicks, and
 * a scrolled window of rows that keeps the selection visible.
 */
#include <stdio.h>

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
