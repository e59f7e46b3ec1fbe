// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The exit feed: an events subscription of its own socket (events are
 * unicast to it as they happen, so it cannot share the socket that asks
 * for samples), drained into each sample as it is staged. Threads that
 * came and went between two samples become that sample's tombs.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"
#include "sample.h"

/* Datagrams taken per sample, at most: a flood must not hold it up (what
 * is left waits, and is counted lost if the socket fills).
 */
#define FEED_MAX_READS	4096
/* Socket buffer asked for: ~20k exit events, a 2 s interval at 10k/s. */
#define FEED_RCVBUF	(4 << 20)

struct ts_exit_feed {
	struct ts_client *c;	/* subscribed */
	struct ts_client *sync;	/* asks for the barrier before a drain */
};

int ts_exit_feed_open(struct ts_exit_feed **out, uint32_t tgid,
		      struct ts_error *err)
{
	struct ts_exit_feed *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (!f)
		return ts_fail(err, ENOMEM, "out of memory");
	if (ts_open(&f->c, err) || ts_open(&f->sync, err))
		goto fail;
	ts_set_rcvbuf(f->c, FEED_RCVBUF);
	if (ts_events_subscribe(f->c, 1u << THREADSTAT_EVENT_TYPE_EXIT, tgid,
				err))
		goto fail;
	*out = f;
	return 0;
fail:
	ts_close(f->c);
	ts_close(f->sync);
	free(f);
	return -1;
}

struct feed_read {
	struct ts_model *m;
	size_t got;
};

static int feed_one(const struct ts_event *ev, void *arg)
{
	struct feed_read *r = arg;

	r->got++;
	return ts_model_add_event(r->m, ev);
}

int ts_exit_feed_drain(struct ts_exit_feed *f, struct ts_model *m,
		       struct ts_error *err)
{
	struct feed_read r = { m, 0 };
	int i;

	if (!f)
		return 0;
	/* The exits of the threads the dump missed are sent before this. */
	if (ts_events_sync(f->sync, err))
		return -1;
	err->msg[0] = '\0';
	ts_exit_feed_mark(m);
	for (i = 0; i < FEED_MAX_READS; i++) {
		size_t before = r.got;
		int rc = ts_events_read(f->c, 0, feed_one, &r, err);

		if (rc)
			return rc < 0 && err->msg[0] ? -1 :
			       ts_fail(err, ENOMEM, "out of memory");
		if (r.got == before)
			break;
	}
	return 0;
}

int ts_exit_feed_mark(struct ts_model *m)
{
	/* Subscribed: this sample's tombs are complete, events or not. */
	return ts_model_add_event(m, &(struct ts_event){ .type = UINT32_MAX });
}

void ts_exit_feed_capture(struct ts_exit_feed *f, ts_capture_cb cb,
			  void *arg)
{
	ts_set_capture(f->c, cb, arg);
}

void ts_exit_feed_close(struct ts_exit_feed *f)
{
	if (!f)
		return;
	ts_close(f->c);
	ts_close(f->sync);
	free(f);
}
