// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * taskstats_snapshot -- method (d) of `make bench`: one snapshot of every
 * thread through the kernel's taskstats interface.
 *
 * usage: taskstats_snapshot [--runs R] [--warmup W]   (needs CAP_NET_ADMIN)
 *
 * Taskstats (generic netlink family "TASKSTATS") has no dump-all command:
 * a tool must learn the tids elsewhere (htop has them from its /proc walk)
 * and send one TASKSTATS_CMD_GET with TASKSTATS_CMD_ATTR_PID per thread,
 * waiting for each reply, which is what htop's delay-accounting path does.
 * The snapshot timed here is: list the tids from /proc/PID/task (readdir
 * only, no files opened), then one request/reply per tid, decoding the
 * struct taskstats in each reply.
 *
 * This file speaks netlink itself because it measures a kernel interface
 * that is not threadstat's; libthreadstat stays the only code speaking the
 * threadstat family.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/taskstats.h>

#include "bench_run.h"
#include "proc_walk.h"

struct ts_peer {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq;
	char *buf;		/* MNL_SOCKET_BUFFER_SIZE bytes */
	uint32_t *tids;
	size_t n_tids, cap_tids;
	uint64_t checksum;
};

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	uint16_t *family = arg;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
			*family = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static struct nlmsghdr *put_request(struct ts_peer *p, uint16_t type,
				    uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(p->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++p->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int peer_open(struct ts_peer *p)
{
	struct nlmsghdr *nlh;
	ssize_t n;

	p->buf = malloc(MNL_SOCKET_BUFFER_SIZE);
	p->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!p->buf || !p->nl || mnl_socket_bind(p->nl, 0, MNL_SOCKET_AUTOPID)) {
		perror("taskstats_snapshot: netlink socket");
		return -1;
	}
	nlh = put_request(p, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	nlh->nlmsg_flags |= NLM_F_ACK;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TASKSTATS_GENL_NAME);
	if (mnl_socket_sendto(p->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(p->nl, p->buf, MNL_SOCKET_BUFFER_SIZE);
		if (n > 0)
			n = mnl_cb_run(p->buf, n, p->seq, 0, family_cb,
				       &p->family);
	} while (n > 0);
	if (n < 0 || !p->family) {
		fprintf(stderr, "taskstats_snapshot: no TASKSTATS family: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

static int add_tid(struct ts_peer *p, uint32_t tid)
{
	if (p->n_tids == p->cap_tids) {
		size_t cap = p->cap_tids ? 2 * p->cap_tids : 4096;
		uint32_t *v = realloc(p->tids, cap * sizeof(*v));

		if (!v)
			return -1;
		p->tids = v;
		p->cap_tids = cap;
	}
	p->tids[p->n_tids++] = tid;
	return 0;
}

static int take_tid(int taskfd, const char *tid, void *arg)
{
	(void)taskfd;
	return add_tid(arg, strtoul(tid, NULL, 10)) ? -1 : 1;
}

static void take_stats(struct ts_peer *p, const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		const struct taskstats *st = mnl_attr_get_payload(a);

		if (mnl_attr_get_type(a) != TASKSTATS_TYPE_STATS ||
		    mnl_attr_get_payload_len(a) <
		    offsetof(struct taskstats, cpu_scaled_run_real_total))
			continue;
		p->checksum += st->ac_utime + st->ac_stime + st->nvcsw +
			       st->nivcsw + st->cpu_delay_total +
			       st->blkio_delay_total + st->cpu_run_real_total;
	}
}

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == TASKSTATS_TYPE_AGGR_PID)
			take_stats(arg, a);
	return MNL_CB_OK;
}

/* One TASKSTATS_CMD_GET; 1 if the thread was there, 0 if it exited. */
static int get_one(struct ts_peer *p, uint32_t tid)
{
	struct nlmsghdr *nlh;
	ssize_t n;

	nlh = put_request(p, p->family, TASKSTATS_CMD_GET,
			  TASKSTATS_GENL_VERSION);
	mnl_attr_put_u32(nlh, TASKSTATS_CMD_ATTR_PID, tid);
	if (mnl_socket_sendto(p->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(p->nl, p->buf, MNL_SOCKET_BUFFER_SIZE);
	if (n < 0)
		return -1;
	n = mnl_cb_run(p->buf, n, p->seq, 0, stats_cb, p);
	if (n < 0)
		return errno == ESRCH ? 0 : -1;
	return 1;
}

static long snapshot(void *arg)
{
	struct ts_peer *p = arg;
	long threads = 0;
	size_t i;

	p->n_tids = 0;
	if (proc_walk(take_tid, p) < 0)
		return -1;
	for (i = 0; i < p->n_tids; i++) {
		int rc = get_one(p, p->tids[i]);

		if (rc < 0) {
			fprintf(stderr, "taskstats_snapshot: tid %u: %s\n",
				p->tids[i], strerror(errno));
			return -1;
		}
		threads += rc;
	}
	return threads;
}

int main(int argc, char **argv)
{
	int runs = 5, warmup = 1, rc;
	struct ts_peer p = { 0 };

	if (bench_parse(&argc, argv, &runs, &warmup) || argc != 1) {
		fprintf(stderr, "usage: taskstats_snapshot [--runs R] [--warmup W]\n");
		return 2;
	}
	if (peer_open(&p))
		return 1;
	rc = bench_loop(snapshot, &p, runs, warmup);
	fprintf(stderr, "taskstats_snapshot: checksum %llu\n",
		(unsigned long long)p.checksum);
	mnl_socket_close(p.nl);
	free(p.buf);
	free(p.tids);
	return rc;
}
