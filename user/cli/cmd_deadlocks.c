// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat deadlocks: every cycle in the wait-for graph. Exit status 0
 * when there is none, 3 when there is at least one, 1 on error -- and 1
 * when no cycle was found but what some threads wait on was withheld
 * (we cannot say there is none).
 */
#include <stdio.h>

#include "cli.h"
#include "output.h"
#include "wait_load.h"

#define EXIT_DEADLOCK	3

static const char deadlocks_usage[] =
	"usage: threadstat deadlocks [--pid TGID] [--json]\n"
	"exit status: 0 no deadlock, 3 deadlock found, 1 error (or what some\n"
	"threads wait on was withheld and no deadlock was found)\n";

static void print_json(const struct wait_ctx *ctx)
{
	size_t i, j;

	printf("{\"deadlocks\":[");
	for (i = 0; i < ctx->g.n_cycles; i++) {
		const struct ts_cycle *c = &ctx->g.cycles[i];

		printf("%s{\"threads\":[", i ? "," : "");
		for (j = 0; j < c->n; j++) {
			if (j)
				putchar(',');
			wait_json_waiter(ctx, &ctx->g.w[c->w[j]]);
		}
		printf("]}");
	}
	printf("],\"threads\":%zu,\"withheld\":%zu}\n", ctx->list.n,
	       ctx->withheld);
}

static void print_text(const struct wait_ctx *ctx)
{
	size_t i, j;

	if (!ctx->g.n_cycles)
		printf("no deadlock among %zu threads (%zu blocked)\n",
		       ctx->list.n, ctx->g.n);
	for (i = 0; i < ctx->g.n_cycles; i++) {
		const struct ts_cycle *c = &ctx->g.cycles[i];

		printf("deadlock %zu: %zu thread%s\n", i + 1, c->n,
		       c->n == 1 ? " waiting for itself" : "s");
		for (j = 0; j < c->n; j++) {
			printf("  ");
			wait_text_line(ctx, &ctx->g.w[c->w[j]]);
		}
	}
}

static int status(const struct wait_ctx *ctx)
{
	return ctx->g.n_cycles ? EXIT_DEADLOCK : ctx->withheld ? 1 : 0;
}

int cmd_deadlocks(int argc, char **argv)
{
	static const struct wait_view view = { print_json, print_text, status };

	return wait_main(argc, argv, deadlocks_usage, &view);
}
