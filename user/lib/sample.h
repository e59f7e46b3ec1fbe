/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Samples: the machine, its CPUs and its threads at one moment, staged into
 * a model, either taken live from the module or read back from a
 * recording. A live sample can be recorded as it is taken.
 */
#ifndef THREADSTAT_SAMPLE_H
#define THREADSTAT_SAMPLE_H

#include "model.h"
#include "record.h"
#include "waits.h"

struct ts_sample_opts {
	uint32_t fields;	/* groups per thread; 0: sched */
	uint32_t tgid;		/* one process only; 0: all */
	uint32_t detail_tid;	/* also every group of this thread; 0: none */
	/* While recording: each process's command line, read through this
	 * cache (once per process lifetime), goes into every sample. */
	struct ts_cmdlines *cmdlines;
	/* Not NULL: every thread is kept here too, and the wait graph and
	 * tree built from them (ask for THREADSTAT_FIELDS_WAIT in fields). */
	struct ts_waits *waits;
	/* Not NULL: drained into each sample (ts_exit_feed_drain) before it
	 * ends, and recorded with it (EXIT frames). */
	struct ts_exit_feed *exits;
};

/*
 * Take a sample into @m's staging area (ts_model_commit() publishes it),
 * recording it into @w when not NULL. SYSTEM_GET and CPU_GET are optional:
 * a module without them (EOPNOTSUPP) gives a sample of threads only.
 * *@complete is false when the thread set changed during the dump.
 */
int ts_sample_take(struct ts_client *c, const struct ts_sample_opts *o,
		   struct ts_model *m, struct ts_rec_writer *w, bool *complete,
		   struct ts_error *err);

/*
 * Stage the next recorded sample of @r into @m: 1, or 0 when the
 * recording ends, or -1 (with the offset of the bad frame in @err). The
 * command lines the sample carries go into @cmdlines (a recorded store)
 * when it is not NULL; its exit events into @m, as the live drain did.
 */
int ts_sample_replay(struct ts_rec_reader *r, struct ts_model *m,
		     struct ts_cmdlines *cmdlines, bool *complete,
		     struct ts_error *err);

/*
 * ts_sample_replay(), and when @waits is not NULL the sample's threads
 * and wait graph into it (owners and lock names as the recorder found
 * them: its WAITER frames). @waits is emptied first.
 */
int ts_sample_replay_waits(struct ts_rec_reader *r, struct ts_model *m,
			   struct ts_cmdlines *cmdlines,
			   struct ts_waits *waits, bool *complete,
			   struct ts_error *err);

/* Start recording into @path: this machine's description, then samples. */
int ts_sample_record_open(struct ts_rec_writer **w, const char *path,
			  const char *writer, uint32_t fields,
			  struct ts_error *err);

/*
 * Exits between samples (exit_feed.c): subscribe to the exit events of
 * process @tgid (0: all), then after each ts_sample_take() drain what came
 * into the staged sample (ts_model_add_event), so that threads that lived
 * and died between two samples are its tombs. A drain first asks the
 * module for a barrier (ts_events_sync), so the exit of every thread the
 * dump missed is in it. Needs the module.
 */
struct ts_exit_feed;
int ts_exit_feed_open(struct ts_exit_feed **f, uint32_t tgid,
		      struct ts_error *err);
/* Returns 0, or -1 with @err (out of memory, a socket error). */
int ts_exit_feed_drain(struct ts_exit_feed *f, struct ts_model *m,
		       struct ts_error *err);
/* Show each notification a drain reads to @cb (ts_set_capture). */
void ts_exit_feed_capture(struct ts_exit_feed *f, ts_capture_cb cb,
			  void *arg);
/* Mark the staged sample as drained: its tombs are complete. */
int ts_exit_feed_mark(struct ts_model *m);
void ts_exit_feed_close(struct ts_exit_feed *f);

uint64_t ts_clock_ns(int clock);	/* clock_gettime() in ns */

#endif /* THREADSTAT_SAMPLE_H */
