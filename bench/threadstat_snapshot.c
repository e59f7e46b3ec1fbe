// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat_snapshot -- methods (a) and (b) of `make bench`, and the
 * per-field-group costs: one THREAD_GET dump of every thread through
 * libthreadstat.
 *
 * usage: threadstat_snapshot [--runs R] [--warmup W] [--fields GROUPS]
 *
 * GROUPS is what `threadstat threads --fields` takes ("sched",
 * "schedstats,delayacct", "all"); without it the module's default group is
 * dumped. The socket is opened once, as a refreshing tool keeps it open;
 * each timed snapshot is one ts_thread_dump(), the kernel filling the
 * replies and the library decoding every message into a struct ts_thread.
 * A dump the kernel flags as interrupted (a thread was born or died) still
 * counts; the number of such runs goes to stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bench_run.h"
#include "threadstat.h"

struct snapshot_ctx {
	struct ts_client *client;
	struct ts_thread_query query;
	uint64_t checksum;
	unsigned int interrupted;
};

static int take_thread(const struct ts_thread *t, void *arg)
{
	struct snapshot_ctx *ctx = arg;

	ctx->checksum += t->tid + t->state + t->sum_exec_runtime + t->utime +
			 t->stime + t->nvcsw + t->nivcsw + t->counters[0];
	return 0;
}

static long snapshot(void *arg)
{
	struct snapshot_ctx *ctx = arg;
	struct ts_dump_info info;
	struct ts_error err;

	if (ts_thread_dump(ctx->client, &ctx->query, take_thread, ctx, &info,
			   &err)) {
		fprintf(stderr, "threadstat_snapshot: %s\n", err.msg);
		return -1;
	}
	ctx->interrupted += info.interrupted;
	return (long)info.messages;
}

int main(int argc, char **argv)
{
	struct snapshot_ctx ctx = { 0 };
	int runs = 5, warmup = 1, rc;
	struct ts_error err;

	if (bench_parse(&argc, argv, &runs, &warmup))
		goto usage;
	if (argc == 3 && !strcmp(argv[1], "--fields")) {
		char bad[64];
		int64_t mask = ts_groups_parse(argv[2], bad, sizeof(bad));

		if (mask < 0) {
			fprintf(stderr, "threadstat_snapshot: unknown group %s\n",
				bad);
			return 2;
		}
		ctx.query.fields = (uint32_t)mask;
	} else if (argc != 1) {
		goto usage;
	}

	if (ts_open(&ctx.client, &err)) {
		fprintf(stderr, "threadstat_snapshot: %s\n", err.msg);
		return 1;
	}
	rc = bench_loop(snapshot, &ctx, runs, warmup);
	fprintf(stderr, "threadstat_snapshot: checksum %llu, %u interrupted dumps\n",
		(unsigned long long)ctx.checksum, ctx.interrupted);
	ts_close(ctx.client);
	return rc;

usage:
	fprintf(stderr, "usage: threadstat_snapshot [--runs R] [--warmup W] [--fields GROUPS]\n");
	return 2;
}
