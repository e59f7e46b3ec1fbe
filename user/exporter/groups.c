// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Threads grouped for export, with counters that never go backwards while
 * threads come and go.
 *
 * A group's value is live + gone. live is recomputed each scrape from the
 * threads in the group; gone only grows:
 *  - a thread of the last scrape that is missing now has exited: what it
 *    had brought to its group (last - base) moves to gone;
 *  - a thread that changed group (renamed, or its process exec'ed a new
 *    name) leaves what it brought in the old group's gone and brings only
 *    what it does from then on (base = its values at the move);
 *  - what threads did after the last scrape before they exited, and the
 *    whole life of threads born and dead between two scrapes, is known
 *    only per process, from the module's exited totals: the growth of a
 *    process's exited totals beyond the last values of its vanished
 *    threads goes to the groups of those threads (else of its threads
 *    first seen now, else of its leader), shared by number of threads.
 *    The process's own total is thus exact; its split among thread names
 *    is exact for the threads any scrape saw.
 * Migrations and run-queue delay have no per-process exited totals: a
 * thread's count up to its last scrape is kept, what it did after is not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"

#define NO_GROUP UINT32_MAX

void ex_groups_init(struct ex_groups *g, unsigned int by, uint64_t idle_ns)
{
	memset(g, 0, sizeof(*g));
	g->by = by;
	g->idle_ns = idle_ns;
}

void ex_groups_free(struct ex_groups *g)
{
	free(g->v);
	free(g->slots);
	free(g->threads);
	free(g->procs);
	ts_idmap_free(&g->tid_map);
	ts_idmap_free(&g->proc_map);
	memset(g, 0, sizeof(*g));
}

enum ex_state ex_state_of(char state)
{
	switch (state) {
	case 'R': return EX_ST_RUNNING;
	case 'S': return EX_ST_SLEEPING;
	case 'D': return EX_ST_UNINTERRUPTIBLE;
	case 'T': return EX_ST_STOPPED;
	case 't': return EX_ST_TRACED;
	case 'Z': return EX_ST_ZOMBIE;
	case 'X': return EX_ST_DEAD;
	case 'I': return EX_ST_IDLE;
	default: return EX_ST_OTHER;
	}
}

const char *ex_state_name(enum ex_state st)
{
	static const char *const names[EX_STATES] = {
		"running", "sleeping", "uninterruptible", "stopped", "traced",
		"zombie", "dead", "idle", "other",
	};

	return st < EX_STATES ? names[st] : "other";
}

/* ---- group lookup: the identifying fields hashed (FNV-1a) ---- */

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

static uint32_t ident_hash(const struct ex_group *k)
{
	uint32_t h = 2166136261u;

	h = fnv(h, k->process, sizeof(k->process));
	h = fnv(h, k->thread, sizeof(k->thread));
	h = fnv(h, &k->pid, sizeof(k->pid));
	return fnv(h, &k->tid, sizeof(k->tid));
}

static bool ident_eq(const struct ex_group *a, const struct ex_group *b)
{
	return !memcmp(a->process, b->process, sizeof(a->process)) &&
	       !memcmp(a->thread, b->thread, sizeof(a->thread)) &&
	       a->pid == b->pid && a->tid == b->tid;
}

/* Put every group into the slot table (it has room for them). */
static void slots_fill(struct ex_groups *g)
{
	size_t mask = g->n_slots - 1, i;

	memset(g->slots, 0, g->n_slots * sizeof(*g->slots));
	for (i = 0; i < g->n; i++) {
		size_t j = ident_hash(&g->v[i]) & mask;

		while (g->slots[j])
			j = (j + 1) & mask;
		g->slots[j] = (uint32_t)i + 1;
	}
}

/* A slot table for @want groups (groups keep their indices). */
static int slots_rebuild(struct ex_groups *g, size_t want)
{
	size_t n = 64;
	uint32_t *s;

	while (n < want * 2)
		n *= 2;
	s = calloc(n, sizeof(*s));
	if (!s)
		return -1;
	free(g->slots);
	g->slots = s;
	g->n_slots = n;
	slots_fill(g);
	return 0;
}

/* Room for @more groups without any allocation in the update loop. */
static int reserve(struct ex_groups *g, size_t more)
{
	size_t want = g->n + more;

	if (want > g->cap) {
		size_t cap = g->cap ? g->cap : 64;
		struct ex_group *v;

		while (cap < want)
			cap *= 2;
		v = realloc(g->v, cap * sizeof(*v));
		if (!v)
			return -1;
		g->v = v;
		g->cap = cap;
	}
	if (want * 2 > g->n_slots)
		return slots_rebuild(g, want);
	return 0;
}

/* The group of @key, created when new; room was reserved. */
static uint32_t group_get(struct ex_groups *g, const struct ex_group *key)
{
	size_t mask = g->n_slots - 1, j = ident_hash(key) & mask;
	struct ex_group *n;

	for (; g->slots[j]; j = (j + 1) & mask)
		if (ident_eq(&g->v[g->slots[j] - 1], key))
			return g->slots[j] - 1;
	n = &g->v[g->n];
	*n = *key;
	n->order = g->next_order++;
	g->slots[j] = (uint32_t)g->n + 1;
	return (uint32_t)g->n++;
}

/* ---- one scrape ---- */

static void values_of(const struct ts_mthread *t, uint64_t *v)
{
	v[EX_UTIME] = t->utime;
	v[EX_STIME] = t->stime;
	v[EX_NVCSW] = t->nvcsw;
	v[EX_NIVCSW] = t->nivcsw;
	v[EX_MIGRATIONS] = t->migrations;
	v[EX_RUN_DELAY] = t->run_delay;
	v[EX_MIN_FLT] = t->min_flt;
	v[EX_MAJ_FLT] = t->maj_flt;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* What a thread brought to its group: last - base (never negative). */
static void leave_group(struct ex_groups *g, const struct ex_thread *t)
{
	struct ex_group *gr = &g->v[t->group];
	int k;

	for (k = 0; k < EX_COUNTERS; k++)
		gr->gone[k] += sub0(t->last[k], t->base[k]);
}

static bool proc_exited(const struct ts_mprocess *p, uint64_t *v,
			uint64_t *runtime)
{
	const struct ts_process *e = &p->proc;

	if (!p->has_process ||
	    !ts_present(&ts_process_set, e,
			THREADSTAT_A_PROCESS_EXITED_SUM_EXEC_RUNTIME))
		return false;
	memset(v, 0, EX_COUNTERS * sizeof(*v));
	v[EX_UTIME] = e->exited_utime;
	v[EX_STIME] = e->exited_stime;
	v[EX_NVCSW] = e->exited_nvcsw;
	v[EX_NIVCSW] = e->exited_nivcsw;
	v[EX_MIN_FLT] = e->exited_min_flt;
	v[EX_MAJ_FLT] = e->exited_maj_flt;
	*runtime = e->exited_sum_exec_runtime;
	return true;
}

/* Per process of the new sample, while distributing its residual. */
struct resid {
	uint64_t last[EX_COUNTERS];	/* sum over its vanished threads */
	uint64_t r[EX_COUNTERS];	/* what is left to give */
	uint32_t n_targets, given;
	bool by_vanished, by_new;
};

/*
 * The growth of a process's exited totals that its vanished threads' last
 * values do not explain. CPU time: the scaled user/system split of the
 * module's totals may shift between scrapes, so the residual is taken on
 * their sum (the runtime, exact) and split like the parts that grew.
 */
static void residual(struct resid *rs, const struct ex_proc *prev,
		     const uint64_t *now, uint64_t now_runtime)
{
	uint64_t cpu, ru, rs_;
	int k;

	for (k = 0; k < EX_COUNTERS; k++)
		rs->r[k] = sub0(sub0(now[k], prev->exited[k]), rs->last[k]);
	cpu = sub0(sub0(now_runtime, prev->exited_runtime),
		   rs->last[EX_UTIME] + rs->last[EX_STIME]);
	ru = rs->r[EX_UTIME];
	rs_ = rs->r[EX_STIME];
	if (ru + rs_) {
		rs->r[EX_UTIME] = (uint64_t)((unsigned __int128)cpu * ru /
					     (ru + rs_));
	} else {
		uint64_t du = sub0(now[EX_UTIME], prev->exited[EX_UTIME]);
		uint64_t ds = sub0(now[EX_STIME], prev->exited[EX_STIME]);

		rs->r[EX_UTIME] = du + ds ? (uint64_t)((unsigned __int128)cpu *
						       du / (du + ds)) : cpu;
	}
	rs->r[EX_STIME] = cpu - rs->r[EX_UTIME];
}

/* Give target number rs->given of rs->n_targets its share of r. */
static void give(struct ex_groups *g, uint32_t group, struct resid *rs)
{
	struct ex_group *gr = &g->v[group];
	uint32_t q = rs->given++, n = rs->n_targets;
	int k;

	for (k = 0; k < EX_COUNTERS; k++) {
		unsigned __int128 r = rs->r[k];

		gr->gone[k] += (uint64_t)(r * (q + 1) / n - r * q / n);
	}
}

struct scrape {
	const struct ts_model *m;
	struct ex_thread *nt;	/* the new thread table */
	size_t n_nt;
	uint8_t *seen;		/* per old thread */
	uint8_t *is_new;	/* per new thread: no previous sighting */
	struct resid *res;	/* per model process */
	struct ex_proc *np;	/* the new process table */
	size_t n_np;
	uint32_t *map;		/* old group index -> new (evict) */
};

static void key_of(const struct ex_groups *g, const struct ts_model *m,
		   const struct ts_mthread *t, struct ex_group *key)
{
	memset(key, 0, sizeof(*key));
	if ((g->by & EX_BY_COMM) && t->process < m->n_processes)
		memcpy(key->process, m->processes[t->process].s.comm,
		       sizeof(key->process));
	if (g->by & EX_BY_THREAD)
		memcpy(key->thread, t->s.comm, sizeof(key->thread));
	if (g->by & EX_BY_TID) {
		key->pid = t->s.tgid;
		key->tid = t->s.id;
	}
}

static const struct ex_thread *previous(const struct ex_groups *g,
					const struct ts_mthread *t,
					uint32_t *index)
{
	if (!ts_idmap_get(&g->tid_map, t->s.id, index) ||
	    *index >= g->n_threads ||
	    g->threads[*index].start_time != t->s.start_time)
		return NULL;
	return &g->threads[*index];
}

static void fold_live(struct ex_groups *g, struct scrape *sc)
{
	const struct ts_model *m = sc->m;
	size_t i;
	int k;

	for (i = 0; i < m->n_threads; i++) {
		const struct ts_mthread *t = &m->threads[i];
		struct ex_thread *n = &sc->nt[sc->n_nt];
		const struct ex_thread *p;
		struct ex_group key, *gr;
		uint32_t pi;

		if (t->s.flags & TS_MF_EXITED || !(t->s.flags & TS_MF_SCHED))
			continue;
		key_of(g, m, t, &key);
		memset(n, 0, sizeof(*n));
		n->tid = t->s.id;
		n->tgid = t->s.tgid;
		n->start_time = t->s.start_time;
		n->group = group_get(g, &key);
		values_of(t, n->last);
		p = previous(g, t, &pi);
		sc->is_new[sc->n_nt] = !p;
		if (p) {
			sc->seen[pi] = 1;
			if (p->group == n->group) {
				memcpy(n->base, p->base, sizeof(n->base));
			} else {
				leave_group(g, p);
				memcpy(n->base, p->last, sizeof(n->base));
			}
		}
		gr = &g->v[n->group];
		for (k = 0; k < EX_COUNTERS; k++)
			gr->live[k] += sub0(n->last[k], n->base[k]);
		gr->states[ex_state_of(t->s.state)]++;
		gr->n_live++;
		sc->n_nt++;
	}
}

/* The model's index of a process, or -1. */
static long proc_index(const struct ts_model *m, uint32_t tgid)
{
	const struct ts_mprocess *p = ts_model_process(m, tgid);

	return p ? p - m->processes : -1;
}

/* Vanished threads: their part moves to gone; their last values are
 * what their process's exited totals should have grown by at least.
 */
static void fold_vanished(struct ex_groups *g, struct scrape *sc)
{
	size_t i;
	int k;

	for (i = 0; i < g->n_threads; i++) {
		const struct ex_thread *t = &g->threads[i];
		long p;

		if (sc->seen[i])
			continue;
		leave_group(g, t);
		p = proc_index(sc->m, t->tgid);
		if (p < 0)
			continue;
		for (k = 0; k < EX_COUNTERS; k++)
			sc->res[p].last[k] += t->last[k];
		sc->res[p].n_targets++;
		sc->res[p].by_vanished = true;
	}
}

static const struct ex_proc *prev_proc(const struct ex_groups *g,
				       const struct ts_mprocess *p)
{
	uint32_t i;

	if (!ts_idmap_get(&g->proc_map, p->s.id, &i) || i >= g->n_procs ||
	    g->procs[i].start_time != p->s.start_time ||
	    !g->procs[i].has_exited)
		return NULL;
	return &g->procs[i];
}

/* The module's exited totals: residuals, and the new process table. */
static void fold_exited(struct ex_groups *g, struct scrape *sc)
{
	const struct ts_model *m = sc->m;
	size_t i;

	for (i = 0; i < m->n_processes; i++) {
		const struct ts_mprocess *p = &m->processes[i];
		struct ex_proc *n = &sc->np[sc->n_np];
		const struct ex_proc *prev;
		struct resid *rs = &sc->res[i];
		uint64_t runtime = 0;

		if (p->s.flags & TS_MF_EXITED)
			continue;
		memset(n, 0, sizeof(*n));
		n->tgid = p->s.id;
		n->start_time = p->s.start_time;
		n->has_exited = proc_exited(p, n->exited, &runtime);
		n->exited_runtime = runtime;
		sc->n_np++;
		prev = prev_proc(g, p);
		if (!n->has_exited || !prev)
			continue;
		residual(rs, prev, n->exited, runtime);
	}
	/* Targets: vanished threads, else new ones, else the leader. */
	for (i = 0; i < sc->n_nt; i++) {
		long p = proc_index(m, sc->nt[i].tgid);

		if (p >= 0 && !sc->res[p].by_vanished && sc->is_new[i]) {
			sc->res[p].n_targets++;
			sc->res[p].by_new = true;
		}
	}
	for (i = 0; i < g->n_threads; i++) {
		long p;

		if (sc->seen[i])
			continue;
		p = proc_index(m, g->threads[i].tgid);
		if (p >= 0)
			give(g, g->threads[i].group, &sc->res[p]);
	}
	for (i = 0; i < sc->n_nt; i++) {
		const struct ex_thread *t = &sc->nt[i];
		long p = proc_index(m, t->tgid);
		struct resid *rs;

		if (p < 0)
			continue;
		rs = &sc->res[p];
		if (rs->by_new && sc->is_new[i])
			give(g, t->group, rs);
		else if (!rs->by_vanished && !rs->by_new && t->tid == t->tgid) {
			rs->n_targets = 1;
			give(g, t->group, rs);
		}
	}
}

/* Drop groups without threads for idle_ns (with EX_BY_TID: at once). */
static void evict(struct ex_groups *g, struct scrape *sc, uint64_t now_ns)
{
	uint32_t *map = sc->map;
	size_t i, n = 0;

	for (i = 0; i < g->n; i++) {
		struct ex_group *gr = &g->v[i];

		if (gr->n_live)
			gr->idle_since = 0;
		else if (!gr->idle_since)
			gr->idle_since = now_ns;
	}
	for (i = 0; i < g->n; i++) {
		struct ex_group *gr = &g->v[i];

		if (!gr->n_live && ((g->by & EX_BY_TID) ||
				    now_ns - gr->idle_since >= g->idle_ns)) {
			map[i] = NO_GROUP;
			continue;
		}
		map[i] = (uint32_t)n;
		g->v[n++] = *gr;
	}
	if (n != g->n) {
		for (i = 0; i < sc->n_nt; i++)
			sc->nt[i].group = map[sc->nt[i].group];
		g->n = n;
		slots_fill(g);	/* fewer groups than the table was made for */
	}
}

/* The maps were reset for at least @n and @np entries. */
static void maps_fill(struct ts_idmap *tids, const struct ex_thread *t,
		      size_t n, struct ts_idmap *procs,
		      const struct ex_proc *p, size_t np)
{
	size_t i;

	for (i = 0; i < n; i++)
		ts_idmap_put(tids, t[i].tid, (uint32_t)i);
	for (i = 0; i < np; i++)
		ts_idmap_put(procs, p[i].tgid, (uint32_t)i);
}

int ex_groups_update(struct ex_groups *g, const struct ts_model *m,
		     uint64_t now_ns)
{
	size_t nt = m->n_threads ? m->n_threads : 1;
	size_t np = m->n_processes ? m->n_processes : 1;
	struct scrape sc = { .m = m };
	struct ts_idmap tids = { 0 }, procs = { 0 };
	size_t i;

	sc.nt = malloc(nt * sizeof(*sc.nt));
	sc.seen = calloc(g->n_threads ? g->n_threads : 1, 1);
	sc.is_new = calloc(nt, 1);
	sc.res = calloc(np, sizeof(*sc.res));
	sc.np = malloc(np * sizeof(*sc.np));
	/* Everything allocated before the first change: all or nothing. */
	if (!sc.nt || !sc.seen || !sc.is_new || !sc.res || !sc.np ||
	    reserve(g, m->n_threads) ||
	    !(sc.map = malloc((g->n + nt) * sizeof(*sc.map))) ||
	    ts_idmap_reset(&tids, nt) || ts_idmap_reset(&procs, np))
		goto oom;

	for (i = 0; i < g->n; i++) {
		memset(g->v[i].live, 0, sizeof(g->v[i].live));
		memset(g->v[i].states, 0, sizeof(g->v[i].states));
		g->v[i].n_live = 0;
	}
	fold_live(g, &sc);
	fold_vanished(g, &sc);
	fold_exited(g, &sc);
	evict(g, &sc, now_ns);
	maps_fill(&tids, sc.nt, sc.n_nt, &procs, sc.np, sc.n_np);

	free(g->threads);
	g->threads = sc.nt;
	g->n_threads = sc.n_nt;
	ts_idmap_free(&g->tid_map);
	g->tid_map = tids;
	free(g->procs);
	g->procs = sc.np;
	g->n_procs = sc.n_np;
	ts_idmap_free(&g->proc_map);
	g->proc_map = procs;
	free(sc.seen);
	free(sc.is_new);
	free(sc.res);
	free(sc.map);
	return 0;
oom:
	ts_idmap_free(&tids);
	ts_idmap_free(&procs);
	free(sc.nt);
	free(sc.seen);
	free(sc.is_new);
	free(sc.res);
	free(sc.np);
	free(sc.map);
	errno = ENOMEM;
	return -1;
}
