// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* A growable string for text of any length (no cell is ever cut). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

bool ts_str_grow(struct ts_str *s, size_t more)
{
	size_t cap;
	char *p;

	if (s->oom)
		return false;
	if (s->len + more + 1 <= s->cap)
		return true;
	cap = s->cap ? s->cap : 64;
	while (cap < s->len + more + 1)
		cap *= 2;
	p = realloc(s->p, cap);
	if (!p) {
		/* Full from now on (cap below len + 1): every append comes
		 * here and is refused.
		 */
		s->oom = true;
		s->cap = s->len;
		return false;
	}
	s->p = p;
	s->cap = cap;
	return true;
}

void ts_str_clear(struct ts_str *s)
{
	s->len = 0;
	if (s->p)
		s->p[0] = '\0';
}

void ts_str_free(struct ts_str *s)
{
	free(s->p);
	memset(s, 0, sizeof(*s));
}

void ts_str_printf(struct ts_str *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !ts_str_grow(s, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

const char *ts_str_get(const struct ts_str *s)
{
	return s->p ? s->p : "";
}

size_t ts_dec_u64(char *buf, uint64_t v)
{
	char tmp[TS_DEC_MAX];
	const char *d = ts_dec_back(tmp + sizeof(tmp), v);
	size_t n = (size_t)(tmp + sizeof(tmp) - d);

	memcpy(buf, d, n);
	return n;
}

size_t ts_dec_s64(char *buf, int64_t v)
{
	if (v >= 0)
		return ts_dec_u64(buf, (uint64_t)v);
	/* -(v + 1) + 1: INT64_MIN has no positive int64_t. */
	buf[0] = '-';
	return 1 + ts_dec_u64(buf + 1, (uint64_t)-(v + 1) + 1);
}

void ts_str_s64(struct ts_str *s, int64_t v)
{
	if (v >= 0) {	/* most: nice 0, prio 20 */
		ts_str_u64(s, (uint64_t)v);
		return;
	}
	if (!ts_str_room_for_number(s))
		return;
	s->len += ts_dec_s64(s->p + s->len, v);
	s->p[s->len] = '\0';
}
