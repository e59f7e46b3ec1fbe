// SPDX-License-Identifier: GPL-2.0
/*
 * A counter of thread births and deaths, so a dump can tell its reader that
 * the set of threads changed while it ran (NLM_F_DUMP_INTR).
 *
 * The kernel keeps no exported counter of that kind, so we count ourselves
 * from the sched_process_fork and sched_process_exit tracepoints, which
 * fire for every thread. The tracepoint symbols are not exported to
 * modules; for_each_kernel_tracepoint() finds them by name.
 */
#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "threadstat.h"

static atomic_t ts_generation = ATOMIC_INIT(1);

static struct tracepoint *ts_tp_fork;
static struct tracepoint *ts_tp_exit;

static void ts_probe_fork(void *data, struct task_struct *parent,
			  struct task_struct *child)
{
	atomic_inc(&ts_generation);
}

static void ts_probe_exit(void *data, struct task_struct *task)
{
	atomic_inc(&ts_generation);
}

static void ts_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		ts_tp_fork = tp;
	else if (!strcmp(tp->name, "sched_process_exit"))
		ts_tp_exit = tp;
}

/**
 * ts_generation_read() - the current thread-set generation
 *
 * Return: a number that changes whenever a thread is created or exits.
 */
u32 ts_generation_read(void)
{
	return atomic_read(&ts_generation);
}

/**
 * ts_generation_init() - start counting thread births and deaths
 *
 * Return: 0, -ENOENT when the tracepoints are missing, or the error of
 * tracepoint_probe_register().
 */
int ts_generation_init(void)
{
	int err;

	for_each_kernel_tracepoint(ts_find_tracepoint, NULL);
	if (!ts_tp_fork || !ts_tp_exit) {
		pr_err("threadstat: sched_process_fork/exit tracepoints not found\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(ts_tp_fork, ts_probe_fork, NULL);
	if (err)
		return err;
	err = tracepoint_probe_register(ts_tp_exit, ts_probe_exit, NULL);
	if (err) {
		tracepoint_probe_unregister(ts_tp_fork, ts_probe_fork, NULL);
		tracepoint_synchronize_unregister();
	}
	return err;
}

/**
 * ts_generation_exit() - stop counting; no probe runs after this returns
 */
void ts_generation_exit(void)
{
	tracepoint_probe_unregister(ts_tp_exit, ts_probe_exit, NULL);
	tracepoint_probe_unregister(ts_tp_fork, ts_probe_fork, NULL);
	tracepoint_synchronize_unregister();
}
