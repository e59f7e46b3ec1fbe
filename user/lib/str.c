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

/* @v's digits written backwards to end at @end; returns where they start. */
static inline char *dec_back(char *end, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";

	/* Two digits per division. */
	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + v % 100 * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, pairs + v * 2, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

size_t ts_dec_u64(char *buf, uint64_t v)
{
	char tmp[TS_DEC_MAX];
	const char *d = dec_back(tmp + sizeof(tmp), v);
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

/* The digits straight into the buffer: no copy through a local. */
static bool room_for_number(struct ts_str *s)
{
	return s->len + TS_DEC_MAX + 2 <= s->cap ||
	       ts_str_grow(s, TS_DEC_MAX + 1);
}

void ts_str_u64(struct ts_str *s, uint64_t v)
{
	/* The digits end tmp's first half: a copy of TS_DEC_MAX bytes from
	 * where they start stays inside tmp, and its size is a constant (a
	 * move or two, not a call); the buffer has room for it.
	 */
	char tmp[2 * TS_DEC_MAX];
	const char *d = dec_back(tmp + TS_DEC_MAX, v);

	if (!room_for_number(s))
		return;
	memcpy(s->p + s->len, d, TS_DEC_MAX);
	s->len += (size_t)(tmp + TS_DEC_MAX - d);
	s->p[s->len] = '\0';
}

void ts_str_s64(struct ts_str *s, int64_t v)
{
	if (v >= 0) {	/* most: nice 0, prio 20 */
		ts_str_u64(s, (uint64_t)v);
		return;
	}
	if (!room_for_number(s))
		return;
	s->len += ts_dec_s64(s->p + s->len, v);
	s->p[s->len] = '\0';
}
