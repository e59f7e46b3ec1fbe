// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * F2 setup: which columns show, and in which order. The list is the
 * column order; Space shows or hides one, F7/F8 (or - and +) move it up
 * or down, as in htop's setup screen. COMMAND always shows, and always
 * last: it takes the rest of the line.
 */
#include <curses.h>
#include <stdio.h>

#include "top.h"

static int setup_count(const struct top *t)
{
	(void)t;
	return TS_COLS;
}

static void setup_label(const struct top *t, int i, char *buf, size_t len,
			bool *on)
{
	enum ts_col c = t->o.order[i];

	*on = t->o.cols[c];
	snprintf(buf, len, "[%c] %-7s %s", t->o.cols[c] ? 'x' : ' ',
		 columns[c].title, columns[c].name);
}

/* Swap items @i and @i + @dir, the selection with it. */
static bool move_item(struct top *t, int dir)
{
	int i = t->menu_sel, j = i + dir;
	enum ts_col c;

	if (j < 0 || j >= TS_COLS || t->o.order[i] == TS_COL_COMMAND ||
	    t->o.order[j] == TS_COL_COMMAND)
		return false;
	c = t->o.order[i];
	t->o.order[i] = t->o.order[j];
	t->o.order[j] = c;
	t->menu_sel = j;
	t->rows_dirty = true;
	return true;
}

static bool setup_key(struct top *t, int key)
{
	enum ts_col c = t->o.order[t->menu_sel];

	switch (key) {
	case ' ':
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (c == TS_COL_COMMAND)
			return false;
		t->o.cols[c] = !t->o.cols[c];
		t->rows_dirty = true;
		return true;
	case KEY_F(7):
	case '-':
	case '[':
		return move_item(t, -1);
	case KEY_F(8):
	case '+':
	case ']':
		return move_item(t, 1);
	case KEY_F(2):
		t->menu = MENU_NONE;
		return true;
	default:
		return false;
	}
}

const struct menu_ops setup_menu = {
	.title = " Columns: Space F7 F8", .width = 34,
	.count = setup_count, .label = setup_label, .key = setup_key,
};
