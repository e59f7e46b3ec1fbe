// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * cpu_system_snapshot -- the CPU_GET and SYSTEM_GET rows of `make bench`:
 * what one request costs, which is one walk over every thread of the
 * caller's pid namespace in the kernel (bounded RCU batches, see
 * kmod/thread_walk.c) plus the reply.
 *
 * usage: cpu_system_snapshot cpus|cpu|system [--runs R] [--warmup W]
 *
 *   cpus    one CPU_GET dump of every CPU (one walk per dump)
 *   cpu     one CPU_GET do request for CPU 0 (one walk per request)
 *   system  one SYSTEM_GET request
 *
 * The reported thread count is what the kernel counted (nr-threads summed
 * over CPUs, or the system's), so the per-thread cost divides by the
 * number actually walked.
 */
#include <stdio.h>
#include <string.h>

#include "bench_run.h"
#include "threadstat.h"

struct cs_ctx {
	struct ts_client *client;
	const char *what;
};

static long snapshot(void *arg)
{
	struct cs_ctx *ctx = arg;
	struct ts_error err;
	long threads = 0;

	if (!strcmp(ctx->what, "system")) {
		struct ts_system sys;

		if (ts_system_get(ctx->client, &sys, &err))
			goto fail;
		threads = sys.nr_threads;
	} else if (!strcmp(ctx->what, "cpu")) {
		struct ts_cpu cpu;

		if (ts_cpu_get(ctx->client, 0, &cpu, &err))
			goto fail;
		threads = cpu.nr_threads;
	} else {
		struct ts_cpu_list list = { 0 };
		size_t i;

		if (ts_cpu_list_dump(ctx->client, &list, &err))
			goto fail;
		for (i = 0; i < list.n; i++)
			threads += list.v[i].nr_threads;
		ts_cpu_list_free(&list);
	}
	return threads;
fail:
	fprintf(stderr, "cpu_system_snapshot: %s\n", err.msg);
	return -1;
}

int main(int argc, char **argv)
{
	struct cs_ctx ctx = { 0 };
	int runs = 5, warmup = 1, rc;
	struct ts_error err;

	if (bench_parse(&argc, argv, &runs, &warmup) || argc != 2 ||
	    (strcmp(argv[1], "cpus") && strcmp(argv[1], "cpu") &&
	     strcmp(argv[1], "system")))
		goto usage;
	ctx.what = argv[1];
	if (ts_open(&ctx.client, &err)) {
		fprintf(stderr, "cpu_system_snapshot: %s\n", err.msg);
		return 1;
	}
	rc = bench_loop(snapshot, &ctx, runs, warmup);
	ts_close(ctx.client);
	return rc;

usage:
	fprintf(stderr, "usage: cpu_system_snapshot cpus|cpu|system [--runs R] [--warmup W]\n");
	return 2;
}
