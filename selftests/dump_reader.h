/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A THREAD_GET dump read one recv() at a time, for the tests of dump
 * consistency and of the process nest: it keeps, per dump, how many data
 * messages carried NLM_F_DUMP_INTR and whether NLMSG_DONE did; each
 * thread is parsed as threadstat_nl parses it (process nest included).
 */
#ifndef THREADSTAT_SELFTEST_DUMP_READER_H
#define THREADSTAT_SELFTEST_DUMP_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "threadstat_nl.h"

struct dr_dump {
	int error;			/* NLMSG_ERROR or DONE's errno */
	bool done;			/* NLMSG_DONE received */
	bool done_intr;			/* ... with NLM_F_DUMP_INTR */
	unsigned int msgs, msgs_intr;	/* data messages, flagged ones */
	unsigned int n, cap;
	struct tsnl_thread *threads;
};

/* Send a dump request (tgid 0: all, fields 0: the default group). */
int dr_start(struct tsnl *t, uint32_t tgid, uint32_t fields);
/* One recv(): 1 while the dump goes on, 0 at its end, -errno on error. */
int dr_step(struct tsnl *t, struct dr_dump *d);
/* A whole dump. */
int dr_dump(struct tsnl *t, uint32_t tgid, struct dr_dump *d);
/* A THREAD_GET do request for one tid, parsed the same way. */
int dr_get(struct tsnl *t, uint32_t tid, struct tsnl_thread *th);
const struct tsnl_thread *dr_find(const struct dr_dump *d, uint32_t tid);
void dr_free(struct dr_dump *d);

#endif
