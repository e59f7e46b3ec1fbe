/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * threadstat exporter: Prometheus metrics from one threadstat dump per
 * scrape. The library samples and models (ts_sample_take into a ts_model);
 * this folder only groups threads (groups.c), keeps the groups' counters
 * monotonic across thread churn (groups.c), renders metric families
 * (metrics.c) through one exposition writer (expo.c) and serves them over
 * HTTP (http.c, libmicrohttpd).
 */
#ifndef THREADSTAT_EXPORTER_H
#define THREADSTAT_EXPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "text.h"

/* ---- grouping and monotonic counters (groups.c) ---- */

/* What identifies a group: any combination (--group-by). */
#define EX_BY_COMM	0x1	/* label process: the process's name */
#define EX_BY_THREAD	0x2	/* label thread: the thread's name */
#define EX_BY_TID	0x4	/* labels pid and tid: one group per thread */

/* A group's counters, in the order metrics.c exports them. */
enum ex_counter {
	EX_UTIME, EX_STIME,		/* ns */
	EX_NVCSW, EX_NIVCSW,
	EX_MIGRATIONS,
	EX_RUN_DELAY,			/* ns */
	EX_MIN_FLT, EX_MAJ_FLT,
	EX_COUNTERS
};

/* Thread states a group counts (threadstat_threads{state=...}). */
enum ex_state {
	EX_ST_RUNNING, EX_ST_SLEEPING, EX_ST_UNINTERRUPTIBLE, EX_ST_STOPPED,
	EX_ST_TRACED, EX_ST_ZOMBIE, EX_ST_DEAD, EX_ST_IDLE, EX_ST_OTHER,
	EX_STATES
};

struct ex_group {
	char process[TS_COMM_LEN], thread[TS_COMM_LEN];
	uint32_t pid, tid;	/* with EX_BY_TID, else 0 */
	uint64_t order;		/* creation order: the cap keeps older ones */
	uint64_t idle_since;	/* CLOCK_MONOTONIC ns when it lost its last
				 * live thread; 0 while it has some */
	/* Exported value = live + gone; gone only grows. */
	uint64_t live[EX_COUNTERS];
	uint64_t gone[EX_COUNTERS];
	uint32_t states[EX_STATES];
	uint32_t n_live;
};

/* A thread as the last scrape saw it. */
struct ex_thread {
	uint32_t tid, tgid;
	uint64_t start_time;
	uint32_t group;		/* index in groups */
	uint64_t base[EX_COUNTERS];	/* its values when it joined the group
					 * (0 for a thread first seen) */
	uint64_t last[EX_COUNTERS];
};

/* A process as the last scrape saw it: the module's exited totals. */
struct ex_proc {
	uint32_t tgid;
	uint64_t start_time;
	bool has_exited;
	uint64_t exited[EX_COUNTERS];
	uint64_t exited_runtime;
};

struct ex_groups {
	unsigned int by;	/* EX_BY_* */
	uint64_t idle_ns;	/* drop a group this long without threads */
	struct ex_group *v;
	size_t n, cap;
	uint64_t next_order;
	/* string key -> group: open addressing, index + 1, 0 empty */
	uint32_t *slots;
	size_t n_slots;

	struct ex_thread *threads;	/* the last scrape's, by tid order */
	size_t n_threads;
	struct ts_idmap tid_map;	/* tid -> threads[] */
	struct ex_proc *procs;
	size_t n_procs;
	struct ts_idmap proc_map;	/* tgid -> procs[] */
};

void ex_groups_init(struct ex_groups *g, unsigned int by, uint64_t idle_ns);
void ex_groups_free(struct ex_groups *g);
/*
 * Fold the published sample of @m into the groups, at CLOCK_MONOTONIC
 * @now_ns: live sums from its threads, gone totals from the threads that
 * vanished since the previous call and from the module's per-process
 * exited totals. -1 (errno ENOMEM) when memory ran out: the groups are
 * then as before the call.
 */
int ex_groups_update(struct ex_groups *g, const struct ts_model *m,
		     uint64_t now_ns);
/* A thread state letter as its ex_state. */
enum ex_state ex_state_of(char state);
const char *ex_state_name(enum ex_state st);

/* ---- the exposition formats (expo.c) ---- */

enum ex_format { EX_TEXT_004, EX_OPENMETRICS };

struct ex_writer {
	struct ts_str *out;
	enum ex_format format;
	const char *family;	/* the family being written */
	bool counter;
};

/* Content-Type of a format. */
const char *ex_content_type(enum ex_format f);
/* The format an Accept header asks for (NULL: none). */
enum ex_format ex_format_for(const char *accept);
/*
 * Start family @name (a counter's name ends in _total; OpenMetrics gets it
 * without the suffix) with its HELP text and, for OpenMetrics, its UNIT
 * when @unit is not NULL.
 */
void ex_family(struct ex_writer *w, const char *name, bool counter,
	       const char *unit, const char *help);
/* A sample line's start: the family name and '{' or nothing. */
void ex_sample_begin(struct ex_writer *w);
/* One label; @value is hostile: shown as tables show it, then escaped. */
void ex_label(struct ex_writer *w, const char *name, const char *value,
	      size_t len);
void ex_label_u32(struct ex_writer *w, const char *name, uint32_t value);
/* End a sample line with its value. */
void ex_sample_u64(struct ex_writer *w, uint64_t v);
void ex_sample_ns(struct ex_writer *w, uint64_t ns);	/* as seconds */
void ex_sample_double(struct ex_writer *w, double v);
/* The end of the exposition (OpenMetrics: "# EOF"). */
void ex_finish(struct ex_writer *w);

/* ---- metric families (metrics.c) ---- */

struct ex_stats {
	uint64_t scrapes, interrupted, dropped, errors;
	uint64_t collect_ns;	/* the last scrape's dump and grouping */
};

/*
 * Write every family for the published sample of @m and the groups,
 * at most @max_series series (the exporter's own ones aside); what does
 * not fit is dropped whole (a CPU, a group, a process name), oldest
 * groups kept first, and counted in st->dropped.
 */
void ex_metrics_write(struct ex_writer *w, const struct ts_model *m,
		      const struct ex_groups *g, size_t max_series,
		      struct ex_stats *st);

/* ---- the server (http.c, exporter.c) ---- */

struct ex_opts {
	const char *listen;	/* ADDR:PORT, [ADDR]:PORT or :PORT */
	uint32_t tgid;		/* --pid; 0: every process */
	unsigned int by;	/* EX_BY_* */
	size_t max_series;
};

#define EX_DEFAULT_LISTEN	"127.0.0.1:9489"
#define EX_DEFAULT_MAX_SERIES	20000
#define EX_IDLE_NS		(300ull * 1000000000ull)

/* One scrape: a new sample, the groups, the exposition into @out. */
struct ex_exporter;
int ex_exporter_new(struct ex_exporter **out, const struct ex_opts *o);
void ex_exporter_free(struct ex_exporter *e);
/* HTTP status for the scrape; @out holds the body (text on errors). */
int ex_scrape(struct ex_exporter *e, enum ex_format f, struct ts_str *out);

/* Serve until SIGINT or SIGTERM; the process exit status. */
int ex_serve(struct ex_exporter *e, const char *listen);

#endif
