// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The thread detail view: every field of one thread, group by group,
 * including its stacks and registers when the user may see them, and the
 * reason when a group is withheld, switched off or not provided. Updated
 * with every sample (the sampler fetches this thread in full).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "top.h"
#include "waits.h"

#define CELL_W	38

/* Lines drawn from the scroll offset on, cells packed several a line. */
struct out {
	struct surface *s;
	int line, skip;
	int n_cells, per_line;
	bool cells_shown;	/* the cells' line is on the screen */
};

/* The next line: false when it is scrolled off or below the screen. */
static bool line_shown(struct out *o)
{
	return !(o->line++ < o->skip || surf_full(o->s) ||
		 (o->s->curses && o->s->y >= o->s->height - 1));
}

static void line(struct out *o, enum role r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void line(struct out *o, enum role r, const char *fmt, ...)
{
	char buf[SURFACE_LINE + 1];
	va_list ap;

	if (!line_shown(o))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	surf_put(o->s, r, buf);
	surf_newline(o->s);
}

static void flush_cells(struct out *o)
{
	if (o->n_cells && o->cells_shown)
		surf_newline(o->s);
	o->n_cells = 0;
}

/* "  name               value" in CELL_W columns. Names and values
 * (a thread's name among them) are padded by display width, not bytes:
 * wide characters keep the cells aligned.
 */
static void cell(struct out *o, const char *name, const char *value)
{
	struct surface *s = o->s;
	int x0;

	if (!o->n_cells)
		o->cells_shown = line_shown(o);
	if (o->cells_shown) {
		surf_pad(s, ROLE_NORMAL, o->n_cells * CELL_W);
		x0 = s->x;	/* further right after a long value */
		surf_put(s, ROLE_NORMAL, "  ");
		surf_put(s, ROLE_NORMAL, name);
		surf_pad(s, ROLE_NORMAL, x0 + 20);
		surf_put(s, ROLE_NORMAL, " ");
		surf_put(s, ROLE_NORMAL, value);
		surf_pad(s, ROLE_NORMAL, x0 + CELL_W);
	}
	if (++o->n_cells >= o->per_line)
		flush_cells(o);
}

static void section(struct out *o, const char *title)
{
	flush_cells(o);
	line(o, ROLE_TITLE, "%s", title);
}

/* Why a group has nothing to show. */
static const char *missing_reason(const struct ts_thread *d, uint32_t group)
{
	if (d->withheld & group)
		return "withheld: /proc would refuse it too (see README)";
	if (group == THREADSTAT_FIELDS_SCHEDSTATS &&
	    ts_thread_has(d, THREADSTAT_A_THREAD_SCHEDSTATS_ENABLED))
		return "off: sysctl kernel.sched_schedstats=1 turns it on";
	if (group == THREADSTAT_FIELDS_DELAYACCT &&
	    ts_thread_has(d, THREADSTAT_A_THREAD_DELAYACCT_ENABLED))
		return "off: sysctl kernel.task_delayacct=1 turns it on";
	return "not provided by this kernel module";
}

static bool shown_field(const struct ts_field *f)
{
	return f->type != THREADSTAT_A_THREAD_SCHEDSTATS_ENABLED &&
	       f->type != THREADSTAT_A_THREAD_DELAYACCT_ENABLED &&
	       f->type != THREADSTAT_A_THREAD_WITHHELD;
}

/* The fields of one group; false when it had none. */
static bool group_fields(struct out *o, const struct ts_thread *d,
			 uint32_t group)
{
	const struct ts_set *set = &ts_thread_set;
	char value[SURFACE_LINE], name[64];
	bool any = false;
	size_t i, j;

	for (i = 0; i < set->n_fields; i++) {
		const struct ts_field *f = &set->fields[i];

		if (f->group != group || !shown_field(f) ||
		    !ts_present(set, d, f->type))
			continue;
		any = true;
		if (f->kind == TS_KIND_NEST) {
			const void *rec = (const char *)d + f->offset;

			for (j = 0; j < f->nest->n_fields; j++) {
				const struct ts_field *nf = &f->nest->fields[j];

				if (!ts_present(f->nest, rec, nf->type))
					continue;
				snprintf(name, sizeof(name), "%s.%s", f->name,
					 nf->name);
				field_text(value, sizeof(value), nf, rec);
				cell(o, name, value);
			}
		} else if (f->kind == TS_KIND_STRINGS) {
			const char *frame = d->kernel_stack;
			uint32_t k;

			flush_cells(o);
			line(o, ROLE_NORMAL, "  %s:", f->name);
			for (k = 0; frame && k < d->n_kernel_stack;
			     k++, frame += strlen(frame) + 1)
				line(o, ROLE_NORMAL, "    %s", frame);
		} else {
			field_text(value, sizeof(value), f, d);
			cell(o, f->name, value);
		}
	}
	return any;
}

static void rates(struct out *o, const struct ts_mthread *th)
{
	char buf[64];

	section(o, "last interval");
	snprintf(buf, sizeof(buf), "%.1f", th->s.cpu_pct);
	cell(o, "CPU%", buf);
	snprintf(buf, sizeof(buf), "%.1f", th->s.wait_pct);
	cell(o, "WAIT%", buf);
	snprintf(buf, sizeof(buf), "%.1f", th->s.vcsw_rate);
	cell(o, "VCSW/s", buf);
	snprintf(buf, sizeof(buf), "%.1f", th->s.icsw_rate);
	cell(o, "ICSW/s", buf);
	snprintf(buf, sizeof(buf), "%.1f", th->s.migr_rate);
	cell(o, "MIGR/s", buf);
	time_text(buf, sizeof(buf), th->s.runtime);
	cell(o, "TIME", buf);
	snprintf(buf, sizeof(buf), "%u -> %u", th->prev_cpu, th->s.cpu);
	cell(o, "CPU was -> now", buf);
	cell(o, "new", th->s.flags & TS_MF_NEW ? "yes" : "no");
	if (th->s.has_lat) {
		wait_text(buf, sizeof(buf), th->s.lat_max, 0);
		cell(o, "LAT-MAX", buf);
		wait_text(buf, sizeof(buf), th->s.lat_p99, 0);
		cell(o, "LAT-P99", buf);
	}
}

#define HIST_BAR	30

/* --latency: the thread's run-queue waits since measured, a log2 bucket
 * a line with its count and a bar. */
static void latency_hist(struct out *o, const struct ts_mthread *th)
{
	const struct ts_latency *l = &th->latency;
	char buf[64], from[16], to[16], bar[HIST_BAR + 1];
	uint64_t top = 0;
	size_t i;
	int n;

	if (!th->has_latency)
		return;
	section(o, "run-queue waits since measured (log2 buckets)");
	snprintf(buf, sizeof(buf), "%" PRIu64, l->count);
	cell(o, "count", buf);
	wait_text(buf, sizeof(buf), l->sum, 0);
	cell(o, "sum", buf);
	wait_text(buf, sizeof(buf), l->max_wait, 0);
	cell(o, "max", buf);
	flush_cells(o);
	for (i = 0; i < THREADSTAT_LATENCY_BUCKETS; i++)
		if (l->hist[i] > top)
			top = l->hist[i];
	for (i = 0; i < THREADSTAT_LATENCY_BUCKETS; i++) {
		if (!l->hist[i])
			continue;
		n = (int)((l->hist[i] * HIST_BAR + top - 1) / top);
		memset(bar, '#', (size_t)n);
		bar[n] = '\0';
		/* Bucket i: [2^i, 2^(i+1)) ns; its start shown rounded down. */
		wait_text(from, sizeof(from), 1ULL << i, 0);
		wait_text(to, sizeof(to), 2ULL << i, 0);
		line(o, ROLE_NORMAL, "  %7s .. %-7s %10" PRIu64 " %s", from, to,
		     l->hist[i], bar);
	}
}

void view_detail_draw(struct top *t, struct surface *s)
{
	static const uint32_t groups[] = {
		0, THREADSTAT_FIELDS_SCHED, THREADSTAT_FIELDS_SCHEDSTATS,
		THREADSTAT_FIELDS_DELAYACCT, THREADSTAT_FIELDS_STACK,
		THREADSTAT_FIELDS_KSTACK, THREADSTAT_FIELDS_REGS,
		THREADSTAT_FIELDS_WAIT,
	};
	char sentence[SURFACE_LINE + 1];
	const struct ts_model *m = &t->model;
	const struct ts_mthread *th = ts_model_thread(m, t->detail_tid);
	const struct ts_thread *d = m->has_detail &&
				    m->detail.tid == t->detail_tid ?
				    &m->detail : NULL;
	const struct ts_mprocess *p = th ? &m->processes[th->process] : NULL;
	struct out o = { .s = s, .skip = t->detail_scroll };
	size_t i;

	o.per_line = s->width / CELL_W > 0 ? s->width / CELL_W : 1;
	surf_printf(s, ROLE_TITLE, "Thread %u", t->detail_tid);
	if (th)
		surf_printf(s, ROLE_TITLE, " (%s) of process %u (%s)",
			    th->s.comm, th->s.tgid, p->s.comm);
	surf_put(s, ROLE_DIM, "   Esc: back, arrows: scroll");
	surf_newline(s);
	if (!th) {
		line(&o, ROLE_PROMPT, "This thread has exited.");
		surf_finish(s);
		return;
	}
	/* what it waits on, when the wait group says (not in replays) */
	if (d && !t->src.reader &&
	    ts_wait_sentence(d, sentence, sizeof(sentence)))
		line(&o, ROLE_PROMPT, "  %s", sentence);
	rates(&o, th);
	latency_hist(&o, th);
	if (!d) {
		section(&o, "fields");
		line(&o, ROLE_DIM, "  %s", t->src.reader ?
		     "this thread's full record is not in the recording" :
		     "fetching every field of this thread...");
	}
	for (i = 0; d && i < sizeof(groups) / sizeof(groups[0]); i++) {
		section(&o, groups[i] ? ts_group_name(groups[i]) : "identity");
		if (!group_fields(&o, d, groups[i]))
			line(&o, ROLE_DIM, "  %s", missing_reason(d, groups[i]));
	}
	flush_cells(&o);
	/* Keep the scroll within what there is. */
	if (t->detail_scroll > o.line - 1)
		t->detail_scroll = o.line > 0 ? o.line - 1 : 0;
	surf_finish(s);
}
