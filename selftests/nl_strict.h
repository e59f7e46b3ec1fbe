/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict netlink client for the hardening tests (fuzz, churn, abuse,
 * hotplug): every message the kernel sends back is checked down to its last
 * byte, and a request that never ends is caught by a receive timeout.
 *
 * Unlike threadstat_nl.c it keeps no decoded copy of the replies; callers
 * get each answer message and look at what they need.
 */
#ifndef THREADSTAT_SELFTEST_NL_STRICT_H
#define THREADSTAT_SELFTEST_NL_STRICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/threadstat.h>

/* Big enough for any dump part of either kernel (see nls_recv()). */
#define NLS_RECV_SIZE	(128 * 1024)

struct nls {
	int fd;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint16_t unused_id;	/* a generic netlink id no family has */
	uint8_t caps[256];	/* GENL_CMD_CAP_DO/_DUMP of each command */
	char *buf;		/* NLS_RECV_SIZE bytes */
};

/* Open a socket (ext-ack on, acks capped), resolve the family and its ops. */
int nls_open(struct nls *s, int timeout_ms);
void nls_close(struct nls *s);

/* One datagram into s->buf: its length, or -errno (-EMSGSIZE: truncated). */
int nls_recv(struct nls *s);

/*
 * Why @nlh, a reply to this socket, is malformed; NULL when it is fine.
 * Checks the header, an error's or NLMSG_DONE's payload and extack TLVs,
 * and for a family message the genetlink header (command @cmd when nonzero)
 * and every attribute, nested ones included, against the UAPI's types.
 */
const char *nls_check(const struct nls *s, const struct nlmsghdr *nlh,
		      uint8_t cmd);

/* Set of THREADSTAT_CMD_* @cmd's reply attributes: its max type, or -1. */
int nls_reply_max(uint8_t cmd);

/* Request building: header + genetlink header, then attributes. */
struct nlmsghdr *nls_msg(struct nls *s, void *buf, uint8_t cmd,
			 uint16_t flags);
void nls_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t value);

struct nls_result {
	int error;		/* errno of NLMSG_ERROR / NLMSG_DONE, negative */
	unsigned int answers;	/* family messages */
	unsigned int recvs;
	bool intr;		/* some message had NLM_F_DUMP_INTR */
	char bad[256];		/* first malformation seen, "" if none */
	char extack[128];
};

/* Called for each answer; returning nonzero marks the result bad. */
typedef const char *(*nls_answer_cb)(const struct nlmsghdr *nlh, void *arg);

/*
 * Send @req and read its replies up to the ACK, error or NLMSG_DONE.
 * Return: 0 (look at @res), or -errno of the socket (-EAGAIN: timed out).
 */
int nls_request(struct nls *s, struct nlmsghdr *req, nls_answer_cb cb,
		void *arg, struct nls_result *res);

/* The attribute of @type in a family message, or NULL. */
const struct nlattr *nls_attr(const struct nlmsghdr *nlh, uint16_t type);

#endif
