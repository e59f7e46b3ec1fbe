// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Curses set-up and the look of each role: colours where the terminal has
 * them and the user did not say NO_COLOR, else attributes only (TERM=vt100
 * and the like). Meters use a different character per state, so they read
 * without colour too.
 */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "top.h"

static int attrs[ROLES];
static bool mono;

bool screen_mono(void)
{
	return mono;
}

int screen_attr(enum role r)
{
	return attrs[r];
}

static void colours(void)
{
	static const struct { enum role r; short fg, bg; int extra; } map[] = {
		{ ROLE_TITLE, COLOR_CYAN, -1, A_BOLD },
		{ ROLE_DIM, COLOR_BLUE, -1, A_BOLD },
		{ ROLE_COLHEAD, COLOR_BLACK, COLOR_GREEN, 0 },
		{ ROLE_COLHEAD_SORT, COLOR_BLACK, COLOR_CYAN, A_BOLD },
		{ ROLE_SELECTED, COLOR_BLACK, COLOR_CYAN, 0 },
		{ ROLE_THREAD, COLOR_GREEN, -1, 0 },
		{ ROLE_KTHREAD, COLOR_BLUE, -1, A_BOLD },
		{ ROLE_NEW, COLOR_BLACK, COLOR_GREEN, 0 },
		{ ROLE_RUNNING, COLOR_RED, -1, A_BOLD },
		{ ROLE_METER_USER, COLOR_GREEN, -1, 0 },
		{ ROLE_METER_SYS, COLOR_RED, -1, 0 },
		{ ROLE_METER_IRQ, COLOR_YELLOW, -1, 0 },
		{ ROLE_METER_STEAL, COLOR_MAGENTA, -1, 0 },
		{ ROLE_METER_FRAME, COLOR_WHITE, -1, A_BOLD },
		{ ROLE_FKEY, COLOR_WHITE, -1, A_BOLD },
		{ ROLE_FKEY_LABEL, COLOR_BLACK, COLOR_CYAN, 0 },
		{ ROLE_PROMPT, COLOR_YELLOW, -1, A_BOLD },
		{ ROLE_ERROR, COLOR_WHITE, COLOR_RED, A_BOLD },
		{ ROLE_CPU, COLOR_CYAN, -1, A_BOLD },
		{ ROLE_TAGGED, COLOR_YELLOW, -1, A_BOLD },
		{ ROLE_PROGRAM, -1, -1, A_BOLD },
		{ ROLE_METER_MEM, COLOR_GREEN, -1, 0 },
		{ ROLE_EXITED, COLOR_BLACK, COLOR_RED, 0 },
	};
	size_t i;

	start_color();
	use_default_colors();
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		init_pair((short)(i + 1), map[i].fg, map[i].bg);
		attrs[map[i].r] = COLOR_PAIR((int)i + 1) | map[i].extra;
	}
}

static void monochrome(void)
{
	attrs[ROLE_TITLE] = A_BOLD;
	attrs[ROLE_COLHEAD] = A_REVERSE;
	attrs[ROLE_COLHEAD_SORT] = A_REVERSE | A_BOLD | A_UNDERLINE;
	attrs[ROLE_SELECTED] = A_REVERSE;
	attrs[ROLE_KTHREAD] = A_DIM;
	attrs[ROLE_DIM] = A_DIM;
	attrs[ROLE_NEW] = A_BOLD;
	attrs[ROLE_RUNNING] = A_BOLD;
	attrs[ROLE_METER_FRAME] = A_BOLD;
	attrs[ROLE_FKEY] = A_BOLD;
	attrs[ROLE_FKEY_LABEL] = A_REVERSE;
	attrs[ROLE_PROMPT] = A_BOLD;
	attrs[ROLE_ERROR] = A_REVERSE | A_BOLD;
	attrs[ROLE_CPU] = A_BOLD;
	attrs[ROLE_TAGGED] = A_BOLD | A_UNDERLINE;
	attrs[ROLE_PROGRAM] = A_BOLD;
	attrs[ROLE_EXITED] = A_DIM | A_UNDERLINE;
}

static FILE *tty_in;

int screen_input_fd(void)
{
	return tty_in ? fileno(tty_in) : STDIN_FILENO;
}

void screen_init(bool want_mono)
{
	const char *no_color = getenv("NO_COLOR");

	setlocale(LC_ALL, "");
	/* stdin may be a recording (-r -): keys come from the terminal. */
	if (!isatty(STDIN_FILENO))
		tty_in = fopen("/dev/tty", "r");
	terminal_save(screen_input_fd());
	if (tty_in) {
		if (!newterm(NULL, stdout, tty_in)) {
			fprintf(stderr, "threadtop: cannot use the terminal\n");
			exit(1);
		}
	} else {
		initscr();
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
		  BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	mono = want_mono || (no_color && *no_color) || !has_colors();
	if (mono)
		monochrome();
	else
		colours();
}

void screen_end(void)
{
	endwin();
	if (tty_in) {
		delscreen(set_term(NULL));
		fclose(tty_in);
		tty_in = NULL;
	}
}
