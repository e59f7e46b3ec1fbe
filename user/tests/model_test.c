// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The threadtop model on synthetic samples: rates from deltas, processes,
 * new / vanished / reused threads, interrupted dumps, sort orders, the
 * process tree, filters, per-core grouping and totals.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "synth.h"

/* A process 100 of three threads under init (1), a lone process 200. */
static const struct synth base[] = {
	{ .tid = 1, .ppid = 0, .comm = "init", .state = 'S', .cpu = 0 },
	{ .tid = 100, .ppid = 1, .comm = "server", .state = 'S', .cpu = 0,
	  .start = 10 },
	{ .tid = 101, .tgid = 100, .comm = "worker-a", .state = 'R', .cpu = 1,
	  .start = 11 },
	{ .tid = 102, .tgid = 100, .comm = "worker-b", .state = 'S', .cpu = 1,
	  .start = 12 },
	{ .tid = 200, .ppid = 1, .comm = "lone", .state = 'D', .cpu = 0,
	  .start = 20 },
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

FIXTURE(model) {
	struct ts_model m;
	struct synth s[N(base)];
	struct ts_rows rows;
};

FIXTURE_SETUP(model)
{
	ts_model_init(&self->m);
	memcpy(self->s, base, sizeof(base));
	memset(&self->rows, 0, sizeof(self->rows));
}

FIXTURE_TEARDOWN(model)
{
	ts_rows_free(&self->rows);
	ts_model_free(&self->m);
}

TEST_F(model, rates_come_from_deltas_over_the_interval)
{
	const struct ts_mthread *t;

	ASSERT_EQ(0, synth_sample(&self->m, 5 * SEC, self->s, N(base), true));
	t = ts_model_thread(&self->m, 101);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, self->m.interval_ns);
	EXPECT_EQ(0, milli(t->s.cpu_pct));	/* no rates from one sample */
	EXPECT_EQ(0, self->m.n_new);		/* nothing is new at first */

	/* Half a second later: 125 ms on CPU, 50 ms waiting, 15 voluntary
	 * and 4 involuntary switches, 1 migration.
	 */
	self->s[2].runtime = 125 * MS;
	self->s[2].run_delay = 50 * MS;
	self->s[2].nvcsw = 15;
	self->s[2].nivcsw = 4;
	self->s[2].migr = 1;
	ASSERT_EQ(0, synth_sample(&self->m, 5 * SEC + 500 * MS, self->s,
				  N(base), true));
	EXPECT_EQ(500 * MS, self->m.interval_ns);
	t = ts_model_thread(&self->m, 101);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(25000, milli(t->s.cpu_pct));
	EXPECT_EQ(10000, milli(t->s.wait_pct));
	EXPECT_EQ(30000, milli(t->s.vcsw_rate));
	EXPECT_EQ(8000, milli(t->s.icsw_rate));
	EXPECT_EQ(2000, milli(t->s.migr_rate));
	EXPECT_EQ(125 * MS, t->s.runtime);

	/* Another second: 1 s more on CPU is 100 %. */
	self->s[2].runtime += SEC;
	ASSERT_EQ(0, synth_sample(&self->m, 6 * SEC + 500 * MS, self->s,
				  N(base), true));
	t = ts_model_thread(&self->m, 101);
	EXPECT_EQ(100000, milli(t->s.cpu_pct));
	EXPECT_EQ(0, milli(t->s.wait_pct));
	EXPECT_EQ(3U, self->m.seq);
}

TEST_F(model, processes_sum_their_threads)
{
	const struct ts_mprocess *p;
	uint32_t i;

	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	self->s[1].runtime = 100 * MS;	/* leader */
	self->s[2].runtime = 300 * MS;
	self->s[3].runtime = 50 * MS;
	self->s[3].nvcsw = 7;
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, self->s, N(base), true));

	EXPECT_EQ(3U, self->m.n_processes);
	p = ts_model_process(&self->m, 100);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(3U, p->n_threads);
	EXPECT_EQ(3U, p->s.n_threads);
	EXPECT_STREQ("server", p->s.comm);	/* the leader names it */
	EXPECT_EQ(1U, p->s.ppid);
	EXPECT_EQ('R', p->s.state);		/* a thread runs */
	EXPECT_EQ(45000, milli(p->s.cpu_pct));
	EXPECT_EQ(7000, milli(p->s.vcsw_rate));
	EXPECT_EQ(450 * MS, p->s.runtime);
	for (i = 0; i < p->n_threads; i++)
		EXPECT_EQ(100U, self->m.threads[self->m.by_process[p->first + i]].s.tgid);
	EXPECT_EQ('D', ts_model_process(&self->m, 200)->s.state);
	EXPECT_EQ(NULL, ts_model_process(&self->m, 101));
}

TEST_F(model, new_and_vanished_threads)
{
	struct synth more[N(base) + 1];

	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	/* 102 exits, 103 is born. */
	memcpy(more, self->s, sizeof(base));
	more[3] = (struct synth){ .tid = 103, .tgid = 100, .comm = "worker-c",
				  .state = 'R', .runtime = 40 * MS,
				  .start = 30 };
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, more, N(base), true));
	ASSERT_EQ(1, self->m.n_vanished);
	EXPECT_EQ(102U, self->m.vanished[0]);
	/* 102 is shown once more, as exited. */
	ASSERT_NE(NULL, ts_model_thread(&self->m, 102));
	EXPECT_TRUE(ts_model_thread(&self->m, 102)->s.flags & TS_MF_EXITED);
	ASSERT_NE(NULL, ts_model_thread(&self->m, 103));
	EXPECT_TRUE(ts_model_thread(&self->m, 103)->s.flags & TS_MF_NEW);
	/* A newborn has no previous counters: no rate yet. */
	EXPECT_EQ(0, milli(ts_model_thread(&self->m, 103)->s.cpu_pct));
	EXPECT_EQ(1, self->m.n_new);
	EXPECT_FALSE(ts_model_thread(&self->m, 101)->s.flags & TS_MF_NEW);
	EXPECT_EQ(3U, ts_model_process(&self->m, 100)->s.n_threads);

	/* One sample on it is no longer new and has rates. */
	more[3].runtime += 500 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, 3 * SEC, more, N(base), true));
	EXPECT_FALSE(ts_model_thread(&self->m, 103)->s.flags & TS_MF_NEW);
	EXPECT_EQ(50000, milli(ts_model_thread(&self->m, 103)->s.cpu_pct));
	EXPECT_EQ(0, self->m.n_vanished);
	EXPECT_EQ(NULL, ts_model_thread(&self->m, 102));
	EXPECT_EQ(3U, ts_model_process(&self->m, 100)->n_threads);
}

TEST_F(model, reused_tid_is_a_new_thread)
{
	const struct ts_mthread *t;

	self->s[2].runtime = 900 * MS;
	self->s[2].nvcsw = 1000;
	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	/* Same tid, another start time: counters restart from near zero. */
	self->s[2].start = 99;
	self->s[2].runtime = 10 * MS;
	self->s[2].nvcsw = 3;
	self->s[2].comm = "reborn";
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, self->s, N(base), true));
	t = ts_model_thread(&self->m, 101);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_NEW);
	EXPECT_STREQ("reborn", t->s.comm);
	EXPECT_EQ(0, milli(t->s.cpu_pct));
	EXPECT_EQ(0, milli(t->s.vcsw_rate));
	EXPECT_EQ(0, self->m.n_vanished);

	/* A counter that goes backwards without a new start time is never
	 * a negative rate.
	 */
	self->s[2].runtime = 5 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, 3 * SEC, self->s, N(base), true));
	EXPECT_EQ(0, milli(ts_model_thread(&self->m, 101)->s.cpu_pct));
}

/* Is thread @tid on CPU @cpu's list (the cores view)? */
static bool on_cpu_list(const struct ts_model *m, uint32_t cpu, uint32_t tid)
{
	uint32_t i;

	for (i = 0; cpu < m->n_cpus && i < m->cpus[cpu].count; i++)
		if (m->threads[m->by_cpu[m->cpus[cpu].first + i]].s.id == tid)
			return true;
	return false;
}

TEST_F(model, missing_thread_is_a_tomb_once_even_if_interrupted)
{
	const struct ts_mthread *t;
	const struct ts_mprocess *p;

	self->s[4].state = 'R';
	self->s[4].on_cpu = true;
	self->s[4].runtime = 700 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	self->s[4].runtime += 300 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, self->s, N(base), true));
	EXPECT_TRUE(on_cpu_list(&self->m, 0, 200));
	EXPECT_EQ(5U, self->m.totals.threads);

	/* 200 is missing from an interrupted dump: it exited; not carried. */
	self->s[2].runtime = 100 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, 3 * SEC, self->s, N(base) - 1,
				  false));
	EXPECT_FALSE(self->m.complete);
	ASSERT_EQ(1, self->m.n_vanished);
	EXPECT_EQ(200U, self->m.vanished[0]);
	t = ts_model_thread(&self->m, 200);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_EXITED);
	EXPECT_FALSE(t->s.flags & TS_MF_ON_CPU);
	EXPECT_EQ('X', t->s.state);
	EXPECT_EQ(0, milli(t->s.cpu_pct));
	EXPECT_EQ(SEC, t->s.runtime);		/* its last TIME */
	EXPECT_FALSE(on_cpu_list(&self->m, 0, 200));
	p = ts_model_process(&self->m, 200);
	ASSERT_NE(NULL, p);
	EXPECT_TRUE(p->s.flags & TS_MF_EXITED);
	EXPECT_EQ('X', p->s.state);
	EXPECT_EQ(0U, p->s.n_threads);
	EXPECT_EQ(SEC, p->s.runtime);
	EXPECT_EQ(0, milli(p->s.cpu_pct));
	/* Tombs are not counted as live. */
	EXPECT_EQ(4U, self->m.totals.threads);
	EXPECT_EQ(2U, self->m.totals.processes);
	EXPECT_EQ(10000, milli(self->m.totals.cpu_pct));
	EXPECT_EQ(10000, milli(ts_model_thread(&self->m, 101)->s.cpu_pct));

	/* The next sample drops the tomb. */
	ASSERT_EQ(0, synth_sample(&self->m, 4 * SEC, self->s, N(base) - 1,
				  true));
	EXPECT_EQ(0, self->m.n_vanished);
	EXPECT_EQ(NULL, ts_model_thread(&self->m, 200));
	EXPECT_EQ(NULL, ts_model_process(&self->m, 200));
	EXPECT_EQ(4U, self->m.n_threads);
	EXPECT_EQ(2U, self->m.n_processes);
}

TEST_F(model, thread_born_in_the_interval_gets_its_whole_runtime)
{
	struct synth more[N(base) + 2];
	const struct ts_mthread *t;

	memcpy(more, self->s, sizeof(base));
	ASSERT_EQ(0, synth_sample_at(&self->m, 50 * SEC, 100 * SEC, more,
				     N(base), true));
	/* 103 started 0.5 s after the last sample and ran 300 ms; 104 is
	 * older (an earlier dump missed it): its counters are not all new.
	 */
	more[N(base)] = (struct synth){ .tid = 103, .tgid = 100, .comm = "w",
		.state = 'S', .start = 100 * SEC + 500 * MS,
		.runtime = 300 * MS, .run_delay = 20 * MS, .nvcsw = 6,
		.nivcsw = 2, .migr = 4 };
	more[N(base) + 1] = (struct synth){ .tid = 104, .tgid = 100,
		.comm = "old", .state = 'S', .start = 99 * SEC,
		.runtime = 5 * SEC };
	ASSERT_EQ(0, synth_sample_at(&self->m, 52 * SEC, 102 * SEC, more,
				     N(base) + 2, true));
	t = ts_model_thread(&self->m, 103);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_NEW);
	EXPECT_EQ(15000, milli(t->s.cpu_pct));	/* 300 ms of 2 s */
	EXPECT_EQ(1000, milli(t->s.wait_pct));
	EXPECT_EQ(3000, milli(t->s.vcsw_rate));
	EXPECT_EQ(1000, milli(t->s.icsw_rate));
	EXPECT_EQ(2000, milli(t->s.migr_rate));
	t = ts_model_thread(&self->m, 104);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, milli(t->s.cpu_pct));
	/* Without the process set, the process sums its live threads. */
	EXPECT_EQ(15000, milli(ts_model_process(&self->m, 100)->s.cpu_pct));

	/* Without an uptime to compare with, no guess. */
	more[N(base)].tid = 105;
	ASSERT_EQ(0, synth_sample(&self->m, 54 * SEC, more, N(base) + 2, true));
	ASSERT_EQ(0, synth_sample(&self->m, 55 * SEC, more, N(base), true));
	more[N(base)].start = 200 * SEC;
	ASSERT_EQ(0, synth_sample(&self->m, 56 * SEC, more, N(base) + 1, true));
	EXPECT_TRUE(ts_model_thread(&self->m, 105)->s.flags & TS_MF_NEW);
	EXPECT_EQ(0, milli(ts_model_thread(&self->m, 105)->s.cpu_pct));
}

TEST_F(model, process_time_and_rate_include_exited_threads)
{
	const struct ts_mprocess *p;
	const struct ts_mthread *t;

	self->s[1].proc = true;		/* the leader carries the set */
	self->s[1].runtime = 100 * MS;
	self->s[2].runtime = 200 * MS;
	self->s[3].runtime = 300 * MS;
	self->s[3].nvcsw = 10;
	self->s[1].exited_nvcsw = 40;
	self->s[1].rss_anon = 4096;
	self->s[1].unknown = THREADSTAT_A_THREAD_MAX + 1;
	ASSERT_EQ(0, synth_sample_at(&self->m, 10 * SEC, 100 * SEC, self->s,
				     N(base), true));
	p = ts_model_process(&self->m, 100);
	ASSERT_NE(NULL, p);
	EXPECT_TRUE(p->has_process);
	EXPECT_EQ(4096U, p->proc.rss_anon);
	EXPECT_EQ(600 * MS, p->s.runtime);
	EXPECT_EQ(50U, p->nvcsw);

	/* A second later: 102 exited after 200 ms more (500 ms in all), and
	 * a worker born and gone within the interval ran 150 ms with 5
	 * switches; 101 ran 200 ms. The kernel's exited totals hold both.
	 */
	self->s[2].runtime = 400 * MS;
	self->s[1].exited_runtime = 650 * MS;
	self->s[1].exited_nvcsw = 40 + 10 + 5;
	{
		struct synth live[N(base) - 1] = { self->s[0], self->s[1],
						   self->s[2], self->s[4] };

		ASSERT_EQ(0, synth_sample_at(&self->m, 11 * SEC, 101 * SEC,
					     live, N(live), true));
	}
	p = ts_model_process(&self->m, 100);
	ASSERT_NE(NULL, p);
	/* TIME: live 100 + 400 ms, exited 650 ms. */
	EXPECT_EQ(1150 * MS, p->s.runtime);
	EXPECT_EQ(2U, p->s.n_threads);
	EXPECT_EQ(3U, p->n_threads);	/* 102's tomb is listed with it */
	EXPECT_FALSE(p->s.flags & TS_MF_EXITED);
	t = ts_model_thread(&self->m, 102);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_EXITED);
	/* 1150 - 600 ms in 1 s; the live threads alone say 20 %. */
	EXPECT_EQ(20000, milli(ts_model_thread(&self->m, 101)->s.cpu_pct));
	EXPECT_EQ(55000, milli(p->s.cpu_pct));
	EXPECT_EQ(55U, p->nvcsw);
	EXPECT_EQ(5000, milli(p->s.vcsw_rate));	/* 50 -> 55 */
	/* The machine's CPU% is the processes', exited time included. */
	EXPECT_EQ(55000, milli(self->m.totals.cpu_pct));
}

TEST_F(model, threads_without_the_sched_group_have_no_rates)
{
	self->s[2].state = 0;
	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, self->s, N(base), true));
	EXPECT_FALSE(ts_model_thread(&self->m, 101)->s.flags & TS_MF_SCHED);
	EXPECT_EQ('?', ts_model_thread(&self->m, 101)->s.state);
	EXPECT_TRUE(ts_model_thread(&self->m, 102)->s.flags & TS_MF_SCHED);
}

/* Rows of @self as "kind:id" words, for order checks. */
static const char *row_ids(struct ts_model *m, struct ts_rows *rows,
			   char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < rows->n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%c%u", i ? " " : "",
				 "PTC"[rows->v[i].kind],
				 ts_row_id(m, &rows->v[i]));
	return buf;
}

static void busy_sample(struct ts_model *m, struct synth *s, size_t n)
{
	ts_model_init(m);
	synth_sample(m, SEC, s, n, true);
	s[0].runtime = 10 * MS;		/* init      1 % */
	s[1].runtime = 30 * MS;		/* server    3 % */
	s[2].runtime = 500 * MS;	/* worker-a 50 % */
	s[3].runtime = 200 * MS;	/* worker-b 20 % */
	s[4].runtime = 300 * MS;	/* lone     30 % */
	s[3].nvcsw = 9;
	synth_sample(m, 2 * SEC, s, n, true);
}

TEST_F(model, sort_orders)
{
	struct ts_rows_query q = { .mode = TS_ROWS_THREADS,
				   .sort = TS_COL_CPU_PCT,
				   .kernel_threads = true };
	char buf[256];

	ts_model_free(&self->m);
	busy_sample(&self->m, self->s, N(base));

	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("T101 T200 T102 T100 T1",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	q.invert = true;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("T1 T100 T102 T200 T101",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	q.invert = false;
	q.sort = TS_COL_COMMAND;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("T1 T200 T100 T101 T102",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	q.sort = TS_COL_ID;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("T1 T100 T101 T102 T200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	/* Ties (all zero) fall back to the id, ascending. */
	q.sort = TS_COL_WAIT_PCT;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("T1 T100 T101 T102 T200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	q.sort = TS_COL_VCSW;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("T102 T1 T100 T101 T200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));

	/* Processes: summed, busiest first; an expanded one lists its
	 * threads beneath in the same order.
	 */
	q.mode = TS_ROWS_PROCESSES;
	q.sort = TS_COL_CPU_PCT;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P100 P200 P1",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	q.sort = TS_COL_THREADS;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P100 P1 P200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
}

TEST_F(model, expanded_processes_show_their_threads)
{
	struct ts_idset exp = { 0 };
	struct ts_rows_query q = { .mode = TS_ROWS_PROCESSES,
				   .sort = TS_COL_CPU_PCT,
				   .kernel_threads = true, .expanded = &exp };
	char buf[256];

	ts_model_free(&self->m);
	busy_sample(&self->m, self->s, N(base));
	ASSERT_EQ(0, ts_idset_add(&exp, 100));
	ASSERT_EQ(0, ts_idset_add(&exp, 200));	/* one thread: no rows */
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P100 T101 T102 T100 P200 P1",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	EXPECT_TRUE(self->rows.v[0].expanded);
	EXPECT_EQ(1, self->rows.v[1].depth);
	EXPECT_TRUE(self->rows.v[3].last);
	EXPECT_FALSE(self->rows.v[4].expanded);

	/* -p: one process, its threads shown without expanding. */
	ts_idset_del(&exp, 100);
	q.only_tgid = 100;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P100 T101 T102 T100",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	ts_idset_free(&exp);
}

TEST_F(model, user_filter_pid_list_and_user_sorted_by_name)
{
	struct ts_idset pids = { 0 };
	struct ts_rows_query q = { .mode = TS_ROWS_PROCESSES,
				   .sort = TS_COL_USER };
	char buf[256];

	/* uid 0 is root, 65534 nobody, 1 daemon on every Debian: by name
	 * daemon < nobody < root, by number 0 < 1 < 65534.
	 */
	self->s[0].uid = 0;
	self->s[1].uid = 65534;
	self->s[2].uid = 65534;
	self->s[3].uid = 65534;
	self->s[4].uid = 1;
	ASSERT_STREQ("daemon", ts_user_name(1));
	ASSERT_STREQ("nobody", ts_user_name(65534));
	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P200 P100 P1",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	q.invert = true;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P1 P100 P200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));

	/* u: one user's only. */
	q.by_uid = true;
	q.uid = 65534;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P100",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	q.by_uid = false;

	/* -p 1,200: those; one of them alone shows its threads. */
	q.only_tgids = &pids;
	q.sort = TS_COL_ID;
	q.invert = false;
	ASSERT_EQ(0, ts_idset_add(&pids, 200));
	ASSERT_EQ(0, ts_idset_add(&pids, 1));
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P1 P200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	ts_idset_del(&pids, 1);
	ts_idset_del(&pids, 200);
	ASSERT_EQ(0, ts_idset_add(&pids, 100));
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P100 T100 T101 T102",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	ts_idset_free(&pids);
}

TEST_F(model, tree_nests_processes_under_parents)
{
	struct synth s[N(base) + 3];
	struct ts_idset exp = { 0 };
	struct ts_rows_query q = { .mode = TS_ROWS_PROCESSES, .tree = true,
				   .sort = TS_COL_ID, .expanded = &exp };
	char buf[256];

	memcpy(s, base, sizeof(base));
	/* 300 under 100; kthreadd (2) and a kernel worker (3) under it. */
	s[5] = (struct synth){ .tid = 300, .ppid = 100, .comm = "child",
			       .state = 'S' };
	s[6] = (struct synth){ .tid = 2, .comm = "kthreadd", .state = 'S',
			       .kthread = true };
	s[7] = (struct synth){ .tid = 3, .ppid = 2, .comm = "kworker/0:0",
			       .state = 'I', .kthread = true };
	ASSERT_EQ(0, synth_sample(&self->m, SEC, s, N(s), true));

	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P1 P100 P300 P200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	EXPECT_EQ(0, self->rows.v[0].depth);
	EXPECT_EQ(1, self->rows.v[1].depth);
	EXPECT_EQ(2, self->rows.v[2].depth);
	EXPECT_EQ(1, self->rows.v[3].depth);
	EXPECT_FALSE(self->rows.v[1].last);	/* 200 follows */
	EXPECT_TRUE(self->rows.v[2].last);
	EXPECT_TRUE(self->rows.v[3].last);
	/* 300's line continues 100's sibling line at depth 1. */
	EXPECT_EQ(1u << 1, self->rows.v[2].guides);

	/* Kernel threads on: kthreadd is a root with its worker. */
	q.kernel_threads = true;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P1 P100 P300 P200 P2 P3",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));

	/* Expanded 100: its threads first, then its child process. */
	q.kernel_threads = false;
	ts_idset_add(&exp, 100);
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P1 P100 T100 T101 T102 P300 P200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	EXPECT_EQ(2, self->rows.v[4].depth);
	EXPECT_FALSE(self->rows.v[4].last);	/* child process follows */
	EXPECT_TRUE(self->rows.v[5].last);

	/* A filter keeps the matches' ancestors, for context. */
	ts_idset_del(&exp, 100);
	q.filter = "CHI";
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P1 P100 P300",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));

	/* All threads under their processes (a lone thread is its
	 * process's row).
	 */
	q.filter = NULL;
	q.mode = TS_ROWS_THREADS;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P1 P100 T100 T101 T102 P300 P200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	ts_idset_free(&exp);
}

TEST_F(model, filter_and_search)
{
	struct ts_idset exp = { 0 };
	struct ts_rows_query q = { .mode = TS_ROWS_PROCESSES,
				   .sort = TS_COL_ID, .expanded = &exp,
				   .filter = "worker-b" };
	char buf[256];
	uint32_t tid;
	long at;

	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	/* A process matches through a thread; expanded, only that thread. */
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P100", row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	ts_idset_add(&exp, 100);
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("P100 T102",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));

	/* Search: visible rows first, wrapping; hidden threads by name. */
	ts_idset_del(&exp, 100);
	q.filter = NULL;
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_EQ(-1, ts_rows_find(&self->m, &self->rows, 0, "worker"));
	tid = ts_model_find_thread(&self->m, &q, "WORKER");
	EXPECT_EQ(101U, tid);
	ts_idset_add(&exp, 100);
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	at = ts_rows_find(&self->m, &self->rows, 0, "worker");
	ASSERT_EQ(3, at);	/* P1 P100 T100 T101 */
	EXPECT_EQ(101U, ts_row_id(&self->m, &self->rows.v[at]));
	at = ts_rows_find(&self->m, &self->rows, at + 1, "worker");
	EXPECT_EQ(102U, ts_row_id(&self->m, &self->rows.v[at]));
	at = ts_rows_find(&self->m, &self->rows, at + 1, "lo");
	EXPECT_EQ(200U, ts_row_id(&self->m, &self->rows.v[at]));
	at = ts_rows_find(&self->m, &self->rows, at + 1, "worker");
	EXPECT_EQ(101U, ts_row_id(&self->m, &self->rows.v[at]));
	EXPECT_EQ(0U, ts_model_find_thread(&self->m, &q, "worker"));
	EXPECT_EQ(0U, ts_model_find_thread(&self->m, &q, "nothing"));
	ts_idset_free(&exp);
}

TEST_F(model, cores_group_threads_busiest_first)
{
	struct ts_rows_query q = { .mode = TS_ROWS_CORES,
				   .kernel_threads = true };
	const struct ts_mcpu *c;
	char buf[256];

	/* Two samples with CPU data: CPU 0 and CPU 1 (curr 101). */
	ASSERT_EQ(0, ts_model_begin(&self->m, SEC, 0));
	ASSERT_EQ(0, synth_add_cpu(&self->m, 0, 0, 0, 0, 0, 0, 0));
	ASSERT_EQ(0, synth_add_cpu(&self->m, 1, 0, 0, 0, 0, 0, 101));
	for (size_t i = 0; i < N(base); i++)
		ASSERT_EQ(0, synth_add(&self->m, &self->s[i]));
	ASSERT_EQ(0, ts_model_commit(&self->m, true));
	EXPECT_TRUE(self->m.has_cpus);
	EXPECT_FALSE(self->m.cpus[0].has_rates);

	self->s[1].runtime = 100 * MS;	/* server on CPU 0 */
	self->s[4].runtime = 300 * MS;	/* lone on CPU 0 */
	self->s[2].runtime = 900 * MS;	/* worker-a on CPU 1, running */
	self->s[2].on_cpu = true;
	self->s[3].runtime = 50 * MS;	/* worker-b hops from 1 to 0 */
	self->s[3].cpu = 0;
	ASSERT_EQ(0, ts_model_begin(&self->m, 2 * SEC, 0));
	ASSERT_EQ(0, synth_add_cpu(&self->m, 0, 400 * MS, 100 * MS, 50 * MS,
				   50 * MS, 400 * MS, 0));
	ASSERT_EQ(0, synth_add_cpu(&self->m, 1, 700 * MS, 200 * MS, 0, 0,
				   100 * MS, 101));
	for (size_t i = 0; i < N(base); i++)
		ASSERT_EQ(0, synth_add(&self->m, &self->s[i]));
	ASSERT_EQ(0, ts_model_commit(&self->m, true));

	ASSERT_EQ(2U, self->m.n_cpus);
	c = &self->m.cpus[0];
	EXPECT_TRUE(c->has_rates);
	EXPECT_EQ(40000, milli(c->user_pct));
	EXPECT_EQ(10000, milli(c->system_pct));
	EXPECT_EQ(5000, milli(c->irq_pct));
	EXPECT_EQ(5000, milli(c->steal_pct));
	EXPECT_EQ(40000, milli(c->idle_pct));
	EXPECT_EQ(101U, self->m.cpus[1].running_tid);
	EXPECT_TRUE(ts_model_thread(&self->m, 102)->s.flags & TS_MF_HOPPED);
	EXPECT_EQ(1U, ts_model_thread(&self->m, 102)->prev_cpu);
	EXPECT_FALSE(ts_model_thread(&self->m, 101)->s.flags & TS_MF_HOPPED);

	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("C0 T200 T100 T102 C1 T101",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
	EXPECT_TRUE(self->rows.v[3].last);
	/* A filter keeps every CPU, and only matching threads. */
	q.filter = "worker";
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("C0 T102 C1 T101",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
}

TEST_F(model, cores_without_cpu_data_come_from_threads)
{
	struct ts_rows_query q = { .mode = TS_ROWS_CORES,
				   .kernel_threads = true };
	char buf[256];

	self->s[4].cpu = 3;
	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	self->s[4].runtime = 10 * MS;
	self->s[3].on_cpu = true;
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, self->s, N(base), true));
	EXPECT_FALSE(self->m.has_cpus);
	ASSERT_EQ(4U, self->m.n_cpus);	/* the highest CPU a thread used */
	EXPECT_FALSE(self->m.cpus[3].has_data);
	EXPECT_EQ(102U, self->m.cpus[1].running_tid);
	ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
	EXPECT_STREQ("C0 C1 T102 C2 C3 T200",
		     row_ids(&self->m, &self->rows, buf, sizeof(buf)));
}

TEST_F(model, totals_from_threads_or_the_system)
{
	struct synth_msg msg;
	struct ts_system sys;
	size_t len;
	const void *p;

	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	EXPECT_FALSE(self->m.totals.from_system);
	EXPECT_EQ(3U, self->m.totals.processes);
	EXPECT_EQ(5U, self->m.totals.threads);
	EXPECT_EQ(1U, self->m.totals.running);
	EXPECT_EQ(1U, self->m.totals.blocked);
	EXPECT_FALSE(self->m.totals.has_load);

	synth_system_msg(&msg, 40, 90, 3600 * SEC);
	p = synth_payload(&msg, &len);
	ASSERT_EQ(0, ts_system_decode(p, len, &sys, NULL));
	ASSERT_EQ(0, ts_model_begin(&self->m, 2 * SEC, 0));
	ts_model_set_system(&self->m, &sys);
	ASSERT_EQ(0, synth_add(&self->m, &self->s[0]));
	ASSERT_EQ(0, ts_model_commit(&self->m, true));
	EXPECT_TRUE(self->m.totals.from_system);
	EXPECT_EQ(40U, self->m.totals.processes);
	EXPECT_EQ(90U, self->m.totals.threads);
	EXPECT_EQ(3U, self->m.totals.running);
	EXPECT_TRUE(self->m.totals.has_load);
	EXPECT_EQ(1500U, self->m.totals.load[0]);
	EXPECT_EQ(3600 * SEC, self->m.totals.uptime_ns);
}

TEST_F(model, abort_and_commit_without_begin)
{
	EXPECT_EQ(-1, ts_model_commit(&self->m, true));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	/* A sample that failed half-way leaves the published one alone. */
	ASSERT_EQ(0, ts_model_begin(&self->m, 2 * SEC, 0));
	ASSERT_EQ(0, synth_add(&self->m, &self->s[0]));
	ts_model_abort(&self->m);
	EXPECT_EQ(5U, self->m.n_threads);
	EXPECT_EQ(1U, self->m.seq);
	EXPECT_EQ(-1, ts_model_commit(&self->m, true));
	/* The next sample still measures against the published one. */
	self->s[2].runtime = 250 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, self->s, N(base), true));
	EXPECT_EQ(25000, milli(ts_model_thread(&self->m, 101)->s.cpu_pct));
}

TEST_F(model, large_sample_keeps_indexes_consistent)
{
	enum { THREADS = 20000 };
	struct synth *s = calloc(THREADS, sizeof(*s));
	size_t i;

	ASSERT_NE(NULL, s);
	for (i = 0; i < THREADS; i++)
		s[i] = (struct synth){ .tid = (uint32_t)(1000 + i),
				       .tgid = (uint32_t)(1000 + i / 10 * 10),
				       .comm = "many", .state = 'S',
				       .cpu = (uint32_t)(i % 4) };
	ASSERT_EQ(0, synth_sample(&self->m, SEC, s, THREADS, true));
	for (i = 0; i < THREADS; i++)
		s[i].runtime = (i % 100) * MS;
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, s, THREADS, true));
	EXPECT_EQ(THREADS / 10, self->m.n_processes);
	for (i = 0; i < THREADS; i += 997) {
		const struct ts_mthread *t = ts_model_thread(&self->m, 1000 + i);

		ASSERT_NE(NULL, t);
		EXPECT_EQ((long long)(i % 100) * 100, milli(t->s.cpu_pct));
	}
	EXPECT_EQ(10U, ts_model_process(&self->m, 1000)->n_threads);
	free(s);
}

/* A recording may claim any interval: none gives absurd percentages. */
TEST_F(model, impossible_intervals_give_no_rates)
{
	const struct ts_mthread *t;
	uint64_t now = 5 * SEC;

	ASSERT_EQ(0, synth_sample(&self->m, now, self->s, N(base), true));
	/* 1 ns later, 125 ms more on CPU: 12.5 billion % before the check */
	self->s[2].runtime += 125 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, now + 1, self->s, N(base), true));
	EXPECT_EQ(0, self->m.interval_ns);
	t = ts_model_thread(&self->m, 101);
	EXPECT_EQ(0, milli(t->s.cpu_pct));
	/* a year later */
	self->s[2].runtime += 125 * MS;
	now += 365 * 86400 * SEC;
	ASSERT_EQ(0, synth_sample(&self->m, now, self->s, N(base), true));
	EXPECT_EQ(0, self->m.interval_ns);
	/* backwards */
	self->s[2].runtime += 125 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, now - SEC, self->s, N(base), true));
	EXPECT_EQ(0, self->m.interval_ns);
	t = ts_model_thread(&self->m, 101);
	EXPECT_EQ(0, milli(t->s.cpu_pct));
	/* 10 ms with 2 s on CPU (a forged counter): at most 100% */
	self->s[2].runtime += 2 * SEC;
	ASSERT_EQ(0, synth_sample(&self->m, now - SEC + 10 * MS, self->s, N(base),
				  true));
	EXPECT_EQ(10 * MS, self->m.interval_ns);
	t = ts_model_thread(&self->m, 101);
	EXPECT_EQ(100000, milli(t->s.cpu_pct));
}

/*
 * Memory columns from the process nest: RES = anon + file + shmem, SHR =
 * file + shmem, VIRT = vm-size, MEM% = RES / MemTotal; thread rows show
 * their process's. Without the nest, or with a nest without an mm (as the
 * module sends for kernel threads), absent -- not zero; a real zero stays.
 */
TEST_F(model, memory_comes_from_the_process_nest)
{
	struct ts_meminfo mi = { .mem_total = 1000ull << 20 };
	const struct ts_mprocess *p;
	const struct ts_mthread *t;

	self->s[1].proc = self->s[1].mm = true;		/* server: an mm */
	self->s[1].rss_anon = 30ull << 20;
	self->s[1].rss_file = 15ull << 20;
	self->s[1].rss_shmem = 5ull << 20;
	self->s[1].vm_size = 400ull << 20;
	self->s[4].proc = self->s[4].mm = true;		/* lone: all zero */
	self->s[0].proc = true;				/* init: no mm */
	ASSERT_EQ(0, ts_model_begin(&self->m, SEC, 1700000000 * SEC));
	ts_model_set_meminfo(&self->m, &mi);
	for (size_t i = 0; i < N(base); i++)
		ASSERT_EQ(0, synth_add(&self->m, &self->s[i]));
	ASSERT_EQ(0, ts_model_commit(&self->m, true));
	EXPECT_TRUE(self->m.has_meminfo);

	p = ts_model_process(&self->m, 100);
	ASSERT_NE(NULL, p);
	EXPECT_TRUE(p->s.flags & TS_MF_MEM);
	EXPECT_EQ(50ull << 20, p->s.res);
	EXPECT_EQ(20ull << 20, p->s.shr);
	EXPECT_EQ(400ull << 20, p->s.virt);
	EXPECT_EQ(5000, milli(p->s.mem_pct));
	t = ts_model_thread(&self->m, 102);	/* a thread: its process's */
	EXPECT_TRUE(t->s.flags & TS_MF_MEM);
	EXPECT_EQ(50ull << 20, t->s.res);
	EXPECT_EQ(5000, milli(t->s.mem_pct));

	p = ts_model_process(&self->m, 200);	/* zero is a value */
	EXPECT_TRUE(p->s.flags & TS_MF_MEM);
	EXPECT_EQ(0U, p->s.res);
	EXPECT_EQ(0, milli(p->s.mem_pct));
	p = ts_model_process(&self->m, 1);	/* a nest without an mm */
	EXPECT_TRUE(p->has_process);
	EXPECT_FALSE(p->s.flags & TS_MF_MEM);

	/* Sorted by RES (and MEM%): big first, the absent last. */
	self->s[4].rss_anon = 60ull << 20;
	ASSERT_EQ(0, synth_sample(&self->m, 2 * SEC, self->s, N(base), true));
	EXPECT_FALSE(self->m.has_meminfo);	/* not this sample's */
	EXPECT_TRUE(ts_model_process(&self->m, 200)->s.mem_pct < 0);
	{
		struct ts_rows_query q = { .mode = TS_ROWS_PROCESSES,
					   .sort = TS_COL_MEM_PCT };
		const uint32_t want[] = { 200, 100, 1 };

		ASSERT_EQ(0, ts_rows_build(&self->m, &q, &self->rows));
		ASSERT_EQ(3U, self->rows.n);
		for (size_t i = 0; i < 3; i++)
			EXPECT_EQ(want[i],
				  ts_row_id(&self->m, &self->rows.v[i]));
	}

	/* No nest at all (an old recording): absent. */
	self->s[1].proc = false;
	ASSERT_EQ(0, synth_sample(&self->m, 3 * SEC, self->s, N(base), true));
	p = ts_model_process(&self->m, 100);
	EXPECT_FALSE(p->s.flags & TS_MF_MEM);
	EXPECT_FALSE(ts_model_thread(&self->m, 101)->s.flags & TS_MF_MEM);
}

/* An exit event of @tid in process @tgid, as the module sends one. */
static struct ts_event exit_event(uint32_t tid, uint32_t tgid,
				  const char *comm, uint64_t time,
				  uint64_t lifetime, uint64_t cpu)
{
	struct ts_event e;

	memset(&e, 0, sizeof(e));
	e.present[0] = 1ull << THREADSTAT_A_EVENT_TYPE |
		       1ull << THREADSTAT_A_EVENT_TID;
	e.type = THREADSTAT_EVENT_TYPE_EXIT;
	e.tid = tid;
	e.tgid = tgid;
	e.ppid = 1;
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	e.time = time;
	e.lifetime = lifetime;
	e.sum_exec_runtime = cpu;
	e.nvcsw = 3;
	e.nivcsw = 2;
	return e;
}

static int sample_with_exits(struct ts_model *m, uint64_t t_ns,
			     const struct synth *s, size_t n,
			     const struct ts_event *ev, size_t n_ev)
{
	size_t i;

	if (synth_stage(m, t_ns, s, n))
		return -1;
	for (i = 0; i < n_ev; i++)
		if (ts_model_add_event(m, &ev[i]))
			return -1;
	return ts_model_commit(m, true);
}

TEST_F(model, exit_events_make_final_tombs)
{
	const struct ts_mthread *t;
	const struct ts_mprocess *p;
	struct ts_event ev[4];

	self->s[3].runtime = 200 * MS;
	ASSERT_EQ(0, synth_sample(&self->m, SEC, self->s, N(base), true));
	EXPECT_FALSE(self->m.has_exits);

	/* 102 was seen and is gone; 103 and process 300 came and went
	 * between the samples; 101 exited after this dump.
	 */
	ev[0] = exit_event(102, 100, "worker-b", 1500 * MS, 1400 * MS,
			   260 * MS);
	ev[1] = exit_event(103, 100, "brief", 1600 * MS, 30 * MS, 20 * MS);
	ev[1].lost = 3;
	ev[2] = exit_event(300, 300, "oneshot", 1700 * MS, 50 * MS, 40 * MS);
	ev[3] = exit_event(101, 100, "worker-a", 2100 * MS, 2000 * MS,
			   900 * MS);
	ASSERT_EQ(0, sample_with_exits(&self->m, 2 * SEC, self->s, 3, ev, 4));
	/* 200 vanished too, without an event: a tomb, not a final one. */
	EXPECT_TRUE(self->m.has_exits);
	EXPECT_EQ(3U, self->m.n_exited);
	EXPECT_EQ(3U, self->m.events_lost);

	t = ts_model_thread(&self->m, 102);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(TS_MF_EXITED | TS_MF_FINAL,
		  t->s.flags & (TS_MF_EXITED | TS_MF_FINAL));
	EXPECT_EQ(260 * MS, t->s.runtime);
	EXPECT_EQ(60 * MS, t->exit_delta);
	EXPECT_EQ(1400 * MS, t->lifetime);
	EXPECT_EQ(3U, t->nvcsw);
	EXPECT_EQ(6000, milli(t->s.cpu_pct));	/* 60 ms of 1 s */

	t = ts_model_thread(&self->m, 103);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_FINAL);
	EXPECT_EQ('X', t->s.state);
	EXPECT_STREQ("brief", t->s.comm);
	EXPECT_EQ(20 * MS, t->s.runtime);
	EXPECT_EQ(30 * MS, t->lifetime);
	EXPECT_EQ(1570 * MS, t->s.start_time);
	EXPECT_EQ(100U, self->m.processes[t->process].s.id);
	/* Grouped with its live process, which still counts as live. */
	p = ts_model_process(&self->m, 100);
	ASSERT_NE(NULL, p);
	EXPECT_FALSE(p->s.flags & TS_MF_EXITED);
	EXPECT_EQ(2U, p->s.n_threads);
	EXPECT_EQ(4U, p->n_threads);

	p = ts_model_process(&self->m, 300);
	ASSERT_NE(NULL, p);
	EXPECT_TRUE(p->s.flags & TS_MF_EXITED);
	EXPECT_STREQ("oneshot", p->s.comm);
	EXPECT_EQ(40 * MS, p->s.runtime);
	EXPECT_EQ(4000, milli(p->s.cpu_pct));

	t = ts_model_thread(&self->m, 200);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_EXITED);
	EXPECT_FALSE(t->s.flags & TS_MF_FINAL);

	/* 101 was dumped alive: its exit waited; now it is gone. */
	t = ts_model_thread(&self->m, 101);
	ASSERT_NE(NULL, t);
	EXPECT_FALSE(t->s.flags & TS_MF_EXITED);
	ASSERT_EQ(0, sample_with_exits(&self->m, 3 * SEC, self->s, 2, NULL, 0));
	t = ts_model_thread(&self->m, 101);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_FINAL);
	EXPECT_EQ(900 * MS, t->s.runtime);
	EXPECT_EQ(1U, self->m.n_exited);
	EXPECT_EQ(0U, self->m.events_lost);
	EXPECT_EQ(NULL, ts_model_thread(&self->m, 103));
	/* The published tomb of 101 is shown once: a late event is dropped. */
	ASSERT_EQ(0, sample_with_exits(&self->m, 3500 * MS, self->s, 2, &ev[3],
				       1));
	EXPECT_EQ(NULL, ts_model_thread(&self->m, 101));
	EXPECT_EQ(0U, self->m.n_exited);

	/* A carried exit whose thread is still dumped is dropped. */
	ev[0] = exit_event(1, 1, "init", 3500 * MS, 3000 * MS, 0);
	ASSERT_EQ(0, sample_with_exits(&self->m, 4 * SEC, self->s, 2, ev, 1));
	ASSERT_EQ(0, sample_with_exits(&self->m, 5 * SEC, self->s, 2, NULL, 0));
	ASSERT_EQ(0, sample_with_exits(&self->m, 6 * SEC, self->s, 1, NULL, 0));
	t = ts_model_thread(&self->m, 100);
	ASSERT_NE(NULL, t);
	EXPECT_FALSE(t->s.flags & TS_MF_FINAL);
	EXPECT_EQ(0U, self->m.n_exited);
}

TEST_HARNESS_MAIN
