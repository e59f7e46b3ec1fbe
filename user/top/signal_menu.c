// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * k / F9: the signal to send, htop's menu. SIGTERM is selected first;
 * Enter sends it to the tagged rows or the selected one (a process row:
 * the process, kill(2); a thread row: that thread, tgkill(2)).
 */
#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "top.h"

#define N_SIGNALS	31	/* 1 .. 31; real-time ones are for programs */

static int signal_count(const struct top *t)
{
	(void)t;
	return N_SIGNALS;
}

static void signal_label(const struct top *t, int i, char *buf, size_t len,
			 bool *on)
{
	const char *name = sigabbrev_np(i + 1);

	(void)t;
	*on = false;
	snprintf(buf, len, "%2d SIG%s", i + 1, name ? name : "?");
}

static bool signal_key(struct top *t, int key)
{
	struct ts_action a = { .kind = TS_ACT_SIGNAL };

	switch (key) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		a.signal = t->menu_sel + 1;
		t->menu = MENU_NONE;
		act_run(t, &a);
		return true;
	case KEY_F(9):
	case 'k':
		t->menu = MENU_NONE;
		return true;
	default:
		/* A digit jumps to that signal, as in htop: 9 is KILL. */
		if (key >= '1' && key <= '9') {
			t->menu_sel = key - '1';
			return true;
		}
		return false;
	}
}

const struct menu_ops signal_menu = {
	.title = " Send signal: Enter", .width = 22,
	.count = signal_count, .label = signal_label, .key = signal_key,
};
