// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Tags and actions. Space tags the selected process or thread (htop's
 * tagging); an action applies to every tagged row, or to the selected one
 * when none is tagged. The library does the acting (actions.h); this file
 * only turns rows into targets and shows the outcome in the footer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"

void top_note(struct top *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->note, sizeof(t->note), fmt, ap);
	va_end(ap);
	t->note_error = error;
}

bool act_tagged(const struct top *t, const struct ts_row *r)
{
	uint32_t id = ts_row_id(&t->model, r);

	if (r->kind == TS_ROW_PROCESS)
		return ts_idset_has(&t->tagged_procs, id);
	return r->kind == TS_ROW_THREAD && ts_idset_has(&t->tagged_threads, id);
}

void act_tag(struct top *t)
{
	struct ts_idset *set;
	const struct ts_row *r;
	uint32_t id;

	pthread_mutex_lock(&t->lock);
	top_rows(t);
	if (t->sel < t->rows.n) {
		r = &t->rows.v[t->sel];
		id = ts_row_id(&t->model, r);
		set = r->kind == TS_ROW_PROCESS ? &t->tagged_procs :
		      r->kind == TS_ROW_THREAD ? &t->tagged_threads : NULL;
		if (set && ts_idset_has(set, id))
			ts_idset_del(set, id);
		else if (set && ts_idset_add(set, id))
			top_note(t, true, "out of memory");
		top_select(t, t->sel + 1);
	}
	pthread_mutex_unlock(&t->lock);
}

void act_untag_all(struct top *t)
{
	t->tagged_procs.n = 0;
	t->tagged_threads.n = 0;
}

/* The targets of an action, under t->lock; NULL with *n 0 when none. */
static struct ts_target *targets(struct top *t, size_t *n)
{
	size_t want = t->tagged_procs.n + t->tagged_threads.n, i, k = 0;
	struct ts_target *v;
	const struct ts_mthread *th;

	*n = 0;
	v = calloc(want ? want : 1, sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < t->tagged_procs.n; i++)
		v[k++] = (struct ts_target){ .tgid = t->tagged_procs.v[i] };
	for (i = 0; i < t->tagged_threads.n; i++) {
		th = ts_model_thread(&t->model, t->tagged_threads.v[i]);
		/* Gone since it was tagged: nothing to act on. */
		if (th)
			v[k++] = (struct ts_target){ .tgid = th->s.tgid,
						     .tid = th->s.id };
	}
	if (!want) {
		const struct ts_mstat *st;

		top_rows(t);
		st = t->sel < t->rows.n ?
		     ts_row_stat(&t->model, &t->rows.v[t->sel]) : NULL;
		if (st)
			v[k++] = (struct ts_target){
				.tgid = st->tgid,
				.tid = t->rows.v[t->sel].kind == TS_ROW_THREAD ?
				       st->id : 0,
			};
	}
	*n = k;
	return v;
}

uint32_t act_first_tid(struct top *t)
{
	struct ts_target *v;
	uint32_t tid = 0;
	size_t n;

	pthread_mutex_lock(&t->lock);
	v = targets(t, &n);
	pthread_mutex_unlock(&t->lock);
	if (n)
		tid = v[0].tid ? v[0].tid : v[0].tgid;
	free(v);
	return tid;
}

void act_run(struct top *t, const struct ts_action *a)
{
	struct ts_action_result res;
	struct ts_error err = { 0 };
	struct ts_target *v;
	size_t n;

	if (t->src.reader) {
		top_note(t, true, "a recording: nothing to act on");
		return;
	}
	pthread_mutex_lock(&t->lock);
	v = targets(t, &n);
	pthread_mutex_unlock(&t->lock);
	if (!v) {
		top_note(t, true, "out of memory");
		return;
	}
	if (!n)
		top_note(t, true, "nothing selected");
	else if (ts_act(a, v, n, &res, &err))
		top_note(t, true, "cannot %s", err.msg);
	else
		top_note(t, false, "%s: %zu %s", ts_action_verb(a->kind),
			 res.done, a->kind == TS_ACT_SIGNAL && !v[0].tid &&
			 n == 1 ? "process" : "thread(s)");
	free(v);
	sampler_poke(t);	/* show the new state at once */
}
