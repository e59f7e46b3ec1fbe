// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The netlink conversation: socket set-up, family lookup, requests and the
 * reply loop. Everything else in the library works on decoded attributes.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "internal.h"

#define TS_RECV_BUF	(64 * 1024)	/* larger than any dump skb */
#define TS_SEND_BUF	1024

struct ts_client {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	char *buf;
	uint8_t cmd;		/* of the request being answered */
	ts_capture_cb capture;	/* sees every reply payload, for recording */
	void *capture_arg;
	bool proc;		/* no socket: /proc answers (source.c) */
};

int ts_fail(struct ts_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	errno = code;
	return -1;
}

/* Where the extack TLVs of an NLMSG_ERROR or NLMSG_DONE message start. */
static const struct nlattr *ts_ack_tlvs(const struct nlmsghdr *nlh,
					size_t *len)
{
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		off = sizeof(int);
	} else {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
	}
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return NULL;
	*len = mnl_nlmsg_get_payload_len(nlh) - off;
	return (const struct nlattr *)((const char *)mnl_nlmsg_get_payload(nlh)
				       + off);
}

static int ts_kernel_error(const struct nlmsghdr *nlh, int code,
			   struct ts_error *err)
{
	const char *text = NULL;
	const struct nlattr *a, *attr;
	size_t len = 0;

	a = ts_ack_tlvs(nlh, &len);
	if (a) {
		mnl_attr_for_each_payload(a, len) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				text = mnl_attr_get_str(attr);
		}
	}
	if (text)
		return ts_fail(err, code, "%s (%s)", text, strerror(code));
	return ts_fail(err, code, "kernel error: %s", strerror(code));
}

static int ts_send(struct ts_client *c, uint16_t type, uint16_t flags,
		   uint8_t cmd, uint8_t version,
		   const struct ts_req_attr *attrs, size_t n_attrs,
		   struct ts_error *err)
{
	char buf[TS_SEND_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;
	size_t i;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++c->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	for (i = 0; i < n_attrs; i++)
		if (attrs[i].type & TS_REQ_FLAG)
			mnl_attr_put(nlh, attrs[i].type & ~TS_REQ_FLAG, 0, NULL);
		else
			mnl_attr_put_u32(nlh, attrs[i].type, attrs[i].value);

	if (mnl_socket_sendto(c->nl, nlh, nlh->nlmsg_len) < 0)
		return ts_fail(err, errno, "netlink send: %s", strerror(errno));
	return 0;
}

/* Walk replies to the last request sent; see ts_request(). */
static int ts_recv(struct ts_client *c, bool dump, ts_msg_cb cb, void *arg,
		   struct ts_dump_info *info, struct ts_error *err)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(c->nl, c->buf, TS_RECV_BUF);
		const struct nlmsghdr *nlh = (const void *)c->buf;
		int len = (int)n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ts_fail(err, errno, "netlink receive: %s",
				       strerror(errno));
		}
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;

			if (nlh->nlmsg_seq != c->seq)
				continue;	/* a stale reply */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR && info)
				info->interrupted = true;

			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_DONE:
				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int) &&
				    *(const int *)mnl_nlmsg_get_payload(nlh))
					return ts_kernel_error(nlh,
						-*(const int *)mnl_nlmsg_get_payload(nlh),
						err);
				return 0;
			case NLMSG_ERROR:
				if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
					return ts_fail(err, EPROTO,
						       "truncated netlink error message");
				e = mnl_nlmsg_get_payload(nlh);
				if (e->error)
					return ts_kernel_error(nlh, -e->error, err);
				if (!dump)
					return 0;	/* the ACK ends a do */
				continue;
			default:
				break;
			}
			if (nlh->nlmsg_type != c->family)
				continue;
			if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
				return ts_fail(err, EPROTO,
					       "truncated genetlink header");
			if (info)
				info->messages++;
			if (c->capture && c->family != GENL_ID_CTRL)
				c->capture(c->cmd, (const char *)mnl_nlmsg_get_payload(nlh) +
					   GENL_HDRLEN,
					   mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN,
					   c->capture_arg);
			if (cb) {
				int rc = cb((const char *)mnl_nlmsg_get_payload(nlh) +
					    GENL_HDRLEN,
					    mnl_nlmsg_get_payload_len(nlh) -
					    GENL_HDRLEN, arg);
				if (rc)
					return rc;
			}
		}
		if (len > 0)
			return ts_fail(err, EPROTO, "truncated netlink message");
	}
}

/* Drain what is left of an abandoned dump so the socket stays usable. */
static void ts_drain(struct ts_client *c)
{
	struct ts_error ignored;

	ts_recv(c, true, NULL, NULL, NULL, &ignored);
}

int ts_request(struct ts_client *c, uint8_t cmd, bool dump,
	       const struct ts_req_attr *attrs, size_t n_attrs,
	       ts_msg_cb cb, void *arg, struct ts_dump_info *info,
	       struct ts_error *err)
{
	int rc;

	if (c->proc)
		return ts_fail(err, EOPNOTSUPP, "this needs the threadstat module");
	c->cmd = cmd;
	if (ts_send(c, c->family, dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
		    THREADSTAT_FAMILY_VERSION, attrs, n_attrs, err))
		return -1;
	rc = ts_recv(c, dump, cb, arg, info, err);
	if (rc > 0 && dump)
		ts_drain(c);	/* the callback stopped early */
	return rc;
}

static int ts_family_cb(const void *attrs, size_t len, void *arg)
{
	uint16_t *family = arg;
	const struct nlattr *attr;

	mnl_attr_for_each_payload(attrs, len) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
			*family = mnl_attr_get_u16(attr);
	}
	return 0;
}

static int ts_resolve(struct ts_client *c, struct ts_error *err)
{
	/* Zeroed: libmnl 1.0.4 leaves the padding after the name unset. */
	char buf[TS_SEND_BUF] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++c->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, THREADSTAT_FAMILY_NAME);
	if (mnl_socket_sendto(c->nl, nlh, nlh->nlmsg_len) < 0)
		return ts_fail(err, errno, "netlink send: %s", strerror(errno));

	c->family = GENL_ID_CTRL;	/* replies come from the controller */
	if (ts_recv(c, false, ts_family_cb, &c->family, NULL, err)) {
		if (err && err->code == ENOENT)
			return ts_fail(err, ENOENT,
				       "the threadstat kernel module is not loaded; "
				       "load it as root with 'insmod threadstat.ko' "
				       "(or 'modprobe threadstat' when installed)");
		return -1;
	}
	if (c->family == GENL_ID_CTRL)
		return ts_fail(err, EPROTO,
			       "the kernel named no id for family threadstat");
	return 0;
}

void ts_set_capture(struct ts_client *c, ts_capture_cb cb, void *arg)
{
	c->capture = cb;
	c->capture_arg = arg;
}

int ts_open(struct ts_client **out, struct ts_error *err)
{
	struct ts_client *c = calloc(1, sizeof(*c));
	int one = 1;

	*out = NULL;
	if (!c)
		return ts_fail(err, ENOMEM, "out of memory");
	c->buf = malloc(TS_RECV_BUF);
	c->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!c->buf || !c->nl) {
		ts_fail(err, c->buf ? errno : ENOMEM,
			"cannot open a generic netlink socket: %s",
			strerror(c->buf ? errno : ENOMEM));
		goto fail;
	}
	/* Errors without our request echoed back, but with their extack. */
	mnl_socket_setsockopt(c->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(c->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ts_fail(err, errno, "netlink bind: %s", strerror(errno));
		goto fail;
	}
	c->portid = mnl_socket_get_portid(c->nl);
	if (ts_resolve(c, err))
		goto fail;
	*out = c;
	return 0;
fail:
	ts_close(c);
	return -1;
}

int ts_open_proc(struct ts_client **out, struct ts_error *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return ts_fail(err, ENOMEM, "out of memory");
	(*out)->proc = true;
	return 0;
}

bool ts_client_proc(const struct ts_client *c)
{
	return c->proc;
}

void ts_close(struct ts_client *c)
{
	if (!c)
		return;
	if (c->nl)
		mnl_socket_close(c->nl);
	free(c->buf);
	free(c);
}

/* Datagrams read per call once one arrived: a bound, so callers regain
 * control (a signal, a frame to draw) even under an endless storm. */
#define TS_NOTIFY_BATCH	64

/* Hand one datagram's notifications to @cb. */
static int ts_notifications_of(struct ts_client *c, ssize_t n, ts_msg_cb cb,
			       void *arg)
{
	const struct nlmsghdr *nlh = (const void *)c->buf;
	int len, rc;

	for (len = (int)n; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		/* Notifications only: not an answer to any request. */
		if (nlh->nlmsg_type != c->family || nlh->nlmsg_seq ||
		    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
			continue;
		if (c->capture)
			c->capture(c->cmd, (const char *)mnl_nlmsg_get_payload(nlh) +
				   GENL_HDRLEN,
				   mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN,
				   c->capture_arg);
		rc = cb((const char *)mnl_nlmsg_get_payload(nlh) + GENL_HDRLEN,
			mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN, arg);
		if (rc)
			return rc;
	}
	return 0;
}

int ts_recv_notifications(struct ts_client *c, int timeout_ms, ts_msg_cb cb,
			  void *arg, struct ts_error *err)
{
	struct pollfd p = { .fd = mnl_socket_get_fd(c->nl), .events = POLLIN };
	ssize_t n;
	int i, rc;

	rc = poll(&p, 1, timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : ts_fail(err, errno, "poll: %s",
						    strerror(errno));
	if (rc == 0)
		return 0;
	/*
	 * Each event is a datagram of its own: read what is queued without
	 * a poll() per event, so a listener that fell behind catches up at
	 * two syscalls fewer per event, and its caller can flush its output
	 * once per batch rather than once per event.
	 */
	for (i = 0; i < TS_NOTIFY_BATCH; i++) {
		n = recv(p.fd, c->buf, TS_RECV_BUF, i ? MSG_DONTWAIT : 0);
		if (n < 0) {
			/* ENOBUFS: the kernel says how much was lost instead. */
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				return 0;
			return ts_fail(err, errno, "netlink receive: %s",
				       strerror(errno));
		}
		rc = ts_notifications_of(c, n, cb, arg);
		if (rc)
			return rc;
	}
	return 0;
}

void ts_set_no_enobufs(struct ts_client *c)
{
	int one = 1;

	mnl_socket_setsockopt(c->nl, NETLINK_NO_ENOBUFS, &one, sizeof(one));
}

void ts_set_rcvbuf(struct ts_client *c, int bytes)
{
	int fd = mnl_socket_get_fd(c->nl);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}
