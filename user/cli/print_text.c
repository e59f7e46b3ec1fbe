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

void print_cell(const char *s, int width, bool left)
{
	struct ts_str e = { 0 };
	int cols = (int)text_escaped(&e, s, strlen(s));

	if (!left)
		printf("%*s", width > cols ? width - cols : 0, "");
	fputs(ts_str_get(&e), stdout);
	if (left)
		printf("%*s", width > cols ? width - cols : 0, "");
	ts_str_free(&e);
}

int text_columns(const char *s)
{
	struct ts_str e = { 0 };
	int cols = (int)text_escaped(&e, s, strlen(s));

	ts_str_free(&e);
	return cols;
}
