// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * One drawing API for both outputs: the curses screen (with attributes)
 * and plain-text frames (batch mode, trailing blanks trimmed). Views draw
 * once and work in both.
 */
#include <curses.h>
#include <stdarg.h>
#include <string.h>

#include "top.h"

void surface_screen(struct surface *s)
{
	memset(s, 0, sizeof(*s));
	s->curses = true;
	s->width = COLS;
	s->height = LINES;
	move(0, 0);
}

void surface_text(struct surface *s, FILE *out, int width)
{
	memset(s, 0, sizeof(*s));
	s->out = out;
	s->width = width < SURFACE_LINE ? width : SURFACE_LINE;
	s->height = 1 << 30;
}

bool surf_full(const struct surface *s)
{
	return s->y >= s->height;
}

void surf_put(struct surface *s, enum role r, const char *text)
{
	int room = s->width - s->x, n = 0;

	if (surf_full(s) || room <= 0)
		return;
	/* Only printable ASCII reaches the output: names come from users. */
	if (s->curses) {
		attr_t a = (attr_t)screen_attr(r);

		attron(a);
		move(s->y, s->x);
		for (; text[n] && n < room; n++)
			addch(text[n] >= 0x20 && text[n] < 0x7f ?
			      (chtype)text[n] : '?');
		attroff(a);
	} else {
		for (; text[n] && n < room; n++)
			s->line[s->x + n] = text[n] >= 0x20 && text[n] < 0x7f ?
					    text[n] : '?';
	}
	s->x += n;
}

void surf_printf(struct surface *s, enum role r, const char *fmt, ...)
{
	char buf[SURFACE_LINE + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	surf_put(s, r, buf);
}

void surf_pad(struct surface *s, enum role r, int x)
{
	char spaces[SURFACE_LINE + 1];
	int n;

	if (x < 0 || x > s->width)
		x = s->width;
	n = x - s->x;
	if (n <= 0)
		return;
	memset(spaces, ' ', (size_t)n);
	spaces[n] = '\0';
	surf_put(s, r, spaces);
}

void surf_newline(struct surface *s)
{
	if (surf_full(s))
		return;
	if (s->curses) {
		if (s->x < s->width) {
			move(s->y, s->x);
			clrtoeol();
		}
	} else {
		int end = s->x;

		while (end > 0 && s->line[end - 1] == ' ')
			end--;
		fprintf(s->out, "%.*s\n", end, s->line);
		memset(s->line, ' ', sizeof(s->line));
	}
	s->y++;
	s->x = 0;
}

void surf_finish(struct surface *s)
{
	if (s->x)
		surf_newline(s);
	if (s->curses && s->y < s->height) {
		move(s->y, 0);
		clrtobot();
	}
}
