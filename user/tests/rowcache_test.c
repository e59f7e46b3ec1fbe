// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadtop's row cache (user/top/rowcache.c): a row's text comes back
 * only for exactly the values it was made from, the row kind and the
 * columns; a changed value is a miss and its new text replaces the old;
 * rows gone are dropped; two rows with one id (a tomb and a new thread)
 * keep their own texts. Built in, as settings_test builds its files.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "../top/rowcache.c"

static bool shown[TS_COLS];
static int order[TS_COLS];

static void set_columns(bool cpu_shown)
{
	int c;

	for (c = 0; c < TS_COLS; c++) {
		shown[c] = true;
		order[c] = c;
	}
	shown[TS_COL_CPU] = cpu_shown;
}

static struct ts_mstat stat_of(uint32_t id)
{
	struct ts_mstat st;

	memset(&st, 0, sizeof(st));
	st.id = id;
	st.state = 'S';
	st.runtime = 1000000ull * id;
	return st;
}

/* The text cached for @st, "" for none. */
static const char *cached(struct rowcache *rc, const struct ts_mstat *st,
			  uint8_t kind)
{
	static char buf[200];
	const struct rowcache_entry *e = rowcache_find(rc, st, kind);

	if (!e)
		return "";
	memcpy(buf, e->text, e->len);
	buf[e->len] = '\0';
	return buf;
}

static void keep(struct rowcache *rc, const struct ts_mstat *st,
		 uint8_t kind, const char *text)
{
	rowcache_keep(rc, st, kind, text, strlen(text), TS_COL_COMMAND);
}

TEST(same_values_hit_changed_values_miss)
{
	struct rowcache rc = { 0 };
	struct ts_mstat a = stat_of(100), b = stat_of(101), a2;
	const struct rowcache_entry *e;

	set_columns(true);
	rowcache_begin(&rc, true, 2, shown, order);
	EXPECT_STREQ("", cached(&rc, &a, TS_ROW_THREAD));	/* empty */
	keep(&rc, &a, TS_ROW_THREAD, "  100 a ");
	keep(&rc, &b, TS_ROW_THREAD, "  101 b ");
	rowcache_begin(&rc, true, 2, shown, order);
	/* one value changed, even one no cell shows: a miss */
	a2 = a;
	a2.lat_sum = 1;
	EXPECT_STREQ("", cached(&rc, &a2, TS_ROW_THREAD));
	/* a process row of the same id is not the thread's */
	EXPECT_STREQ("", cached(&rc, &a, TS_ROW_PROCESS));
	e = rowcache_find(&rc, &a, TS_ROW_THREAD);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(TS_COL_COMMAND, e->next);
	EXPECT_EQ(8, e->len);
	EXPECT_EQ(0, memcmp(e->text, "  100 a ", 8));
	b.cpu_pct = 0.5;
	EXPECT_STREQ("", cached(&rc, &b, TS_ROW_THREAD));
	keep(&rc, &b, TS_ROW_THREAD, "  101 b 0.5 ");
	/* the next frame: b's new text, a's old one (drawn last frame) */
	rowcache_begin(&rc, true, 2, shown, order);
	EXPECT_STREQ("  101 b 0.5 ", cached(&rc, &b, TS_ROW_THREAD));
	EXPECT_STREQ("  100 a ", cached(&rc, &a, TS_ROW_THREAD));
	EXPECT_EQ(2, rc.n);	/* b's entry was replaced, not added */
	rowcache_free(&rc);
}

TEST(other_columns_or_a_screen_empty_it)
{
	struct rowcache rc = { 0 };
	struct ts_mstat a = stat_of(7);

	set_columns(true);
	rowcache_begin(&rc, true, 1, shown, order);
	keep(&rc, &a, TS_ROW_THREAD, "7 ");
	set_columns(false);
	rowcache_begin(&rc, true, 1, shown, order);
	EXPECT_STREQ("", cached(&rc, &a, TS_ROW_THREAD));
	keep(&rc, &a, TS_ROW_THREAD, "7 S ");
	/* curses frames neither find nor keep */
	rowcache_begin(&rc, false, 1, shown, order);
	EXPECT_STREQ("", cached(&rc, &a, TS_ROW_THREAD));
	rowcache_begin(&rc, true, 1, shown, order);
	EXPECT_STREQ("7 S ", cached(&rc, &a, TS_ROW_THREAD));
	rowcache_free(&rc);
}

TEST(rows_gone_are_dropped_and_one_id_keeps_two_texts)
{
	struct rowcache rc = { 0 };
	struct ts_mstat tomb = stat_of(5), born = stat_of(5), st;
	uint32_t id;

	set_columns(true);
	born.runtime = 0;
	rowcache_begin(&rc, true, 2, shown, order);
	keep(&rc, &tomb, TS_ROW_THREAD, "5 tomb ");
	keep(&rc, &born, TS_ROW_THREAD, "5 new ");
	rowcache_begin(&rc, true, 2, shown, order);
	EXPECT_STREQ("5 new ", cached(&rc, &born, TS_ROW_THREAD));
	EXPECT_STREQ("5 tomb ", cached(&rc, &tomb, TS_ROW_THREAD));
	/* a found entry is this frame's: not found twice in one frame */
	EXPECT_STREQ("", cached(&rc, &tomb, TS_ROW_THREAD));
	/* 100 frames of 10 rows, each a new thread: the table stays small */
	for (id = 1000; id < 2000; id++) {
		if (id % 10 == 0)
			rowcache_begin(&rc, true, 10, shown, order);
		st = stat_of(id);
		keep(&rc, &st, TS_ROW_THREAD, "x ");
	}
	rowcache_begin(&rc, true, 10, shown, order);
	EXPECT_EQ(10, rc.n);	/* the last frame's rows only */
	st = stat_of(1995);
	EXPECT_STREQ("x ", cached(&rc, &st, TS_ROW_THREAD));
	st = stat_of(1985);	/* older ones are gone */
	EXPECT_STREQ("", cached(&rc, &st, TS_ROW_THREAD));
	rowcache_free(&rc);
}

TEST_HARNESS_MAIN
