// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The header: clock, uptime and load; a meter per CPU split into user,
 * system, irq and steal time (or, without the module's CPU data, the
 * threads' own CPU% on that CPU); Mem and Swp; and the totals. Which
 * meters show, and in which order, is the user's (F2, meters=): uptime
 * and load sit on the title line, the others a line each (Mem and Swp
 * half a line, side by side when they follow each other).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "top.h"

#define METER_MIN	30	/* columns one meter needs */

static void title_draw(struct top *t, struct surface *s)
{
	const struct ts_model *m = &t->model;
	const struct ts_totals *tot = &m->totals;
	time_t secs = (time_t)(m->real_ns / 1000000000u);
	char clock[16] = "--:--:--", text[48];
	bool loads = false;	/* uptime after load needs a comma */
	struct tm tm;
	int i, k;

	if (m->seq && localtime_r(&secs, &tm))
		strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	surf_printf(s, ROLE_TITLE, "threadtop - %s", clock);
	for (k = 0; k < METERS; k++) {
		enum meter_id id = (enum meter_id)t->o.meter_order[k];

		if (!t->o.meters[id])
			continue;
		if (id == METER_UPTIME && tot->uptime_ns) {
			ts_uptime_text(text, sizeof(text), tot->uptime_ns);
			surf_printf(s, ROLE_NORMAL, "%s up %s",
				    loads ? "," : "", text);
		}
		for (i = 0; id == METER_LOAD && tot->has_load && i < 3; i++) {
			ts_load_text(text, sizeof(text), tot->load[i]);
			surf_printf(s, ROLE_NORMAL, "%s%s",
				    i ? ", " : ", load average: ", text);
			loads = true;
		}
	}
	if (!s->curses)
		return;
	/* Interactive extras, right-aligned: what the screen is showing. */
	if (t->status[0]) {
		surf_put(s, ROLE_NORMAL, "  ");
		surf_put(s, t->ended ? ROLE_PROMPT : ROLE_ERROR, t->status);
	} else if (t->src.reader) {
		surf_printf(s, ROLE_PROMPT, "  [%sreplay of ",
			    t->paused ? "paused " : "");
		surf_put(s, ROLE_PROMPT, ts_rec_info(t->src.reader)->hostname);
		surf_printf(s, ROLE_PROMPT, ", sample %zu/%zu%s]",
			    t->replay_at, t->replay_total,
			    t->replay_known ? "" : "+");
	} else if (t->paused) {
		surf_put(s, ROLE_PROMPT, "  [paused]");
	}
}

/* The share of CPU @c in use, split by state (out[0..3]); false if the
 * CPU is offline.
 */
static bool cpu_split(const struct ts_model *m, const struct ts_mcpu *c,
		      double out[4])
{
	uint32_t i;

	memset(out, 0, 4 * sizeof(*out));
	if (c->has_data && ts_present(&ts_cpu_set, &c->data,
				      THREADSTAT_A_CPU_ONLINE) &&
	    !c->data.online)
		return false;
	if (c->has_rates) {
		out[0] = c->user_pct;
		out[1] = c->system_pct;
		out[2] = c->irq_pct;
		out[3] = c->steal_pct;
		return true;
	}
	/* No CPU data: what the threads say they ran there. */
	for (i = 0; i < c->count; i++)
		out[0] += m->threads[m->by_cpu[c->first + i]].s.cpu_pct;
	if (out[0] > 100)
		out[0] = 100;
	return true;
}

void meter_draw(struct surface *s, const struct ts_model *m,
		const struct ts_mcpu *c, int w)
{
	static const struct { char ch; enum role r; } seg[4] = {
		{ '|', ROLE_METER_USER }, { '#', ROLE_METER_SYS },
		{ '*', ROLE_METER_IRQ }, { '!', ROLE_METER_STEAL },
	};
	int inner = w - 6, x0, k, filled = 0;
	char value[16];
	double part[4], total;

	surf_printf(s, ROLE_CPU, "%4u", c->cpu);
	surf_put(s, ROLE_METER_FRAME, "[");
	x0 = s->x;
	if (!cpu_split(m, c, part)) {
		surf_printf(s, ROLE_DIM, "%*s", inner, "offline");
		surf_put(s, ROLE_METER_FRAME, "]");
		return;
	}
	total = part[0] + part[1] + part[2] + part[3];
	snprintf(value, sizeof(value), "%.1f%%", total);
	for (k = 0; k < 4 && inner > 0; k++) {
		int n = (int)(part[k] * inner / 100 + 0.5);

		if (filled + n > inner)
			n = inner - filled;
		if (n <= 0)
			continue;
		surf_fill(s, seg[k].r, seg[k].ch, n);
		filled += n;
	}
	/* The number sits at the right end, over the bar if need be. */
	if (inner - (int)strlen(value) >= 0) {
		surf_pad(s, ROLE_NORMAL, x0 + inner - (int)strlen(value));
		if (s->x > x0 + inner - (int)strlen(value))
			s->x = x0 + inner - (int)strlen(value);
		surf_put(s, ROLE_DIM, value);
	}
	s->x = x0 + inner;
	surf_put(s, ROLE_METER_FRAME, "]");
}

static int meters_draw(struct top *t, struct surface *s)
{
	const struct ts_model *m = &t->model;
	int per_line = s->width / (METER_MIN + 10), lines, w, i, row;

	if (per_line < 1)
		per_line = 1;
	if (per_line > 4)
		per_line = 4;
	lines = ((int)m->n_cpus + per_line - 1) / per_line;
	/* Many CPUs on a small screen: the list matters more; see 'c'. */
	if (s->curses && lines > s->height / 3) {
		surf_printf(s, ROLE_DIM, "%zu CPUs: press c for the cores view",
			    m->n_cpus);
		surf_newline(s);
		return 1;
	}
	w = s->width / per_line - 1;
	if (w > 40)
		w = 40;
	for (row = 0; row < lines; row++) {
		for (i = 0; i < per_line; i++) {
			size_t c = (size_t)(row + i * lines);

			if (c >= m->n_cpus)
				break;
			surf_pad(s, ROLE_NORMAL, i * (w + 1));
			meter_draw(s, m, &m->cpus[c], w);
		}
		surf_newline(s);
	}
	return lines;
}

/* Bytes as htop's meters show them: 512M, 3.83G. */
static void size_text(char *buf, size_t len, uint64_t bytes)
{
	uint64_t mib = bytes >> 20;

	if (mib < 1024)
		snprintf(buf, len, "%" PRIu64 "M", mib);
	else
		snprintf(buf, len, "%" PRIu64 ".%02" PRIu64 "G", mib >> 10,
			 (mib & 1023) * 100 / 1024);
}

/* "Mem[|||||       1.21G/3.83G]" in @w columns. */
static void mem_meter_draw(struct surface *s, const char *label,
			   uint64_t used, uint64_t total, int w)
{
	char value[48], a[16], b[16];
	int inner = w - (int)strlen(label) - 2, x0, n;

	size_text(a, sizeof(a), used);
	size_text(b, sizeof(b), total);
	snprintf(value, sizeof(value), "%s/%s", a, b);
	surf_put(s, ROLE_CPU, label);
	surf_put(s, ROLE_METER_FRAME, "[");
	x0 = s->x;
	n = total && inner > 0 ?
	    (int)((double)used * inner / (double)total + 0.5) : 0;
	if (n > inner)
		n = inner;
	if (n > 0)
		surf_fill(s, ROLE_METER_MEM, '|', n);
	if (inner - (int)strlen(value) >= 0) {
		if (s->x > x0 + inner - (int)strlen(value))
			s->x = x0 + inner - (int)strlen(value);
		surf_pad(s, ROLE_NORMAL, x0 + inner - (int)strlen(value));
		surf_put(s, ROLE_DIM, value);
	}
	s->x = x0 + (inner > 0 ? inner : 0);
	surf_put(s, ROLE_METER_FRAME, "]");
}

/* Mem or Swp in half a line, the right half when @right; used = total -
 * available (Mem), total - free (Swp), as free says.
 */
static void memory_draw(struct top *t, struct surface *s, enum meter_id id,
			bool right)
{
	const struct ts_meminfo *mi = &t->model.meminfo;
	int w = s->width / 2 - 1;

	if (w > 40)
		w = 40;
	if (right)
		surf_pad(s, ROLE_NORMAL, w + 1);
	if (id == METER_MEM)
		mem_meter_draw(s, " Mem", mi->mem_total - mi->mem_available,
			       mi->mem_total, w);
	else
		mem_meter_draw(s, "Swp", mi->swap_total - mi->swap_free,
			       mi->swap_total, w);
}

static void totals_draw(struct top *t, struct surface *s)
{
	const struct ts_model *m = &t->model;
	const struct ts_totals *tot = &m->totals;

	surf_printf(s, ROLE_NORMAL, "Tasks: %u processes, %u threads; "
		    "%u running, %u blocked; CPU %.1f%%", tot->processes,
		    tot->threads, tot->running, tot->blocked, tot->cpu_pct);
	if (m->seq > 1)
		surf_printf(s, ROLE_NORMAL, "; new %zu, gone %zu", m->n_new,
			    m->n_vanished);
	if (m->seq > 1 && m->has_exits)
		surf_printf(s, ROLE_NORMAL, "; exited %zu", m->n_exited);
	if (m->events_lost)
		surf_printf(s, ROLE_ERROR, " (%llu exit events lost: not shown)",
			    (unsigned long long)m->events_lost);
	if (!m->has_cpus && m->seq)
		surf_put(s, ROLE_DIM, "  (no CPU data from the module: "
			 "meters from threads)");
}

int header_draw(struct top *t, struct surface *s)
{
	bool half = false;	/* a half-line meter waits on the left */
	int y0 = s->y, k;

	title_draw(t, s);
	surf_newline(s);
	/* the alarm: a wait cycle in this sample */
	if (t->waits.g.n_cycles) {
		surf_printf(s, ROLE_ERROR, "DEADLOCK: %zu wait cycle%s (w: the "
			    "wait chains)", t->waits.g.n_cycles,
			    t->waits.g.n_cycles == 1 ? "" : "s");
		surf_pad(s, ROLE_NORMAL, -1);
		surf_newline(s);
	}
	for (k = 0; k < METERS; k++) {
		enum meter_id id = (enum meter_id)t->o.meter_order[k];
		bool is_half = id == METER_MEM || id == METER_SWAP;

		if (!t->o.meters[id] || id == METER_UPTIME ||
		    id == METER_LOAD || (is_half && !t->model.has_meminfo))
			continue;
		if (half && !is_half) {
			surf_newline(s);
			half = false;
		}
		if (id == METER_CPUS && t->view != VIEW_CORES)
			meters_draw(t, s);	/* cores: each CPU has its block */
		else if (is_half) {
			memory_draw(t, s, id, half);
			if (half)
				surf_newline(s);
			half = !half;
		} else if (id == METER_TASKS) {
			totals_draw(t, s);
			surf_newline(s);
		}
	}
	if (half)
		surf_newline(s);
	return s->y - y0;
}
