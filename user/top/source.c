// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Where samples come from: the module (optionally recording them), or a
 * recording. Either way a sample is staged without the lock and published
 * under it, so the screen keeps drawing the previous one meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "top.h"

#define WRITER	"threadtop " TS_VERSION

/*
 * --latency: hold run-queue latency on while this socket is open, and
 * sample the group. Not allowed (CAP_NET_ADMIN), or on already for
 * others: the notice says so, and the group is sampled anyway.
 */
static void latency_hold(struct source *s)
{
	struct ts_latency_state st;
	struct ts_error err = { 0 };

	if (ts_client_proc(s->client)) {
		snprintf(s->notice, sizeof(s->notice), "%s",
			 "--latency needs the module: no latency columns");
		return;
	}
	s->latency = true;
	s->opts.fields |= THREADSTAT_FIELDS_LATENCY;
	if (ts_latency_control(s->client, TS_LATENCY_STATUS, &st, &err) == 0 &&
	    st.enabled) {
		snprintf(s->notice, sizeof(s->notice),
			 "run-queue latency was on already (%u holders%s)",
			 st.holders, st.persistent ? ", persistent" : "");
		ts_latency_control(s->client, TS_LATENCY_HOLD, &st, &err);
		return;
	}
	if (ts_latency_control(s->client, TS_LATENCY_HOLD, &st, &err))
		snprintf(s->notice, sizeof(s->notice),
			 "cannot turn run-queue latency on (%s): LAT columns "
			 "show '-' unless someone else does", err.msg);
}

int source_open(struct source *s, const struct options *o,
		struct ts_error *err)
{
	char why[sizeof(err->msg)];
	struct ts_error feed_err = { 0 };
	FILE *f;

	memset(s, 0, sizeof(*s));
	s->opts.fields = THREADSTAT_FIELDS_SCHED;
	/* One process: the kernel dumps only it. More: rows filter them. */
	s->opts.tgid = o->pids.n == 1 ? o->pids.v[0] : 0;
	if (o->read_path) {
		/* "-": a pipe is fine, the reader never seeks back in it. */
		f = strcmp(o->read_path, "-") ? fopen(o->read_path, "rb") :
						fdopen(dup(STDIN_FILENO), "rb");
		if (!f) {
			snprintf(err->msg, sizeof(err->msg), "cannot open %s: %s",
				 o->read_path, strerror(errno));
			err->code = errno;
			return -1;
		}
		s->replayed.recorded = true;
		return ts_rec_open(&s->reader, f, err);
	}
	if (ts_open_source(&s->client, o->source, why, sizeof(why), err))
		return -1;
	if (ts_client_proc(s->client)) {
		snprintf(s->notice, sizeof(s->notice), "reading /proc (%s); %s",
			 why[0] ? why : "--source proc", ts_proc_needs_module);
		/* A recording holds the module's replies as received. */
		if (o->write_path) {
			ts_close(s->client);
			s->client = NULL;
			snprintf(err->msg, sizeof(err->msg), "%s",
				 "-w records the module's replies: it needs "
				 "the module, and /proc feeds this run");
			err->code = ENOTSUP;
			return -1;
		}
	}
	/* What blocked threads wait on (source_next() says when): the
	 * module only looks at blocked threads, and sends it only where we
	 * may ptrace (else withheld). A recording has it in every sample. */
	if (!ts_client_proc(s->client) && o->write_path)
		s->opts.fields |= THREADSTAT_FIELDS_WAIT;
	if (o->latency)
		latency_hold(s);
	if (o->write_path &&
	    ts_sample_record_open(&s->writer, o->write_path, WRITER,
				  s->opts.fields, err)) {
		ts_close(s->client);
		s->client = NULL;
		return -1;
	}
	if (s->writer)
		s->opts.cmdlines = &s->recording;
	/* Without events (refused, an older module) tombs are what two
	 * samples show: the threads that lived through one.
	 */
	if (!ts_client_proc(s->client) &&
	    ts_exit_feed_open(&s->exits, s->opts.tgid, &feed_err))
		snprintf(s->notice, sizeof(s->notice),
			 "no exit events (%s): threads that come and go "
			 "between refreshes are not shown", feed_err.msg);
	return 0;
}

bool source_recorded_latency(const struct source *s)
{
	return s->reader &&
	       (ts_rec_info(s->reader)->fields & THREADSTAT_FIELDS_LATENCY);
}

int source_next(struct source *s, struct ts_model *m, pthread_mutex_t *lock,
		struct ts_error *err)
{
	bool complete = true, waits;
	int rc;

	ts_waits_free(&s->waits_staged);
	if (s->reader) {
		/* a recording made with the wait group has the wait chains */
		waits = s->waits_shown && (ts_rec_info(s->reader)->fields &
					   THREADSTAT_FIELDS_WAIT);
		rc = ts_sample_replay_waits(s->reader, m,
					    s->shown ? &s->replayed : NULL,
					    waits ? &s->waits_staged : NULL,
					    &complete, err);
	} else {
		/* the wait view, a recording, or not too many threads */
		waits = s->waits_shown && !ts_client_proc(s->client) &&
			(s->waits_view || s->writer ||
			 m->n_threads <= WAITS_ALWAYS_MAX);
		s->opts.fields = THREADSTAT_FIELDS_SCHED |
				 (waits ? THREADSTAT_FIELDS_WAIT : 0) |
				 (s->latency ? THREADSTAT_FIELDS_LATENCY : 0);
		s->opts.waits = waits ? &s->waits_staged : NULL;
		s->opts.exits = s->exits;	/* drained into each sample */
		rc = ts_sample_take(s->client, &s->opts, m, s->writer, &complete,
				    err) ? -1 : 1;
	}
	if (!rc)
		snprintf(err->msg, sizeof(err->msg), "%s",
			 ts_rec_warning(s->reader) ?: "end of the recording");
	if (rc <= 0)
		return rc;
	s->at++;
	if (lock)
		pthread_mutex_lock(lock);
	rc = ts_model_commit(m, complete);
	/* The sample's command lines with it: both or neither on screen. */
	if (s->reader && s->shown && ts_cmdlines_move(s->shown, &s->replayed))
		rc = -1;
	/* and its wait graph: the one shown goes to be freed next time */
	if (waits) {
		struct ts_waits old = *s->waits_shown;

		*s->waits_shown = s->waits_staged;
		s->waits_staged = old;
	}
	if (lock)
		pthread_mutex_unlock(lock);
	if (s->writer)
		ts_cmdlines_prune(&s->recording, m);
	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		err->code = ENOMEM;
		return -1;
	}
	return 1;
}

int source_seek(struct source *s, struct ts_model *m, pthread_mutex_t *lock,
		size_t k, struct ts_error *err)
{
	size_t from = k ? k - 1 : 0;
	int rc;

	if (!s->reader)
		return 0;
	if (ts_rec_seek_sample(s->reader, from, err))
		return -1;
	/* Rates need the sample before: replay it first, from a new model. */
	if (lock)
		pthread_mutex_lock(lock);
	ts_model_free(m);
	ts_model_init(m);
	if (lock)
		pthread_mutex_unlock(lock);
	s->at = from;
	rc = source_next(s, m, lock, err);
	if (rc > 0 && k)
		rc = source_next(s, m, lock, err);
	return rc < 0 ? -1 : 0;
}

int source_close(struct source *s, struct ts_error *err)
{
	int rc = ts_rec_close(s->writer, err);

	ts_rec_close_reader(s->reader);
	ts_close(s->client);
	ts_exit_feed_close(s->exits);
	ts_cmdlines_free(&s->recording);
	ts_cmdlines_free(&s->replayed);
	ts_waits_free(&s->waits_staged);
	memset(s, 0, sizeof(*s));
	return rc;
}
