/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* Shared by the waits and deadlocks subcommands (wait_load.c). */
#ifndef THREADSTAT_CLI_WAIT_LOAD_H
#define THREADSTAT_CLI_WAIT_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "threadstat.h"
#include "waits.h"

struct wait_ctx {
	struct ts_thread_list list;
	struct ts_wait_graph g;
	size_t withheld;	/* threads whose wait group was withheld */
	bool json;
};

/* How a subcommand renders the graph, and its exit status (NULL: 0). */
struct wait_view {
	void (*json)(const struct wait_ctx *ctx);
	void (*text)(const struct wait_ctx *ctx);
	int (*status)(const struct wait_ctx *ctx);
};

/* Load, render with @view, say what was withheld: the exit status. */
int wait_main(int argc, char **argv, const char *usage,
	      const struct wait_view *view);
/* Options, dump, graph. Return -1 to go on, else the exit status. */
int wait_load(int argc, char **argv, const char *usage, struct wait_ctx *ctx);
void wait_free(struct wait_ctx *ctx);
void wait_withheld_note(const struct wait_ctx *ctx);
const char *wait_process_name(const struct wait_ctx *ctx, uint32_t tgid);
void wait_text_line(const struct wait_ctx *ctx, const struct ts_waiter *w);
void wait_json_waiter(const struct wait_ctx *ctx, const struct ts_waiter *w);

#endif
