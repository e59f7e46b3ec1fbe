// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Metric families: names, units and labels (Prometheus conventions: base
 * units, _seconds_total, _total), for the groups, the processes by name
 * and the CPUs of one scrape. What does not fit under the series cap is
 * dropped whole, CPUs first kept, then groups in creation order (so the
 * series that exist keep existing, rather than flapping with activity),
 * then process names; the dropped series are counted.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"

#define EX_GROUP_COUNTERS	EX_COUNTERS
#define EX_MEM_KINDS		5

/* ---- processes, aggregated by the labels the groups use ---- */

struct proc_agg {
	const struct ts_mprocess *first;	/* its labels */
	uint32_t processes, threads;
	bool has_mem;
	uint64_t mem[EX_MEM_KINDS];
};

static const char *const mem_kinds[EX_MEM_KINDS] = {
	"resident_anon", "resident_file", "resident_shmem", "virtual", "swap",
};

static unsigned int proc_by;	/* for the qsort comparison */

static int proc_cmp(const void *a, const void *b)
{
	const struct ts_mprocess *p = *(const struct ts_mprocess *const *)a;
	const struct ts_mprocess *q = *(const struct ts_mprocess *const *)b;
	int c = 0;

	if (proc_by & EX_BY_COMM)
		c = memcmp(p->s.comm, q->s.comm, sizeof(p->s.comm));
	if (!c && (proc_by & EX_BY_TID))
		c = (p->s.id > q->s.id) - (p->s.id < q->s.id);
	return c;
}

/* Aggregates of the model's live processes; NULL when out of memory. */
static struct proc_agg *procs_aggregate(const struct ts_model *m,
					unsigned int by, size_t *n_out)
{
	const struct ts_mprocess **v;
	struct proc_agg *a;
	size_t i, n = 0, k = 0;

	v = malloc((m->n_processes + 1) * sizeof(*v));
	a = calloc(m->n_processes + 1, sizeof(*a));
	if (!v || !a) {
		free(v);
		free(a);
		return NULL;
	}
	for (i = 0; i < m->n_processes; i++)
		if (!(m->processes[i].s.flags & TS_MF_EXITED))
			v[n++] = &m->processes[i];
	proc_by = by & (EX_BY_COMM | EX_BY_TID);
	qsort(v, n, sizeof(*v), proc_cmp);
	for (i = 0; i < n; i++) {
		const struct ts_mprocess *p = v[i];
		const struct ts_process *e = &p->proc;
		struct proc_agg *g;

		if (!k || proc_cmp(&a[k - 1].first, &v[i]))
			a[k++].first = p;
		g = &a[k - 1];
		g->processes++;
		g->threads += p->s.n_threads;
		if (!p->has_process ||
		    !ts_present(&ts_process_set, e, THREADSTAT_A_PROCESS_VM_SIZE))
			continue;
		g->has_mem = true;
		g->mem[0] += e->rss_anon;
		g->mem[1] += e->rss_file;
		g->mem[2] += e->rss_shmem;
		g->mem[3] += e->vm_size;
		g->mem[4] += e->swap;
	}
	free(v);
	*n_out = k;
	return a;
}

/* ---- what fits under the cap ---- */

struct plan {
	const struct ts_model *m;
	const struct ex_groups *g;
	struct proc_agg *procs;
	size_t n_procs;
	uint8_t *keep_cpu, *keep_group, *keep_proc;
	size_t series, dropped;
};

/* Per CPU: 8 modes, online, runnable, threads, running tid. */
#define EX_CPU_SERIES	12

static size_t group_series(const struct ex_group *gr)
{
	size_t n = EX_GROUP_COUNTERS;
	int s;

	for (s = 0; s < EX_STATES; s++)
		n += gr->states[s] != 0;
	return n;
}

static size_t proc_series(const struct proc_agg *p)
{
	return 2 + (p->has_mem ? EX_MEM_KINDS : 0);
}

static void take(struct plan *pl, uint8_t *keep, size_t n, size_t max)
{
	if (pl->series + n <= max) {
		*keep = 1;
		pl->series += n;
	} else {
		pl->dropped += n;
	}
}

static int plan_make(struct plan *pl, size_t max)
{
	const struct ts_model *m = pl->m;
	size_t i;

	pl->procs = procs_aggregate(m, pl->g->by, &pl->n_procs);
	pl->keep_cpu = calloc(m->n_cpus + 1, 1);
	pl->keep_group = calloc(pl->g->n + 1, 1);
	pl->keep_proc = calloc(pl->n_procs + 1, 1);
	if (!pl->procs || !pl->keep_cpu || !pl->keep_group || !pl->keep_proc)
		return -1;
	for (i = 0; i < m->n_cpus; i++)
		if (m->cpus[i].has_data)
			take(pl, &pl->keep_cpu[i], EX_CPU_SERIES, max);
	for (i = 0; i < pl->g->n; i++)
		take(pl, &pl->keep_group[i], group_series(&pl->g->v[i]), max);
	for (i = 0; i < pl->n_procs; i++)
		take(pl, &pl->keep_proc[i], proc_series(&pl->procs[i]), max);
	return 0;
}

static void plan_free(struct plan *pl)
{
	free(pl->procs);
	free(pl->keep_cpu);
	free(pl->keep_group);
	free(pl->keep_proc);
}

/* ---- families ---- */

static void group_labels(struct ex_writer *w, unsigned int by,
			 const struct ex_group *gr)
{
	ex_sample_begin(w);
	if (by & EX_BY_COMM)
		ex_label(w, "process", gr->process,
			 strnlen(gr->process, sizeof(gr->process)));
	if (by & EX_BY_THREAD)
		ex_label(w, "thread", gr->thread,
			 strnlen(gr->thread, sizeof(gr->thread)));
	if (by & EX_BY_TID) {
		ex_label_u32(w, "pid", gr->pid);
		ex_label_u32(w, "tid", gr->tid);
	}
}

/* A counter family over the groups: @k, or @k and @k + 1 by @label. */
static void group_counter(struct ex_writer *w, const struct plan *pl,
			  const char *name, const char *help,
			  enum ex_counter k, const char *label,
			  const char *const *values, bool ns)
{
	size_t i;
	int j;

	ex_family(w, name, true, ns ? "seconds" : NULL, help);
	for (i = 0; i < pl->g->n; i++) {
		const struct ex_group *gr = &pl->g->v[i];

		if (!pl->keep_group[i])
			continue;
		for (j = 0; j < (label ? 2 : 1); j++) {
			uint64_t v = gr->live[k + j] + gr->gone[k + j];

			group_labels(w, pl->g->by, gr);
			if (label)
				ex_label(w, label, values[j],
					 strlen(values[j]));
			if (ns)
				ex_sample_ns(w, v);
			else
				ex_sample_u64(w, v);
		}
	}
}

static void groups_write(struct ex_writer *w, const struct plan *pl)
{
	static const char *const modes[] = { "user", "system" };
	static const char *const csw[] = { "voluntary", "involuntary" };
	static const char *const faults[] = { "minor", "major" };
	size_t i;
	int s;

	group_counter(w, pl, "threadstat_thread_cpu_seconds_total",
		      "CPU time of the group's threads, live and exited, by mode.",
		      EX_UTIME, "mode", modes, true);
	group_counter(w, pl, "threadstat_thread_context_switches_total",
		      "Context switches of the group's threads, live and exited.",
		      EX_NVCSW, "type", csw, false);
	group_counter(w, pl, "threadstat_thread_migrations_total",
		      "CPU migrations of the group's threads (of exited ones up to their last scrape).",
		      EX_MIGRATIONS, NULL, NULL, false);
	group_counter(w, pl, "threadstat_thread_run_delay_seconds_total",
		      "Time the group's threads waited on a run queue (of exited ones up to their last scrape).",
		      EX_RUN_DELAY, NULL, NULL, true);
	group_counter(w, pl, "threadstat_thread_page_faults_total",
		      "Page faults of the group's threads, live and exited.",
		      EX_MIN_FLT, "fault", faults, false);

	ex_family(w, "threadstat_threads", false, NULL,
		  "Live threads of the group by state.");
	for (i = 0; i < pl->g->n; i++) {
		const struct ex_group *gr = &pl->g->v[i];

		if (!pl->keep_group[i])
			continue;
		for (s = 0; s < EX_STATES; s++) {
			const char *name = ex_state_name((enum ex_state)s);

			if (!gr->states[s])
				continue;
			group_labels(w, pl->g->by, gr);
			ex_label(w, "state", name, strlen(name));
			ex_sample_u64(w, gr->states[s]);
		}
	}
}

static void proc_labels(struct ex_writer *w, unsigned int by,
			const struct proc_agg *p)
{
	ex_sample_begin(w);
	if (by & EX_BY_COMM)
		ex_label(w, "process", p->first->s.comm,
			 strnlen(p->first->s.comm, sizeof(p->first->s.comm)));
	if (by & EX_BY_TID)
		ex_label_u32(w, "pid", p->first->s.id);
}

/* A gauge per kept process aggregate: the u32 at @off in it. */
static void proc_count(struct ex_writer *w, const struct plan *pl,
		       const char *name, const char *help, size_t off)
{
	size_t i;
	uint32_t v;

	ex_family(w, name, false, NULL, help);
	for (i = 0; i < pl->n_procs; i++)
		if (pl->keep_proc[i]) {
			memcpy(&v, (const char *)&pl->procs[i] + off, sizeof(v));
			proc_labels(w, pl->g->by, &pl->procs[i]);
			ex_sample_u64(w, v);
		}
}

static void procs_write(struct ex_writer *w, const struct plan *pl)
{
	unsigned int by = pl->g->by;
	size_t i;
	int k;

	proc_count(w, pl, "threadstat_processes",
		   "Live processes (of this name, with --group-by comm).",
		   offsetof(struct proc_agg, processes));
	proc_count(w, pl, "threadstat_process_threads",
		   "Live threads of these processes.",
		   offsetof(struct proc_agg, threads));
	ex_family(w, "threadstat_process_memory_bytes", false, "bytes",
		  "Memory of these processes, as /proc/PID/status counts it.");
	for (i = 0; i < pl->n_procs; i++) {
		if (!pl->keep_proc[i] || !pl->procs[i].has_mem)
			continue;
		for (k = 0; k < EX_MEM_KINDS; k++) {
			proc_labels(w, by, &pl->procs[i]);
			ex_label(w, "memtype", mem_kinds[k],
				 strlen(mem_kinds[k]));
			ex_sample_u64(w, pl->procs[i].mem[k]);
		}
	}
}

static void cpu_label(struct ex_writer *w, const struct ts_mcpu *c)
{
	ex_sample_begin(w);
	ex_label_u32(w, "cpu", c->cpu);
}

static uint64_t cpu_online(const struct ts_cpu *d)
{
	return d->online;
}

static uint64_t cpu_runnable(const struct ts_cpu *d)
{
	return d->nr_running;
}

static uint64_t cpu_threads(const struct ts_cpu *d)
{
	return d->nr_threads;
}

static uint64_t cpu_running(const struct ts_cpu *d)
{
	return ts_present(&ts_cpu_set, d, THREADSTAT_A_CPU_CURR_TID) ?
	       d->curr_tid : 0;
}

/* A gauge per kept CPU. */
static void cpu_gauge(struct ex_writer *w, const struct plan *pl,
		      const char *name, const char *help,
		      uint64_t (*value)(const struct ts_cpu *d))
{
	size_t i;

	ex_family(w, name, false, NULL, help);
	for (i = 0; i < pl->m->n_cpus; i++)
		if (pl->keep_cpu[i]) {
			cpu_label(w, &pl->m->cpus[i]);
			ex_sample_u64(w, value(&pl->m->cpus[i].data));
		}
}

static void cpus_write(struct ex_writer *w, const struct plan *pl)
{
	static const char *const modes[8] = {
		"user", "nice", "system", "idle", "iowait", "irq", "softirq",
		"steal",
	};
	const struct ts_model *m = pl->m;
	size_t i;
	int k;

	ex_family(w, "threadstat_cpu_seconds_total", true, "seconds",
		  "Time each CPU spent in each mode since boot, as /proc/stat.");
	for (i = 0; i < m->n_cpus; i++) {
		const struct ts_cpu *d = &m->cpus[i].data;
		const uint64_t v[8] = { d->user, d->nice, d->system, d->idle,
					d->iowait, d->irq, d->softirq,
					d->steal };

		if (!pl->keep_cpu[i])
			continue;
		for (k = 0; k < 8; k++) {
			cpu_label(w, &m->cpus[i]);
			ex_label(w, "mode", modes[k], strlen(modes[k]));
			ex_sample_ns(w, v[k]);
		}
	}
	cpu_gauge(w, pl, "threadstat_cpu_online", "1 if the CPU is online.",
		  cpu_online);
	cpu_gauge(w, pl, "threadstat_cpu_runnable_threads",
		  "Threads runnable on the CPU (its run queue, the running one included).",
		  cpu_runnable);
	cpu_gauge(w, pl, "threadstat_cpu_threads",
		  "Threads whose last CPU this is, running or not.",
		  cpu_threads);
	cpu_gauge(w, pl, "threadstat_cpu_running_tid",
		  "Thread id running on the CPU when scraped; 0 when it idles.",
		  cpu_running);
}

/* One unlabelled sample of the exporter's own. */
static void self_metric(struct ex_writer *w, const char *name, bool counter,
			const char *help, uint64_t v)
{
	ex_family(w, name, counter, NULL, help);
	ex_sample_begin(w);
	ex_sample_u64(w, v);
}

static void self_write(struct ex_writer *w, const struct ex_stats *st,
		       size_t groups, size_t series)
{
	self_metric(w, "threadstat_exporter_series_dropped_total", true,
		    "Series left out because of --max-series, summed over scrapes.",
		    st->dropped);
	self_metric(w, "threadstat_exporter_scrapes_total", true,
		    "Scrapes answered since the exporter started.",
		    st->scrapes);
	self_metric(w, "threadstat_exporter_dumps_interrupted_total", true,
		    "Dumps the kernel flagged: threads created during them may be missing.",
		    st->interrupted);
	ex_family(w, "threadstat_exporter_collect_seconds", false, "seconds",
		  "Time this scrape's dump and grouping took.");
	ex_sample_begin(w);
	ex_sample_ns(w, st->collect_ns);
	self_metric(w, "threadstat_exporter_groups", false,
		    "Thread groups the exporter keeps (with threads, or idle less than 5 minutes).",
		    groups);
	self_metric(w, "threadstat_exporter_series", false,
		    "Series written by this scrape, the exporter's own aside.",
		    series);
}

void ex_metrics_write(struct ex_writer *w, const struct ts_model *m,
		      const struct ex_groups *g, size_t max_series,
		      struct ex_stats *st)
{
	struct plan pl = { .m = m, .g = g };

	if (plan_make(&pl, max_series)) {
		w->out->oom = true;
		plan_free(&pl);
		return;
	}
	st->dropped += pl.dropped;
	if (m->has_cpus)
		cpus_write(w, &pl);
	groups_write(w, &pl);
	procs_write(w, &pl);
	self_write(w, st, g->n, pl.series);
	ex_finish(w);
	plan_free(&pl);
}
