// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* The help screen: keys, columns, and what the marks mean. */
#include "top.h"

static const char *const keys[][2] = {
	{ "Up/Down PgUp/PgDn Home/End", "move the selection (mouse: click)" },
	{ "Enter", "process: show/hide its threads; thread: its detail" },
	{ "+ -", "show / hide the selected process's threads" },
	{ "p  c", "processes view / cores view" },
	{ "w", "wait view: blocked threads under who holds their lock" },
	{ "H", "a row per thread (flat) / per process" },
	{ "t  F5", "tree of processes on/off" },
	{ "K", "kernel threads shown/hidden" },
	{ "< >  F6", "sort column left/right; F6: choose (or click a title)" },
	{ "I", "invert the sort order" },
	{ "/  F3", "search a name as you type; n (or F3) finds the next" },
	{ "\\  F4", "filter by name; Esc clears it" },
	{ "F2  S  C", "setup: columns shown (Space), their order (F7 F8)" },
	{ "Space  U", "tag the selected row / untag all" },
	{ "k  F9", "send a signal to the tagged rows or the selection" },
	{ "F7 ]  F8 [", "nice -1 (higher priority) / nice +1" },
	{ "a", "CPU affinity (Space flips a CPU, Enter sets it)" },
	{ "Y", "scheduling policy and RT priority" },
	{ "u", "only one user's (empty: everyone's)" },
	{ "F", "follow the selected row as the list reorders" },
	{ "d", "seconds between updates" },
	{ "z  Z", "pause / resume updates (and a replay)" },
	{ "{ }", "replay: a sample back / forward (pauses)" },
	{ "g", "replay: go to sample N, +SECONDS or HH:MM[:SS]" },
	{ "h ?  F1", "this help (q or any key closes it)" },
	{ "q  F10", "quit" },
};

static const char *const marks[] = {
	"Cores view: '*' runs on the CPU now; '<- CPU n' came from CPU n.",
	"'+' a process with hidden threads, '-' one showing them.",
	"Meters: '|' user, '#' system, '*' irq, '!' steal time.",
	"WAIT%: share of the interval runnable but waiting for a CPU.",
	"Wait view: an owner, then its waiters indented; red: a deadlock.",
};

/* Line @n of the help, or false past the end. */
static bool help_line(int n, struct surface *s)
{
	const int n_keys = (int)(sizeof(keys) / sizeof(keys[0]));
	const int n_marks = (int)(sizeof(marks) / sizeof(marks[0]));

	if (n < n_keys) {
		surf_printf(s, ROLE_FKEY, "  %-28s", keys[n][0]);
		surf_put(s, ROLE_NORMAL, keys[n][1]);
		return true;
	}
	n -= n_keys + 1;	/* a blank line between */
	if (n >= 0 && n < n_marks)
		surf_printf(s, ROLE_NORMAL, "  %s", marks[n]);
	if (n == n_marks + 1)
		surf_put(s, ROLE_TITLE, "Columns");
	n -= n_marks + 2;
	if (n < 0)
		return true;
	if (n >= TS_COLS)
		return false;
	surf_printf(s, ROLE_FKEY, "  %-8s", columns[n].title);
	surf_put(s, ROLE_NORMAL, columns[n].help);
	return true;
}

void help_draw(struct top *t, struct surface *s)
{
	int total = (int)(sizeof(keys) / sizeof(keys[0]) +
			  sizeof(marks) / sizeof(marks[0])) + 3 + TS_COLS;
	int room = s->height - 2, n;

	if (t->detail_scroll > total - room)
		t->detail_scroll = total > room ? total - room : 0;

	surf_put(s, ROLE_TITLE, "threadtop " TS_VERSION " - the top for "
		 "threads. Arrows scroll, q or another key returns.");
	surf_newline(s);
	for (n = t->detail_scroll; s->y < s->height - 1; n++) {
		if (!help_line(n, s))
			break;
		surf_newline(s);
	}
	surf_finish(s);
}
