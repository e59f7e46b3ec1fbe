// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a kernel tracepoint by name. The scheduler's and the task
 * lifecycle's tracepoint symbols (__tracepoint_sched_switch, ...) are not
 * exported to modules; for_each_kernel_tracepoint() is, and walks every
 * tracepoint built into the kernel.
 */
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "threadstat.h"

struct ts_tp_query {
	const char *name;
	struct tracepoint *found;
};

static void ts_tp_match(struct tracepoint *tp, void *priv)
{
	struct ts_tp_query *q = priv;

	if (!q->found && !strcmp(tp->name, q->name))
		q->found = tp;
}

/**
 * ts_tracepoint_lookup() - the kernel's tracepoint called @name
 * @name: its name, e.g. "sched_switch"
 *
 * Context: process context; walks the built-in tracepoints (a few
 * hundred string compares), so call it at init, not per request.
 * Return: the tracepoint, or NULL when this kernel has none by that name.
 */
struct tracepoint *ts_tracepoint_lookup(const char *name)
{
	struct ts_tp_query q = { .name = name };

	for_each_kernel_tracepoint(ts_tp_match, &q);
	return q.found;
}
