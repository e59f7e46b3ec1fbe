// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Rows: what a view lists and in which order, built from the published
 * model for a query (mode, sort column, tree, filter, expanded processes).
 * A tool draws rows; it never walks or sorts the model itself.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"

#define NONE	UINT32_MAX

/* ---- id sets ---- */

bool ts_idset_has(const struct ts_idset *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return true;
	return false;
}

int ts_idset_add(struct ts_idset *s, uint32_t id)
{
	if (ts_idset_has(s, id))
		return 0;
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		uint32_t *nv = realloc(s->v, ncap * sizeof(*nv));

		if (!nv) {
			errno = ENOMEM;
			return -1;
		}
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = id;
	return 0;
}

void ts_idset_del(struct ts_idset *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == id) {
			s->v[i] = s->v[--s->n];
			return;
		}
}

void ts_idset_free(struct ts_idset *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- order ---- */

static int num_cmp(double a, double b)
{
	return a < b ? -1 : a > b;
}

static double mem_key(const struct ts_mstat *s, uint64_t v)
{
	return s->flags & TS_MF_MEM ? (double)v : -1;
}

static double lat_key(const struct ts_mstat *s, uint64_t v)
{
	return s->has_lat ? (double)v : -1;
}

int ts_mstat_cmp(const struct ts_mstat *a, const struct ts_mstat *b,
		 enum ts_col col)
{
	switch (col) {
	case TS_COL_ID:
		return num_cmp(a->id, b->id);
	case TS_COL_USER:
		/* By name, as htop and ps sort it; a uid is no order. */
		return a->uid == b->uid ? 0 :
		       strcmp(ts_user_name(a->uid), ts_user_name(b->uid));
	case TS_COL_STATE:
		return num_cmp(a->state, b->state);
	case TS_COL_CPU:
		return num_cmp(a->cpu, b->cpu);
	case TS_COL_POLICY:
		return num_cmp(a->policy, b->policy);
	case TS_COL_PRI:
		return num_cmp(a->prio, b->prio);
	case TS_COL_NI:
		return num_cmp(a->nice, b->nice);
	/* Busy first: the natural order of rates and times is descending. */
	case TS_COL_CPU_PCT:
		return num_cmp(b->cpu_pct, a->cpu_pct);
	case TS_COL_WAIT_PCT:
		return num_cmp(b->wait_pct, a->wait_pct);
	case TS_COL_VCSW:
		return num_cmp(b->vcsw_rate, a->vcsw_rate);
	case TS_COL_ICSW:
		return num_cmp(b->icsw_rate, a->icsw_rate);
	case TS_COL_MIGR:
		return num_cmp(b->migr_rate, a->migr_rate);
	case TS_COL_THREADS:
		return num_cmp(b->n_threads, a->n_threads);
	case TS_COL_TIME:
		return num_cmp(b->runtime, a->runtime);
	/* Absent memory (kernel threads, old recordings) sorts last. */
	case TS_COL_VIRT:
		return num_cmp(mem_key(b, b->virt), mem_key(a, a->virt));
	case TS_COL_RES:
	case TS_COL_MEM_PCT:	/* RES over one MemTotal: the same order */
		return num_cmp(mem_key(b, b->res), mem_key(a, a->res));
	case TS_COL_SHR:
		return num_cmp(mem_key(b, b->shr), mem_key(a, a->shr));
	case TS_COL_COMMAND:
		return strcasecmp(a->comm, b->comm);
	/* Absent latency (processes, not measured) sorts last. */
	case TS_COL_LAT_MAX:
		return num_cmp(lat_key(b, b->lat_max), lat_key(a, a->lat_max));
	case TS_COL_LAT_P99:
		return num_cmp(lat_key(b, b->lat_p99), lat_key(a, a->lat_p99));
	default:
		return 0;
	}
}

struct order {
	const struct ts_model *m;
	const struct ts_rows_query *q;
	bool processes;		/* indices are of processes, else threads */
};

static const struct ts_mstat *stat_of(const struct order *o, uint32_t i)
{
	return o->processes ? &o->m->processes[i].s : &o->m->threads[i].s;
}

static int by_query(const void *a, const void *b, void *arg)
{
	const struct order *o = arg;
	const struct ts_mstat *x = stat_of(o, *(const uint32_t *)a);
	const struct ts_mstat *y = stat_of(o, *(const uint32_t *)b);
	int c = ts_mstat_cmp(x, y, o->q->sort);

	if (o->q->invert)
		c = -c;
	return c ? c : num_cmp(x->id, y->id);
}

static void sort_ids(const struct ts_model *m, const struct ts_rows_query *q,
		     bool processes, uint32_t *v, size_t n)
{
	struct order o = { m, q, processes };

	qsort_r(v, n, sizeof(*v), by_query, &o);
}

/* ---- filters ---- */

bool ts_comm_matches(const char *comm, const char *text)
{
	size_t n = strlen(text), i;

	if (!n)
		return true;
	for (i = 0; comm[i]; i++)
		if (!strncasecmp(comm + i, text, n))
			return true;
	return false;
}

static bool filtering(const struct ts_rows_query *q)
{
	return q->filter && *q->filter;
}

/* Shown at all, before the text filter: kernel threads, -p. */
static bool allowed(const struct ts_rows_query *q, const struct ts_mstat *s)
{
	if (!q->kernel_threads && (s->flags & TS_MF_KTHREAD))
		return false;
	if (q->by_uid && s->uid != q->uid)
		return false;
	if (q->only_tgids && q->only_tgids->n &&
	    !ts_idset_has(q->only_tgids, s->tgid))
		return false;
	return !q->only_tgid || s->tgid == q->only_tgid;
}

static bool thread_matches(const struct ts_rows_query *q,
			   const struct ts_mthread *t)
{
	return allowed(q, &t->s) &&
	       (!filtering(q) || ts_comm_matches(t->s.comm, q->filter));
}

static bool process_matches(const struct ts_model *m,
			    const struct ts_rows_query *q,
			    const struct ts_mprocess *p)
{
	uint32_t i;

	if (!allowed(q, &p->s))
		return false;
	if (!filtering(q) || ts_comm_matches(p->s.comm, q->filter))
		return true;
	for (i = 0; i < p->n_threads; i++)
		if (ts_comm_matches(m->threads[m->by_process[p->first + i]].s.comm,
				    q->filter))
			return true;
	return false;
}

static bool shows_threads(const struct ts_rows_query *q,
			  const struct ts_mprocess *p)
{
	if (p->n_threads < 2)
		return false;	/* its process row says it all */
	if (q->mode == TS_ROWS_THREADS)
		return true;
	return (q->expanded && ts_idset_has(q->expanded, p->s.id)) ||
	       q->only_tgid == p->s.id ||
	       (q->only_tgids && q->only_tgids->n == 1 &&
		ts_idset_has(q->only_tgids, p->s.id));
}

/* ---- building ---- */

static int push(struct ts_rows *rows, const struct ts_row *r)
{
	if (rows->n == rows->cap) {
		size_t ncap = rows->cap ? rows->cap * 2 : 256;
		struct ts_row *nv = realloc(rows->v, ncap * sizeof(*nv));

		if (!nv) {
			errno = ENOMEM;
			return -1;
		}
		rows->v = nv;
		rows->cap = ncap;
	}
	rows->v[rows->n++] = *r;
	return 0;
}

static uint32_t child_guides(const struct ts_row *parent)
{
	uint32_t g = parent->guides;

	if (parent->depth && !parent->last && parent->depth < TS_TREE_DEPTH)
		g |= 1u << parent->depth;
	return g;
}

static uint8_t clamp_depth(size_t d)
{
	return d < TS_TREE_DEPTH ? (uint8_t)d : TS_TREE_DEPTH - 1;
}

/*
 * The threads of process @p beneath its row @parent, sorted; @more says
 * rows follow at the same depth (child processes), so none is last.
 */
static int push_threads(const struct ts_model *m,
			const struct ts_rows_query *q,
			const struct ts_mprocess *p, struct ts_row parent,
			bool more, uint32_t *scratch, struct ts_rows *rows)
{
	bool all = !filtering(q) || ts_comm_matches(p->s.comm, q->filter);
	size_t n = 0, i;

	for (i = 0; i < p->n_threads; i++) {
		uint32_t t = m->by_process[p->first + i];

		if (all ? allowed(q, &m->threads[t].s) :
			  thread_matches(q, &m->threads[t]))
			scratch[n++] = t;
	}
	sort_ids(m, q, false, scratch, n);
	for (i = 0; i < n; i++) {
		struct ts_row r = {
			.index = scratch[i], .kind = TS_ROW_THREAD,
			.depth = clamp_depth(parent.depth + 1u),
			.last = !more && i == n - 1,
			.guides = child_guides(&parent),
		};

		if (push(rows, &r))
			return -1;
	}
	return 0;
}

static int build_flat_threads(const struct ts_model *m,
			      const struct ts_rows_query *q,
			      struct ts_rows *rows)
{
	uint32_t *ids = malloc((m->n_threads + 1) * sizeof(*ids));
	size_t n = 0, i;
	int rc = 0;

	if (!ids)
		return -1;
	for (i = 0; i < m->n_threads; i++)
		if (thread_matches(q, &m->threads[i]))
			ids[n++] = (uint32_t)i;
	sort_ids(m, q, false, ids, n);
	for (i = 0; i < n && !rc; i++) {
		struct ts_row r = { .index = ids[i], .kind = TS_ROW_THREAD };

		rc = push(rows, &r);
	}
	free(ids);
	return rc;
}

static int build_flat_processes(const struct ts_model *m,
				const struct ts_rows_query *q,
				struct ts_rows *rows)
{
	uint32_t *ids = malloc((m->n_processes + 1) * sizeof(*ids));
	uint32_t *scratch = malloc((m->n_threads + 1) * sizeof(*scratch));
	size_t n = 0, i;
	int rc = 0;

	if (!ids || !scratch) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < m->n_processes; i++)
		if (process_matches(m, q, &m->processes[i]))
			ids[n++] = (uint32_t)i;
	sort_ids(m, q, true, ids, n);
	for (i = 0; i < n && !rc; i++) {
		const struct ts_mprocess *p = &m->processes[ids[i]];
		struct ts_row r = { .index = ids[i], .kind = TS_ROW_PROCESS,
				    .expanded = shows_threads(q, p) };

		rc = push(rows, &r);
		if (!rc && r.expanded)
			rc = push_threads(m, q, p, r, false, scratch, rows);
	}
out:
	free(ids);
	free(scratch);
	return rc;
}

/* Process tree: links by parent, built over processes in sorted order. */
struct tree {
	uint32_t *order;	/* processes, sorted */
	uint32_t *parent, *first_child, *next_sibling;
	bool *keep;		/* matches, or has a descendant that does */
	uint32_t *stack;	/* per level: the next process to visit */
	size_t *parents;	/* per level: the row of the process there */
	uint32_t *scratch;
};

static void tree_free(struct tree *t)
{
	free(t->order);
	free(t->parent);
	free(t->first_child);
	free(t->next_sibling);
	free(t->keep);
	free(t->stack);
	free(t->parents);
	free(t->scratch);
}

static int tree_alloc(struct tree *t, size_t np, size_t nt)
{
	memset(t, 0, sizeof(*t));
	t->order = malloc((np + 1) * sizeof(uint32_t));
	t->parent = malloc((np + 1) * sizeof(uint32_t));
	t->first_child = malloc((np + 1) * sizeof(uint32_t));
	t->next_sibling = malloc((np + 1) * sizeof(uint32_t));
	t->keep = calloc(np + 1, sizeof(bool));
	t->stack = malloc((np + 1) * sizeof(uint32_t));
	t->parents = malloc((np + 1) * sizeof(size_t));
	t->scratch = malloc((nt + 1) * sizeof(uint32_t));
	if (t->order && t->parent && t->first_child && t->next_sibling &&
	    t->keep && t->stack && t->parents && t->scratch)
		return 0;
	tree_free(t);
	errno = ENOMEM;
	return -1;
}

/* Is @p (a process index) below @anc? Guards against ppid cycles. */
static bool descends(const struct tree *t, uint32_t p, uint32_t anc,
		     size_t np)
{
	size_t steps;

	for (steps = 0; p != NONE && steps <= np; steps++, p = t->parent[p])
		if (p == anc)
			return true;
	return false;
}

static void tree_link(const struct ts_model *m, const struct ts_rows_query *q,
		      struct tree *t)
{
	size_t np = m->n_processes, i;

	for (i = 0; i < np; i++) {
		const struct ts_mprocess *pp;

		t->order[i] = (uint32_t)i;
		t->first_child[i] = t->next_sibling[i] = NONE;
		pp = m->processes[i].s.ppid != m->processes[i].s.id ?
		     ts_model_process(m, m->processes[i].s.ppid) : NULL;
		/* Under a parent that is not shown, a process is a root. */
		t->parent[i] = pp && allowed(q, &pp->s) ?
			       (uint32_t)(pp - m->processes) : NONE;
	}
	/* A parent link that closes a loop (pid reuse) is dropped. */
	for (i = 0; i < np; i++)
		if (t->parent[i] != NONE &&
		    descends(t, t->parent[i], (uint32_t)i, np))
			t->parent[i] = NONE;
	sort_ids(m, q, true, t->order, np);
	for (i = np; i-- > 0;) {
		uint32_t p = t->order[i], par = t->parent[p];

		if (par != NONE) {
			t->next_sibling[p] = t->first_child[par];
			t->first_child[par] = p;
		}
	}
	/* Keep matches and their ancestors, so a match shows where it is. */
	for (i = 0; i < np; i++) {
		uint32_t p = (uint32_t)i;
		size_t steps = 0;

		if (!process_matches(m, q, &m->processes[p]))
			continue;
		while (p != NONE && !t->keep[p] && steps++ <= np) {
			t->keep[p] = true;
			p = t->parent[p];
		}
	}
}

static uint32_t next_kept(const struct tree *t, uint32_t p)
{
	while (p != NONE && !t->keep[p])
		p = t->next_sibling[p];
	return p;
}

static int build_tree(const struct ts_model *m, const struct ts_rows_query *q,
		      struct ts_rows *rows)
{
	size_t np = m->n_processes, i, top;
	struct tree t;
	int rc = 0;

	if (tree_alloc(&t, np, m->n_threads))
		return -1;
	tree_link(m, q, &t);
	/* Depth first, iteratively: stack[level] is the next process to
	 * visit at that level, parents[level] the row last visited there.
	 */
	for (i = 0; i < np && !rc; i++) {
		uint32_t root = t.order[i];

		if (t.parent[root] != NONE || !t.keep[root])
			continue;
		top = 0;
		t.stack[top++] = root;
		while (top && !rc) {
			uint32_t p = t.stack[top - 1], child, sib;
			const struct ts_mprocess *pp;
			struct ts_row r = { .index = p, .kind = TS_ROW_PROCESS };

			if (p == NONE) {
				top--;
				continue;
			}
			pp = &m->processes[p];
			sib = top > 1 ? next_kept(&t, t.next_sibling[p]) : NONE;
			t.stack[top - 1] = sib;
			r.depth = clamp_depth(top - 1);
			r.last = sib == NONE;
			if (top > 1)
				r.guides = child_guides(&rows->v[t.parents[top - 2]]);
			r.expanded = shows_threads(q, pp);
			rc = push(rows, &r);
			t.parents[top - 1] = rows->n - 1;
			child = next_kept(&t, t.first_child[p]);
			if (!rc && r.expanded)
				rc = push_threads(m, q, pp, r, child != NONE,
						  t.scratch, rows);
			if (child != NONE && top <= np)
				t.stack[top++] = child;
		}
	}
	tree_free(&t);
	return rc;
}

static int build_cores(const struct ts_model *m, const struct ts_rows_query *q,
		       struct ts_rows *rows)
{
	size_t c, i;

	for (c = 0; c < m->n_cpus; c++) {
		const struct ts_mcpu *cpu = &m->cpus[c];
		struct ts_row r = { .index = (uint32_t)c, .kind = TS_ROW_CPU };
		size_t shown = 0, last = 0;

		if (push(rows, &r))
			return -1;
		for (i = 0; i < cpu->count; i++)
			if (thread_matches(q, &m->threads[m->by_cpu[cpu->first + i]])) {
				shown++;
				last = i;
			}
		for (i = 0; i < cpu->count && shown; i++) {
			uint32_t t = m->by_cpu[cpu->first + i];
			struct ts_row tr = { .index = t, .kind = TS_ROW_THREAD,
					     .depth = 1, .last = i == last };

			if (thread_matches(q, &m->threads[t]) && push(rows, &tr))
				return -1;
		}
	}
	return 0;
}

int ts_rows_build(const struct ts_model *m, const struct ts_rows_query *q,
		  struct ts_rows *rows)
{
	rows->n = 0;
	switch (q->mode) {
	case TS_ROWS_CORES:
		return build_cores(m, q, rows);
	case TS_ROWS_THREADS:
		if (!q->tree)
			return build_flat_threads(m, q, rows);
		return build_tree(m, q, rows);
	case TS_ROWS_PROCESSES:
	default:
		if (q->tree)
			return build_tree(m, q, rows);
		return build_flat_processes(m, q, rows);
	}
}

void ts_rows_free(struct ts_rows *rows)
{
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

const struct ts_mstat *ts_row_stat(const struct ts_model *m,
				   const struct ts_row *r)
{
	switch (r->kind) {
	case TS_ROW_PROCESS:
		return r->index < m->n_processes ? &m->processes[r->index].s :
						   NULL;
	case TS_ROW_THREAD:
		return r->index < m->n_threads ? &m->threads[r->index].s : NULL;
	default:
		return NULL;
	}
}

uint32_t ts_row_id(const struct ts_model *m, const struct ts_row *r)
{
	const struct ts_mstat *s = ts_row_stat(m, r);

	return s ? s->id : r->index;
}

long ts_rows_find(const struct ts_model *m, const struct ts_rows *rows,
		  size_t from, const char *text)
{
	size_t k;

	if (!*text)
		return -1;
	for (k = 0; k < rows->n; k++) {
		size_t i = (from + k) % rows->n;
		const struct ts_mstat *s = ts_row_stat(m, &rows->v[i]);

		if (s && ts_comm_matches(s->comm, text))
			return (long)i;
	}
	return -1;
}

uint32_t ts_model_find_thread(const struct ts_model *m,
			      const struct ts_rows_query *q, const char *text)
{
	size_t i;

	if (!*text || q->mode != TS_ROWS_PROCESSES)
		return 0;
	for (i = 0; i < m->n_threads; i++) {
		const struct ts_mthread *t = &m->threads[i];
		const struct ts_mprocess *p = &m->processes[t->process];

		if (!shows_threads(q, p) && p->n_threads > 1 &&
		    process_matches(m, q, p) && thread_matches(q, t) &&
		    ts_comm_matches(t->s.comm, text))
			return t->s.id;
	}
	return 0;
}
