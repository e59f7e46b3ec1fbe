// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * What `threadstat waits` and `threadstat deadlocks` share: their options,
 * one dump with the sched and wait groups, the library's wait graph, and
 * how a waiter is written (text and JSON). The graph is the library's;
 * this file only reads options and renders.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "wait_load.h"

#define NS_PER_SEC	1000000000.0

int wait_load(int argc, char **argv, const char *usage, struct wait_ctx *ctx)
{
	struct ts_thread_query q = {
		.fields = THREADSTAT_FIELDS_SCHED | THREADSTAT_FIELDS_WAIT,
	};
	struct ts_error err = { 0 };
	struct ts_client *c;
	size_t i;
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	rc = parse_pid_json_options(argc, argv, usage, &ctx->json, &q.tgid);
	if (rc >= 0)
		return rc;
	if (ts_open(&c, &err)) {
		cli_error("%s", err.msg);
		return 1;
	}
	if (ts_thread_list_dump(c, &q, &ctx->list, &err)) {
		cli_error("%s", err.msg);
		ts_close(c);
		return 1;
	}
	if (q.tgid && !ctx->list.n) {
		cli_error("no process %u", q.tgid);
		ts_thread_list_free(&ctx->list);
		ts_close(c);
		return 1;
	}
	for (i = 0; i < ctx->list.n; i++)
		if (ctx->list.v[i].withheld & THREADSTAT_FIELDS_WAIT)
			ctx->withheld++;
	if (ts_wait_graph_build(&ctx->list, &ts_wait_source_live, &ctx->g,
				&err)) {
		cli_error("%s", err.msg);
		ts_thread_list_free(&ctx->list);
		ts_close(c);
		return 1;
	}
	/* a cycle is a deadlock only if a second look still shows it */
	rc = ts_wait_graph_confirm_live(c, q.tgid, &ctx->list, &ctx->g, &err);
	ts_close(c);
	if (rc) {
		cli_error("%s", err.msg);
		wait_free(ctx);
		return 1;
	}
	return -1;
}

int wait_main(int argc, char **argv, const char *usage,
	      const struct wait_view *view)
{
	struct wait_ctx ctx;
	int rc;

	rc = wait_load(argc, argv, usage, &ctx);
	if (rc >= 0)
		return rc;
	if (ctx.json)
		view->json(&ctx);
	else
		view->text(&ctx);
	wait_withheld_note(&ctx);
	rc = view->status ? view->status(&ctx) : 0;
	wait_free(&ctx);
	return rc;
}

void wait_free(struct wait_ctx *ctx)
{
	ts_wait_graph_free(&ctx->g);
	ts_thread_list_free(&ctx->list);
}

void wait_withheld_note(const struct wait_ctx *ctx)
{
	if (ctx->withheld)
		cli_error("what %zu of %zu threads wait on is withheld: it "
			  "needs ptrace rights over them (their uid, or "
			  "CAP_SYS_PTRACE)", ctx->withheld, ctx->list.n);
}

/* The name of @tgid's leader, or "" when it is not in the dump. */
const char *wait_process_name(const struct wait_ctx *ctx, uint32_t tgid)
{
	size_t i;

	for (i = 0; i < ctx->list.n; i++)
		if (ctx->list.v[i].tid == tgid)
			return ctx->list.v[i].comm;
	return "";
}

static void text_name(const char *s)
{
	print_cell(s, 0, true);
}

void wait_text_line(const struct wait_ctx *ctx, const struct ts_waiter *w)
{
	const struct ts_thread *t = &ctx->list.v[w->thread];
	char buf[48];

	printf("%u (", w->tid);
	text_name(t->comm);
	printf(") of %u (", w->tgid);
	text_name(wait_process_name(ctx, w->tgid));
	printf("): blocked %.1f s in %s", w->blocked_ns / NS_PER_SEC,
	       ts_wait_op_text(w, buf, sizeof(buf)));
	if (w->lock != SIZE_MAX) {
		const struct ts_lock *l = &ctx->g.locks[w->lock];

		printf(" on ");
		text_name(l->name);
		printf(" (%s)", ts_lock_kind_name(w->kind));
	}
	if (w->owner_thread != SIZE_MAX) {
		const struct ts_thread *o = &ctx->list.v[w->owner_thread];

		printf(" held by %u (", w->owner_tid);
		text_name(o->comm);
		printf(", state %c) [%s]", o->state ? o->state : '?',
		       ts_owner_how_name(w->owner_how));
	} else if (w->owner_tid) {
		printf(" held by %u [%s]", w->owner_tid,
		       ts_owner_how_name(w->owner_how));
	} else if (w->kind != TS_LOCK_NONE) {
		printf(", owner unknown");
	}
	putchar('\n');
}

void wait_json_waiter(const struct wait_ctx *ctx, const struct ts_waiter *w)
{
	const struct ts_thread *t = &ctx->list.v[w->thread];
	char buf[48];

	printf("{\"tid\":%u,\"tgid\":%u,\"comm\":", w->tid, w->tgid);
	json_string(stdout, t->comm);
	printf(",\"process\":");
	json_string(stdout, wait_process_name(ctx, w->tgid));
	printf(",\"state\":\"%c\",\"syscall\":%d,\"op\":", t->state ? t->state : '?',
	       w->syscall);
	json_string(stdout, ts_wait_op_text(w, buf, sizeof(buf)));
	printf(",\"blocked-ns\":%" PRIu64, w->blocked_ns);
	if (w->fd >= 0)
		printf(",\"fd\":%d", w->fd);
	if (w->lock != SIZE_MAX) {
		printf(",\"lock\":");
		json_string(stdout, ctx->g.locks[w->lock].name);
		printf(",\"lock-addr\":%" PRIu64 ",\"kind\":\"%s\"", w->addr,
		       ts_lock_kind_name(w->kind));
		printf(",\"owner-how\":\"%s\"", ts_owner_how_name(w->owner_how));
	}
	if (w->owner_tid)
		printf(",\"owner-tid\":%u", w->owner_tid);
	if (w->owner_thread != SIZE_MAX) {
		const struct ts_thread *o = &ctx->list.v[w->owner_thread];

		printf(",\"owner-comm\":");
		json_string(stdout, o->comm);
		printf(",\"owner-state\":\"%c\"", o->state ? o->state : '?');
	}
	putchar('}');
}
