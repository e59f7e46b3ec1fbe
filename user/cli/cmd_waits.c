// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat waits: every blocked thread (longest waits first), what it
 * waits on and who holds it, then the contention per lock (most waiters
 * first).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "output.h"
#include "wait_load.h"

static const char waits_usage[] =
	"usage: threadstat waits [--pid TGID] [--json]\n";

static void print_lock_owner_json(const struct wait_ctx *ctx,
				  const struct ts_lock *l)
{
	size_t i;

	printf(",\"owner-how\":\"%s\"", ts_owner_how_name(l->owner_how));
	if (!l->owner_tid)
		return;
	printf(",\"owner-tid\":%u", l->owner_tid);
	for (i = 0; i < ctx->list.n; i++)
		if (ctx->list.v[i].tid == l->owner_tid) {
			printf(",\"owner-comm\":");
			json_string(stdout, ctx->list.v[i].comm);
			break;
		}
}

static void print_json(const struct wait_ctx *ctx)
{
	size_t i;

	printf("{\"waiters\":[");
	for (i = 0; i < ctx->g.n; i++) {
		if (i)
			putchar(',');
		wait_json_waiter(ctx, &ctx->g.w[i]);
	}
	printf("],\"locks\":[");
	for (i = 0; i < ctx->g.n_locks; i++) {
		const struct ts_lock *l = &ctx->g.locks[i];

		printf("%s{\"lock\":", i ? "," : "");
		json_string(stdout, l->name);
		printf(",\"tgid\":%u,\"addr\":%" PRIu64 ",\"kind\":\"%s\","
		       "\"shared\":%s,\"waiters\":%zu,\"longest-ns\":%" PRIu64,
		       l->tgid, l->addr, ts_lock_kind_name(l->kind),
		       l->shared ? "true" : "false", l->n_waiters,
		       l->longest_ns);
		print_lock_owner_json(ctx, l);
		putchar('}');
	}
	printf("],\"deadlocks\":%zu,\"threads\":%zu,\"withheld\":%zu}\n",
	       ctx->g.n_cycles, ctx->list.n, ctx->withheld);
}

static void print_text(const struct wait_ctx *ctx)
{
	size_t i;

	printf("%zu blocked of %zu threads\n", ctx->g.n, ctx->list.n);
	for (i = 0; i < ctx->g.n; i++)
		wait_text_line(ctx, &ctx->g.w[i]);
	if (!ctx->g.n_locks)
		return;
	printf("\nlocks (most waiters first):\n");
	for (i = 0; i < ctx->g.n_locks; i++) {
		const struct ts_lock *l = &ctx->g.locks[i];

		printf("  ");
		print_cell(l->name, 0, true);
		printf(" (%s) of %u: %zu waiter%s, longest %.1f s, ",
		       ts_lock_kind_name(l->kind), l->tgid, l->n_waiters,
		       l->n_waiters == 1 ? "" : "s", l->longest_ns / 1e9);
		if (l->owner_tid)
			printf("held by %u [%s]\n", l->owner_tid,
			       ts_owner_how_name(l->owner_how));
		else
			printf("owner unknown\n");
	}
	if (ctx->g.n_cycles)
		printf("\n%zu deadlock%s: see threadstat deadlocks\n",
		       ctx->g.n_cycles, ctx->g.n_cycles == 1 ? "" : "s");
}

int cmd_waits(int argc, char **argv)
{
	static const struct wait_view view = { print_json, print_text, NULL };

	return wait_main(argc, argv, waits_usage, &view);
}
