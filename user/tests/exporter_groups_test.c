// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The exporter's groups and exposition on synthetic samples: counters
 * that never go back across thread churn (vanished threads, threads born
 * and dead between scrapes, renames, reused tids), exact values, label
 * escaping of hostile names in both formats, and the series cap.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "synth.h"
#include "exporter.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* A pool process 100 ("pool"): its leader and workers named "w". */
static const struct synth base[] = {
	{ .tid = 100, .comm = "pool", .state = 'S', .start = 10, .proc = true,
	  .utime = 1 * MS, .stime = 1 * MS, .runtime = 2 * MS },
	{ .tid = 101, .tgid = 100, .comm = "w", .state = 'R', .start = 11,
	  .utime = 30 * MS, .stime = 10 * MS, .runtime = 40 * MS, .nvcsw = 5,
	  .migr = 2 },
};

FIXTURE(groups) {
	struct ts_model m;
	struct ex_groups g;
	struct synth s[4];
	uint64_t now;
};

FIXTURE_SETUP(groups)
{
	ts_model_init(&self->m);
	ex_groups_init(&self->g, EX_BY_COMM | EX_BY_THREAD, 300 * SEC);
	memset(self->s, 0, sizeof(self->s));
	memcpy(self->s, base, sizeof(base));
	self->now = 10 * SEC;
}

FIXTURE_TEARDOWN(groups)
{
	ex_groups_free(&self->g);
	ts_model_free(&self->m);
}

static int scrape(struct _test_data_groups *self, size_t n)
{
	self->now += SEC;
	if (synth_sample(&self->m, self->now, self->s, n, true))
		return -1;
	return ex_groups_update(&self->g, &self->m, self->now);
}

static const struct ex_group *group(const struct ex_groups *g,
				    const char *process, const char *thread)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!strcmp(g->v[i].process, process) &&
		    !strcmp(g->v[i].thread, thread))
			return &g->v[i];
	return NULL;
}

static uint64_t total(const struct ex_group *gr, enum ex_counter k)
{
	return gr ? gr->live[k] + gr->gone[k] : UINT64_MAX;
}

TEST_F(groups, live_values_are_the_threads)
{
	ASSERT_EQ(0, scrape(self, 2));
	EXPECT_EQ(30 * MS, total(group(&self->g, "pool", "w"), EX_UTIME));
	EXPECT_EQ(10 * MS, total(group(&self->g, "pool", "w"), EX_STIME));
	EXPECT_EQ(5, total(group(&self->g, "pool", "w"), EX_NVCSW));
	EXPECT_EQ(2, total(group(&self->g, "pool", "w"), EX_MIGRATIONS));
	EXPECT_EQ(1, group(&self->g, "pool", "w")->states[EX_ST_RUNNING]);
	EXPECT_EQ(1 * MS, total(group(&self->g, "pool", "pool"), EX_UTIME));
}

/*
 * Worker 101 exits after 20 ms more user time than the last scrape saw;
 * worker 102 is born and dies between the scrapes (50 ms); 103 is new.
 * The module's exited totals grew by 101's whole life + 102's: the group
 * gets all of it, nothing twice.
 */
TEST_F(groups, churn_keeps_every_ns_and_never_goes_back)
{
	const struct ex_group *w;
	uint64_t before;

	ASSERT_EQ(0, scrape(self, 2));
	before = total(group(&self->g, "pool", "w"), EX_UTIME) +
		 total(group(&self->g, "pool", "w"), EX_STIME);
	self->s[0].exited_utime = 50 * MS + 50 * MS;	/* 101 + 102 */
	self->s[0].exited_stime = 10 * MS;
	self->s[0].exited_runtime = 110 * MS;
	self->s[0].exited_nvcsw = 5 + 7;
	self->s[1] = (struct synth){ .tid = 103, .tgid = 100, .comm = "w",
				     .state = 'R', .start = 13,
				     .utime = 4 * MS, .runtime = 4 * MS };
	ASSERT_EQ(0, scrape(self, 2));
	w = group(&self->g, "pool", "w");
	ASSERT_NE(NULL, w);
	EXPECT_EQ(100 * MS + 4 * MS, total(w, EX_UTIME));
	EXPECT_EQ(10 * MS, total(w, EX_STIME));
	EXPECT_EQ(12, total(w, EX_NVCSW));
	/* 101's migrations up to its last scrape: nothing per process. */
	EXPECT_EQ(2, total(w, EX_MIGRATIONS));
	EXPECT_LE(before, total(w, EX_UTIME) + total(w, EX_STIME));

	/* All workers gone, none new: the group keeps its total. */
	self->s[0].exited_utime += 4 * MS;
	self->s[0].exited_runtime += 4 * MS;
	ASSERT_EQ(0, scrape(self, 1));
	w = group(&self->g, "pool", "w");
	ASSERT_NE(NULL, w);
	EXPECT_EQ(0, w->n_live);
	EXPECT_EQ(104 * MS, total(w, EX_UTIME));
}

TEST_F(groups, threads_born_and_dead_between_scrapes_go_to_new_ones)
{
	ASSERT_EQ(0, scrape(self, 2));
	/* 101 lives on; 102 came and went (8 ms); 103 is new. */
	self->s[0].exited_utime = 8 * MS;
	self->s[0].exited_runtime = 8 * MS;
	self->s[2] = (struct synth){ .tid = 103, .tgid = 100, .comm = "w",
				     .state = 'S', .start = 13,
				     .utime = 1 * MS, .runtime = 1 * MS };
	ASSERT_EQ(0, scrape(self, 3));
	EXPECT_EQ(30 * MS + 8 * MS + 1 * MS,
		  total(group(&self->g, "pool", "w"), EX_UTIME));
	EXPECT_EQ(1 * MS, total(group(&self->g, "pool", "pool"), EX_UTIME));
}

TEST_F(groups, a_renamed_thread_brings_only_what_follows)
{
	ASSERT_EQ(0, scrape(self, 2));
	self->s[1].comm = "x";
	self->s[1].utime += 5 * MS;
	self->s[1].runtime += 5 * MS;
	ASSERT_EQ(0, scrape(self, 2));
	EXPECT_EQ(30 * MS, total(group(&self->g, "pool", "w"), EX_UTIME));
	EXPECT_EQ(5 * MS, total(group(&self->g, "pool", "x"), EX_UTIME));
	EXPECT_EQ(0, group(&self->g, "pool", "w")->n_live);
}

TEST_F(groups, a_reused_tid_is_another_thread)
{
	ASSERT_EQ(0, scrape(self, 2));
	/* 101 exited (its 40 ms in the exited totals); a new 101 has 3 ms. */
	self->s[0].exited_utime = 30 * MS;
	self->s[0].exited_stime = 10 * MS;
	self->s[0].exited_runtime = 40 * MS;
	self->s[1].start = 99;
	self->s[1].utime = 3 * MS;
	self->s[1].stime = 0;
	self->s[1].runtime = 3 * MS;
	ASSERT_EQ(0, scrape(self, 2));
	EXPECT_EQ(33 * MS, total(group(&self->g, "pool", "w"), EX_UTIME));
	EXPECT_EQ(10 * MS, total(group(&self->g, "pool", "w"), EX_STIME));
}

TEST_F(groups, idle_groups_expire_per_tid_at_once)
{
	ex_groups_free(&self->g);
	ex_groups_init(&self->g, EX_BY_TID, 300 * SEC);
	ASSERT_EQ(0, scrape(self, 2));
	EXPECT_EQ(2, self->g.n);
	ASSERT_EQ(0, scrape(self, 1));
	EXPECT_EQ(1, self->g.n);
	EXPECT_EQ(100, self->g.v[0].tid);
}

/* ---- exposition ---- */

static void write_all(struct ts_str *out, enum ex_format f,
		      const struct ts_model *m, const struct ex_groups *g,
		      size_t max, struct ex_stats *st)
{
	struct ex_writer w = { .out = out, .format = f };

	ex_metrics_write(&w, m, g, max, st);
}

TEST_F(groups, hostile_names_are_escaped_valid_utf8)
{
	struct ex_stats st = { 0 };
	struct ts_str out = { 0 };
	const char *p;

	self->s[1].comm = "a\"b\\c\nd\xe5\x90";
	ASSERT_EQ(0, scrape(self, 2));
	write_all(&out, EX_TEXT_004, &self->m, &self->g, 1000, &st);
	ASSERT_FALSE(out.oom);
	p = ts_str_get(&out);
	/* Display escaping (\\, \n, \xHH), then the format's (\\, \"). */
	EXPECT_NE(NULL, strstr(p, "thread=\"a\\\"b\\\\\\\\c\\\\nd\\\\xe5\\\\x90\""))
		TH_LOG("%s", p);
	EXPECT_NE(NULL, strstr(p,
		"threadstat_thread_cpu_seconds_total{process=\"pool\",thread=\"pool\",mode=\"user\"} 0.001000000\n"));
	EXPECT_NE(NULL, strstr(p, "# TYPE threadstat_thread_cpu_seconds_total counter\n"));
	EXPECT_EQ(NULL, strstr(p, "# EOF"));
	ts_str_free(&out);

	write_all(&out, EX_OPENMETRICS, &self->m, &self->g, 1000, &st);
	p = ts_str_get(&out);
	EXPECT_NE(NULL, strstr(p, "# TYPE threadstat_thread_cpu_seconds counter\n"
				  "# UNIT threadstat_thread_cpu_seconds seconds\n"));
	EXPECT_EQ(0, strcmp(p + out.len - 6, "# EOF\n"));
	ts_str_free(&out);
}

TEST_F(groups, the_cap_drops_whole_groups_and_counts_them)
{
	struct ex_stats st = { 0 };
	struct ts_str out = { 0 };
	const char *p;

	ASSERT_EQ(0, scrape(self, 2));
	/* Each group: 8 counters and one state: 9 series. 10 fit one. */
	write_all(&out, EX_TEXT_004, &self->m, &self->g, 10, &st);
	p = ts_str_get(&out);
	EXPECT_EQ(9 + 2, st.dropped);	/* the second group, the process */
	EXPECT_NE(NULL, strstr(p, "threadstat_exporter_series 9\n"));
	EXPECT_NE(NULL, strstr(p, "threadstat_exporter_series_dropped_total 11\n"));
	EXPECT_EQ(NULL, strstr(p, "thread=\"w\""));
	ts_str_free(&out);
}

TEST_HARNESS_MAIN
