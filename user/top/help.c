// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* The help screen: keys, columns, and what the marks mean. */
#include "top.h"

static const char *const keys[][2] = {
	{ "Up/Down PgUp/PgDn Home/End", "move the selection (mouse: click)" },
	{ "Enter", "process: show/hide its threads; thread: its detail" },
	{ "+ -", "show / hide the selected process's threads" },
	{ "p  c", "processes view / cores view" },
	{ "H", "a row per thread (flat) / per process" },
	{ "t  F5", "tree of processes on/off" },
	{ "K", "kernel threads shown/hidden" },
	{ "< >  F6", "sort column left/right; F6: choose (or click a title)" },
	{ "I", "invert the sort order" },
	{ "/  F3", "search a name as you type; n (or F3) finds the next" },
	{ "\\  F4", "filter by name; Esc clears it" },
	{ "F2  C", "choose the columns" },
	{ "z  Z", "pause / resume updates" },
	{ "h ?  F1", "this help" },
	{ "q  F10", "quit" },
};

static const char *const marks[] = {
	"Cores view: '*' runs on the CPU now; '<- CPU n' came from CPU n.",
	"'+' a process with hidden threads, '-' one showing them.",
	"Meters: '|' user, '#' system, '*' irq, '!' steal time.",
	"WAIT%: share of the interval runnable but waiting for a CPU.",
};

void help_draw(struct top *t, struct surface *s)
{
	size_t i;
	int c;

	(void)t;
	surf_put(s, ROLE_TITLE, "threadtop " TS_VERSION
		 " - the top for threads. Any key returns.");
	surf_newline(s);
	surf_newline(s);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		surf_printf(s, ROLE_FKEY, "  %-28s", keys[i][0]);
		surf_put(s, ROLE_NORMAL, keys[i][1]);
		surf_newline(s);
	}
	surf_newline(s);
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		surf_printf(s, ROLE_NORMAL, "  %s", marks[i]);
		surf_newline(s);
	}
	surf_newline(s);
	surf_put(s, ROLE_TITLE, "Columns");
	surf_newline(s);
	for (c = 0; c < TS_COLS; c++) {
		surf_printf(s, ROLE_FKEY, "  %-8s", columns[c].title);
		surf_put(s, ROLE_NORMAL, columns[c].help);
		surf_newline(s);
	}
	surf_finish(s);
}
