// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * task_iter_snapshot -- method (f) of `make bench`: one snapshot of every
 * thread through the BPF task iterator in task_fields.bpf.c.
 *
 * usage: task_iter_snapshot [--runs R] [--warmup W]   (root)
 *
 * The program is loaded and its iterator link attached once (as a tool
 * refreshing every second would keep them); each timed snapshot creates an
 * iterator fd (bpf_iter_create), read()s it to the end in 64 KiB chunks and
 * walks the fixed-size records, summing fields as threadstat_snapshot does
 * with its decoded threads. Each snapshot also checks itself: this
 * process's own record must be there, with its tgid, comm and uid, so a
 * CO-RE relocation gone wrong fails the bench instead of timing garbage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "../bench_run.h"
#include "task_record.h"
#include "task_fields.skel.h"

struct iter_ctx {
	struct bpf_link *link;
	uint64_t checksum;
	char comm[16];
};

/* The record of the calling thread: tgid, comm and uid must match. */
static int check_self(const struct ts_bpf_task *r, const struct iter_ctx *ctx)
{
	if ((pid_t)r->tgid != getpid() || r->uid != getuid() ||
	    strncmp(r->comm, ctx->comm, sizeof(r->comm)) ||
	    r->state != 'R' || r->nice != getpriority(PRIO_PROCESS, 0)) {
		fprintf(stderr,
			"task_iter_snapshot: own record wrong: tgid %u uid %u comm %.16s state %c nice %d\n",
			r->tgid, r->uid, r->comm, r->state, r->nice);
		return -1;
	}
	return 0;
}

static long snapshot(void *arg)
{
	static char buf[65536];
	struct iter_ctx *ctx = arg;
	pid_t self = gettid();
	long threads = 0, seen_self = 0;
	size_t have = 0;
	ssize_t n;
	int fd;

	fd = bpf_iter_create(bpf_link__fd(ctx->link));
	if (fd < 0) {
		fprintf(stderr, "task_iter_snapshot: bpf_iter_create: %s\n",
			strerror(errno));
		return -1;
	}
	/* Records may straddle reads: keep the tail for the next one. */
	while ((n = read(fd, buf + have, sizeof(buf) - have)) > 0) {
		size_t off = 0;

		have += n;
		for (; have - off >= sizeof(struct ts_bpf_task);
		     off += sizeof(struct ts_bpf_task)) {
			struct ts_bpf_task r;

			memcpy(&r, buf + off, sizeof(r));
			ctx->checksum += r.tid + r.state + r.sum_exec_runtime +
					 r.utime + r.stime + r.nvcsw + r.nivcsw;
			threads++;
			if ((pid_t)r.tid == self) {
				if (check_self(&r, ctx))
					goto fail;
				seen_self++;
			}
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	if (n < 0 || have) {
		fprintf(stderr, "task_iter_snapshot: read: %s\n",
			n < 0 ? strerror(errno) : "partial record");
		goto fail;
	}
	close(fd);
	if (seen_self != 1) {
		fprintf(stderr, "task_iter_snapshot: own thread seen %ld times\n",
			seen_self);
		return -1;
	}
	return threads;
fail:
	close(fd);
	return -1;
}

int main(int argc, char **argv)
{
	struct iter_ctx ctx = { 0 };
	struct task_fields *skel;
	int runs = 5, warmup = 1, rc;

	if (bench_parse(&argc, argv, &runs, &warmup) || argc != 1) {
		fprintf(stderr, "usage: task_iter_snapshot [--runs R] [--warmup W]\n");
		return 2;
	}
	prctl(PR_GET_NAME, ctx.comm);
	skel = task_fields__open_and_load();
	if (!skel) {
		fprintf(stderr, "task_iter_snapshot: loading task_fields.bpf.o failed: %s\n",
			strerror(errno));
		return 1;
	}
	ctx.link = bpf_program__attach_iter(skel->progs.dump_task, NULL);
	if (!ctx.link) {
		fprintf(stderr, "task_iter_snapshot: attaching the iterator: %s\n",
			strerror(errno));
		task_fields__destroy(skel);
		return 1;
	}
	rc = bench_loop(snapshot, &ctx, runs, warmup);
	fprintf(stderr, "task_iter_snapshot: checksum %llu\n",
		(unsigned long long)ctx.checksum);
	bpf_link__destroy(ctx.link);
	task_fields__destroy(skel);
	return rc;
}
