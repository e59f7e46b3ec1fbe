// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Replay controls: z pauses (input.c), { and } step a sample back or
 * forward (and pause), g goes to a sample number, +SECONDS after the first
 * sample, or a wall-clock time HH:MM[:SS] of the recording's day. The UI
 * only files the request; the sampler thread, which owns the reader,
 * carries it out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "top.h"

static void request(struct top *t, enum replay_req req, int64_t arg)
{
	pthread_mutex_lock(&t->lock);
	t->replay_req = req;
	t->replay_arg = arg;
	t->paused = true;	/* a chosen sample stays on screen */
	pthread_mutex_unlock(&t->lock);
	sampler_poke(t);
}

bool replay_key(struct top *t, int key)
{
	if (key != '{' && key != '}' && key != 'g')
		return false;
	if (!t->src.reader) {
		snprintf(t->note, sizeof(t->note),
			 "{ } g step and go to a time when replaying (-r)");
		return true;
	}
	if (key == 'g') {
		t->input = INPUT_GOTO;
		t->goto_text[0] = '\0';
	} else {
		request(t, REPLAY_STEP, key == '{' ? -1 : 1);
	}
	return true;
}

/* HH:MM[:SS] on the day of the sample shown, as CLOCK_REALTIME ns. */
static bool clock_time(const struct top *t, const char *text, int64_t *out)
{
	int h, m, sec = 0, n = 0;
	time_t now = (time_t)(t->model.real_ns / 1000000000u);
	struct tm tm;

	if (sscanf(text, "%d:%d%n:%d%n", &h, &m, &n, &sec, &n) < 2 ||
	    text[n] || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 ||
	    sec > 60 || !localtime_r(&now, &tm))
		return false;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	now = mktime(&tm);
	if (now == (time_t)-1)
		return false;
	*out = (int64_t)now * 1000000000;
	return true;
}

void replay_goto(struct top *t, const char *text)
{
	char *end;
	long long v;
	int64_t ns;

	errno = 0;
	if (strchr(text, ':')) {
		if (clock_time(t, text, &ns)) {
			request(t, REPLAY_TIME, ns);
			return;
		}
	} else if (*text == '+') {
		v = strtoll(text + 1, &end, 10);
		if (!errno && end != text + 1 && !*end && v >= 0 &&
		    v < INT64_MAX / 1000000000) {
			request(t, REPLAY_OFFSET, v);
			return;
		}
	} else {
		v = strtoll(text, &end, 10);
		if (!errno && end != text && !*end && v > 0) {
			request(t, REPLAY_SAMPLE, v);
			return;
		}
	}
	snprintf(t->note, sizeof(t->note),
		 "go to: a sample number, +SECONDS or HH:MM[:SS]");
}

/* The first sample at or after @real_ns (the last one if none is). */
static int sample_at(struct top *t, uint64_t real_ns, size_t *k,
		     struct ts_error *err)
{
	uint64_t real;
	size_t i;

	for (i = 0;; i++) {
		if (ts_rec_sample_real(t->src.reader, i, &real, err))
			break;
		if (real >= real_ns) {
			*k = i;
			return 0;
		}
	}
	if (err->code != ERANGE || !i)
		return -1;
	*k = i - 1;
	return 0;
}

void replay_serve(struct top *t, struct ts_error *err)
{
	enum replay_req req = t->replay_req;
	int64_t arg = t->replay_arg;
	size_t shown = t->src.at ? t->src.at - 1 : 0, k = 0;
	uint64_t first;
	int rc = 0;

	t->replay_req = REPLAY_NONE;
	pthread_mutex_unlock(&t->lock);
	switch (req) {
	case REPLAY_STEP:
		k = arg < 0 && (size_t)-arg > shown ? 0 : shown + (size_t)arg;
		break;
	case REPLAY_SAMPLE:
		k = (size_t)arg - 1;
		break;
	case REPLAY_OFFSET:
		rc = ts_rec_sample_real(t->src.reader, 0, &first, err);
		if (!rc)
			rc = sample_at(t, first + (uint64_t)arg * 1000000000u,
				       &k, err);
		break;
	case REPLAY_TIME:
		rc = sample_at(t, (uint64_t)arg, &k, err);
		break;
	default:
		break;
	}
	if (!rc)
		rc = source_seek(&t->src, &t->model, &t->lock, k, err);
	pthread_mutex_lock(&t->lock);
	t->rows_dirty = true;
	replay_update(t);
	if (rc) {
		snprintf(t->status, sizeof(t->status), "%s", err->msg);
	} else {
		t->ended = false;
		t->status[0] = '\0';
	}
	if (write(t->wake_fd[1], "s", 1) < 0 && errno != EAGAIN)
		t->stop = true;
}

void replay_update(struct top *t)
{
	if (!t->src.reader)
		return;
	t->replay_at = t->src.at;
	t->replay_total = ts_rec_samples(t->src.reader);
	t->replay_known = ts_rec_samples_known(t->src.reader);
}
