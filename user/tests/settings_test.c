// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadtop's settings file (user/top/settings.c): columns and meters
 * chosen in F2 survive a save and a load; unknown meter names are a newer
 * threadtop's and ignored; a damaged meters= value gives every default.
 * threadtop is a program, not a library: its few files are built in.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../top/choice.c"
#include "../top/columns.c"
#include "../top/meters.c"
#include "../top/settings.c"

static void defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->delay = 15;
	o->sort = TS_COL_CPU_PCT;
	columns_default(o);
	meters_default(o);
}

/* A fresh XDG_CONFIG_HOME holding @text as threadtoprc (NULL: none). */
static void config(char *dir, const char *text)
{
	char path[256];
	FILE *f;

	strcpy(dir, "/tmp/settings_test.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	setenv("XDG_CONFIG_HOME", dir, 1);
	if (!text)
		return;
	snprintf(path, sizeof(path), "%s/threadtop", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/threadtop/threadtoprc", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void cleanup(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		abort();
}

TEST(meters_and_columns_round_trip)
{
	struct options o, back;
	struct choice mc = meters_choice(&o), cc = columns_choice(&o);
	char dir[64], warn[256] = "", text[SETTINGS_TEXT], again[SETTINGS_TEXT];

	config(dir, NULL);
	defaults(&o);
	/* As F2 does: Swp hidden, Tasks moved to the top, USER hidden. */
	ASSERT_TRUE(choice_toggle(&mc, METER_SWAP));
	ASSERT_TRUE(choice_move(&mc, METER_TASKS, -1));
	ASSERT_TRUE(choice_move(&mc, METER_TASKS - 1, -1));
	ASSERT_FALSE(choice_move(&mc, 0, -1));		/* the top already */
	ASSERT_TRUE(choice_toggle(&cc, TS_COL_USER));
	ASSERT_FALSE(choice_toggle(&cc, TS_COLS - 1));	/* COMMAND: pinned */
	settings_format(&o, text, sizeof(text));
	ASSERT_NE(NULL, strstr(text, "\nmeters=uptime,load,cpus,tasks,mem\n"));
	ASSERT_EQ(0, settings_save(&o, "", warn, sizeof(warn)));
	defaults(&back);
	settings_load(&back, warn, sizeof(warn));
	ASSERT_STREQ("", warn);
	ASSERT_EQ(0, memcmp(o.meters, back.meters, sizeof(o.meters)));
	ASSERT_EQ(0, memcmp(o.meter_order, back.meter_order,
			    sizeof(o.meter_order)));
	ASSERT_EQ(0, memcmp(o.cols, back.cols, sizeof(o.cols)));
	/* Hidden columns' order is not kept (they follow the shown): the
	 * shown ones', as the file says it, is.
	 */
	settings_format(&back, again, sizeof(again));
	ASSERT_STREQ(text, again);
	ASSERT_FALSE(back.meters[METER_SWAP]);
	ASSERT_FALSE(back.cols[TS_COL_USER]);
	cleanup(dir);
}

TEST(unknown_meters_are_ignored)
{
	struct options o;
	char dir[64], warn[256];

	config(dir, "meters=tasks,sparkline-from-the-future,cpus\n");
	defaults(&o);
	settings_load(&o, warn, sizeof(warn));
	ASSERT_STREQ("", warn);
	ASSERT_EQ(METER_TASKS, o.meter_order[0]);
	ASSERT_EQ(METER_CPUS, o.meter_order[1]);
	ASSERT_TRUE(o.meters[METER_TASKS]);
	ASSERT_TRUE(o.meters[METER_CPUS]);
	ASSERT_FALSE(o.meters[METER_MEM]);
	ASSERT_FALSE(o.meters[METER_UPTIME]);
	cleanup(dir);
}

TEST(damaged_meters_give_every_default)
{
	static const char *const bad[] = {
		"sort=tid\nmeters=cpus,,tasks\n",	/* an empty name */
		"sort=tid\nmeters=cpus,M\xc3\xa9m\n",	/* not a name */
		"sort=tid\nmeters=cpus,mem;swap\n",
	};
	struct options o;
	char dir[64], warn[256];
	size_t i;
	int m;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config(dir, bad[i]);
		defaults(&o);
		settings_load(&o, warn, sizeof(warn));
		ASSERT_NE(NULL, strstr(warn, "line 2 is damaged"));
		ASSERT_EQ(TS_COL_CPU_PCT, o.sort);	/* not half a file */
		for (m = 0; m < METERS; m++) {
			ASSERT_TRUE(o.meters[m]);
			ASSERT_EQ(m, o.meter_order[m]);
		}
		cleanup(dir);
	}
}

TEST_HARNESS_MAIN
