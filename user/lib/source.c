// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Choosing the source: the module, or /proc when it is not there. The
 * tools say once what the /proc source cannot give (ts_proc_needs_module);
 * the model and the views see the same structs either way.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char ts_proc_needs_module[] =
	"needs the module: the groups schedstats, delayacct, stack, kstack "
	"and regs; the fields on-cpu, withheld and the process's exited-* "
	"totals; per CPU curr-tid, curr-tgid, curr-comm, nr-running and "
	"nr-threads; the system's nr-running and nr-blocked "
	"(nr-migrations needs /proc/PID/sched, CONFIG_SCHED_DEBUG)";

int ts_source_parse(const char *name, enum ts_source *out)
{
	static const char *const names[] = {
		[TS_SOURCE_AUTO] = "auto",
		[TS_SOURCE_MODULE] = "module",
		[TS_SOURCE_PROC] = "proc",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (name && !strcmp(name, names[i])) {
			*out = (enum ts_source)i;
			return 0;
		}
	return -1;
}

int ts_open_source(struct ts_client **out, enum ts_source src, char *why,
		   size_t why_len, struct ts_error *err)
{
	struct ts_error module_err = { 0 };

	if (why && why_len)
		why[0] = '\0';
	if (src == TS_SOURCE_MODULE)
		return ts_open(out, err);
	if (src == TS_SOURCE_AUTO) {
		if (!ts_open(out, &module_err))
			return 0;
		if (why && why_len)
			snprintf(why, why_len, "%s", module_err.msg);
	}
	return ts_open_proc(out, err);
}
