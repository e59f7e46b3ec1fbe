/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The model behind threadtop: threads, processes and CPUs keyed by id and
 * carried from sample to sample, with rates computed from the deltas of the
 * kernel's cumulative counters.
 *
 * A sample is staged first (ts_model_begin, then any number of
 * ts_model_add_*), while readers keep using the published one; then
 * ts_model_commit() publishes it in one step. Staging only reads the
 * published sample, so a UI thread may read it concurrently and needs to
 * exclude the sampler only around ts_model_commit().
 *
 * Per thread the model keeps ~240 bytes (its process's memory included,
 * so that a thread row sorts by it), not the ~1 KiB struct ts_thread: at
 * 50k threads a sample costs under 15 MiB.
 */
#ifndef THREADSTAT_MODEL_H
#define THREADSTAT_MODEL_H

#include "idmap.h"
#include "threadstat.h"

enum ts_mflag {
	TS_MF_KTHREAD = 1,	/* a kernel thread */
	TS_MF_ON_CPU = 2,	/* on a CPU when sampled */
	TS_MF_NEW = 4,		/* appeared in this sample: no rates yet */
	TS_MF_SCHED = 8,	/* the sched group was received */
	TS_MF_HOPPED = 16,	/* last ran on another CPU than a sample ago */
	TS_MF_EXITED = 32,	/* a tomb: gone since the last sample, shown
				 * once with its last values (state 'X') */
	TS_MF_MEM = 64,		/* res, shr, virt below are known: the
				 * process has an mm and its set was sent */
	TS_MF_FINAL = 128,	/* a tomb with its exit event's numbers: final
				 * TIME and switches, lifetime known */
};

/* What a row shows, for a thread or (summed) for a process. */
struct ts_mstat {
	uint32_t id;		/* tid, or tgid for a process */
	uint32_t tgid, ppid, uid;
	uint32_t cpu;		/* current or last CPU */
	uint32_t policy, rt_priority;
	int32_t nice, prio;
	uint64_t start_time;	/* ns after boot */
	uint64_t runtime;	/* ns on a CPU, cumulative (TIME) */
	uint32_t n_threads;	/* 1 for a thread */
	double cpu_pct;		/* runtime delta / interval */
	double wait_pct;	/* run-delay delta / interval: runnable, waiting */
	double vcsw_rate, icsw_rate, migr_rate;	/* per second */
	/* The process's memory (a thread row shows its process's, as htop
	 * does), bytes, with TS_MF_MEM; mem_pct < 0: MemTotal unknown.
	 */
	uint64_t res, shr, virt;
	double mem_pct;
	/* Run-queue waits of a thread in the interval (group latency),
	 * ns, with has_lat: the longest, the 99th percentile, how many and
	 * their sum. */
	bool has_lat;
	uint64_t lat_max, lat_p99, lat_count, lat_sum;
	char comm[TS_COMM_LEN];
	char state;		/* R, S, D, ... */
	uint8_t flags;		/* enum ts_mflag */
};

struct ts_mthread {
	struct ts_mstat s;
	uint64_t run_delay, nvcsw, nivcsw, migrations;	/* cumulative */
	uint64_t utime, stime;	/* ns, adjusted: they add up to runtime */
	uint64_t min_flt, maj_flt;	/* cumulative */
	uint32_t prev_cpu;	/* CPU a sample ago (== s.cpu when new) */
	uint32_t process;	/* index in ts_model.processes */
	uint32_t proc_rec;	/* private: its process set while staged */
	/* TS_MF_FINAL tombs: ns it lived, and the TIME its exit event added
	 * to what the previous sample knew (all of it for a thread that
	 * came and went between two samples).
	 */
	uint64_t lifetime, exit_delta;
	/* Its run-queue waits since measured (group latency), with
	 * has_latency: 296 bytes a thread, whether sampled or not. */
	bool has_latency;
	struct ts_latency latency;
};

/*
 * A process. With the module's process set (has_process) its TIME and
 * rates are exact: live threads plus the threads that have exited, so a
 * pool whose workers come and go shows all the CPU it used. Without it
 * (an older module) they are the sums over its live threads.
 */
struct ts_mprocess {
	struct ts_mstat s;	/* the leader's identity, rates, state */
	uint32_t n_threads;	/* rows by_process[first ...], tombs included
				 * (s.n_threads counts live threads only) */
	uint32_t first;		/* its threads: by_process[first ...] */
	bool has_process;	/* proc below was received */
	struct ts_process proc;	/* memory, exited threads' totals */
	uint64_t nvcsw, nivcsw;	/* cumulative, exited threads' included */
	uint64_t exit_delta;	/* TIME its tombs' exit events added */
};

struct ts_mcpu {
	uint32_t cpu;
	bool has_data;		/* CPU_GET data (else threads only) */
	bool has_rates;		/* the states' shares below are valid */
	struct ts_cpu data;
	/* share of the interval, %; nice counts as user, iowait as idle */
	double user_pct, system_pct, irq_pct, steal_pct, idle_pct;
	uint32_t running_tid;	/* on the CPU when sampled, 0: none known */
	uint32_t first, count;	/* threads that ran here: by_cpu[first ...],
				 * busiest first */
	/* The interval's run-queue waits of the threads listed here (each
	 * thread's all counted on the CPU it was on when sampled), with
	 * has_lat: how many, their sum and the longest, ns. */
	bool has_lat;
	uint64_t lat_count, lat_sum, lat_max;
};

/* The machine's memory, bytes (from /proc/meminfo). */
struct ts_meminfo {
	uint64_t mem_total, mem_available, swap_total, swap_free;
};

/* Parse /proc/meminfo's text; -1 (EINVAL) without a MemTotal. */
int ts_meminfo_parse(const char *text, struct ts_meminfo *mi);
/* Read this machine's; -1 with errno set. */
int ts_meminfo_read(struct ts_meminfo *mi);

/* Machine totals, from SYSTEM_GET when the module has it, else counted. */
struct ts_totals {
	bool from_system;
	uint32_t processes, threads, running, blocked;
	bool has_load;		/* load and uptime need SYSTEM_GET */
	uint32_t load[3];	/* x 1000 */
	uint64_t uptime_ns;
	double cpu_pct;		/* sum over all threads */
};

struct ts_model_stage;

struct ts_model {
	/* The published sample; read-only for users. */
	uint64_t seq;		/* samples committed so far */
	uint64_t mono_ns;	/* CLOCK_MONOTONIC when it was taken */
	uint64_t real_ns;	/* CLOCK_REALTIME when it was taken */
	uint64_t interval_ns;	/* since the previous one; 0: no rates */
	bool complete;		/* the thread dump was consistent */

	bool has_system;
	struct ts_system system;
	bool has_meminfo;	/* live samples only: not recorded */
	struct ts_meminfo meminfo;
	struct ts_totals totals;

	struct ts_mthread *threads;	/* in dump order (ascending tid) */
	size_t n_threads;
	struct ts_mprocess *processes;
	size_t n_processes;
	uint32_t *by_process;	/* thread indices grouped by process */
	struct ts_mcpu *cpus;	/* index = CPU number */
	size_t n_cpus;
	bool has_cpus;		/* any CPU_GET data */
	uint32_t *by_cpu;	/* thread indices grouped by CPU */

	uint32_t *vanished;	/* tids gone since the previous sample (the
				 * tombs of this sample) */
	size_t n_vanished;
	size_t n_new;

	/* Exit events (ts_model_add_event, fed while subscribed): */
	bool has_exits;		/* this sample's tombs are complete: threads
				 * that came and went between two samples
				 * are tombs too (TS_MF_FINAL) */
	size_t n_exited;	/* TS_MF_FINAL tombs of this sample */
	uint64_t events_lost;	/* exit events lost since the previous
				 * sample: that many exits are not shown */

	bool has_detail;	/* every group of one thread, if asked */
	struct ts_thread detail;

	struct ts_model_stage *stage;	/* private */
};

void ts_model_init(struct ts_model *m);
void ts_model_free(struct ts_model *m);

/* Start staging a sample taken at these clock readings. */
int ts_model_begin(struct ts_model *m, uint64_t mono_ns, uint64_t real_ns);
void ts_model_set_system(struct ts_model *m, const struct ts_system *sys);
/* The machine's memory, for MEM% and the meters. */
void ts_model_set_meminfo(struct ts_model *m, const struct ts_meminfo *mi);
int ts_model_add_cpu(struct ts_model *m, const struct ts_cpu *cpu);
int ts_model_add_thread(struct ts_model *m, const struct ts_thread *t);
/*
 * Stage an event of an events subscription (ts_events_subscribe) received
 * since the previous sample. An exit makes its thread a tomb of this
 * sample with its final numbers (TS_MF_FINAL), whether the previous sample
 * saw the thread or not; an exit of a thread still in this sample's dump
 * (it exited after being dumped) waits for the next sample. A thread that
 * is not in the dump and has no process in it becomes a tomb process with
 * it. The event's lost count goes to events_lost. Other types are ignored.
 * Marks the sample has_exits.
 */
int ts_model_add_event(struct ts_model *m, const struct ts_event *ev);
/* Take ownership of @t (every group of one thread); @t is cleared. */
void ts_model_set_detail(struct ts_model *m, struct ts_thread *t);
/*
 * Publish the staged sample. A thread of the published sample that the
 * staged one lacks has exited (the module's dump contract: a thread that
 * lived through the dump is in it, interrupted or not): it is kept for
 * this one sample as a tomb (TS_MF_EXITED, state 'X', no rates, on no
 * CPU), then dropped. @complete false only says that threads created
 * during the dump may be missing. Returns -1 (errno ENOMEM) if memory ran
 * out; the model is then left empty, as if no sample had been taken.
 */
int ts_model_commit(struct ts_model *m, bool complete);
/* Forget the staged sample (a sample that failed half-way). */
void ts_model_abort(struct ts_model *m);

/* Lookups in the published sample; NULL when absent. */
const struct ts_mthread *ts_model_thread(const struct ts_model *m,
					 uint32_t tid);
const struct ts_mprocess *ts_model_process(const struct ts_model *m,
					   uint32_t tgid);

/* ---- rows: what a view lists, in order ---- */

/* Columns a row can be sorted by (and a tool can show). */
enum ts_col {
	TS_COL_ID, TS_COL_USER, TS_COL_STATE, TS_COL_CPU, TS_COL_POLICY,
	TS_COL_PRI, TS_COL_NI, TS_COL_CPU_PCT, TS_COL_WAIT_PCT, TS_COL_VCSW,
	TS_COL_ICSW, TS_COL_MIGR, TS_COL_THREADS, TS_COL_TIME, TS_COL_VIRT,
	TS_COL_RES, TS_COL_SHR, TS_COL_MEM_PCT, TS_COL_COMMAND,
	TS_COL_LAT_MAX, TS_COL_LAT_P99,
	TS_COLS
};

enum ts_rows_mode {
	TS_ROWS_PROCESSES,	/* a row per process, expanded ones' threads
				 * beneath */
	TS_ROWS_THREADS,	/* a row per thread */
	TS_ROWS_CORES,		/* a row per CPU, the threads that ran on it
				 * beneath, busiest first */
};

enum ts_row_kind { TS_ROW_PROCESS, TS_ROW_THREAD, TS_ROW_CPU };

/* A small set of ids (expanded processes). */
struct ts_idset {
	uint32_t *v;
	size_t n, cap;
};

bool ts_idset_has(const struct ts_idset *s, uint32_t id);
int ts_idset_add(struct ts_idset *s, uint32_t id);
void ts_idset_del(struct ts_idset *s, uint32_t id);
void ts_idset_free(struct ts_idset *s);

struct ts_rows_query {
	enum ts_rows_mode mode;
	enum ts_col sort;
	bool invert;		/* reverse the column's natural order */
	bool tree;		/* processes under their parents */
	bool kernel_threads;	/* show kernel threads */
	const char *filter;	/* COMMAND substring, any case; NULL: all */
	uint32_t only_tgid;	/* one process only; 0: all */
	const struct ts_idset *only_tgids;	/* these processes; NULL: all */
	bool by_uid;		/* one user's only */
	uint32_t uid;
	const struct ts_idset *expanded;	/* processes showing threads */
};

/* Intervals between samples the model accepts for rates: a recording
 * claiming less than 1 ms or more than a day gets none for that sample.
 */
#define TS_INTERVAL_MIN_NS	1000000ull
#define TS_INTERVAL_MAX_NS	(86400ull * 1000000000ull)

#define TS_TREE_DEPTH	32	/* deeper rows are drawn at this depth */

struct ts_row {
	uint32_t index;		/* in threads, processes or cpus */
	uint8_t kind;		/* enum ts_row_kind */
	uint8_t depth;		/* tree depth */
	bool last;		/* last of its siblings */
	bool expanded;		/* process row with its threads beneath */
	uint32_t guides;	/* bit d: depth d still has siblings below */
};

struct ts_rows {
	struct ts_row *v;
	size_t n, cap;
};

int ts_rows_build(const struct ts_model *m, const struct ts_rows_query *q,
		  struct ts_rows *rows);
void ts_rows_free(struct ts_rows *rows);

/* The stat a process or thread row shows; NULL for a CPU row. */
const struct ts_mstat *ts_row_stat(const struct ts_model *m,
				   const struct ts_row *r);
/* The id that identifies a row across samples (tid, tgid or CPU). */
uint32_t ts_row_id(const struct ts_model *m, const struct ts_row *r);
/* Does COMMAND contain @text, ignoring case? */
bool ts_comm_matches(const char *comm, const char *text);
/*
 * The next row from @from (wrapping, @from itself included) whose COMMAND
 * contains @text; -1 when none.
 */
long ts_rows_find(const struct ts_model *m, const struct ts_rows *rows,
		  size_t from, const char *text);
/*
 * A thread whose COMMAND contains @text in a process whose threads @q
 * does not list (not expanded), in the processes mode; its tid, or 0. For
 * a search that must find threads hidden under collapsed processes.
 */
uint32_t ts_model_find_thread(const struct ts_model *m,
			      const struct ts_rows_query *q, const char *text);

/* ---- command lines (COMMAND of process rows) ---- */

struct ts_cmdline {
	uint32_t tgid;
	uint64_t start_time;
	char *text;		/* NULs as spaces, raw; NULL: none (a kernel
				 * thread, a zombie, gone): show comm */
	uint32_t prog_off, prog_len;	/* argv[0]'s basename in text */
};

/* Read once per process lifetime (tgid and start time); not thread-safe. */
struct ts_cmdlines {
	struct ts_cmdline *v;
	size_t n, cap;
	struct ts_idmap map;	/* tgid -> v[] */
	size_t map_for;		/* entries the map was sized for */
	const char *proc;	/* where /proc is; NULL: /proc (tests) */
	bool recorded;		/* a replay's: filled by ts_cmdline_put()
				 * only, never read from /proc */
	uint64_t reads;		/* files read so far */
};

/* @tgid's command line, read on first use; NULL if memory ran out. */
const struct ts_cmdline *ts_cmdline_get(struct ts_cmdlines *c, uint32_t tgid,
					uint64_t start_time);
/* Set @tgid's command line (a replay's, from the recording); @text NULL
 * or "": none. -1 when memory ran out. */
int ts_cmdline_put(struct ts_cmdlines *c, uint32_t tgid, uint64_t start_time,
		   const char *text, uint32_t prog_off, uint32_t prog_len);
/* Move every entry of @src into @dst (replacing @dst's of the same tgid),
 * leaving @src empty; -1 if memory ran out (those entries are lost). */
int ts_cmdlines_move(struct ts_cmdlines *dst, struct ts_cmdlines *src);
/* Forget processes that @m no longer has. */
void ts_cmdlines_prune(struct ts_cmdlines *c, const struct ts_model *m);
void ts_cmdlines_free(struct ts_cmdlines *c);

/* A user's name (or the uid as a number), cached; not thread-safe. */
const char *ts_user_name(uint32_t uid);
/* A user name or number into @uid; 0, or -1 when no such user. */
int ts_user_parse(const char *text, uint32_t *uid);

/* Order of two stats by @col, natural direction (numbers: big first). */
int ts_mstat_cmp(const struct ts_mstat *a, const struct ts_mstat *b,
		 enum ts_col col);

#endif /* THREADSTAT_MODEL_H */
