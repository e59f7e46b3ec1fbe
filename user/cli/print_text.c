// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Text that may come from users (thread names, frames) on stdout: always
 * through the library's sanitizer, padded by display columns rather than
 * bytes so that UTF-8 names keep the table aligned.
 */
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

static unsigned int flags;
static bool tty;

void print_text_init(void)
{
	setlocale(LC_CTYPE, "");
	flags = ts_text_flags();
	tty = isatty(STDOUT_FILENO);
}

bool print_to_tty(void)
{
	return tty;
}

size_t text_escaped(struct ts_str *out, const char *s, size_t n)
{
	return ts_text_display(out, s, n, flags);
}

void text_pad(struct ts_str *out, int n)
{
	static const char spaces[] = "                                ";

	for (; n > 0; n -= (int)sizeof(spaces) - 1)
		ts_str_add(out, spaces, n < (int)sizeof(spaces) - 1 ?
			   (size_t)n : sizeof(spaces) - 1);
}

void text_cell(struct ts_str *out, const char *s, size_t n, int width,
	       bool left)
{
	size_t start = out->len;
	int cols;

	if (!left) {
		/* Numbers and plain names: shown as they are, measured by
		 * their length; the rest escaped, then moved right.
		 */
		if (ts_text_plain(s, n) == n) {
			text_pad(out, width - (int)n);
			ts_str_add(out, s, n);
			return;
		}
		cols = (int)text_escaped(out, s, n);
		if (cols >= width || out->oom)
			return;
		text_pad(out, width - cols);
		/* the padding goes before the text: rotate it there */
		memmove(out->p + start + (width - cols), out->p + start,
			out->len - start - (size_t)(width - cols));
		memset(out->p + start, ' ', (size_t)(width - cols));
		return;
	}
	cols = text_shown(out, s, n);
	text_pad(out, width - cols);
}

int text_shown(struct ts_str *out, const char *s, size_t n)
{
	if (ts_text_plain(s, n) == n) {
		ts_str_add(out, s, n);
		return (int)n;
	}
	return (int)text_escaped(out, s, n);
}

void print_cell(const char *s, int width, bool left)
{
	struct ts_str e = { 0 };

	text_cell(&e, s, strlen(s), width, left);
	fwrite(ts_str_get(&e), 1, e.len, stdout);
	ts_str_free(&e);
}

int text_columns(const char *s)
{
	return text_columns_n(s, strlen(s));
}

int text_columns_n(const char *s, size_t n)
{
	struct ts_str e = { 0 };
	int cols;

	if (ts_text_plain(s, n) == n)
		return (int)n;
	cols = (int)text_escaped(&e, s, n);
	ts_str_free(&e);
	return cols;
}
