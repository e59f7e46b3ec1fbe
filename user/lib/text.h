/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The text layer both tools show fields through: a field's value as text,
 * and the one sanitizer every output passes user-controlled strings
 * (thread names, frames, replayed files) through. It lives in the library
 * so that neither tool reaches into the other's folder.
 *
 * Display (tables, threadtop, CSV on a terminal) escapes what a terminal
 * would act on, so a name can neither run an escape sequence nor split a
 * row, and different bytes never look the same:
 *   \\ for a backslash; \a \b \t \n \v \f \r \e for those controls;
 *   \xHH for any other C0 control, DEL, and each byte that is not part of
 *   valid UTF-8 (a name cut mid-character, Latin-1);
 *   \uHHHH for C1 controls (U+0080..U+009F), bidirectional overrides and
 *   line/paragraph separators, characters the locale cannot print, and
 *   every non-ASCII character when the terminal is not UTF-8.
 * Valid, printable UTF-8 is shown as is, zero-width characters (combining
 * marks, joiners) included, attached to the character before them; one
 * with no printable character of the same string before it (it would
 * combine with a column separator or an escape) is written \uHHHH.
 *
 * JSON is valid UTF-8 and lossless: invalid byte b is written \udcHH
 * (U+DC00 + b, Python's "surrogateescape"); since valid UTF-8 never holds
 * a surrogate, the mapping is one to one.
 *
 * CSV follows RFC 4180; an absent field is an empty cell, a present empty
 * string is "".
 */
#ifndef THREADSTAT_TEXT_H
#define THREADSTAT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "threadstat.h"

/* A growable string; on allocation failure it stops growing, sets oom and
 * stays a valid (shorter) string.
 */
struct ts_str {
	char *p;
	size_t len, cap;
	bool oom;
};

void ts_str_clear(struct ts_str *s);
void ts_str_free(struct ts_str *s);
/* Room for @more bytes and the terminator; false (and no room) when out of
 * memory. ts_str_add() calls it only when the buffer is full.
 */
bool ts_str_grow(struct ts_str *s, size_t more);

/*
 * Inline: every cell, key and digit of the tables, CSV and JSON goes
 * through here (a call, a reserve check and a memcpy call per piece were
 * 30-40% of --json's formatting, callgrind); a constant @n becomes a move.
 */
static inline void ts_str_add(struct ts_str *s, const char *text, size_t n)
{
	if (s->len + n + 1 > s->cap && !ts_str_grow(s, n))
		return;
	memcpy(s->p + s->len, text, n);
	s->len += n;
	s->p[s->len] = '\0';
}
void ts_str_printf(struct ts_str *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The string so far, "" before the first append. */
const char *ts_str_get(const struct ts_str *s);

/* Decimal digits of an integer, without printf's parsing of a format (the
 * tables, CSV and JSON print millions of numbers): ts_dec_u64() and
 * ts_dec_s64() write them into @buf (TS_DEC_MAX bytes, not terminated) and
 * return their count; ts_str_u64() and ts_str_s64() append them.
 */
#define TS_DEC_MAX	20
size_t ts_dec_u64(char *buf, uint64_t v);
size_t ts_dec_s64(char *buf, int64_t v);
void ts_str_s64(struct ts_str *s, int64_t v);

/* @v's digits written backwards to end at @end; returns where they start. */
static inline char *ts_dec_back(char *end, uint64_t v)
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

/* The digits straight into the buffer: no copy through a local. */
static inline bool ts_str_room_for_number(struct ts_str *s)
{
	return s->len + TS_DEC_MAX + 2 <= s->cap ||
	       ts_str_grow(s, TS_DEC_MAX + 1);
}

/* Inline: a number per field of every record (the call was a tenth of a
 * number's cost in --json, callgrind). */
static inline void ts_str_u64(struct ts_str *s, uint64_t v)
{
	/* The digits end tmp's first half: a copy of TS_DEC_MAX bytes from
	 * where they start stays inside tmp, and its size is a constant (a
	 * move or two, not a call); the buffer has room for it.
	 */
	char tmp[2 * TS_DEC_MAX];
	const char *d = ts_dec_back(tmp + TS_DEC_MAX, v);

	if (!ts_str_room_for_number(s))
		return;
	memcpy(s->p + s->len, d, TS_DEC_MAX);
	s->len += (size_t)(tmp + TS_DEC_MAX - d);
	s->p[s->len] = '\0';
}

/*
 * The UTF-8 sequence at @s (@n bytes): its length and code point in *@cp,
 * or 0 when @s does not start a valid sequence (overlong, surrogate, above
 * U+10FFFF, cut short).
 */
size_t ts_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Display flags. */
#define TS_TEXT_ASCII	0x1	/* the terminal is not UTF-8: escape all else */
#define TS_TEXT_BASE	0x2	/* a printable character of the same string
				 * precedes: a zero-width one may join it */

/* One displayed piece of a string: the bytes to show and their columns. */
struct ts_glyph {
	const char *text;	/* the input's own bytes, or esc */
	size_t len;		/* bytes of text */
	int width;		/* terminal columns */
	char esc[12];
};

/*
 * The next glyph of @s (@n > 0 bytes): returns the input bytes it covers.
 * ts_glyph_is_base() says whether the next glyph gets TS_TEXT_BASE.
 */
size_t ts_text_glyph(const char *s, size_t n, unsigned int flags,
		     struct ts_glyph *g);
bool ts_glyph_is_base(const struct ts_glyph *g);
/* Append @s (@n bytes) escaped for a terminal; returns the columns taken. */
size_t ts_text_display(struct ts_str *out, const char *s, size_t n,
		       unsigned int flags);
/*
 * How many bytes at the start of @s (@n bytes) every notation shows as
 * themselves: printable ASCII other than backslash and double quote. The
 * fast path of the escapers and their callers: a run of these is copied
 * at once, and a string that is all of them needs no escaping at all.
 */
size_t ts_text_plain(const char *s, size_t n);
/* The display flags for this process's locale (call after setlocale). */
unsigned int ts_text_flags(void);
/* Append @s (@n bytes) as a JSON string, quotes included. */
void ts_text_json(struct ts_str *out, const char *s, size_t n);
/* Append @s (@n bytes) as one RFC 4180 CSV cell. */
void ts_text_csv(struct ts_str *out, const char *s, size_t n);

/*
 * The parts of a field's text that are the same in a table and in JSON:
 * ts_field_number() appends a number (U8, U32, S32, U64) and returns true,
 * else appends nothing; ts_field_enum_name() gives the name of a policy or
 * of a *-missing reason (NULL for other kinds), for the caller to quote.
 */
static inline bool ts_field_number(struct ts_str *out,
				   const struct ts_field *f, const void *rec)
{
	/* Inline: most of a record's fields are numbers (the call and the
	 * return were a tenth of --json's formatting, callgrind).
	 */
	const char *p = (const char *)rec + f->offset;
	uint32_t u32;
	int32_t s32;
	uint64_t u64;

	switch (f->kind) {
	case TS_KIND_U8:
		ts_str_u64(out, *(const uint8_t *)p);
		return true;
	case TS_KIND_U32:
		memcpy(&u32, p, 4);
		ts_str_u64(out, u32);
		return true;
	case TS_KIND_S32:
		memcpy(&s32, p, 4);
		ts_str_s64(out, s32);
		return true;
	case TS_KIND_U64:
		memcpy(&u64, p, 8);
		ts_str_u64(out, u64);
		return true;
	default:
		return false;
	}
}
const char *ts_field_enum_name(const struct ts_field *f, const void *rec);

/*
 * A field's value as text, unescaped (names as the kernel gave them):
 * pass it through ts_text_display() or surf_put() before showing it.
 * ts_field_str() appends all of it; field_text() cuts it at @len - 1.
 */
void ts_field_str(struct ts_str *out, const struct ts_field *f,
		  const void *rec);
void field_text(char *buf, size_t len, const struct ts_field *f,
		const void *rec);

#endif
