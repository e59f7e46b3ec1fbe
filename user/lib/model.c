// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The model: a sample is staged beside the published one, each staged
 * thread finding its previous self by tid to turn cumulative counters into
 * rates, then ts_model_commit() groups threads into processes and CPUs,
 * counts what is new and what vanished, and publishes it all at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"
#include "model.h"

#define NS_PER_SEC	1000000000.0
#define NO_INDEX	UINT32_MAX

struct ts_model_stage {
	bool active;
	uint64_t mono_ns, real_ns, interval_ns;
	bool has_system;
	struct ts_system system;
	bool has_meminfo;
	struct ts_meminfo meminfo;
	struct ts_mthread *threads;	/* becomes model->threads */
	size_t n, cap;
	struct ts_cpu *cpus;
	size_t n_cpus, cap_cpus;
	bool has_detail;
	struct ts_thread detail;
	struct ts_process *procs;	/* process sets received, by proc_rec */
	size_t n_procs, cap_procs;
	bool has_born_after;		/* born_after is known */
	uint64_t born_after;		/* boot-time ns of the previous sample:
					 * a thread started later was born in
					 * this interval */

	/* Indexes of the published sample. */
	struct ts_idmap tids;		/* tid -> threads[] */
	struct ts_idmap tgids;		/* tgid -> processes[] */
	size_t threads_cap;		/* of model->threads */
	uint8_t *seen;			/* per published thread: staged again */
	size_t seen_cap;

	/* Exit events: exits[0 .. n_carried) came from the last commit
	 * (their threads were still dumped), the rest since.
	 */
	struct ts_event *exits;
	size_t n_exits, cap_exits, n_carried;
	bool has_exits;
	uint64_t lost;
	struct ts_idmap staged;		/* tid -> threads[], at commit */
};

void ts_model_init(struct ts_model *m)
{
	memset(m, 0, sizeof(*m));
	m->complete = true;
}

/* Free what a published sample owns, but its threads. */
static void free_published(struct ts_model *m)
{
	free(m->processes);
	free(m->by_process);
	free(m->cpus);
	free(m->by_cpu);
	free(m->vanished);
	ts_thread_release(&m->detail);
}

static void ts_model_clear(struct ts_model *m)
{
	struct ts_model_stage *st = m->stage;

	free(m->threads);
	free_published(m);
	m->threads = NULL;
	m->processes = NULL;
	m->by_process = m->by_cpu = m->vanished = NULL;
	m->cpus = NULL;
	m->n_threads = m->n_processes = m->n_cpus = 0;
	m->n_vanished = m->n_new = 0;
	m->has_detail = m->has_cpus = m->has_system = false;
	m->has_meminfo = false;
	memset(&m->totals, 0, sizeof(m->totals));
	if (st) {
		st->threads_cap = 0;
		ts_idmap_reset(&st->tids, 0);
		ts_idmap_reset(&st->tgids, 0);
	}
}

void ts_model_abort(struct ts_model *m)
{
	struct ts_model_stage *st = m->stage;

	if (!st)
		return;
	st->active = false;
	st->n = st->n_cpus = st->n_procs = 0;
	st->has_system = st->has_meminfo = false;
	if (st->has_detail)
		ts_thread_release(&st->detail);
	st->has_detail = false;
	if (st->seen)
		memset(st->seen, 0, st->seen_cap);
	/* Events of a sample that failed are gone; carried ones stay. */
	st->n_exits = st->n_carried;
	st->has_exits = false;
	st->lost = 0;
}

void ts_model_free(struct ts_model *m)
{
	struct ts_model_stage *st = m->stage;

	ts_model_clear(m);
	if (st) {
		ts_model_abort(m);
		free(st->threads);
		free(st->cpus);
		free(st->procs);
		free(st->seen);
		free(st->exits);
		ts_idmap_free(&st->staged);
		ts_idmap_free(&st->tids);
		ts_idmap_free(&st->tgids);
		free(st);
	}
	memset(m, 0, sizeof(*m));
}

int ts_model_begin(struct ts_model *m, uint64_t mono_ns, uint64_t real_ns)
{
	struct ts_model_stage *st = m->stage;

	if (!st) {
		st = calloc(1, sizeof(*st));
		if (!st) {
			errno = ENOMEM;
			return -1;
		}
		m->stage = st;
	}
	ts_model_abort(m);
	st->active = true;
	st->mono_ns = mono_ns;
	st->real_ns = real_ns;
	st->interval_ns = m->seq && mono_ns > m->mono_ns ?
			  mono_ns - m->mono_ns : 0;
	/* A recording may claim any interval; an impossible one gives no
	 * rates rather than noise or overflowing percentages.
	 */
	if (st->interval_ns < TS_INTERVAL_MIN_NS ||
	    st->interval_ns > TS_INTERVAL_MAX_NS)
		st->interval_ns = 0;
	/*
	 * Start times are boot-time ns, like the uptime SYSTEM_GET reads at
	 * the start of a sample: a thread that started after the previous
	 * sample's uptime did all its work in this interval.
	 */
	st->has_born_after = m->seq && m->has_system &&
			     ts_present(&ts_system_set, &m->system,
					THREADSTAT_A_SYSTEM_UPTIME);
	st->born_after = st->has_born_after ? m->system.uptime : 0;
	return 0;
}

void ts_model_set_system(struct ts_model *m, const struct ts_system *sys)
{
	m->stage->system = *sys;
	m->stage->has_system = true;
}

void ts_model_set_meminfo(struct ts_model *m, const struct ts_meminfo *mi)
{
	m->stage->meminfo = *mi;
	m->stage->has_meminfo = true;
}

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *nv;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	nv = realloc(*v, ncap * size);
	if (!nv) {
		errno = ENOMEM;
		return -1;
	}
	*v = nv;
	*cap = ncap;
	return 0;
}

int ts_model_add_cpu(struct ts_model *m, const struct ts_cpu *cpu)
{
	struct ts_model_stage *st = m->stage;

	if (cpu->cpu >= TS_CPUSET_WORDS * 64)
		return 0;	/* beyond what a CPU set can name */
	if (grow((void **)&st->cpus, &st->cap_cpus, st->n_cpus + 1,
		 sizeof(*st->cpus)))
		return -1;
	st->cpus[st->n_cpus++] = *cpu;
	return 0;
}

void ts_model_set_detail(struct ts_model *m, struct ts_thread *t)
{
	struct ts_model_stage *st = m->stage;

	if (st->has_detail)
		ts_thread_release(&st->detail);
	st->detail = *t;
	st->has_detail = true;
	memset(t, 0, sizeof(*t));
}

int ts_model_add_event(struct ts_model *m, const struct ts_event *ev)
{
	struct ts_model_stage *st = m->stage;

	st->has_exits = true;
	st->lost += ev->lost;
	if (ev->type != THREADSTAT_EVENT_TYPE_EXIT ||
	    !ts_present(&ts_event_set, ev, THREADSTAT_A_EVENT_TID))
		return 0;
	if (grow((void **)&st->exits, &st->cap_exits, st->n_exits + 1,
		 sizeof(*st->exits)))
		return -1;
	st->exits[st->n_exits++] = *ev;
	return 0;
}

static uint64_t delta(uint64_t now, uint64_t before)
{
	return now >= before ? now - before : 0;	/* never negative */
}

/* @part of @interval_ns in %, at most 100. */
static double share(uint64_t part, uint64_t interval_ns)
{
	double pct = 100.0 * (double)part / (double)interval_ns;

	return pct < 100.0 ? pct : 100.0;
}

/* Rates of @t against its previous self @p over @interval_ns. */
static void thread_rates(struct ts_mthread *t, const struct ts_mthread *p,
			 uint64_t interval_ns)
{
	double secs = interval_ns / NS_PER_SEC;

	/* A thread runs on one CPU at a time: at most 100%, whatever a
	 * recording claims (sampling jitter can add a little too).
	 */
	t->s.cpu_pct = share(delta(t->s.runtime, p->s.runtime), interval_ns);
	t->s.wait_pct = share(delta(t->run_delay, p->run_delay), interval_ns);
	t->s.vcsw_rate = delta(t->nvcsw, p->nvcsw) / secs;
	t->s.icsw_rate = delta(t->nivcsw, p->nivcsw) / secs;
	t->s.migr_rate = delta(t->migrations, p->migrations) / secs;
}

static void thread_from(struct ts_mthread *mt, const struct ts_thread *t)
{
	memset(mt, 0, sizeof(*mt));
	mt->s.id = t->tid;
	mt->s.tgid = t->tgid;
	mt->s.ppid = t->ppid;
	mt->s.uid = t->uid;
	mt->s.start_time = t->start_time;
	mt->s.n_threads = 1;
	memcpy(mt->s.comm, t->comm, sizeof(mt->s.comm));
	mt->s.state = '?';
	if (t->kthread)
		mt->s.flags |= TS_MF_KTHREAD;
	if (!ts_thread_has(t, THREADSTAT_A_THREAD_STATE))
		return;
	mt->s.flags |= TS_MF_SCHED;
	mt->s.state = t->state;
	mt->s.cpu = t->cpu;
	mt->s.policy = t->policy;
	mt->s.rt_priority = t->rt_priority;
	mt->s.nice = t->nice;
	mt->s.prio = t->prio;
	mt->s.runtime = t->sum_exec_runtime;
	if (t->on_cpu)
		mt->s.flags |= TS_MF_ON_CPU;
	mt->run_delay = t->run_delay;
	mt->nvcsw = t->nvcsw;
	mt->nivcsw = t->nivcsw;
	mt->migrations = t->nr_migrations;
	mt->utime = t->utime;
	mt->stime = t->stime;
	mt->min_flt = t->min_flt;
	mt->maj_flt = t->maj_flt;
	if (ts_thread_has(t, THREADSTAT_A_THREAD_LATENCY)) {
		mt->has_latency = true;
		mt->latency = t->latency;
	}
}

/* @t's run-queue waits since @p (NULL: since it was born). */
static void thread_latency(struct ts_mthread *t, const struct ts_mthread *p)
{
	struct ts_latency d;

	if (!t->has_latency)
		return;
	ts_latency_interval(p && p->has_latency ? &p->latency : NULL,
			    &t->latency, &d);
	t->s.has_lat = true;
	t->s.lat_max = d.max_wait;
	t->s.lat_p99 = ts_latency_percentile(&d, 99);
	t->s.lat_count = d.count;
	t->s.lat_sum = d.sum;
}

/* Started after the previous sample: all its counters are this interval's. */
static bool born_in_interval(const struct ts_model_stage *st,
			     const struct ts_mstat *s)
{
	return st->interval_ns && st->has_born_after &&
	       s->start_time > st->born_after;
}

/* A thread the previous sample did not have. */
static void thread_new(struct ts_model *m, struct ts_mthread *mt)
{
	static const struct ts_mthread zero;
	struct ts_model_stage *st = m->stage;

	if (!m->seq)
		return;
	mt->s.flags |= TS_MF_NEW;
	if ((mt->s.flags & TS_MF_SCHED) && born_in_interval(st, &mt->s)) {
		thread_rates(mt, &zero, st->interval_ns);
		thread_latency(mt, NULL);
	}
}

/* Keep the process set a thread carried until ts_model_commit(). */
static int keep_process(struct ts_model_stage *st, struct ts_mthread *mt,
			const struct ts_thread *t)
{
	mt->proc_rec = NO_INDEX;
	if (!(mt->s.flags & TS_MF_SCHED) ||
	    !ts_thread_has(t, THREADSTAT_A_THREAD_PROCESS))
		return 0;
	if (grow((void **)&st->procs, &st->cap_procs, st->n_procs + 1,
		 sizeof(*st->procs)))
		return -1;
	st->procs[st->n_procs] = t->process;
	mt->proc_rec = (uint32_t)st->n_procs++;
	return 0;
}

int ts_model_add_thread(struct ts_model *m, const struct ts_thread *t)
{
	struct ts_model_stage *st = m->stage;
	struct ts_mthread *mt;
	const struct ts_mthread *p;
	uint32_t i;

	if (grow((void **)&st->threads, &st->cap, st->n + 1,
		 sizeof(*st->threads)))
		return -1;
	mt = &st->threads[st->n];
	thread_from(mt, t);
	if (keep_process(st, mt, t))
		return -1;
	st->n++;
	mt->prev_cpu = mt->s.cpu;

	if (!ts_idmap_get(&st->tids, t->tid, &i) || i >= m->n_threads) {
		thread_new(m, mt);
		return 0;
	}
	p = &m->threads[i];
	st->seen[i] = 1;
	if (p->s.start_time != mt->s.start_time) {
		/* The tid was reused: another thread, counters from zero. */
		thread_new(m, mt);
		return 0;
	}
	if (!(p->s.flags & TS_MF_SCHED) || !(mt->s.flags & TS_MF_SCHED))
		return 0;
	mt->prev_cpu = p->s.cpu;
	if (mt->prev_cpu != mt->s.cpu)
		mt->s.flags |= TS_MF_HOPPED;
	/* A tomb's counters are two samples old: no rates against them. */
	if (st->interval_ns && !(p->s.flags & TS_MF_EXITED)) {
		thread_rates(mt, p, st->interval_ns);
		/* Not measured a sample ago: no interval to tell. */
		if (p->has_latency)
			thread_latency(mt, p);
	}
	return 0;
}

/*
 * Threads of the published sample that this one lacks have exited: each
 * is staged once more as a tomb with its last counters (its time is in
 * its process's exited totals now) and listed as vanished. A tomb that
 * is still missing is dropped.
 */
static int bury(struct ts_model *m, uint32_t **vanished, size_t *n_vanished)
{
	struct ts_model_stage *st = m->stage;
	size_t i, cap = 0;

	*vanished = NULL;
	*n_vanished = 0;
	for (i = 0; i < m->n_threads; i++) {
		struct ts_mthread *mt;

		if (st->seen[i] || (m->threads[i].s.flags & TS_MF_EXITED))
			continue;
		if (grow((void **)&st->threads, &st->cap, st->n + 1,
			 sizeof(*st->threads)) ||
		    grow((void **)vanished, &cap, *n_vanished + 1,
			 sizeof(**vanished)))
			return -1;
		mt = &st->threads[st->n++];
		*mt = m->threads[i];
		mt->s.flags = (mt->s.flags & (TS_MF_KTHREAD | TS_MF_SCHED)) |
			      TS_MF_EXITED;
		mt->s.state = 'X';
		mt->s.cpu_pct = mt->s.wait_pct = 0;
		mt->s.vcsw_rate = mt->s.icsw_rate = mt->s.migr_rate = 0;
		mt->s.has_lat = false;
		mt->prev_cpu = mt->s.cpu;
		mt->proc_rec = NO_INDEX;
		(*vanished)[(*n_vanished)++] = mt->s.id;
	}
	return 0;
}

/* @mt's counters become the exit event's final ones. */
static void tomb_final(const struct ts_model_stage *st, struct ts_mthread *mt,
		       const struct ts_event *e, uint64_t before)
{
	mt->s.flags |= TS_MF_FINAL | TS_MF_SCHED;
	mt->s.runtime = e->sum_exec_runtime > before ? e->sum_exec_runtime :
						       before;
	mt->exit_delta = mt->s.runtime - before;
	mt->lifetime = e->lifetime;
	mt->utime = e->utime;
	mt->stime = e->stime;
	mt->nvcsw = e->nvcsw;
	mt->nivcsw = e->nivcsw;
	mt->migrations = e->nr_migrations;
	mt->min_flt = e->min_flt;
	mt->maj_flt = e->maj_flt;
	mt->run_delay = e->run_delay;
	memcpy(mt->s.comm, e->comm, sizeof(mt->s.comm));
	/* What it used in this interval: a thread born and gone within
	 * one shows its whole life here.
	 */
	if (st->interval_ns)
		mt->s.cpu_pct = share(mt->exit_delta, st->interval_ns);
}

/*
 * A tomb for a thread this sample did not dump. Its start is in boot
 * time like the dump's: CLOCK_BOOTTIME runs ahead of CLOCK_MONOTONIC (the
 * events' clock) by the time suspended, which the sample's uptime and
 * clock tell (less than a second apart: none).
 */
static void tomb_from_event(struct ts_model *m, struct ts_mthread *mt,
			    const struct ts_event *e)
{
	struct ts_model_stage *st = m->stage;
	uint64_t start = e->time > e->lifetime ? e->time - e->lifetime : 0;
	uint32_t k;

	if (st->has_system && st->system.uptime > st->mono_ns + 1000000000ull)
		start += st->system.uptime - st->mono_ns;
	memset(mt, 0, sizeof(*mt));
	mt->s.id = e->tid;
	mt->s.tgid = e->tgid;
	mt->s.ppid = e->ppid;
	mt->s.start_time = start;
	mt->s.n_threads = 1;
	mt->s.state = 'X';
	mt->s.cpu = e->cpu;
	mt->s.flags = TS_MF_EXITED;
	mt->prev_cpu = e->cpu;
	mt->proc_rec = NO_INDEX;
	/* Kernel threads are kthreadd's children (no event says more). */
	if (e->ppid == 2 || e->tid == 2)
		mt->s.flags |= TS_MF_KTHREAD;
	if (ts_idmap_get(&st->staged, e->tgid, &k)) {
		const struct ts_mthread *leader = &st->threads[k];

		mt->s.uid = leader->s.uid;
		mt->s.flags = (uint8_t)((mt->s.flags & ~TS_MF_KTHREAD) |
					(leader->s.flags & TS_MF_KTHREAD));
	}
	tomb_final(st, mt, e, 0);
}

/* The published sample showed @tid's tomb already: its event came late. */
static bool buried_before(const struct ts_model *m, uint32_t tid)
{
	uint32_t k;

	return ts_idmap_get(&m->stage->tids, tid, &k) && k < m->n_threads &&
	       (m->threads[k].s.flags & TS_MF_EXITED);
}

/*
 * Apply the exit events: a tomb that bury() made gets the final numbers,
 * a thread no sample saw gets a tomb. An exit of a thread this sample
 * dumped alive is kept for the next commit (once); one whose tomb the
 * previous sample showed is dropped (a tomb is shown once).
 */
static int apply_exits(struct ts_model *m, size_t *n_exited)
{
	struct ts_model_stage *st = m->stage;
	size_t i, keep = 0;

	*n_exited = 0;
	if (!st->n_exits)
		return 0;
	if (ts_idmap_reset(&st->staged, st->n + st->n_exits))
		return -1;
	for (i = 0; i < st->n; i++)
		ts_idmap_put(&st->staged, st->threads[i].s.id, (uint32_t)i);
	for (i = 0; i < st->n_exits; i++) {
		const struct ts_event *e = &st->exits[i];
		struct ts_mthread *mt;
		uint32_t k;

		if (ts_idmap_get(&st->staged, e->tid, &k)) {
			mt = &st->threads[k];
			if (!(mt->s.flags & TS_MF_EXITED)) {
				if (i >= st->n_carried)
					st->exits[keep++] = *e;
				continue;
			}
			if (mt->s.flags & TS_MF_FINAL)
				continue;	/* the same exit twice */
			tomb_final(st, mt, e, mt->s.runtime);
		} else if (buried_before(m, e->tid)) {
			continue;
		} else {
			if (grow((void **)&st->threads, &st->cap, st->n + 1,
				 sizeof(*st->threads)))
				return -1;
			mt = &st->threads[st->n];
			tomb_from_event(m, mt, e);
			ts_idmap_put(&st->staged, e->tid, (uint32_t)st->n++);
		}
		(*n_exited)++;
	}
	st->n_carried = keep;
	return 0;
}

/*
 * Fold thread @t into process @p; the leader names the process. Tombs are
 * grouped with it but add nothing: their time is in the exited totals.
 */
static void process_add(struct ts_mprocess *p, const struct ts_mthread *t,
			const struct ts_process *proc)
{
	bool leader = t->s.id == t->s.tgid;

	if (proc && (!p->has_process || leader)) {
		p->has_process = true;
		p->proc = *proc;
	}
	if (leader || !p->n_threads) {
		struct ts_mstat sum = p->s;

		p->s = t->s;
		p->s.id = t->s.tgid;
		p->s.runtime = sum.runtime;
		p->s.cpu_pct = sum.cpu_pct;
		p->s.wait_pct = sum.wait_pct;
		p->s.vcsw_rate = sum.vcsw_rate;
		p->s.icsw_rate = sum.icsw_rate;
		p->s.migr_rate = sum.migr_rate;
		p->s.n_threads = sum.n_threads;
		p->s.has_lat = false;	/* a thread's only */
		p->s.flags = (t->s.flags & (TS_MF_KTHREAD | TS_MF_NEW |
					    TS_MF_SCHED)) |
			     (sum.flags & TS_MF_ON_CPU);
		p->s.state = sum.n_threads ? sum.state : '?';
	}
	p->n_threads++;
	if (t->s.flags & TS_MF_EXITED) {
		p->exit_delta += t->exit_delta;
		return;
	}
	p->s.runtime += t->s.runtime;
	p->s.cpu_pct += t->s.cpu_pct;
	p->s.wait_pct += t->s.wait_pct;
	p->s.vcsw_rate += t->s.vcsw_rate;
	p->s.icsw_rate += t->s.icsw_rate;
	p->s.migr_rate += t->s.migr_rate;
	p->nvcsw += t->nvcsw;
	p->nivcsw += t->nivcsw;
	if (t->s.flags & TS_MF_ON_CPU)
		p->s.flags |= TS_MF_ON_CPU;
	/* A process is as awake as its busiest thread: R, then D. */
	if (!p->s.n_threads || t->s.state == 'R' ||
	    (t->s.state == 'D' && p->s.state != 'R') ||
	    (leader && p->s.state != 'R' && p->s.state != 'D'))
		p->s.state = t->s.state;
	p->s.n_threads++;
}

/* The same process a sample ago (found through its leader), or NULL. */
static const struct ts_mprocess *process_before(const struct ts_model *m,
						const struct ts_mprocess *p)
{
	const struct ts_mprocess *prev;
	uint32_t i;

	if (!ts_idmap_get(&m->stage->tids, p->s.id, &i) || i >= m->n_threads ||
	    m->threads[i].process >= m->n_processes)
		return NULL;
	prev = &m->processes[m->threads[i].process];
	if (prev->s.id != p->s.id || prev->s.start_time != p->s.start_time ||
	    (prev->s.flags & TS_MF_EXITED))
		return NULL;
	return prev;
}

/*
 * A process's TIME and switches: the kernel's one-instant sum when the
 * module sends it; else (an older module, a recording, the /proc source)
 * the live threads of this sample plus the exited totals, which a thread
 * exiting while the dump runs can escape.
 */
static void process_totals(struct ts_mprocess *p)
{
	const struct ts_process *q = &p->proc;

	if (ts_present(&ts_process_set, q,
		       THREADSTAT_A_PROCESS_SUM_EXEC_RUNTIME) &&
	    ts_present(&ts_process_set, q, THREADSTAT_A_PROCESS_NVCSW) &&
	    ts_present(&ts_process_set, q, THREADSTAT_A_PROCESS_NIVCSW)) {
		p->s.runtime = q->sum_exec_runtime;
		p->nvcsw = q->nvcsw;
		p->nivcsw = q->nivcsw;
		return;
	}
	p->s.runtime += q->exited_sum_exec_runtime;
	p->nvcsw += q->exited_nvcsw;
	p->nivcsw += q->exited_nivcsw;
}

/*
 * Exact totals and rates from the process set: TIME and the switches
 * include the threads that have exited, and the rates are the deltas of
 * those totals, so a worker born and gone within one interval counts.
 * A process without live threads is a tomb, shown once with its last TIME.
 */
static void process_finish(struct ts_model *m, struct ts_mprocess *p)
{
	static const struct ts_mprocess zero;
	const struct ts_mprocess *prev = process_before(m, p);
	const struct ts_mprocess *base = prev;
	uint64_t interval = m->stage->interval_ns;

	if (!p->s.n_threads) {
		p->s.flags = (p->s.flags & (TS_MF_KTHREAD | TS_MF_SCHED)) |
			     TS_MF_EXITED;
		p->s.state = 'X';
		if (prev) {
			p->s.runtime = prev->s.runtime;
			p->has_process = prev->has_process;
			p->proc = prev->proc;
		}
		/* Its threads' exit events tell what it used since. */
		p->s.runtime += p->exit_delta;
		if (interval)
			p->s.cpu_pct = share(p->exit_delta, interval);
		return;
	}
	if (!p->has_process)
		return;
	process_totals(p);
	if (!prev && born_in_interval(m->stage, &p->s))
		base = &zero;
	if (!interval || !base || (base != &zero && !base->has_process))
		return;
	p->s.cpu_pct = 100.0 * delta(p->s.runtime, base->s.runtime) / interval;
	p->s.vcsw_rate = delta(p->nvcsw, base->nvcsw) / (interval / NS_PER_SEC);
	p->s.icsw_rate = delta(p->nivcsw, base->nivcsw) /
			 (interval / NS_PER_SEC);
}

/*
 * htop's RES, SHR and VIRT from the process set: only with an mm (the
 * module leaves the fields out for kernel threads) and only when the set
 * came at all (an older module or recording: absent, not zero).
 */
static void process_mem(const struct ts_model_stage *st,
			struct ts_mprocess *p)
{
	const struct ts_process *q = &p->proc;

	p->s.flags &= (uint8_t)~TS_MF_MEM;
	p->s.res = p->s.shr = p->s.virt = 0;
	p->s.mem_pct = -1;
	if (!p->has_process ||
	    !ts_present(&ts_process_set, q, THREADSTAT_A_PROCESS_VM_SIZE) ||
	    !ts_present(&ts_process_set, q, THREADSTAT_A_PROCESS_RSS_ANON) ||
	    !ts_present(&ts_process_set, q, THREADSTAT_A_PROCESS_RSS_FILE) ||
	    !ts_present(&ts_process_set, q, THREADSTAT_A_PROCESS_RSS_SHMEM))
		return;
	p->s.flags |= TS_MF_MEM;
	p->s.shr = q->rss_file + q->rss_shmem;
	p->s.res = q->rss_anon + p->s.shr;
	p->s.virt = q->vm_size;
	if (st->has_meminfo && st->meminfo.mem_total)
		p->s.mem_pct = 100.0 * (double)p->s.res /
			       (double)st->meminfo.mem_total;
}

static void thread_mem(struct ts_mthread *t, const struct ts_mprocess *p)
{
	t->s.flags = (uint8_t)((t->s.flags & ~TS_MF_MEM) |
			       (p->s.flags & TS_MF_MEM));
	t->s.res = p->s.res;
	t->s.shr = p->s.shr;
	t->s.virt = p->s.virt;
	t->s.mem_pct = p->s.mem_pct;
}

static int build_processes(struct ts_model *m, struct ts_mthread *threads,
			   size_t n, struct ts_mprocess **out, size_t *n_out,
			   uint32_t **by_process)
{
	struct ts_model_stage *st = m->stage;
	struct ts_mprocess *procs;
	uint32_t *fill, *order;
	size_t i, np = 0;
	uint32_t pi;

	procs = calloc(n ? n : 1, sizeof(*procs));
	order = malloc((n ? n : 1) * sizeof(*order));
	if (!procs || !order || ts_idmap_reset(&st->tgids, n))
		goto oom;
	for (i = 0; i < n; i++) {
		if (!ts_idmap_get(&st->tgids, threads[i].s.tgid, &pi)) {
			pi = (uint32_t)np++;
			ts_idmap_put(&st->tgids, threads[i].s.tgid, pi);
		}
		threads[i].process = pi;
		process_add(&procs[pi], &threads[i],
			    threads[i].proc_rec == NO_INDEX ? NULL :
			    &st->procs[threads[i].proc_rec]);
	}
	for (i = 0; i < np; i++) {
		process_finish(m, &procs[i]);
		process_mem(st, &procs[i]);
	}
	for (i = 0; i < n; i++)
		thread_mem(&threads[i], &procs[threads[i].process]);
	/* Each process's threads, contiguous, in dump order. */
	fill = calloc(np ? np : 1, sizeof(*fill));
	if (!fill)
		goto oom;
	for (i = 0, pi = 0; i < np; pi += procs[i].n_threads, i++)
		procs[i].first = pi;
	for (i = 0; i < n; i++) {
		struct ts_mprocess *p = &procs[threads[i].process];

		order[p->first + fill[threads[i].process]++] = (uint32_t)i;
	}
	free(fill);
	if (np && np < n)
		procs = realloc(procs, np * sizeof(*procs)) ?: procs;
	*out = procs;
	*n_out = np;
	*by_process = order;
	return 0;
oom:
	free(procs);
	free(order);
	errno = ENOMEM;
	return -1;
}

static void cpu_rates(struct ts_mcpu *c, const struct ts_cpu *p)
{
	const struct ts_cpu *d = &c->data;
	uint64_t user = delta(d->user, p->user) + delta(d->nice, p->nice);
	uint64_t sys = delta(d->system, p->system);
	uint64_t irq = delta(d->irq, p->irq) + delta(d->softirq, p->softirq);
	uint64_t steal = delta(d->steal, p->steal);
	uint64_t idle = delta(d->idle, p->idle) + delta(d->iowait, p->iowait);
	/* ts_cpu_total_ns()'s states, each delta clamped: nohz idle time
	 * may step back a little, and one bad counter must not void all.
	 */
	uint64_t total = user + sys + irq + steal + idle;

	if (!total)
		return;
	c->has_rates = true;
	c->user_pct = 100.0 * user / total;
	c->system_pct = 100.0 * sys / total;
	c->irq_pct = 100.0 * irq / total;
	c->steal_pct = 100.0 * steal / total;
	c->idle_pct = 100.0 * idle / total;
}

static int busiest_first(const void *a, const void *b, void *arg)
{
	const struct ts_mthread *threads = arg;
	const struct ts_mthread *x = &threads[*(const uint32_t *)a];
	const struct ts_mthread *y = &threads[*(const uint32_t *)b];

	if (x->s.cpu_pct != y->s.cpu_pct)
		return x->s.cpu_pct > y->s.cpu_pct ? -1 : 1;
	return x->s.id < y->s.id ? -1 : x->s.id > y->s.id;
}

/* A tomb ran nowhere: it is on no CPU's list. */
static bool ran_in_interval(const struct ts_mthread *t, uint32_t running)
{
	return (t->s.flags & TS_MF_SCHED) && !(t->s.flags & TS_MF_EXITED) &&
	       (t->s.cpu_pct > 0 || (t->s.flags & TS_MF_ON_CPU) ||
		t->s.id == running);
}

/* A thread's waits in the interval, counted on @c. */
static void cpu_latency(struct ts_mcpu *c, const struct ts_mstat *t)
{
	if (!t->has_lat)
		return;
	c->has_lat = true;
	c->lat_count += t->lat_count;
	c->lat_sum += t->lat_sum;
	if (t->lat_max > c->lat_max)
		c->lat_max = t->lat_max;
}

static int build_cpus(struct ts_model *m, const struct ts_mthread *threads,
		      size_t n, struct ts_mcpu **out, size_t *n_out,
		      uint32_t **by_cpu)
{
	struct ts_model_stage *st = m->stage;
	size_t nc = 0, i, at = 0;
	struct ts_mcpu *cpus;
	uint32_t *order;

	for (i = 0; i < st->n_cpus; i++)
		if (st->cpus[i].cpu + 1 > nc)
			nc = st->cpus[i].cpu + 1;
	for (i = 0; i < n; i++)
		if ((threads[i].s.flags & TS_MF_SCHED) &&
		    threads[i].s.cpu < TS_CPUSET_WORDS * 64 &&
		    threads[i].s.cpu + 1 > nc)
			nc = threads[i].s.cpu + 1;
	cpus = calloc(nc ? nc : 1, sizeof(*cpus));
	order = malloc((n ? n : 1) * sizeof(*order));
	if (!cpus || !order) {
		free(cpus);
		free(order);
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < nc; i++)
		cpus[i].cpu = (uint32_t)i;
	for (i = 0; i < st->n_cpus; i++) {
		struct ts_mcpu *c = &cpus[st->cpus[i].cpu];

		c->has_data = true;
		c->data = st->cpus[i];
		if (ts_present(&ts_cpu_set, &c->data, THREADSTAT_A_CPU_CURR_TID))
			c->running_tid = c->data.curr_tid;
		if (st->interval_ns && c->cpu < m->n_cpus &&
		    m->cpus[c->cpu].has_data)
			cpu_rates(c, &m->cpus[c->cpu].data);
	}
	for (i = 0; i < n; i++)
		if ((threads[i].s.flags & TS_MF_ON_CPU) &&
		    threads[i].s.cpu < nc && !cpus[threads[i].s.cpu].has_data)
			cpus[threads[i].s.cpu].running_tid = threads[i].s.id;
	/* Counting sort by CPU, then busiest first within each. */
	for (i = 0; i < n; i++)
		if (threads[i].s.cpu < nc &&
		    ran_in_interval(&threads[i],
				    cpus[threads[i].s.cpu].running_tid))
			cpus[threads[i].s.cpu].count++;
	for (i = 0; i < nc; i++) {
		cpus[i].first = (uint32_t)at;
		at += cpus[i].count;
		cpus[i].count = 0;
	}
	for (i = 0; i < n; i++) {
		struct ts_mcpu *c;

		if (threads[i].s.cpu >= nc)
			continue;
		c = &cpus[threads[i].s.cpu];
		if (!ran_in_interval(&threads[i], c->running_tid))
			continue;
		order[c->first + c->count++] = (uint32_t)i;
		cpu_latency(c, &threads[i].s);
	}
	for (i = 0; i < nc; i++)
		qsort_r(order + cpus[i].first, cpus[i].count, sizeof(*order),
			busiest_first, (void *)threads);
	*out = cpus;
	*n_out = nc;
	*by_cpu = order;
	return 0;
}

static void count_totals(struct ts_model *m)
{
	struct ts_totals *t = &m->totals;
	size_t i;

	memset(t, 0, sizeof(*t));
	/* Tombs are gone: not counted. Processes' CPU% holds exited time. */
	for (i = 0; i < m->n_processes; i++) {
		if (m->processes[i].s.flags & TS_MF_EXITED)
			continue;
		t->processes++;
		t->cpu_pct += m->processes[i].s.cpu_pct;
	}
	for (i = 0; i < m->n_threads; i++) {
		if (m->threads[i].s.flags & TS_MF_EXITED)
			continue;
		t->threads++;
		t->running += m->threads[i].s.state == 'R';
		t->blocked += m->threads[i].s.state == 'D';
	}
	if (!m->has_system)
		return;
	/* The kernel's own counts cover threads the dump could not see. */
	t->from_system = true;
	if (ts_present(&ts_system_set, &m->system,
		       THREADSTAT_A_SYSTEM_NR_PROCESSES))
		t->processes = m->system.nr_processes;
	if (ts_present(&ts_system_set, &m->system, THREADSTAT_A_SYSTEM_NR_THREADS))
		t->threads = m->system.nr_threads;
	if (ts_present(&ts_system_set, &m->system, THREADSTAT_A_SYSTEM_NR_RUNNING))
		t->running = m->system.nr_running;
	if (ts_present(&ts_system_set, &m->system, THREADSTAT_A_SYSTEM_NR_BLOCKED))
		t->blocked = m->system.nr_blocked;
	if (ts_present(&ts_system_set, &m->system, THREADSTAT_A_SYSTEM_LOAD_1)) {
		t->has_load = true;
		t->load[0] = m->system.load_1;
		t->load[1] = m->system.load_5;
		t->load[2] = m->system.load_15;
	}
	if (ts_present(&ts_system_set, &m->system, THREADSTAT_A_SYSTEM_UPTIME))
		t->uptime_ns = m->system.uptime;
}

int ts_model_commit(struct ts_model *m, bool complete)
{
	struct ts_model_stage *st = m->stage;
	struct ts_mprocess *procs = NULL;
	struct ts_mcpu *cpus = NULL;
	uint32_t *vanished = NULL, *by_process = NULL, *by_cpu = NULL;
	size_t n_vanished, np = 0, nc = 0, i, n_new = 0, n_exited = 0;
	struct ts_mthread *old = m->threads;

	if (!st || !st->active) {
		errno = EINVAL;
		return -1;
	}
	if (bury(m, &vanished, &n_vanished) ||
	    apply_exits(m, &n_exited) ||
	    build_processes(m, st->threads, st->n, &procs, &np, &by_process) ||
	    build_cpus(m, st->threads, st->n, &cpus, &nc, &by_cpu) ||
	    ts_idmap_reset(&st->tids, st->n) ||
	    grow((void **)&st->seen, &st->seen_cap, st->n, 1))
		goto oom;
	for (i = 0; i < st->n; i++) {
		ts_idmap_put(&st->tids, st->threads[i].s.id, (uint32_t)i);
		n_new += !!(st->threads[i].s.flags & TS_MF_NEW);
	}
	memset(st->seen, 0, st->seen_cap);
	free_published(m);

	/* The old thread array becomes the next sample's staging area. */
	m->threads = st->threads;
	m->n_threads = st->n;
	st->threads = old;
	i = st->cap;
	st->cap = st->threads_cap;
	st->threads_cap = i;
	st->n = 0;

	m->processes = procs;
	m->n_processes = np;
	m->by_process = by_process;
	m->cpus = cpus;
	m->n_cpus = nc;
	m->by_cpu = by_cpu;
	m->has_cpus = st->n_cpus > 0;
	m->vanished = vanished;
	m->n_vanished = n_vanished;
	m->n_new = n_new;
	m->has_exits = st->has_exits;
	m->n_exited = n_exited;
	m->events_lost = st->lost;
	/* Only the carried exits stay staged. */
	st->n_exits = st->n_carried;
	st->has_exits = false;
	st->lost = 0;
	m->has_system = st->has_system;
	m->system = st->system;
	m->has_meminfo = st->has_meminfo;
	m->meminfo = st->meminfo;
	m->has_detail = st->has_detail;
	m->detail = st->detail;
	memset(&st->detail, 0, sizeof(st->detail));
	st->has_detail = false;
	m->mono_ns = st->mono_ns;
	m->real_ns = st->real_ns;
	m->interval_ns = st->interval_ns;
	m->complete = complete;
	m->seq++;
	st->n_cpus = 0;
	st->has_system = st->has_meminfo = false;
	st->active = false;
	count_totals(m);
	return 0;

oom:
	free(vanished);
	free(procs);
	free(by_process);
	free(cpus);
	free(by_cpu);
	ts_model_abort(m);
	ts_model_clear(m);
	m->seq = 0;
	errno = ENOMEM;
	return -1;
}

/* Where @id is in the published threads (or processes); NO_INDEX if not. */
static uint32_t find(const struct ts_model *m, bool process, uint32_t id)
{
	uint32_t i;

	if (!m->stage ||
	    !ts_idmap_get(process ? &m->stage->tgids : &m->stage->tids, id, &i))
		return NO_INDEX;
	return i < (process ? m->n_processes : m->n_threads) ? i : NO_INDEX;
}

const struct ts_mthread *ts_model_thread(const struct ts_model *m,
					 uint32_t tid)
{
	uint32_t i = find(m, false, tid);

	return i == NO_INDEX ? NULL : &m->threads[i];
}

const struct ts_mprocess *ts_model_process(const struct ts_model *m,
					   uint32_t tgid)
{
	uint32_t i = find(m, true, tgid);

	return i == NO_INDEX ? NULL : &m->processes[i];
}
