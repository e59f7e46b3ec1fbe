// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The side menus over the list: F6 picks the sort column, F2 the columns
 * shown (input.c handles their keys).
 */
#include "top.h"

#define MENU_W	22

void menu_draw(struct top *t, struct surface *s)
{
	int c, y = t->list_y;

	if (!t->menu || !s->curses)
		return;
	s->y = y;
	s->x = 0;
	surf_printf(s, ROLE_COLHEAD, "%-*s", MENU_W,
		    t->menu == MENU_SORT ? " Sort by" : " Columns (Space)");
	for (c = 0; c < TS_COLS && s->y + 1 < s->height - 1; c++) {
		bool on = t->menu == MENU_SORT ? c == (int)t->q.sort : t->cols[c];
		enum role r = c == t->menu_sel ? ROLE_SELECTED : ROLE_NORMAL;

		s->y++;
		s->x = 0;
		surf_printf(s, r, " %s %-*s", t->menu == MENU_SORT ?
			    (on ? ">" : " ") : (on ? "[x]" : "[ ]"),
			    MENU_W - (t->menu == MENU_SORT ? 3 : 5),
			    columns[c].title);
	}
}
