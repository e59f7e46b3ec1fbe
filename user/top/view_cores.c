// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The cores view: a block per CPU (topology, a utilization meter split by
 * state) with the threads that ran on it during the last interval beneath,
 * busiest first; '*' marks the one on the CPU now and "<- CPU n" one that
 * came from another CPU since the last sample. Which threads share a core
 * and which hop between cores, at a glance.
 */
#include <inttypes.h>

#include "top.h"

#define CPU_METER	34

static void topology(struct surface *s, const struct ts_mcpu *c,
		     enum role r)
{
	const struct ts_cpu *d = &c->data;

	if (ts_present(&ts_cpu_set, d, THREADSTAT_A_CPU_PACKAGE_ID))
		surf_printf(s, r, " pkg %" PRIu32, d->package_id);
	if (ts_present(&ts_cpu_set, d, THREADSTAT_A_CPU_CORE_ID))
		surf_printf(s, r, " core %" PRIu32, d->core_id);
	surf_put(s, r, " ");
}

static void cpu_row_draw(struct top *t, struct surface *s,
			 const struct ts_row *r, bool selected)
{
	const struct ts_mcpu *c = &t->model.cpus[r->index];
	const struct ts_cpu *d = &c->data;
	enum role role = selected ? ROLE_SELECTED : ROLE_CPU;
	enum role text = selected ? ROLE_SELECTED : ROLE_NORMAL;

	surf_printf(s, role, "CPU %-3u", c->cpu);
	topology(s, c, text);
	surf_pad(s, text, 22);
	meter_draw(s, &t->model, c, CPU_METER);
	if (c->has_rates)
		surf_printf(s, text, " usr %.0f%% sys %.0f%% irq %.0f%% st %.0f%%",
			    c->user_pct, c->system_pct, c->irq_pct,
			    c->steal_pct);
	if (c->has_data &&
	    ts_present(&ts_cpu_set, d, THREADSTAT_A_CPU_NR_RUNNING))
		surf_printf(s, text, " run %" PRIu32, d->nr_running);
	if (c->has_data && ts_present(&ts_cpu_set, d, THREADSTAT_A_CPU_FREQ_KHZ) &&
	    d->freq_khz)
		surf_printf(s, text, " %.2fGHz", d->freq_khz / 1e6);
	if (c->has_lat) {
		char max[24], avg[24];

		wait_text(max, sizeof(max), c->lat_max, 0);
		wait_text(avg, sizeof(avg),
			  c->lat_count ? c->lat_sum / c->lat_count : 0, 0);
		surf_printf(s, text, " lat max %s avg %s n %" PRIu64, max, avg,
			    c->lat_count);
	}
	if (!c->count)
		surf_put(s, selected ? ROLE_SELECTED : ROLE_DIM, "  idle");
	surf_pad(s, text, -1);
	surf_newline(s);
}

static void cores_row_draw(struct top *t, struct surface *s,
			   const struct ts_row *r, bool selected)
{
	if (r->kind == TS_ROW_CPU)
		cpu_row_draw(t, s, r, selected);
	else
		process_row_draw(t, s, r, selected);
}

void view_cores_draw(struct top *t, struct surface *s)
{
	header_draw(t, s);
	if (!s->curses)
		surf_newline(s);
	columns_fit(t, s->width - 3, VIEW_CORES, t->shown);
	rowcache_begin(&t->rowcache, !s->curses, t->rows.n, t->shown,
		       t->o.order);
	colhead_draw(t, s, t->shown, "   ");
	list_draw(t, s, cores_row_draw);
}
