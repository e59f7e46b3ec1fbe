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

static void pad(int n)
{
	static const char spaces[] = "                                ";

	for (; n > 0; n -= (int)sizeof(spaces) - 1)
		fwrite(spaces, 1, n < (int)sizeof(spaces) - 1 ?
		       (size_t)n : sizeof(spaces) - 1, stdout);
}

void print_cell(const char *s, int width, bool left)
{
	struct ts_str e = { 0 };
	size_t n = strlen(s);
	int cols;

	/* Numbers and plain names: shown as they are, nothing to copy. */
	if (ts_text_plain(s, n) == n) {
		cols = (int)n;
	} else {
		cols = (int)text_escaped(&e, s, n);
		s = ts_str_get(&e);
		n = e.len;
	}
	if (!left)
		pad(width - cols);
	fwrite(s, 1, n, stdout);
	if (left)
		pad(width - cols);
	ts_str_free(&e);
}

int text_columns(const char *s)
{
	struct ts_str e = { 0 };
	size_t n = strlen(s);
	int cols;

	if (ts_text_plain(s, n) == n)
		return (int)n;
	cols = (int)text_escaped(&e, s, n);
	ts_str_free(&e);
	return cols;
}
