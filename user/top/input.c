// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Keys and mouse clicks, mapped to model operations: move, sort, expand,
 * filter, search, switch view. htop's keys where htop has a convention.
 */
#include <ctype.h>
#include <curses.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"

#define KEY_ESC		27
#define KEY_CTRL_L	12

static bool list_view(const struct top *t)
{
	return t->view == VIEW_PROCESSES || t->view == VIEW_CORES;
}

static void changed(struct top *t)
{
	t->rows_dirty = true;
}

static void switch_view(struct top *t, enum view v)
{
	if (t->view == VIEW_DETAIL) {
		pthread_mutex_lock(&t->lock);
		t->detail_tid = 0;
		pthread_mutex_unlock(&t->lock);
	}
	if ((t->view == VIEW_WAITS) != (v == VIEW_WAITS)) {
		pthread_mutex_lock(&t->lock);
		t->waits_view = v == VIEW_WAITS;
		pthread_mutex_unlock(&t->lock);
		if (v == VIEW_WAITS)
			sampler_poke(t);	/* its data now, not in a while */
	}
	t->view = v;
	if (v == VIEW_PROCESSES || v == VIEW_CORES || v == VIEW_WAITS)
		t->o.view = v;	/* the view a restart comes back to */
	t->menu = MENU_NONE;
	changed(t);
}

static void move_sel(struct top *t, long delta)
{
	long i = (long)t->sel + delta;

	t->follow = false;	/* moving by hand ends F, as in htop */
	if (i < 0)
		i = 0;
	pthread_mutex_lock(&t->lock);
	top_rows(t);
	top_select(t, (size_t)i);
	pthread_mutex_unlock(&t->lock);
}

/* The sort column one step left or right among those shown, in the
 * order they are shown.
 */
static void sort_step(struct top *t, int dir)
{
	int i, k;

	for (i = 0; i < TS_COLS && t->o.order[i] != (int)t->o.sort; i++)
		;
	for (k = 0; k < TS_COLS; k++) {
		i = (i + dir + TS_COLS) % TS_COLS;
		if (t->o.cols[t->o.order[i]])
			break;
	}
	t->o.sort = (enum ts_col)t->o.order[i];
	t->o.invert = false;
	changed(t);
}

static void open_detail(struct top *t, uint32_t tid)
{
	pthread_mutex_lock(&t->lock);
	t->detail_tid = tid;
	pthread_mutex_unlock(&t->lock);
	t->back = t->view;
	t->view = VIEW_DETAIL;
	t->detail_scroll = 0;
	sampler_poke(t);	/* fetch every field of it now */
}

/* A copy of the selected row's stat, and its kind; false: no row. */
static bool selected(struct top *t, struct ts_mstat *out, uint8_t *kind)
{
	const struct ts_mstat *st = NULL;

	pthread_mutex_lock(&t->lock);
	top_rows(t);
	if (t->sel < t->rows.n) {
		st = ts_row_stat(&t->model, &t->rows.v[t->sel]);
		*kind = t->rows.v[t->sel].kind;
		if (st)
			*out = *st;
	}
	pthread_mutex_unlock(&t->lock);
	return st;
}

static void expand(struct top *t, int how)	/* 1 open, 0 close, -1 flip */
{
	struct ts_mstat st;
	uint8_t kind;

	if (t->view != VIEW_PROCESSES || !selected(t, &st, &kind))
		return;
	if (how < 0)
		how = !ts_idset_has(&t->expanded, st.tgid);
	if (how) {
		ts_idset_add(&t->expanded, st.tgid);
	} else {
		ts_idset_del(&t->expanded, st.tgid);
		t->sel_kind = TS_ROW_PROCESS;	/* back to the process */
		t->sel_id = st.tgid;
	}
	changed(t);
}

static void enter(struct top *t)
{
	struct ts_mstat st;
	uint8_t kind;
	bool thread;
	uint32_t id;

	if (!selected(t, &st, &kind))
		return;
	/* A process of one thread has nothing to expand: it is the thread. */
	thread = kind == TS_ROW_THREAD || st.n_threads < 2;
	id = st.id;
	if (!id)
		return;
	if (thread)
		open_detail(t, id);
	else
		expand(t, -1);
}

/* Incremental search: from the selection (or after it, for "next"). */
static void search(struct top *t, bool next)
{
	uint32_t tid;
	long at;

	if (!t->search[0])
		return;
	pthread_mutex_lock(&t->lock);
	top_rows(t);
	at = ts_rows_find(&t->model, &t->rows, t->sel + (next ? 1 : 0),
			  t->search);
	if (at < 0) {
		/* A thread hidden under a collapsed process: show it. */
		tid = ts_model_find_thread(&t->model, &t->q, t->search);
		if (tid) {
			ts_idset_add(&t->expanded,
				     ts_model_thread(&t->model, tid)->s.tgid);
			t->rows_dirty = true;
			top_rows(t);
			at = ts_rows_find(&t->model, &t->rows, t->sel,
					  t->search);
		}
	}
	if (at >= 0) {
		top_select(t, (size_t)at);
		t->follow = true;	/* keep what was asked for by name */
	}
	pthread_mutex_unlock(&t->lock);
	if (at < 0)
		snprintf(t->note, sizeof(t->note), "\"%s\" not found",
			 t->search);
}

/* Append code point @cp to @text as UTF-8, if it fits. */
static bool utf8_append(char *text, size_t size, int cp)
{
	size_t len = strlen(text);
	char u[4];
	int n;

	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		n = 1;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		n = 2;
	} else if (cp <= 0x10ffff) {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		n = 3;
	} else {
		return false;
	}
	u[n++] = (char)(0x80 | (cp & 0x3f));
	if (len + (size_t)n >= size)
		return false;
	memcpy(text + len, u, (size_t)n);
	text[len + n] = '\0';
	return true;
}

/* d: seconds, "1.5" or "2"; kept in tenths. */
static void delay_done(struct top *t)
{
	char *end;
	double v = strtod(t->prompt, &end);

	if (!t->prompt[0] || *end || !(v >= 0.1 && v <= 3600)) {
		top_note(t, true, "a delay is 0.1 to 3600 seconds, not '%s'",
			 t->prompt);
		return;
	}
	top_set_delay(t, (int)(v * 10 + 0.5));
	top_note(t, false, "updates every %.1f s", t->o.delay / 10.0);
}

/* u: a user name or uid; empty: everyone. */
static void user_done(struct top *t)
{
	uint32_t uid;

	if (!t->prompt[0]) {
		t->o.by_user = false;
	} else if (ts_user_parse(t->prompt, &uid)) {
		top_note(t, true, "no user '%s'", t->prompt);
		return;
	} else {
		t->o.by_user = true;
		t->o.uid = uid;
	}
	changed(t);
}

static void prompt_done(struct top *t)
{
	enum input_mode m = t->input;

	t->input = INPUT_NONE;
	if (m == INPUT_RTPRIO)
		policy_prompt_done(t);
	else if (m == INPUT_DELAY)
		delay_done(t);
	else if (m == INPUT_USER)
		user_done(t);
}

/* Typing into a prompt: search, filter, RT priority, delay, user. */
static void prompt_key(struct top *t, int key)
{
	char *text = prompt_text(t);
	size_t len = strlen(text);

	switch (key) {
	case KEY_ESC:
		if (t->input == INPUT_FILTER) {
			text[0] = '\0';
			changed(t);
		}
		t->input = INPUT_NONE;
		return;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (t->input == INPUT_GOTO) {
			replay_goto(t, text);
			t->input = INPUT_NONE;
		} else {
			prompt_done(t);
		}
		return;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		while (len && (text[len - 1] & 0xc0) == 0x80)
			len--;	/* a whole UTF-8 character */
		if (len)
			text[len - 1] = '\0';
		break;
	case KEY_F(3):
		if (t->input == INPUT_SEARCH)
			search(t, true);
		return;
	default:
		if (key >= KEY_WCHAR_BASE) {
			if (!utf8_append(text, TEXT_LEN, key - KEY_WCHAR_BASE))
				return;
			break;
		}
		if (key < 0x20 || key > 0x7e || len + 1 >= TEXT_LEN)
			return;
		text[len] = (char)key;
		text[len + 1] = '\0';
		break;
	}
	if (t->input == INPUT_SEARCH)
		search(t, false);
	else if (t->input == INPUT_FILTER)
		changed(t);
}

static void open_menu(struct top *t, enum menu m)
{
	if (!list_view(t))
		return;
	menu_open(t, m);
	if (m == MENU_SORT)
		t->menu_sel = (int)t->o.sort;
	if (m == MENU_SIGNAL)
		t->menu_sel = SIGTERM - 1;
}

static void start_prompt(struct top *t, enum input_mode m)
{
	t->prompt[0] = '\0';
	t->input = m;
}

static void renice(struct top *t, int by)
{
	struct ts_action a = { .kind = TS_ACT_NICE_BY, .nice = by };

	act_run(t, &a);
}

/* Keys of the detail and help screens. */
static bool page_key(struct top *t, int key)
{
	if (t->view == VIEW_WAITS && key != KEY_UP && key != KEY_DOWN &&
	    key != KEY_PPAGE && key != KEY_NPAGE && key != KEY_HOME)
		return false;	/* the wait view scrolls; other keys as usual */
	if (t->view != VIEW_DETAIL && t->view != VIEW_HELP &&
	    t->view != VIEW_WAITS)
		return false;
	switch (key) {
	case KEY_UP:
		if (t->detail_scroll > 0)
			t->detail_scroll--;
		return true;
	case KEY_DOWN:
		t->detail_scroll++;
		return true;
	case KEY_PPAGE:
		t->detail_scroll -= LINES / 2;
		if (t->detail_scroll < 0)
			t->detail_scroll = 0;
		return true;
	case KEY_NPAGE:
		t->detail_scroll += LINES / 2;
		return true;
	case KEY_HOME:
		t->detail_scroll = 0;
		return true;
	case KEY_ESC:
	case KEY_LEFT:
	case KEY_BACKSPACE:
	case 127:
	case '\r':
	case '\n':
	case KEY_ENTER:
		switch_view(t, t->back);
		return true;
	case 'q':
		if (t->view == VIEW_HELP) {	/* htop: q closes the help */
			switch_view(t, t->back);
			return true;
		}
		return false;
	case KEY_F(10):
		return false;
	default:
		if (t->view != VIEW_HELP)
			return false;
		switch_view(t, t->back);	/* any key leaves the help */
		return true;
	}
}

static void list_key(struct top *t, int key)
{
	long page = t->list_rows > 1 ? t->list_rows - 1 : 1;

	switch (key) {
	case KEY_UP: move_sel(t, -1); break;
	case KEY_DOWN: move_sel(t, 1); break;
	case KEY_PPAGE: move_sel(t, -page); break;
	case KEY_NPAGE: move_sel(t, page); break;
	case KEY_HOME: move_sel(t, -(long)t->rows.n); break;
	case KEY_END: move_sel(t, (long)t->rows.n); break;
	case '\r': case '\n': case KEY_ENTER: enter(t); break;
	case '+': case '=': expand(t, 1); break;
	case '-': expand(t, 0); break;
	case '<': case ',': sort_step(t, -1); break;
	case '>': case '.': sort_step(t, 1); break;
	case KEY_F(6): open_menu(t, MENU_SORT); break;
	case KEY_F(2): case 'C': case 'S': open_menu(t, MENU_COLUMNS); break;
	case 'k': case KEY_F(9): open_menu(t, MENU_SIGNAL); break;
	case 'Y': open_menu(t, MENU_POLICY); break;
	case 'a': affinity_panel_open(t); break;
	case KEY_F(7): case ']': renice(t, -1); break;
	case KEY_F(8): case '[': renice(t, 1); break;
	case ' ': act_tag(t); break;
	case 'U': act_untag_all(t); break;
	case 'u': start_prompt(t, INPUT_USER); break;
	case 'd': start_prompt(t, INPUT_DELAY); break;
	case 'F':
		t->follow = !t->follow;
		top_note(t, false, t->follow ? "following the selection" :
			 "not following");
		break;
	case 'I': t->o.invert = !t->o.invert; changed(t); break;
	case 't': case KEY_F(5): t->o.tree = !t->o.tree; changed(t); break;
	case 'H': t->o.threads = !t->o.threads; changed(t); break;
	case 'K': t->o.kernel = !t->o.kernel; changed(t); break;
	case '/':
		t->input = INPUT_SEARCH;
		t->search[0] = '\0';
		break;
	case 'n': case KEY_F(3):
		if (t->search[0])
			search(t, true);
		else
			t->input = INPUT_SEARCH;
		break;
	case '\\': case KEY_F(4): t->input = INPUT_FILTER; break;
	default: break;
	}
}

void input_key(struct top *t, int key)
{
	t->note[0] = '\0';
	t->note_error = false;
	if (key == KEY_RESIZE || key == KEY_CTRL_L) {
		clearok(curscr, TRUE);
		return;
	}
	if (t->input) {
		prompt_key(t, key);
		return;
	}
	if (t->menu) {
		menu_key(t, key);
		return;
	}
	if (page_key(t, key))
		return;
	switch (key) {
	case 'q':
	case KEY_F(10):
		t->quit = true;
		return;
	case 'h':
	case '?':
	case KEY_F(1):
		if (t->view != VIEW_HELP) {
			enum view back = list_view(t) ||
					 t->view == VIEW_WAITS ? t->view :
								 t->back;

			switch_view(t, VIEW_HELP);
			t->back = back;
			t->detail_scroll = 0;
		}
		return;
	case 'p':
		switch_view(t, VIEW_PROCESSES);
		return;
	case 'c':
		switch_view(t, VIEW_CORES);
		return;
	case 'w':
		switch_view(t, VIEW_WAITS);
		t->detail_scroll = 0;
		return;
	case 'z':
	case 'Z':
		pthread_mutex_lock(&t->lock);
		t->paused = !t->paused;
		pthread_mutex_unlock(&t->lock);
		sampler_poke(t);
		return;
	default:
		break;
	}
	if (replay_key(t, key))
		return;
	if (list_view(t))
		list_key(t, key);
}

void input_mouse(struct top *t)
{
	MEVENT ev;
	int i;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		move_sel(t, -3);
		return;
	}
	if (ev.bstate & BUTTON5_PRESSED) {
		move_sel(t, 3);
		return;
	}
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return;
	if (ev.y == t->footer_y && !t->input) {
		for (i = 0; i < t->n_footer; i++)
			if (ev.x >= t->footer_x[i] && ev.x < t->footer_x[i + 1])
				input_key(t, t->footer_key[i]);
		return;
	}
	if (!list_view(t) || t->menu)
		return;
	if (ev.y == t->colhead_y) {
		/* A click on a title sorts by it; again inverts. */
		for (i = 0; i < t->n_col_at; i++)
			if (ev.x >= t->col_x[i] && ev.x < t->col_x[i + 1]) {
				if (t->o.sort == t->col_at[i])
					t->o.invert = !t->o.invert;
				else
					t->o.sort = t->col_at[i];
				changed(t);
			}
		return;
	}
	if (ev.y >= t->list_y && ev.y < t->list_y + t->list_rows)
		move_sel(t, (long)(t->scroll + (size_t)(ev.y - t->list_y)) -
			 (long)t->sel);
}
