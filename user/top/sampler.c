// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The interactive mode samples in a thread of its own, so a slow sample
 * (tens of thousands of threads) never holds up the keyboard. It stages
 * each sample without the lock, publishes it under the lock, and tells the
 * UI through a pipe. The UI pokes it to sample at once (a thread opened in
 * detail) or to stop.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "top.h"

#define FIRST_MAX_NS	500000000ull

static struct timespec abs_time(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / 1000000000u),
				  (long)(ns % 1000000000u) };
}

static void *sampler_main(void *arg)
{
	struct top *t = arg;
	uint64_t delay;
	uint64_t next = ts_clock_ns(CLOCK_MONOTONIC);
	struct ts_error err = { 0 };

	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		bool run = !t->paused && !t->ended;
		struct timespec until;
		int rc;

		/* d changes it while running, under the lock. */
		delay = (uint64_t)t->o.delay * 100000000u;
		if (run && ts_clock_ns(CLOCK_MONOTONIC) >= next) {
			t->src.opts.detail_tid = t->detail_tid;
			t->src.waits_view = t->waits_view;
			pthread_mutex_unlock(&t->lock);
			rc = source_next(&t->src, &t->model, &t->lock, &err);
			pthread_mutex_lock(&t->lock);
			replay_update(t);
			if (rc > 0)
				t->status[0] = '\0';
			else if (!rc)
				t->ended = true;
			if (rc <= 0)
				snprintf(t->status, sizeof(t->status), "%s",
					 err.msg);
			if (write(t->wake_fd[1], "s", 1) < 0 && errno != EAGAIN)
				break;
			next = ts_clock_ns(CLOCK_MONOTONIC) +
			       (t->model.seq == 1 && delay > FIRST_MAX_NS &&
				!t->src.reader ? FIRST_MAX_NS : delay);
			continue;
		}
		until = abs_time(next);
		if (run)
			pthread_cond_timedwait(&t->wake, &t->lock, &until);
		else
			pthread_cond_wait(&t->wake, &t->lock);
		if (t->stop)
			break;
		/* Poked: sample now (a detail wants its data). */
		if (t->poked) {
			t->poked = false;
			next = 0;
		}
		if (t->replay_req)
			replay_serve(t, &err);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

int sampler_start(struct top *t, pthread_t *th)
{
	pthread_condattr_t ca;
	int rc;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	rc = pthread_create(th, NULL, sampler_main, t);
	if (rc)
		errno = rc;
	return rc ? -1 : 0;
}

void sampler_poke(struct top *t)
{
	pthread_mutex_lock(&t->lock);
	t->poked = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
}

void sampler_stop(struct top *t, pthread_t th)
{
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(th, NULL);
	pthread_cond_destroy(&t->wake);
}
