/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* Output formats of the threadstat CLI: JSON, CSV and aligned tables. */
#ifndef THREADSTAT_CLI_OUTPUT_H
#define THREADSTAT_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "threadstat.h"
#include "text.h"

/* One record as a JSON object: every present field of @set, spec names as
 * keys, nests as nested objects.
 */
void json_record(FILE *out, const struct ts_set *set, const void *rec);
/* The same object appended to @out (a buffer reused per record). */
void json_record_str(struct ts_str *out, const struct ts_set *set,
		     const void *rec);
/* Drop the key plans json_record_str() caches (a program that exits
 * need not; tests under valgrind do). */
void json_plans_free(void);
void json_string(FILE *out, const char *s);

/* Set the locale's character type and learn whether stdout is a terminal. */
void print_text_init(void);
bool print_to_tty(void);
/* Append @s escaped for the terminal (text.h); returns its columns. */
size_t text_escaped(struct ts_str *out, const char *s, size_t n);
/* @s escaped, padded with spaces to @width columns, left or right. */
void print_cell(const char *s, int width, bool left);
/* The same cell appended to @out (@n bytes of @s). */
void text_cell(struct ts_str *out, const char *s, size_t n, int width,
	       bool left);
/* Append @s as a cell shows it (escaped unless plain); its columns. */
int text_shown(struct ts_str *out, const char *s, size_t n);
/* Append @n spaces (none when @n <= 0). */
void text_pad(struct ts_str *out, int n);
/* Columns @s (or its @n bytes) takes once escaped. */
int text_columns(const char *s);
int text_columns_n(const char *s, size_t n);

#endif
