// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The sanitizer (text.h): what a terminal, a JSON parser and a CSV reader
 * get for hostile names; field text is never cut.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "text.h"

static const char *display(struct ts_str *s, const char *in, unsigned int fl,
			   size_t *cols)
{
	ts_str_clear(s);
	*cols = ts_text_display(s, in, strlen(in), fl);
	return ts_str_get(s);
}

TEST(utf8_decoder_is_strict)
{
	uint32_t cp;

	ASSERT_EQ(2, ts_utf8_decode("\xc3\xa9", 2, &cp));
	ASSERT_EQ(0xe9, cp);
	ASSERT_EQ(4, ts_utf8_decode("\xf0\x9f\x98\x80", 4, &cp));
	ASSERT_EQ(0x1f600, cp);
	ASSERT_EQ(0, ts_utf8_decode("\xc3", 1, &cp));		/* cut */
	ASSERT_EQ(0, ts_utf8_decode("\xe2\x82", 2, &cp));	/* cut */
	ASSERT_EQ(0, ts_utf8_decode("\xc0\xaf", 2, &cp));	/* overlong */
	ASSERT_EQ(0, ts_utf8_decode("\xe0\x80\xaf", 3, &cp));	/* overlong */
	ASSERT_EQ(0, ts_utf8_decode("\xed\xa0\x80", 3, &cp));	/* surrogate */
	ASSERT_EQ(0, ts_utf8_decode("\xf4\x90\x80\x80", 4, &cp)); /* > max */
	ASSERT_EQ(0, ts_utf8_decode("\x80", 1, &cp));
	ASSERT_EQ(0, ts_utf8_decode("\xff", 1, &cp));
}

TEST(display_escapes_what_a_terminal_acts_on)
{
	struct ts_str s = { 0 };
	size_t cols;

	ASSERT_NE(NULL, setlocale(LC_CTYPE, "C.UTF-8"));
	EXPECT_STREQ("\\e]0;pwn\\a",
		     display(&s, "\x1b]0;pwn\a", 0, &cols));
	EXPECT_EQ(10, cols);
	EXPECT_STREQ("a\\nb\\rc\\td", display(&s, "a\nb\rc\td", 0, &cols));
	EXPECT_STREQ("\\\\x1b", display(&s, "\\x1b", 0, &cols));
	EXPECT_STREQ("\\x01\\x7f", display(&s, "\x01\x7f", 0, &cols));
	/* a name cut mid-character, a lone C1 byte, Latin-1 */
	EXPECT_STREQ("ab\\xe2\\x82", display(&s, "ab\xe2\x82", 0, &cols));
	EXPECT_STREQ("\\x9b2J", display(&s, "\x9b" "2J", 0, &cols));
	/* C1 CSI as valid UTF-8, a bidi override */
	EXPECT_STREQ("\\u009b", display(&s, "\xc2\x9b", 0, &cols));
	EXPECT_STREQ("\\u202e", display(&s, "\xe2\x80\xae", 0, &cols));
	/* valid UTF-8 as is, counted in columns */
	EXPECT_STREQ("caf\xc3\xa9", display(&s, "caf\xc3\xa9", 0, &cols));
	EXPECT_EQ(4, cols);
	EXPECT_STREQ("\xe6\x97\xa5\xe6\x9c\xac", display(&s,
		     "\xe6\x97\xa5\xe6\x9c\xac", 0, &cols));
	EXPECT_EQ(4, cols);
	/* not a UTF-8 terminal: every non-ASCII character escaped */
	EXPECT_STREQ("caf\\u00e9", display(&s, "caf\xc3\xa9", TS_TEXT_ASCII,
					    &cols));
	EXPECT_STREQ("\\U0001f600", display(&s, "\xf0\x9f\x98\x80",
					    TS_TEXT_ASCII, &cols));
	EXPECT_STREQ("-", display(&s, "-", 0, &cols));
	ts_str_free(&s);
}

TEST(combining_marks_stay_with_their_character)
{
	struct ts_str s = { 0 };
	size_t cols;

	ASSERT_NE(NULL, setlocale(LC_CTYPE, "C.UTF-8"));
	/* e + U+0301 and a + U+0308 U+0301: kept, one column each */
	EXPECT_STREQ("cafe\xcc\x81", display(&s, "cafe\xcc\x81", 0, &cols));
	EXPECT_EQ(4, cols);
	EXPECT_STREQ("a\xcc\x88\xcc\x81" "b",
		     display(&s, "a\xcc\x88\xcc\x81" "b", 0, &cols));
	EXPECT_EQ(2, cols);
	/* with nothing of the name's own before it, a mark would join the
	 * column separator or an escape: escaped instead
	 */
	EXPECT_STREQ("\\u0301x", display(&s, "\xcc\x81x", 0, &cols));
	EXPECT_EQ(7, cols);
	EXPECT_STREQ("\\n\\u0301", display(&s, "\n\xcc\x81", 0, &cols));
	EXPECT_STREQ("\\xff\\u0301", display(&s, "\xff\xcc\x81", 0, &cols));
	ts_str_free(&s);
}

static const char *json(struct ts_str *s, const char *in)
{
	ts_str_clear(s);
	ts_text_json(s, in, strlen(in));
	return ts_str_get(s);
}

TEST(json_is_valid_utf8_and_lossless)
{
	struct ts_str s = { 0 };

	EXPECT_STREQ("\"a\\\"b\\\\c\"", json(&s, "a\"b\\c"));
	EXPECT_STREQ("\"\\u001b]0;x\\u0007\\n\"", json(&s, "\x1b]0;x\a\n"));
	EXPECT_STREQ("\"ab\\udce2\\udc82\"", json(&s, "ab\xe2\x82"));
	EXPECT_STREQ("\"\\udced\\udca0\\udc80\"", json(&s, "\xed\xa0\x80"));
	EXPECT_STREQ("\"caf\xc3\xa9\"", json(&s, "caf\xc3\xa9"));
	EXPECT_STREQ("\"\\u2028\\u007f\"", json(&s, "\xe2\x80\xa8\x7f"));
	ts_str_free(&s);
}

static const char *csv(struct ts_str *s, const char *in)
{
	ts_str_clear(s);
	ts_text_csv(s, in, strlen(in));
	return ts_str_get(s);
}

TEST(csv_is_rfc4180)
{
	struct ts_str s = { 0 };

	EXPECT_STREQ("plain", csv(&s, "plain"));
	EXPECT_STREQ("-", csv(&s, "-"));
	EXPECT_STREQ("\"\"", csv(&s, ""));
	EXPECT_STREQ("\"a,b\"", csv(&s, "a,b"));
	EXPECT_STREQ("\"say \"\"hi\"\"\"", csv(&s, "say \"hi\""));
	EXPECT_STREQ("\"a\rb\"", csv(&s, "a\rb"));
	EXPECT_STREQ("\"a\nb\"", csv(&s, "a\nb"));
	ts_str_free(&s);
}

TEST(field_text_is_never_cut)
{
	static const char frame[] = "some_kernel_function+0x1a4/0x3c0";
	struct ts_thread t;
	const struct ts_field *f;
	struct ts_str s = { 0 };
	char *frames, *p;
	uint32_t i;

	memset(&t, 0, sizeof(t));
	frames = malloc(64 * sizeof(frame));
	ASSERT_NE(NULL, frames);
	for (i = 0, p = frames; i < 64; i++, p += sizeof(frame))
		memcpy(p, frame, sizeof(frame));
	t.kernel_stack = frames;
	t.n_kernel_stack = 64;
	f = ts_field_by_name(&ts_thread_set, "kernel-stack");
	ASSERT_NE(NULL, f);
	ts_field_str(&s, f, &t);
	EXPECT_EQ(64 * sizeof(frame) - 1, s.len);
	EXPECT_EQ(0, memcmp(s.p + s.len - sizeof(frame) + 1, frame,
			    sizeof(frame) - 1));
	ts_str_free(&s);
	free(frames);
}

/* CPU lists: ranges, word edges, the last CPU, an empty mask. */
TEST(cpuset_text_and_next)
{
	const struct ts_field *f;
	struct ts_thread t;
	struct ts_str s = { 0 };

	f = ts_field_by_name(&ts_thread_set, "cpus-allowed");
	ASSERT_NE(NULL, f);
	memset(&t, 0, sizeof(t));
	ts_field_str(&s, f, &t);
	EXPECT_STREQ("", ts_str_get(&s));
	EXPECT_EQ(TS_CPUSET_WORDS * 64,
		  ts_cpuset_next(t.cpus_allowed, TS_CPUSET_WORDS, 0));
	t.cpus_allowed[0] = 0x1dULL | 1ULL << 63;	/* 0,2-4,63 */
	t.cpus_allowed[1] = 3;				/* 64-65 */
	t.cpus_allowed[3] = 1ULL << 2;			/* 194 */
	t.cpus_allowed[TS_CPUSET_WORDS - 1] = 1ULL << 63;
	ts_str_clear(&s);
	ts_field_str(&s, f, &t);
	EXPECT_STREQ("0,2-4,63-65,194,1023", ts_str_get(&s));
	EXPECT_EQ(2u, ts_cpuset_next(t.cpus_allowed, TS_CPUSET_WORDS, 1));
	EXPECT_EQ(63u, ts_cpuset_next(t.cpus_allowed, TS_CPUSET_WORDS, 5));
	EXPECT_EQ(194u, ts_cpuset_next(t.cpus_allowed, TS_CPUSET_WORDS, 66));
	EXPECT_EQ(1023u, ts_cpuset_next(t.cpus_allowed, TS_CPUSET_WORDS, 195));
	EXPECT_EQ(1024u, ts_cpuset_next(t.cpus_allowed, TS_CPUSET_WORDS, 1024));
	ts_str_free(&s);
}

/* The printf-free number formatting agrees with printf at the edges. */
TEST(numbers_match_printf)
{
	static const int64_t s64[] = { 0, 1, -1, 9, 10, -10, 2147483647,
				       -2147483648LL, INT64_MAX, INT64_MIN };
	static const uint64_t u64[] = { 0, 1, 9, 10, 99, 100, 4294967295u,
					UINT64_MAX };
	char want[32], got[TS_DEC_MAX + 1];
	struct ts_str s = { 0 };
	size_t i, n;

	for (i = 0; i < sizeof(s64) / sizeof(*s64); i++) {
		snprintf(want, sizeof(want), "%lld", (long long)s64[i]);
		n = ts_dec_s64(got, s64[i]);
		got[n] = '\0';
		EXPECT_STREQ(want, got);
	}
	for (i = 0; i < sizeof(u64) / sizeof(*u64); i++) {
		snprintf(want, sizeof(want), "%llu", (unsigned long long)u64[i]);
		ts_str_clear(&s);
		ts_str_u64(&s, u64[i]);
		EXPECT_STREQ(want, ts_str_get(&s));
	}
	ts_str_free(&s);
}

/*
 * ts_text_plain() reads eight bytes at a time: every byte value at every
 * place of strings 0-24 bytes long (words, their tails, after a plain
 * word) stops it exactly there, and only the bytes it must stop at.
 */
TEST(plain_stops_at_every_unplain_byte)
{
	char buf[24];
	size_t n, at, want;
	int c;

	for (c = 0; c < 256; c++)
		for (n = 0; n <= sizeof(buf); n++)
			for (at = 0; at < n; at++) {
				bool plain = c >= 0x20 && c < 0x7f &&
					     c != '\\' && c != '"';

				memset(buf, 'a', sizeof(buf));
				buf[at] = (char)c;
				want = plain ? n : at;
				ASSERT_EQ(want, ts_text_plain(buf, n));
			}
	ASSERT_EQ(17, ts_text_plain("0123456789 ABCDEF\x7f~", 22));
	ASSERT_EQ(9, ts_text_plain("~}|{ !#$%\x1f", 10));
}

TEST_HARNESS_MAIN
