// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * format_snapshot -- one dump of every thread through the bench-only
 * tsfmt.ko (bench/format/tsfmt.c), in one message format, timed like every
 * method of `make bench` (bench_run.h).
 *
 * usage: format_snapshot --format F [--runs R] [--warmup W]   (tsfmt.ko loaded)
 *
 * F is the format the module sends and how this program reads it:
 *   0   attrs: a message per thread with the production attributes, each
 *       decoded by the production library's own decoder, ts_thread_decode()
 *       (libthreadstat, into the 1192-byte struct ts_thread), as
 *       threadstat_snapshot's dump does
 *   1   packed: a message per thread, one record attribute, copied into a
 *       struct tsfmt_record (min(size, sizeof), the rest zeroed)
 *   2   array: records packed many to a message, copied likewise
 *   2t  array, each record turned into a struct ts_thread (zeroed, fields
 *       and present bits set): what the library's current API would cost
 *       on top of a packed format
 *   3   walk: the module reads every thread and sends only counts
 * The socket is opened once and reads with a 64 KiB buffer, as the
 * library's. Each snapshot sums a few fields of every thread (as
 * threadstat_snapshot does) and checks the calling thread's own record
 * (tid, tgid, comm, uid, state R), so a broken format fails instead of
 * being timed; format 3 carries no records and checks only the count.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "../bench_run.h"
#include "threadstat.h"
#include "tsfmt.h"

#define RECV_BUF	(64 * 1024)

struct fmt_ctx {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq, portid;
	uint32_t format;
	bool into_ts_thread;
	char *buf;
	char comm[16];
	uint64_t checksum;
	long threads, seen_self;
	unsigned int interrupted;
};

static int check_self(const struct fmt_ctx *c, uint32_t tgid, uint32_t uid,
		      const char *comm, char state)
{
	if (tgid != (uint32_t)getpid() || uid != getuid() ||
	    strncmp(comm, c->comm, 16) || state != 'R') {
		fprintf(stderr,
			"format_snapshot: own record wrong: tgid %u uid %u comm %.16s state %c\n",
			tgid, uid, comm, state);
		return -1;
	}
	return 0;
}

static int take_ts_thread(struct fmt_ctx *c, const struct ts_thread *t)
{
	c->checksum += t->tid + t->state + t->sum_exec_runtime + t->utime +
		       t->stime + t->nvcsw + t->nivcsw + t->counters[0];
	c->threads++;
	if (t->tid == (uint32_t)gettid()) {
		if (check_self(c, t->tgid, t->uid, t->comm, t->state))
			return -1;
		c->seen_self++;
	}
	return 0;
}

static void set_present(struct ts_thread *t, uint16_t type)
{
	t->present[type / 64] |= 1ull << (type % 64);
}

/* A packed record as the library's API would hand it out (format 2t). */
static void record_to_ts_thread(const struct tsfmt_record *r,
				struct ts_thread *t)
{
	uint16_t type;

	memset(t, 0, sizeof(*t));
	t->tid = r->tid;
	t->tgid = r->tgid;
	t->ppid = r->ppid;
	t->uid = r->uid;
	memcpy(t->comm, r->comm, sizeof(r->comm));
	t->comm[sizeof(r->comm) - 1] = '\0';
	t->start_time = r->start_time;
	t->kthread = r->flags & TSFMT_F_KTHREAD;
	t->state = (char)r->state;
	t->on_cpu = r->flags & TSFMT_F_ON_CPU;
	t->cpu = r->cpu;
	t->policy = r->policy;
	t->rt_priority = r->rt_priority;
	t->nr_cpus_allowed = r->nr_cpus_allowed;
	t->nice = r->nice;
	t->prio = r->prio;
	t->static_prio = r->static_prio;
	t->cpus_allowed[0] = r->cpus_allowed;
	t->sum_exec_runtime = r->sum_exec_runtime;
	t->utime = r->utime;
	t->stime = r->stime;
	t->run_delay = r->run_delay;
	t->pcount = r->pcount;
	t->nvcsw = r->nvcsw;
	t->nivcsw = r->nivcsw;
	t->nr_migrations = r->nr_migrations;
	t->min_flt = r->min_flt;
	t->maj_flt = r->maj_flt;
	if (r->present & TSFMT_P_IDENTITY)
		for (type = THREADSTAT_A_THREAD_TID;
		     type <= THREADSTAT_A_THREAD_START_TIME; type++)
			set_present(t, type);
	if (t->kthread)
		set_present(t, THREADSTAT_A_THREAD_KTHREAD);
	if (r->present & TSFMT_P_SCHED)
		for (type = THREADSTAT_A_THREAD_STATE;
		     type <= THREADSTAT_A_THREAD_MAJ_FLT; type++)
			if (type != THREADSTAT_A_THREAD_ON_CPU || t->on_cpu)
				set_present(t, type);
}

static int take_record(struct fmt_ctx *c, const struct nlattr *a)
{
	size_t len = mnl_attr_get_payload_len(a);
	struct tsfmt_record r;

	if (len < offsetof(struct tsfmt_record, tid)) {
		fprintf(stderr, "format_snapshot: record of %zu bytes\n", len);
		return -1;
	}
	/* Forward compatible: a newer kernel's longer record is cut, an
	 * older kernel's shorter one is zero-filled.
	 */
	if (len >= sizeof(r)) {
		memcpy(&r, mnl_attr_get_payload(a), sizeof(r));
	} else {
		memset(&r, 0, sizeof(r));
		memcpy(&r, mnl_attr_get_payload(a), len);
	}
	if (c->into_ts_thread) {
		struct ts_thread t;

		record_to_ts_thread(&r, &t);
		return take_ts_thread(c, &t);
	}
	c->checksum += r.tid + r.state + r.sum_exec_runtime + r.utime +
		       r.stime + r.nvcsw + r.nivcsw;
	c->threads++;
	if (r.tid == (uint32_t)gettid()) {
		if (check_self(c, r.tgid, r.uid, r.comm, (char)r.state))
			return -1;
		c->seen_self++;
	}
	return 0;
}

/* One data message of the dump. */
static int take_message(struct fmt_ctx *c, const struct nlmsghdr *nlh)
{
	const void *attrs = (const char *)mnl_nlmsg_get_payload(nlh) +
			    GENL_HDRLEN;
	size_t len = mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN;
	const struct nlattr *attr;

	if (c->format == TSFMT_FORMAT_ATTRS) {
		struct ts_thread t;
		struct ts_error err;
		int rc;

		if (ts_thread_decode(attrs, len, &t, &err)) {
			fprintf(stderr, "format_snapshot: %s\n", err.msg);
			return -1;
		}
		rc = take_ts_thread(c, &t);
		free(t.kernel_stack);	/* none in the default group */
		return rc;
	}
	mnl_attr_for_each_payload(attrs, len) {
		if (mnl_attr_get_type(attr) == TSFMT_A_RECORD) {
			if (take_record(c, attr))
				return -1;
		} else if (mnl_attr_get_type(attr) == TSFMT_A_COUNT &&
			   mnl_attr_get_payload_len(attr) == sizeof(uint32_t)) {
			c->threads += mnl_attr_get_u32(attr);
		}
	}
	return 0;
}

static int send_request(struct fmt_ctx *c, uint16_t type, uint16_t flags,
			uint8_t cmd, uint16_t attr, const void *val, size_t vlen)
{
	char buf[256] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++c->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = 1;
	mnl_attr_put(nlh, attr, vlen, val);
	if (mnl_socket_sendto(c->nl, nlh, nlh->nlmsg_len) < 0) {
		fprintf(stderr, "format_snapshot: send: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Read replies to the last request until DONE (dump) or the ACK. */
static int receive(struct fmt_ctx *c, bool resolving)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(c->nl, c->buf, RECV_BUF);
		const struct nlmsghdr *nlh = (const void *)c->buf;
		int len = (int)n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "format_snapshot: receive: %s\n",
				strerror(errno));
			return -1;
		}
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != c->seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				c->interrupted++;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (!e->error)
					return 0;
				fprintf(stderr, "format_snapshot: kernel: %s%s\n",
					strerror(-e->error), resolving ?
					" (is tsfmt.ko loaded?)" : "");
				return -1;
			}
			if (resolving) {
				const struct nlattr *a;

				mnl_attr_for_each(a, nlh, GENL_HDRLEN)
					if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
						c->family = mnl_attr_get_u16(a);
				continue;
			}
			if (nlh->nlmsg_type == c->family &&
			    take_message(c, nlh))
				return -1;
		}
	}
}

static long snapshot(void *arg)
{
	struct fmt_ctx *c = arg;

	c->threads = 0;
	c->seen_self = 0;
	if (send_request(c, c->family, NLM_F_DUMP, TSFMT_CMD_DUMP,
			 TSFMT_A_FORMAT, &c->format, sizeof(c->format)) ||
	    receive(c, false))
		return -1;
	if (c->format != TSFMT_FORMAT_WALK && c->seen_self != 1) {
		fprintf(stderr, "format_snapshot: own thread seen %ld times\n",
			c->seen_self);
		return -1;
	}
	if (c->threads < 1)
		return -1;
	return c->threads;
}

int main(int argc, char **argv)
{
	struct fmt_ctx c = { 0 };
	int runs = 5, warmup = 1, rc;

	if (bench_parse(&argc, argv, &runs, &warmup) || argc != 3 ||
	    strcmp(argv[1], "--format"))
		goto usage;
	if (!strcmp(argv[2], "2t")) {
		c.format = TSFMT_FORMAT_ARRAY;
		c.into_ts_thread = true;
	} else if (argv[2][0] >= '0' && argv[2][0] <= '0' + TSFMT_FORMAT_MAX &&
		   !argv[2][1]) {
		c.format = argv[2][0] - '0';
	} else {
		goto usage;
	}
	prctl(PR_GET_NAME, c.comm);
	c.buf = malloc(RECV_BUF);
	c.nl = mnl_socket_open(NETLINK_GENERIC);
	if (!c.buf || !c.nl || mnl_socket_bind(c.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "format_snapshot: netlink socket: %s\n",
			strerror(errno));
		return 1;
	}
	if (send_request(&c, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY,
			 CTRL_ATTR_FAMILY_NAME, TSFMT_FAMILY_NAME,
			 sizeof(TSFMT_FAMILY_NAME)) ||
	    receive(&c, true) || !c.family) {
		fprintf(stderr, "format_snapshot: no family %s\n",
			TSFMT_FAMILY_NAME);
		return 1;
	}
	rc = bench_loop(snapshot, &c, runs, warmup);
	fprintf(stderr, "format_snapshot: format %s checksum %llu, %u interrupted messages\n",
		argv[2], (unsigned long long)c.checksum, c.interrupted);
	mnl_socket_close(c.nl);
	free(c.buf);
	return rc;

usage:
	fprintf(stderr, "usage: format_snapshot --format 0|1|2|2t|3 [--runs R] [--warmup W]\n");
	return 2;
}
