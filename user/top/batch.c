// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Batch mode: plain-text frames on stdout, like top -b. A frame is printed
 * for every sample that has a previous one to measure rates against, so a
 * live run and the replay of its recording print the same frames.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "top.h"

#define BATCH_WIDTH	200	/* without COLUMNS, as top -b uses 80+ */
#define FIRST_MAX_NS	500000000ull	/* the first interval, at most */

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* COLUMNS, as top -b and ps honour it; else BATCH_WIDTH. */
static int batch_width(void)
{
	const char *env = getenv("COLUMNS");
	char *end;
	long w;

	if (!env || !*env)
		return BATCH_WIDTH;
	w = strtol(env, &end, 10);
	return *end || w < 20 || w > 100000 ? BATCH_WIDTH : (int)w;
}

static void frame(struct top *t)
{
	struct surface s;

	surface_text(&s, stdout, batch_width());
	t->rows_dirty = true;
	top_rows(t);
	if (t->view == VIEW_CORES)
		view_cores_draw(t, &s);
	else if (t->view == VIEW_WAITS)
		view_waits_draw(t, &s);
	else
		view_processes_draw(t, &s);
	surf_finish(&s);
	fputc('\n', stdout);
	fflush(stdout);
}

/* Sleep until @deadline (CLOCK_MONOTONIC ns); false if told to stop. */
static bool sleep_until(uint64_t deadline)
{
	struct timespec ts = { (time_t)(deadline / 1000000000u),
			       (long)(deadline % 1000000000u) };

	while (!stopping) {
		int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					 NULL);

		if (!rc)
			return true;
		if (rc != EINTR)
			return false;
	}
	return false;
}

int batch_run(struct top *t)
{
	uint64_t delay = (uint64_t)t->o.delay * 100000000u, next;
	struct sigaction sa = { .sa_handler = on_signal };
	struct ts_error err = { 0 };
	long shown = 0;
	int rc = 0;

	/* Stop between samples, so a recording always ends whole. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	next = ts_clock_ns(CLOCK_MONOTONIC);
	while (!stopping && (!t->o.frames || shown < t->o.frames)) {
		int got = source_next(&t->src, &t->model, NULL, &err);

		if (got < 0) {
			fprintf(stderr, "threadtop: %s\n", err.msg);
			rc = 1;
			break;
		}
		if (!got) {	/* the recording is over, or was cut */
			if (ts_rec_warning(t->src.reader))
				fprintf(stderr, "threadtop: warning: %s\n",
					err.msg);
			break;
		}
		if (t->model.interval_ns) {
			frame(t);
			shown++;
		}
		if (t->src.reader || (t->o.frames && shown >= t->o.frames))
			continue;
		/* The first rates need only a short wait. */
		next += t->model.seq == 1 && delay > FIRST_MAX_NS ?
			FIRST_MAX_NS : delay;
		if (!sleep_until(next))
			break;
	}
	if (source_close(&t->src, &err)) {
		fprintf(stderr, "threadtop: %s\n", err.msg);
		rc = 1;
	}
	return rc;
}
