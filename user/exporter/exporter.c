// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * One scrape: a sample from the library (one SYSTEM_GET, one CPU dump, one
 * thread dump), the groups folded, the exposition written. The netlink
 * client is opened on the first scrape and again after a failed one, so
 * the exporter outlives a module reload (or starts before the module).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exporter.h"
#include "sample.h"

struct ex_exporter {
	struct ex_opts o;
	struct ts_client *c;
	struct ts_model m;
	struct ex_groups g;
	struct ex_stats st;
};

int ex_exporter_new(struct ex_exporter **out, const struct ex_opts *o)
{
	struct ex_exporter *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	e->o = *o;
	ts_model_init(&e->m);
	ex_groups_init(&e->g, o->by, EX_IDLE_NS);
	*out = e;
	return 0;
}

void ex_exporter_free(struct ex_exporter *e)
{
	if (!e)
		return;
	if (e->c)
		ts_close(e->c);
	ts_model_free(&e->m);
	ex_groups_free(&e->g);
	free(e);
}

static int fail(struct ex_exporter *e, struct ts_str *out, int status,
		const char *what, const struct ts_error *err)
{
	e->st.errors++;
	ts_str_clear(out);
	ts_str_printf(out, "threadstat exporter: %s: %s\n", what,
		      err ? err->msg : strerror(errno));
	return status;
}

int ex_scrape(struct ex_exporter *e, enum ex_format f, struct ts_str *out)
{
	const struct ts_sample_opts so = { .tgid = e->o.tgid };
	struct ex_writer w = { .out = out, .format = f };
	struct ts_error err = { 0 };
	uint64_t t0 = ts_clock_ns(CLOCK_MONOTONIC), now;
	bool complete;

	if (!e->c && ts_open(&e->c, &err))
		return fail(e, out, 503, "no threadstat module", &err);
	if (ts_sample_take(e->c, &so, &e->m, NULL, &complete, &err)) {
		ts_model_abort(&e->m);
		/* The module may have been reloaded: a new family id. */
		ts_close(e->c);
		e->c = NULL;
		return fail(e, out, 503, "dump failed", &err);
	}
	if (ts_model_commit(&e->m, complete))
		return fail(e, out, 500, "model", NULL);
	now = ts_clock_ns(CLOCK_MONOTONIC);
	if (ex_groups_update(&e->g, &e->m, now))
		return fail(e, out, 500, "groups", NULL);
	e->st.collect_ns = now - t0;
	e->st.scrapes++;
	e->st.interrupted += !complete;
	ex_metrics_write(&w, &e->m, &e->g, e->o.max_series, &e->st);
	if (out->oom) {
		errno = ENOMEM;
		return fail(e, out, 500, "exposition", NULL);
	}
	return 200;
}
