// SPDX-License-Identifier: GPL-2.0
/* The hardening tests' strict netlink client; see nl_strict.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "nl_strict.h"
#include "threadstat_nl.h"

/*
 * Reply attribute types, one letter per type (index = type) from the YNL
 * spec: p pad, b u8, u u32/s32, U u64, f flag, s string, m CPU bitmap
 * (whole u64 words), x binary, n nest. A type past the end of a string
 * but within the set's max is a newer attribute and only framed.
 */
enum { SET_THREAD, SET_STACK, SET_REGS, SET_SYSCALL, SET_CPU, SET_SYSTEM,
       SET_PROCESS, SET_WAIT, SET_LATENCY };

static const struct attr_set {
	const char *name;
	const char *kinds;
	int max;
} sets[] = {
	[SET_THREAD] = { "thread",
		"-puuusuUfbufuuuuumuUUUUUUUUUUuubUUUUUUUUUUUUUUUUUUUUUUUUU"
		"bUUUUUUUUUUnxsunnnuuuUUUUnunu", THREADSTAT_A_THREAD_MAX },
	[SET_STACK] = { "stack", "-pUUUUUUUUU", THREADSTAT_A_STACK_MAX },
	[SET_REGS] = { "regs", "-pbUUUUUUUUUUUUUUUUUUUUU",
		THREADSTAT_A_REGS_MAX },
	[SET_SYSCALL] = { "syscall", "-ux", THREADSTAT_A_SYSCALL_MAX },
	[SET_CPU] = { "cpu", "-pubuuuumUUUUUUUUUUuuusuu",
		THREADSTAT_A_CPU_MAX },
	[SET_SYSTEM] = { "system", "-puuUUuuuuuuu", THREADSTAT_A_SYSTEM_MAX },
	[SET_PROCESS] = { "process", "-puUUUUUUUUUUUUUUU",
		THREADSTAT_A_PROCESS_MAX },
	[SET_WAIT] = { "wait", "-puUuUubuufufu", THREADSTAT_A_WAIT_MAX },
	[SET_LATENCY] = { "latency", "-pUUUxufbubuuU",
		THREADSTAT_A_LATENCY_MAX },
};

/* Where a nest of the thread set leads. */
static int nested_set(int set, int type)
{
	if (set != SET_THREAD)
		return -1;
	switch (type) {
	case THREADSTAT_A_THREAD_STACK:
		return SET_STACK;
	case THREADSTAT_A_THREAD_REGS:
		return SET_REGS;
	case THREADSTAT_A_THREAD_SYSCALL:
		return SET_SYSCALL;
	case THREADSTAT_A_THREAD_PROCESS:
		return SET_PROCESS;
	case THREADSTAT_A_THREAD_WAIT:
		return SET_WAIT;
	case THREADSTAT_A_THREAD_LATENCY:
		return SET_LATENCY;
	}
	return -1;
}

/* Attributes that may legitimately appear more than once in a message. */
static bool repeatable(int set, int type)
{
	return type == 1 && set != SET_SYSCALL ? true :
	       set == SET_THREAD && type == THREADSTAT_A_THREAD_KERNEL_STACK;
}

/* The lowest address of the x86-64 kernel half. */
#define KERNEL_HALF	0xffff800000000000ULL

static __thread char why[256];

#define BAD(...) ({ snprintf(why, sizeof(why), __VA_ARGS__); why; })

static const char *check_attrs(const void *p, int len, int set, int depth)
{
	const struct attr_set *as = &sets[set];
	unsigned char seen[512] = { 0 };
	const char *sub_why;

	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = p;
		int type = a->nla_type & NLA_TYPE_MASK;
		int plen = a->nla_len - NLA_HDRLEN;
		const char *data = (const char *)a + NLA_HDRLEN;
		char kind;
		int adv;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return BAD("%s: attribute %d has length %u, %d bytes left",
				   as->name, type, a->nla_len, len);
		if (a->nla_type & NLA_F_NET_BYTEORDER)
			return BAD("%s: attribute %d in network byte order",
				   as->name, type);
		if (type == 0 || type > as->max)
			return BAD("%s: unknown attribute type %d (max %d)",
				   as->name, type, as->max);
		if (seen[type] && !repeatable(set, type))
			return BAD("%s: attribute %d twice", as->name, type);
		seen[type] = 1;
		kind = type < (int)strlen(as->kinds) ? as->kinds[type] : 'x';
		if ((a->nla_type & NLA_F_NESTED) && kind != 'n')
			return BAD("%s: attribute %d flagged nested",
				   as->name, type);
		switch (kind) {
		case 'b':
		case 'u':
		case 'U':
		case 'f':
			if (plen != (kind == 'b' ? 1 : kind == 'u' ? 4 :
				     kind == 'U' ? 8 : 0))
				return BAD("%s: attribute %d (%c) has %d bytes",
					   as->name, type, kind, plen);
			break;
		case 's':
			if (plen < 1 || memchr(data, '\0', plen) != data + plen - 1)
				return BAD("%s: attribute %d: not one NUL-terminated string",
					   as->name, type);
			break;
		case 'm':
			if (plen == 0 || plen % 8)
				return BAD("%s: CPU bitmap %d of %d bytes",
					   as->name, type, plen);
			break;
		case 'n':
			if (depth >= 2 || nested_set(set, type) < 0)
				return BAD("%s: unexpected nest %d", as->name, type);
			sub_why = check_attrs(data, plen, nested_set(set, type),
					      depth + 1);
			if (sub_why)
				return sub_why;
			break;
		}
		/* Registers may hold anything; no other u64 is an address.
		 * (A nest's payload is attributes, checked when recursing.)
		 */
		if (kind == 'U' && set != SET_REGS) {
			uint64_t v;

			memcpy(&v, data, 8);
			if (v >= KERNEL_HALF && v != ~0ULL)
				return BAD("%s: attribute %d = %#llx looks like a kernel address",
					   as->name, type, (unsigned long long)v);
		}
		adv = NLA_ALIGN(a->nla_len);
		if (adv > len)
			adv = len;
		/* Padding left unzeroed would be kernel memory sent out. */
		for (int i = a->nla_len; i < adv; i++)
			if (((const char *)a)[i])
				return BAD("%s: attribute %d: padding byte %d is %#x",
					   as->name, type, i - a->nla_len,
					   ((const unsigned char *)a)[i]);
		p = (const char *)p + adv;
		len -= adv;
	}
	if (len)
		return BAD("%s: %d stray bytes after the attributes", as->name, len);
	return NULL;
}

int nls_reply_max(uint8_t cmd)
{
	switch (cmd) {
	case THREADSTAT_CMD_THREAD_GET:
		return sets[SET_THREAD].max;
	case THREADSTAT_CMD_CPU_GET:
		return sets[SET_CPU].max;
	case THREADSTAT_CMD_SYSTEM_GET:
		return sets[SET_SYSTEM].max;
	}
	return -1;
}

/* Extended-ack TLVs from @off to the end of @nlh; @bound: request length. */
static const char *check_ext_ack(const struct nlmsghdr *nlh, size_t off,
				 uint32_t bound)
{
	const char *p = (const char *)nlh + off;
	int len = (int)nlh->nlmsg_len - (int)off;

	if (len < 0)
		return BAD("ext-ack TLVs start past the message end");
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int type = a->nla_type & NLA_TYPE_MASK;
		int plen = a->nla_len - NLA_HDRLEN;
		const char *data = p + NLA_HDRLEN;
		int adv, i;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return BAD("ext-ack TLV %d has length %u, %d bytes left",
				   type, a->nla_len, len);
		switch (type) {
		case NLMSGERR_ATTR_MSG:
			if (plen < 2 || memchr(data, '\0', plen) != data + plen - 1)
				return BAD("ext-ack message is not a string");
			for (i = 0; i < plen - 1; i++)
				if (data[i] < 0x20 || data[i] > 0x7e)
					return BAD("ext-ack message has byte %#x",
						   (unsigned char)data[i]);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (plen != 4)
				return BAD("ext-ack offset of %d bytes", plen);
			if (bound && *(const uint32_t *)data >= bound)
				return BAD("ext-ack offset %u past the request (%u)",
					   *(const uint32_t *)data, bound);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
		case NLMSGERR_ATTR_MISS_NEST:
			if (plen != 4)
				return BAD("ext-ack attribute %d of %d bytes",
					   type, plen);
			break;
		}
		adv = NLA_ALIGN(a->nla_len);
		if (adv > len)
			adv = len;
		/* Padding left unzeroed would be kernel memory sent out. */
		for (int i = a->nla_len; i < adv; i++)
			if (((const char *)a)[i])
				return BAD("ext-ack attribute %d: padding byte %d is %#x",
					   type, i - a->nla_len,
					   ((const unsigned char *)a)[i]);
		p += adv;
		len -= adv;
	}
	if (len)
		return BAD("%d stray bytes after the ext-ack TLVs", len);
	return NULL;
}

const char *nls_check(const struct nls *s, const struct nlmsghdr *nlh,
		      uint8_t cmd)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	int set;

	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return BAD("message of %u bytes", nlh->nlmsg_len);
	if (nlh->nlmsg_pid != s->portid)
		return BAD("message for port %u, we are %u", nlh->nlmsg_pid,
			   s->portid);

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return BAD("NLMSG_ERROR of %u bytes", nlh->nlmsg_len);
		if (e->error > 0 || e->error < -4095)
			return BAD("NLMSG_ERROR with error %d", e->error);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			return BAD("NLMSG_ERROR not capped though we asked");
		if (e->msg.nlmsg_seq != nlh->nlmsg_seq)
			return BAD("NLMSG_ERROR seq %u quotes a request with seq %u",
				   nlh->nlmsg_seq, e->msg.nlmsg_seq);
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			return check_ext_ack(nlh, NLMSG_LENGTH(sizeof(*e)),
					     e->msg.nlmsg_len);
		if (nlh->nlmsg_len != NLMSG_LENGTH(sizeof(*e)))
			return BAD("NLMSG_ERROR of %u bytes without TLVs",
				   nlh->nlmsg_len);
		return NULL;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		int err;

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
			return BAD("NLMSG_DONE of %u bytes", nlh->nlmsg_len);
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		if (err > 0 || err < -4095)
			return BAD("NLMSG_DONE with error %d", err);
		if (!(nlh->nlmsg_flags & NLM_F_MULTI))
			return BAD("NLMSG_DONE without NLM_F_MULTI");
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			return check_ext_ack(nlh, NLMSG_LENGTH(sizeof(int)), 0);
		if (nlh->nlmsg_len != NLMSG_LENGTH(sizeof(int)))
			return BAD("NLMSG_DONE of %u bytes without TLVs",
				   nlh->nlmsg_len);
		return NULL;
	}
	if (nlh->nlmsg_type != s->family)
		return BAD("message of type %u", nlh->nlmsg_type);
	if (nlh->nlmsg_flags & ~(NLM_F_MULTI | NLM_F_DUMP_INTR))
		return BAD("answer with flags %#x", nlh->nlmsg_flags);
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return BAD("answer of %u bytes", nlh->nlmsg_len);
	if (g->version != THREADSTAT_FAMILY_VERSION || g->reserved)
		return BAD("genetlink header version %u reserved %u",
			   g->version, g->reserved);
	if (cmd && g->cmd != cmd)
		return BAD("answer of command %u to command %u", g->cmd, cmd);
	switch (g->cmd) {
	case THREADSTAT_CMD_THREAD_GET:
		set = SET_THREAD;
		break;
	case THREADSTAT_CMD_CPU_GET:
		set = SET_CPU;
		break;
	case THREADSTAT_CMD_SYSTEM_GET:
		set = SET_SYSTEM;
		break;
	default:
		return BAD("answer of unknown command %u", g->cmd);
	}
	return check_attrs((const char *)g + GENL_HDRLEN,
			   nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), set, 0);
}

int nls_recv(struct nls *s)
{
	struct iovec iov = { s->buf, NLS_RECV_SIZE };
	struct sockaddr_nl sa;
	struct msghdr msg = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(s->fd, &msg, 0);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (sa.nl_pid != 0)
		return -EPROTO;	/* only the kernel talks to us */
	return n;
}

struct nlmsghdr *nls_msg(struct nls *s, void *buf, uint8_t cmd,
			 uint16_t flags)
{
	struct tsnl t = { .family = s->family, .seq = s->seq };
	struct nlmsghdr *nlh = tsnl_msg(&t, buf, cmd, flags);

	s->seq = t.seq;
	return nlh;
}

void nls_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t value)
{
	mnl_attr_put_u32(nlh, type, value);
}

const struct nlattr *nls_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static int send_msg(struct nls *s, const struct nlmsghdr *nlh)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (sendto(s->fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

int nls_request(struct nls *s, struct nlmsghdr *req, nls_answer_cb cb,
		void *arg, struct nls_result *res)
{
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	bool ack = req->nlmsg_flags & NLM_F_ACK;
	uint8_t cmd = ((struct genlmsghdr *)NLMSG_DATA(req))->cmd;
	bool end = false;
	int n, err;

	memset(res, 0, sizeof(*res));
	err = send_msg(s, req);
	if (err)
		return err;
	while (!end) {
		const struct nlmsghdr *nlh = (const void *)s->buf;
		const char *bad;

		n = nls_recv(s);
		if (n < 0)
			return n;
		res->recvs++;
		for (; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			bad = nls_check(s, nlh, cmd);
			if (!bad && nlh->nlmsg_seq != req->nlmsg_seq)
				bad = BAD("reply with seq %u to seq %u",
					  nlh->nlmsg_seq, req->nlmsg_seq);
			if (!bad && end)
				bad = BAD("message type %u after the end",
					  nlh->nlmsg_type);
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				res->intr = true;
			if (!bad && nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);
				const struct nlattr *a;

				res->error = e->error;
				end = true;
				if (dump && !e->error)
					bad = BAD("an ACK ends a dump");
				mnl_attr_for_each(a, nlh, sizeof(*e))
					if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
						snprintf(res->extack,
							 sizeof(res->extack),
							 "%s", mnl_attr_get_str(a));
			} else if (!bad && nlh->nlmsg_type == NLMSG_DONE) {
				memcpy(&res->error, NLMSG_DATA(nlh), sizeof(int));
				end = true;
				if (!dump)
					bad = BAD("NLMSG_DONE ends a do request");
			} else if (!bad) {
				res->answers++;
				if (dump != !!(nlh->nlmsg_flags & NLM_F_MULTI))
					bad = BAD("answer flags %#x to a %s",
						  nlh->nlmsg_flags,
						  dump ? "dump" : "do");
				else if (!dump && res->answers > 1)
					bad = BAD("two answers to a do request");
				else if (cb)
					bad = cb(nlh, arg);
				if (!dump && !ack)
					end = true;
			}
			if (bad && !res->bad[0])
				snprintf(res->bad, sizeof(res->bad), "%s", bad);
		}
		if (n && !res->bad[0])
			snprintf(res->bad, sizeof(res->bad),
				 "%d stray bytes at the end of a datagram", n);
	}
	return 0;
}

/* The controller's answer about our family: its id and what it offers. */
static int ctrl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nls *s = data;
	const struct nlattr *a, *op, *o;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			s->family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) != CTRL_ATTR_OPS)
			continue;
		mnl_attr_for_each_nested(op, a) {
			uint32_t id = 0, flags = 0;

			mnl_attr_for_each_nested(o, op) {
				if (mnl_attr_get_type(o) == CTRL_ATTR_OP_ID)
					id = mnl_attr_get_u32(o);
				if (mnl_attr_get_type(o) == CTRL_ATTR_OP_FLAGS)
					flags = mnl_attr_get_u32(o);
			}
			if (id < 256)
				s->caps[id] |= flags & (GENL_CMD_CAP_DO |
							GENL_CMD_CAP_DUMP);
		}
	}
	return MNL_CB_OK;
}

static int ctrl_request(struct nls *s, mnl_cb_t cb)
{
	char buf[256];
	struct nlmsghdr *nlh = tsnl_getfamily_msg(buf, ++s->seq);
	int n, err;

	err = send_msg(s, nlh);
	if (err)
		return err;
	do {
		n = nls_recv(s);
		if (n < 0)
			return n;
		n = mnl_cb_run(s->buf, n, s->seq, s->portid, cb, s);
	} while (n > 0);
	return n < 0 ? -errno : 0;
}

int nls_open(struct nls *s, int timeout_ms)
{
	struct timeval tv = { timeout_ms / 1000, timeout_ms % 1000 * 1000 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(sa);
	int one = 1, err;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	s->buf = malloc(NLS_RECV_SIZE);
	if (!s->buf ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &len)) {
		err = s->buf ? -errno : -ENOMEM;
		nls_close(s);
		return err;
	}
	s->portid = sa.nl_pid;
	err = ctrl_request(s, ctrl_family_cb);
	if (!err && !s->family)
		err = -ENOENT;
	/* The core hands out ids up to GENL_MAX_ID only. */
	s->unused_id = GENL_MAX_ID + 1;
	if (err)
		nls_close(s);
	return err;
}

void nls_close(struct nls *s)
{
	if (s->fd > 0)
		close(s->fd);
	free(s->buf);
	s->fd = -1;
	s->buf = NULL;
}
