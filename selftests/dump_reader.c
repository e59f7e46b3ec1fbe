// SPDX-License-Identifier: GPL-2.0
/* A THREAD_GET dump read one recv() at a time; see dump_reader.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dump_reader.h"

static int add_thread(struct dr_dump *d, const struct nlmsghdr *nlh)
{
	if (d->n == d->cap) {
		struct tsnl_thread *n;

		d->cap = d->cap ? 2 * d->cap : 64;
		n = realloc(d->threads, d->cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		d->threads = n;
	}
	tsnl_parse_thread(nlh, &d->threads[d->n++]);
	return 0;
}

int dr_start(struct tsnl *t, uint32_t tgid, uint32_t fields)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = tsnl_dump_msg(t, buf, tgid, fields);
	if (mnl_socket_sendto(t->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

int dr_step(struct tsnl *t, struct dr_dump *d)
{
	char *buf = malloc(t->recv_size);
	struct nlmsghdr *nlh;
	int n, ret = 1;

	if (!buf)
		return -ENOMEM;
	n = mnl_socket_recvfrom(t->nl, buf, t->recv_size);
	if (n < 0) {
		free(buf);
		return -errno;
	}
	for (nlh = (void *)buf; ret > 0 && mnl_nlmsg_ok(nlh, n);
	     nlh = mnl_nlmsg_next(nlh, &n)) {
		bool intr = nlh->nlmsg_flags & NLM_F_DUMP_INTR;

		if (nlh->nlmsg_type == NLMSG_ERROR) {
			d->error = ((struct nlmsgerr *)
				    mnl_nlmsg_get_payload(nlh))->error;
			ret = d->error ? d->error : 0;
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			d->done = true;
			d->done_intr = intr;
			d->error = *(int *)mnl_nlmsg_get_payload(nlh);
			ret = 0;
		} else if (nlh->nlmsg_type == t->family) {
			d->msgs++;
			d->msgs_intr += intr;
			if (add_thread(d, nlh))
				ret = -ENOMEM;
		}
	}
	free(buf);
	return ret;
}

int dr_dump(struct tsnl *t, uint32_t tgid, struct dr_dump *d)
{
	int ret;

	memset(d, 0, sizeof(*d));
	ret = dr_start(t, tgid, 0);
	if (ret)
		return ret;
	while ((ret = dr_step(t, d)) > 0)
		;
	return ret;
}

int dr_get(struct tsnl *t, uint32_t tid, struct tsnl_thread *th)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct dr_dump d = { 0 };
	int ret;

	nlh = tsnl_msg(t, buf, THREADSTAT_CMD_THREAD_GET, 0);
	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, tid);
	if (mnl_socket_sendto(t->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	/* The reply, then (NETLINK_CAP_ACK aside) no ACK: one recv. */
	ret = dr_step(t, &d);
	if (ret >= 0 && d.n == 1) {
		*th = d.threads[0];
		ret = 0;
	} else if (ret >= 0) {
		ret = d.error ? d.error : -ENOENT;
	}
	dr_free(&d);
	return ret;
}

const struct tsnl_thread *dr_find(const struct dr_dump *d, uint32_t tid)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (d->threads[i].tid == tid)
			return &d->threads[i];
	return NULL;
}

void dr_free(struct dr_dump *d)
{
	free(d->threads);
	memset(d, 0, sizeof(*d));
}
