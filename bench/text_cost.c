// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * What the sanitizer costs per thread name, against the alternatives it
 * was chosen over: the old JSON loop that copied bytes >= 0x80 blindly
 * (invalid output, the floor), and UTF-8 decoding with the C library's
 * mbrtowc() in C.UTF-8 instead of ts_utf8_decode(). Host program; prints
 * ns per name.  build/bench/text_cost [NAMES]
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "text.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The encoder before the sanitizer: escapes controls, copies the rest. */
static void json_old(struct ts_str *out, const char *s)
{
	ts_str_add(out, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			ts_str_printf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			ts_str_printf(out, "\\u%04x", c);
		else
			ts_str_add(out, s, 1);
	}
	ts_str_add(out, "\"", 1);
}

static size_t decode_ours(const char *s, size_t n)
{
	size_t chars = 0, len;
	uint32_t cp;

	while (n) {
		len = ts_utf8_decode(s, n, &cp);
		len = len ? len : 1;
		s += len;
		n -= len;
		chars++;
	}
	return chars;
}

static size_t decode_libc(const char *s, size_t n)
{
	mbstate_t st;
	size_t chars = 0, len;
	wchar_t wc;

	memset(&st, 0, sizeof(st));
	while (n) {
		len = mbrtowc(&wc, s, n, &st);
		if (len == (size_t)-1 || len == (size_t)-2 || !len) {
			memset(&st, 0, sizeof(st));
			len = 1;
		}
		s += len;
		n -= len;
		chars++;
	}
	return chars;
}

int main(int argc, char **argv)
{
	static const char *const pool[] = {
		"kworker/3:1H", "postgres", "tt-sleep-1", "名前ü",
		"java-gc-worker", "cut\xe5\x90", "a\nb", "\x1b]0;x\a",
	};
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000, i;
	struct ts_str out = { 0 };
	volatile size_t sink = 0;
	double t0, t;

	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return 1;
	printf("names: %zu, 8 kinds (ASCII, UTF-8, cut UTF-8, controls)\n", n);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		ts_str_clear(&out);
		json_old(&out, pool[i % 8]);
	}
	t = (now_ns() - t0) / n;
	printf("json, old loop (invalid output)  %6.1f ns/name\n", t);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		ts_str_clear(&out);
		ts_text_json(&out, pool[i % 8], strlen(pool[i % 8]));
	}
	printf("json, ts_text_json               %6.1f ns/name\n",
	       (now_ns() - t0) / n);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		ts_str_clear(&out);
		ts_text_display(&out, pool[i % 8], strlen(pool[i % 8]), 0);
	}
	printf("display, ts_text_display         %6.1f ns/name\n",
	       (now_ns() - t0) / n);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		sink += decode_ours(pool[i % 8], strlen(pool[i % 8]));
	printf("decode, ts_utf8_decode           %6.1f ns/name\n",
	       (now_ns() - t0) / n);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		sink += decode_libc(pool[i % 8], strlen(pool[i % 8]));
	printf("decode, mbrtowc (C.UTF-8)        %6.1f ns/name\n",
	       (now_ns() - t0) / n);
	ts_str_free(&out);
	return sink ? 0 : 1;
}
