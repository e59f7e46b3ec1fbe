// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * F2 setup: which columns show, and in which order, then which of the
 * header's meters, in which order. Space shows or hides one, F7/F8 (or -
 * and +) move it up or down within its list, as in htop's setup screen.
 * COMMAND always shows, and always last: it takes the rest of the line.
 */
#include <curses.h>
#include <stdio.h>

#include "top.h"

/* Item @i of the panel: its list and its place there. */
static struct choice setup_choice(const struct top *t, int *i)
{
	/* The panel's keys change the options through these pointers. */
	struct options *o = (struct options *)&t->o;

	if (*i < TS_COLS)
		return columns_choice(o);
	*i -= TS_COLS;
	return meters_choice(o);
}

static int setup_count(const struct top *t)
{
	(void)t;
	return TS_COLS + METERS;
}

static void setup_label(const struct top *t, int i, char *buf, size_t len,
			bool *on)
{
	bool column = i < TS_COLS;
	struct choice ch = setup_choice(t, &i);
	int c = ch.order[i];

	*on = ch.on[c];
	if (column)
		snprintf(buf, len, "[%c] %-7s %s", *on ? 'x' : ' ',
			 columns[c].title, columns[c].name);
	else
		snprintf(buf, len, "[%c] meter: %s", *on ? 'x' : ' ',
			 meters[c].title);
}

static bool setup_key(struct top *t, int key)
{
	int i = t->menu_sel, dir = 0;
	struct choice ch = setup_choice(t, &i);

	switch (key) {
	case ' ':
	case '\r':
	case '\n':
	case KEY_ENTER:
		t->rows_dirty = true;
		return choice_toggle(&ch, i);
	case KEY_F(7):
	case '-':
	case '[':
		dir = -1;
		break;
	case KEY_F(8):
	case '+':
	case ']':
		dir = 1;
		break;
	case KEY_F(2):
		t->menu = MENU_NONE;
		return true;
	default:
		return false;
	}
	if (!choice_move(&ch, i, dir))
		return false;
	t->menu_sel += dir;
	t->rows_dirty = true;
	return true;
}

const struct menu_ops setup_menu = {
	.title = " Columns & meters: Space F7 F8", .width = 34,
	.count = setup_count, .label = setup_label, .key = setup_key,
};
