// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The side panels over the list (sort column, setup, signal, affinity,
 * policy): one drawing and the keys they share (move, close); each panel's
 * own file says what its items are and what its other keys do.
 */
#include <curses.h>
#include <stdio.h>

#include "top.h"

#define KEY_ESC	27

static const struct menu_ops *ops(enum menu m)
{
	switch (m) {
	case MENU_SORT: return &sort_menu;
	case MENU_COLUMNS: return &setup_menu;
	case MENU_SIGNAL: return &signal_menu;
	case MENU_AFFINITY: return &affinity_panel;
	case MENU_POLICY: return &policy_menu;
	default: return NULL;
	}
}

void menu_draw(struct top *t, struct surface *s)
{
	const struct menu_ops *m = ops(t->menu);
	int i, n, first, rows, y = t->list_y;
	char buf[64];
	bool on;

	if (!m || !s->curses)
		return;
	n = m->count(t);
	rows = s->height - 1 - y - 1;	/* below the title, above the footer */
	if (rows < 1)
		return;
	first = t->menu_sel >= rows ? t->menu_sel - rows + 1 : 0;
	s->y = y;
	s->x = 0;
	surf_printf(s, ROLE_COLHEAD, "%-*.*s", m->width, m->width, m->title);
	for (i = first; i < n && i < first + rows; i++) {
		on = false;
		m->label(t, i, buf, sizeof(buf), &on);
		s->y++;
		s->x = 0;
		surf_printf(s, i == t->menu_sel ? ROLE_SELECTED : ROLE_NORMAL,
			    " %c %-*.*s", on ? '*' : ' ', m->width - 3,
			    m->width - 3, buf);
	}
}

void menu_open(struct top *t, enum menu m)
{
	t->menu = m;
	t->menu_sel = 0;
}

void menu_key(struct top *t, int key)
{
	const struct menu_ops *m = ops(t->menu);
	int n = m ? m->count(t) : 0;

	switch (key) {
	case KEY_UP:
		if (t->menu_sel > 0)
			t->menu_sel--;
		return;
	case KEY_DOWN:
		if (t->menu_sel < n - 1)
			t->menu_sel++;
		return;
	case KEY_PPAGE:
		t->menu_sel = t->menu_sel > 10 ? t->menu_sel - 10 : 0;
		return;
	case KEY_NPAGE:
		t->menu_sel = t->menu_sel + 10 < n ? t->menu_sel + 10 : n - 1;
		return;
	case KEY_HOME:
		t->menu_sel = 0;
		return;
	case KEY_END:
		t->menu_sel = n - 1;
		return;
	case KEY_ESC:
	case 'q':
	case KEY_F(10):
		t->menu = MENU_NONE;
		return;
	default:
		if (m && !m->key(t, key))
			beep();
		return;
	}
}

/* ---- F6: the sort column ---- */

static int sort_count(const struct top *t)
{
	(void)t;
	return TS_COLS;
}

static void sort_label(const struct top *t, int i, char *buf, size_t len,
		       bool *on)
{
	*on = i == (int)t->o.sort;
	snprintf(buf, len, "%-7s %s", columns[i].title, columns[i].name);
}

static bool sort_key(struct top *t, int key)
{
	switch (key) {
	case ' ':
	case '\r':
	case '\n':
	case KEY_ENTER:
		t->o.sort = (enum ts_col)t->menu_sel;
		t->o.invert = false;
		t->menu = MENU_NONE;
		t->rows_dirty = true;
		return true;
	case KEY_F(6):
		t->menu = MENU_NONE;
		return true;
	default:
		return false;
	}
}

const struct menu_ops sort_menu = {
	.title = " Sort by", .width = 30, .count = sort_count,
	.label = sort_label, .key = sort_key,
};
