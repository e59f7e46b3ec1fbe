// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * One drawing API for both outputs: the curses screen (with attributes)
 * and plain-text frames (batch mode, trailing blanks trimmed). Views draw
 * once and work in both. Every string passes the library's sanitizer here,
 * glyph by glyph, so names from users can neither reach the terminal raw
 * nor overflow a line; widths are display columns (wcwidth), so UTF-8
 * names keep the columns aligned.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "top.h"

/* Only the line's width is ever drawn on (surf_put clips there). */
static void line_clear(struct surface *s)
{
	int x;

	for (x = 0; x < s->line_used; x++)
		memcpy(s->line[x], " ", 2);
	s->line_used = 0;
}

/*
 * A text line stays in s->plain while it is written left to right in
 * plain ASCII; anything else (a glyph to escape, wide or joined, or text
 * written left of the end) first moves it to the cell grid, where the
 * line is finished. A row of a batch frame never needs the grid: its
 * bytes are copied once, not a cell at a time there and back.
 */
static void line_to_grid(struct surface *s)
{
	int x;

	for (x = 0; x < s->plain_len; x++) {
		s->line[x][0] = s->plain[x];
		s->line[x][1] = '\0';
	}
	s->line_grid = true;
}

void surface_screen(struct surface *s)
{
	memset(s, 0, sizeof(*s));
	s->curses = true;
	s->width = COLS;
	s->height = LINES;
	s->text_flags = ts_text_flags();
	move(0, 0);
}

void surface_text(struct surface *s, FILE *out, int width)
{
	memset(s, 0, sizeof(*s));
	s->out = out;
	s->width = width < SURFACE_LINE ? width : SURFACE_LINE;
	s->height = 1 << 30;
	s->text_flags = ts_text_flags();
	s->line_used = s->width;
	line_clear(s);
}

bool surf_full(const struct surface *s)
{
	return s->y >= s->height;
}

/*
 * A zero-width character joins the cell of the character before it; false
 * when that cell is full (the caller escapes it instead).
 */
static bool line_join(struct surface *s, const struct ts_glyph *g)
{
	char *cell = s->line[s->base_x];
	size_t used = strnlen(cell, SURFACE_CELL);

	if (used + g->len >= SURFACE_CELL)
		return false;
	memcpy(cell + used, g->text, g->len);
	cell[used + g->len] = '\0';
	return true;
}

/* One glyph at the cursor of a text frame. */
static void line_put(struct surface *s, const struct ts_glyph *g)
{
	int i;

	if (g->len <= 4 && g->width >= 1) {	/* one character */
		memset(s->line[s->x], 0, SURFACE_CELL);
		memcpy(s->line[s->x], g->text, g->len);
		for (i = 1; i < g->width; i++)
			memset(s->line[s->x + i], 0, SURFACE_CELL);
		s->base_x = s->x;
		return;
	}
	for (i = 0; i < g->width; i++) {	/* an escape: ASCII */
		memset(s->line[s->x + i], 0, SURFACE_CELL);
		s->line[s->x + i][0] = g->text[i];
	}
}

/* @n bytes of plain ASCII at the cursor of a text frame (fit to width). */
static void line_plain(struct surface *s, const char *text, size_t n)
{
	int i;

	if (!s->line_grid && s->x >= s->plain_len) {
		/* columns skipped (surf_pad) are blanks */
		memset(s->plain + s->plain_len, ' ',
		       (size_t)(s->x - s->plain_len));
		memcpy(s->plain + s->x, text, n);
		s->plain_len = s->x + (int)n;
		s->base_x = s->plain_len - 1;
		return;
	}
	if (!s->line_grid)
		line_to_grid(s);
	for (i = 0; i < (int)n; i++) {
		s->line[s->x + i][0] = text[i];
		s->line[s->x + i][1] = '\0';
	}
	s->base_x = s->x + (int)n - 1;
}

void surf_put_plain(struct surface *s, enum role r, const char *text,
		    size_t n)
{
	if (s->curses) {
		surf_put(s, r, text);
		return;
	}
	if (surf_full(s) || s->x >= s->width)
		return;
	if (n > (size_t)(s->width - s->x))
		n = (size_t)(s->width - s->x);
	if (!n)
		return;
	line_plain(s, text, n);
	s->x += (int)n;
	if (s->x > s->line_used)
		s->line_used = s->x;
}

void surf_put(struct surface *s, enum role r, const char *text)
{
	size_t n = strlen(text), used;
	attr_t a = 0;
	struct ts_glyph g;
	unsigned int base = 0;	/* zero-width characters join this string's */

	if (surf_full(s) || s->x >= s->width)
		return;
	if (s->curses) {
		a = (attr_t)screen_attr(r);
		attron(a);
		move(s->y, s->x);
	}
	while (n) {
		/* Plain ASCII: a column a byte, no glyph to look up. */
		used = ts_text_plain(text, n);
		if (used) {
			if (used > (size_t)(s->width - s->x))
				used = (size_t)(s->width - s->x);
			if (!used)
				break;
			if (s->curses)
				addnstr(text, (int)used);
			else
				line_plain(s, text, used);
			base = TS_TEXT_BASE;
			s->x += (int)used;
			text += used;
			n -= used;
			continue;
		}
		if (!s->curses && !s->line_grid)
			line_to_grid(s);
		used = ts_text_glyph(text, n, s->text_flags | base, &g);
		if (!g.width && !s->curses && !line_join(s, &g))
			ts_text_glyph(text, n, s->text_flags, &g); /* escaped */
		if (s->x + g.width > s->width)
			break;
		if (s->curses)
			addnstr(g.text, (int)g.len);
		else if (g.width)
			line_put(s, &g);
		base = ts_glyph_is_base(&g) ? TS_TEXT_BASE : 0;
		s->x += g.width;
		text += used;
		n -= used;
	}
	if (s->curses)
		attroff(a);
	else if (s->x > s->line_used)
		s->line_used = s->x;
}

void surf_printf(struct surface *s, enum role r, const char *fmt, ...)
{
	va_list ap;
	char *buf;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* Formatted text is as long as it is: no fixed buffer to overrun. */
	buf = malloc((size_t)n + 1);
	if (!buf)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	surf_put(s, r, buf);
	free(buf);
}

void surf_fill(struct surface *s, enum role r, char ch, int n)
{
	char chunk[65];

	memset(chunk, ch, sizeof(chunk) - 1);
	chunk[sizeof(chunk) - 1] = '\0';
	for (; n > 0 && s->x < s->width; n -= 64)
		surf_put(s, r, n >= 64 ? chunk : chunk + 64 - n);
}

void surf_pad(struct surface *s, enum role r, int x)
{
	if (x < 0 || x > s->width)
		x = s->width;
	/* A text line is blank past what was written: nothing to write
	 * (every row of a batch frame is padded to the width, then trimmed).
	 */
	if (!s->curses && s->x >= s->line_used) {
		if (x > s->x)
			s->x = x;
		return;
	}
	surf_fill(s, r, ' ', x - s->x);
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
	} else if (!s->line_grid) {
		/* past line_used the line is blank; trailing blanks go */
		int end = s->x < s->line_used ? s->x : s->line_used;

		if (end > s->plain_len)
			end = s->plain_len;
		while (end > 0 && s->plain[end - 1] == ' ')
			end--;
		s->plain[end++] = '\n';
		fwrite(s->plain, 1, (size_t)end, s->out);
		s->plain_len = 0;
		s->line_used = 0;	/* the grid was not written */
	} else {
		char out[SURFACE_LINE * SURFACE_CELL + 1];
		/* past line_used the cells are blank */
		int end = s->x < s->line_used ? s->x : s->line_used, x;
		size_t len = 0;

		while (end > 0 && !strcmp(s->line[end - 1], " "))
			end--;
		/* One write a line: stdio per character cost more than the
		 * whole row's formatting.
		 */
		for (x = 0; x < end; x++) {
			const char *c = s->line[x];
			size_t k;

			if (c[0] && !c[1]) {	/* one byte: most cells */
				out[len++] = c[0];
				continue;
			}
			k = strnlen(c, SURFACE_CELL);
			memcpy(out + len, c, k);
			len += k;
		}
		out[len++] = '\n';
		fwrite(out, 1, len, s->out);
		line_clear(s);
		s->plain_len = 0;
		s->line_grid = false;
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
