// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The one sanitizer for names and strings: terminal-safe display text,
 * JSON strings and CSV cells (the notation is documented in text.h and
 * README). Every output of both tools passes user-controlled text through
 * here. Hand-written: JSON libraries (jansson, json-c) refuse or replace
 * invalid UTF-8, so none can write the lossless form chosen here.
 */
#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "text.h"

/* Valid characters a terminal would act on or that reorder a line. */
static bool hidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c ||
	       cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x2028 || cp == 0x2029;
}

static const char *control_name(unsigned char c)
{
	switch (c) {
	case '\a': return "\\a";
	case '\b': return "\\b";
	case '\t': return "\\t";
	case '\n': return "\\n";
	case '\v': return "\\v";
	case '\f': return "\\f";
	case '\r': return "\\r";
	case 0x1b: return "\\e";
	case '\\': return "\\\\";
	default: return NULL;
	}
}

static void glyph_escape(struct ts_glyph *g, const char *fmt, uint32_t v)
{
	int n = snprintf(g->esc, sizeof(g->esc), fmt, v);

	g->text = g->esc;
	g->len = (size_t)n;
	g->width = n;
}

size_t ts_text_glyph(const char *s, size_t n, unsigned int flags,
		     struct ts_glyph *g)
{
	unsigned char c = (unsigned char)s[0];
	const char *name;
	uint32_t cp;
	size_t len;
	int w;

	if (c < 0x80) {
		name = control_name(c);
		if (name) {
			g->text = name;
			g->len = 2;
			g->width = 2;
		} else if (c < 0x20 || c == 0x7f) {
			glyph_escape(g, "\\x%02x", c);
		} else {
			g->text = s;
			g->len = 1;
			g->width = 1;
		}
		return 1;
	}
	len = ts_utf8_decode(s, n, &cp);
	if (!len) {
		glyph_escape(g, "\\x%02x", c);
		return 1;
	}
	w = (flags & TS_TEXT_ASCII) || hidden(cp) ? -1 : wcwidth((wchar_t)cp);
	if (!w && !(flags & TS_TEXT_BASE))
		w = -1;		/* nothing of its own to combine with */
	if (w < 0) {
		glyph_escape(g, cp > 0xffff ? "\\U%08x" : "\\u%04x", cp);
	} else {
		g->text = s;
		g->len = len;
		g->width = w;
	}
	return len;
}

/* Bytes of @w (8) that are < @b, or have their top bit set: non-zero when
 * there is one (some bytes after it may be flagged too).
 */
#define BYTES(c)	(0x0101010101010101ULL * (c))
#define BELOW(w, b)	(((w) - BYTES(b)) & ~(w) & BYTES(0x80))
#define HAS(w, c)	BELOW((w) ^ BYTES(c), 1)

size_t ts_text_plain(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	/* Eight bytes at a time until a word holds one that is not plain
	 * (a control, DEL or above, a backslash or a quote); the bytes find
	 * which (every cell, name and JSON string of a dump comes here).
	 */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		/* (w | w + 1): DEL's top bit, once no byte had its own */
		if (BELOW(w, 0x20) | ((w | (w + BYTES(1))) & BYTES(0x80)) |
		    HAS(w, '\\') | HAS(w, '"'))
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\' || c == '"')
			break;
	}
	return i;
}

bool ts_glyph_is_base(const struct ts_glyph *g)
{
	/* a character as it is (an escape is no base: a mark would change
	 * how it reads), or a mark already joined to one
	 */
	return g->text != g->esc && !(g->len == 2 && g->text[0] == '\\');
}

size_t ts_text_display(struct ts_str *out, const char *s, size_t n,
		       unsigned int flags)
{
	struct ts_glyph g;
	size_t cols = 0, used;
	unsigned int base = 0;

	while (n) {
		/* Plain ASCII is one column a byte, shown as it is. */
		used = ts_text_plain(s, n);
		if (used) {
			ts_str_add(out, s, used);
			cols += used;
			s += used;
			n -= used;
			base = TS_TEXT_BASE;
			continue;
		}
		used = ts_text_glyph(s, n, flags | base, &g);
		base = ts_glyph_is_base(&g) ? TS_TEXT_BASE : 0;
		ts_str_add(out, g.text, g.len);
		cols += (size_t)g.width;
		s += used;
		n -= used;
	}
	return cols;
}

unsigned int ts_text_flags(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") ? TS_TEXT_ASCII : 0;
}

void ts_text_json(struct ts_str *out, const char *s, size_t n)
{
	const char *end = s + n;
	uint32_t cp;
	size_t len = ts_text_plain(s, n);

	/* Most strings (names, states, policies) need no escape: one copy. */
	if (len == n && (out->len + n + 3 <= out->cap ||
			 ts_str_grow(out, n + 2))) {
		char *d = out->p + out->len;

		d[0] = '"';
		memcpy(d + 1, s, n);
		d[n + 1] = '"';
		d[n + 2] = '\0';
		out->len += n + 2;
		return;
	}
	ts_str_add(out, "\"", 1);
	while (s < end) {
		unsigned char c = (unsigned char)*s;

		len = ts_text_plain(s, (size_t)(end - s));
		if (len) {
			ts_str_add(out, s, len);
			s += len;
			continue;
		}
		if (c == '"' || c == '\\') {
			ts_str_printf(out, "\\%c", c);
		} else if (c == '\n') {
			ts_str_add(out, "\\n", 2);
		} else if (c == '\t') {
			ts_str_add(out, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			ts_str_printf(out, "\\u%04x", c);
		} else if (c < 0x80) {
			ts_str_add(out, s, 1);
		} else {
			len = ts_utf8_decode(s, (size_t)(end - s), &cp);
			if (!len)	/* lossless: U+DC00 + the byte */
				ts_str_printf(out, "\\udc%02x", c);
			else if (cp == 0x2028 || cp == 0x2029)
				ts_str_printf(out, "\\u%04x", cp);
			else
				ts_str_add(out, s, len);
			s += len ? len : 1;
			continue;
		}
		s++;
	}
	ts_str_add(out, "\"", 1);
}

void ts_text_csv(struct ts_str *out, const char *s, size_t n)
{
	const char *q;
	size_t i;

	/* One pass over the (short) cell instead of four memchr calls. */
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			break;
	if (n && i == n) {
		ts_str_add(out, s, n);
		return;
	}
	/* Quoted (an empty string too, so that it differs from absent). */
	ts_str_add(out, "\"", 1);
	while ((q = memchr(s, '"', n))) {
		ts_str_add(out, s, (size_t)(q - s) + 1);
		ts_str_add(out, "\"", 1);
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	ts_str_add(out, s, n);
	ts_str_add(out, "\"", 1);
}
