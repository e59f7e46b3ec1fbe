// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing the threadstat family: malformed and random requests, and every
 * reply must be a well-formed answer or error that fits the request.
 *
 * Each round sends one datagram (one to four requests, or garbage) and
 * then a NLMSG_NOOP "sentinel" asking for an ACK. The kernel handles a
 * datagram synchronously in sendmsg(), so every reply to the datagram is
 * queued before the sentinel's ACK, except the later parts of a dump, which
 * are read until their NLMSG_DONE. Before sending, the test walks the
 * datagram the way netlink_rcv_skb() will and predicts, per request, what
 * must come back: nothing, an ACK, one error with a known errno (truncated
 * genetlink header, bad flags, unknown family, unsupported command), or an
 * answer or error; for well-formed THREAD_GET requests the exact outcome
 * (errno, number of answers, tid/tgid, which field groups are present).
 * Every message that comes back is checked by nls_check() to its last byte.
 *
 * Commands are probed generically (0 .. THREADSTAT_CMD_MAX + 2, sometimes
 * any byte; not EVENTS_SUBSCRIBE or LATENCY_SET, see fuzz_cmd()), with
 * what the family really offers taken from the generic netlink
 * controller, so commands added later are fuzzed too.
 *
 * Env: TS_PROFILE=long sends 1M datagrams instead of 100k; TS_FUZZ_COUNT
 * sets the number; TS_FUZZ_SEED replays a run (the seed is printed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "../kselftest_harness.h"
#include "nl_strict.h"

#define MAX_PARTS	8	/* requests we build into one datagram */
#define MAX_SEEN	64	/* requests the kernel may find in one */
#define DGRAM_SIZE	16384
#define PID_LIMIT	4194304	/* PID_MAX_LIMIT: no tid is this big */

/* Oracle outcomes besides "this errno" (negative) and "success" (0). */
#define ORC_ANY		1	/* anything well-formed */
#define ORC_INVAL	2	/* rejected by the policy: EINVAL or ERANGE */

struct oracle {
	int err;
	int answers;		/* exact count on success, -1: any */
	uint32_t tid, tgid;	/* every answer carries these (0: any) */
	int fields;		/* groups every answer shows, -1: unchecked */
	bool maybe_enoent;	/* a do may also fail with ENOENT */
};

static const struct oracle any = { .err = ORC_ANY, .answers = -1,
				   .fields = -1 };

struct dgram {
	uint8_t buf[DGRAM_SIZE];
	size_t len;
	unsigned int nparts;
	struct { size_t off; struct oracle o; } part[MAX_PARTS];
};

enum kind { EX_NONE, EX_ACK, EX_ERR, EX_DO, EX_DUMP };

struct expect {
	struct nlmsghdr hdr;
	uint8_t cmd;
	enum kind kind;
	int err;		/* EX_ERR */
	struct oracle o;	/* EX_DO, EX_DUMP */
	bool ebusy_ok;		/* a dump behind another in the datagram */
	unsigned int answers;
	bool finished;
};

/* What happened, per worker process. */
struct fz_stats {
	unsigned long dgrams, requests, silent, answers, acks, dones;
	unsigned long full_dumps, errors[4096];
};

struct fz {
	struct nls s;
	uint64_t rng;
	uint32_t me;		/* our pid = tid: the test is single-threaded */
	uint32_t mask;		/* cycles through every field-group mask */
	unsigned int ncpus;
	struct dgram d;
	struct expect ex[MAX_SEEN];
	unsigned int nex;
	struct fz_stats *st;	/* shared with the parent */
	char why[512];
};

static uint64_t rnd64(struct fz *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t rnd(struct fz *f, uint32_t n)
{
	return n ? (uint32_t)((rnd64(f) >> 32) % n) : 0;
}

static void rnd_bytes(struct fz *f, void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = rnd64(f) >> 56;
}

/* ---- building requests ------------------------------------------------ */

static struct nlmsghdr *begin(struct fz *f, uint16_t type, uint16_t flags,
			      uint8_t cmd)
{
	struct dgram *d = &f->d;
	struct nlmsghdr *nlh = (void *)(d->buf + d->len);
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = ++f->s.seq;
	nlh->nlmsg_pid = 0;
	g->cmd = cmd;
	g->version = THREADSTAT_FAMILY_VERSION;
	if (d->nparts < MAX_PARTS) {
		d->part[d->nparts].off = d->len;
		d->part[d->nparts].o = any;
		d->nparts++;
	}
	return nlh;
}

static struct oracle *oracle_of_last(struct fz *f)
{
	return &f->d.part[f->d.nparts - 1].o;
}

static void finish(struct fz *f, struct nlmsghdr *nlh)
{
	f->d.len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* Room left for attributes (one message never grows past 4 KiB). */
static bool room(struct fz *f, struct nlmsghdr *nlh, size_t more)
{
	size_t off = (uint8_t *)nlh - f->d.buf;

	return NLMSG_ALIGN(nlh->nlmsg_len) + more <= 4096 &&
	       off + NLMSG_ALIGN(nlh->nlmsg_len) + more < DGRAM_SIZE - 64;
}

/* An attribute exactly as given: any type bits, any length. */
static void put_raw(struct nlmsghdr *nlh, uint16_t type, const void *data,
		    uint16_t len)
{
	struct nlattr *a = (void *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(a + 1, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	put_raw(nlh, type, &v, sizeof(v));
}

static uint32_t pick_tid(struct fz *f)
{
	static const uint32_t odd[] = { 0, 1, 2, 0x7fffffff, 0xffffffff,
					PID_LIMIT, PID_LIMIT + 1, 32768 };

	switch (rnd(f, 4)) {
	case 0:
	case 1:
		return f->me;
	case 2:
		return odd[rnd(f, sizeof(odd) / sizeof(odd[0]))];
	}
	return 1 + rnd(f, 40000);
}

static uint32_t pick_fields(struct fz *f)
{
	static const uint32_t odd[] = { 0x40, 0x80, 0x7f, 0x80000000,
					0xffffffff, 0xffffffc0 };

	if (rnd(f, 8))
		return f->mask++ % (THREADSTAT_FIELDS_ALL + 1);
	return odd[rnd(f, sizeof(odd) / sizeof(odd[0]))];
}

/*
 * A well-formed THREAD_GET with a random choice of tid, tgid and fields,
 * and the exact outcome the kernel owes us for it.
 */
static struct nlmsghdr *gen_thread_get(struct fz *f)
{
	bool dump = rnd(f, 2);
	uint16_t flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	uint32_t tid = 0, tgid = 0, fields = THREADSTAT_FIELDS_SCHED, v;
	bool has_tid = false, has_tgid = false;
	int first_err = 0, n, i;
	struct nlmsghdr *nlh;
	struct oracle *o;

	if (rnd(f, 2))
		flags |= NLM_F_ACK;
	if (!rnd(f, 8))
		flags |= NLM_F_ECHO;
	nlh = begin(f, f->s.family, flags, THREADSTAT_CMD_THREAD_GET);
	o = oracle_of_last(f);

	n = rnd(f, 4);
	for (i = 0; i < n; i++) {
		int what = rnd(f, 3);

		if (what == 0 || (!dump && i == n - 1 && !has_tid)) {
			v = pick_tid(f);
			put_u32(nlh, THREADSTAT_A_THREAD_TID, v);
			tid = v;
			has_tid = true;
			if (!v && !first_err)
				first_err = -ERANGE;
		} else if (what == 1) {
			v = rnd(f, 2) ? f->me : pick_tid(f);
			put_u32(nlh, THREADSTAT_A_THREAD_TGID, v);
			tgid = v;
			has_tgid = true;
			if (!v && !first_err)
				first_err = -ERANGE;
		} else {
			v = pick_fields(f);
			put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, v);
			fields = v;
			if ((v & ~THREADSTAT_FIELDS_ALL) && !first_err)
				first_err = -EINVAL;
		}
	}

	/* Unfiltered dumps are the expensive ones: keep them rare. */
	if (dump && !has_tid && !has_tgid && rnd(f, 16)) {
		put_u32(nlh, THREADSTAT_A_THREAD_TGID, f->me);
		tgid = f->me;
		has_tgid = true;
	}
	*o = any;
	o->fields = fields & THREADSTAT_FIELDS_ALL;
	if (first_err) {
		o->err = first_err;
	} else if (!dump) {
		o->err = 0;
		o->tid = tid;
		if (!has_tid || has_tgid)
			o->err = -EINVAL;
		else if (tid == f->me)
			o->answers = 1;
		else if (tid >= PID_LIMIT)
			o->err = -ENOENT;
		else
			o->maybe_enoent = true;
	} else {
		o->err = 0;
		o->tid = has_tid ? tid : 0;
		o->tgid = has_tgid ? tgid : 0;
		if (has_tid && tid == f->me)
			o->answers = !has_tgid || tgid == f->me;
		else if ((has_tid && tid >= PID_LIMIT) ||
			 (has_tgid && tgid >= PID_LIMIT))
			o->answers = 0;
		else if (has_tgid && tgid == f->me)
			o->answers = !has_tid;	/* we are its only thread */
		if (!has_tid && !has_tgid)
			f->st->full_dumps++;
	}
	return nlh;
}

/*
 * A command number to send: mostly around the family's, one in WIDE any
 * byte. EVENTS_SUBSCRIBE is left out: a subscribed socket receives events
 * at any time, which the request/answer oracle cannot attribute to a
 * request; events_test covers that command. LATENCY_SET is left out too:
 * it changes what every thread reply carries and a persist hold outlives
 * the fuzzer; latency_test covers it.
 */
static uint8_t fuzz_cmd(struct fz *f, unsigned int wide)
{
	uint8_t cmd = rnd(f, wide) ? rnd(f, THREADSTAT_CMD_MAX + 3) :
				     rnd(f, 256);

	if (cmd == THREADSTAT_CMD_EVENTS_SUBSCRIBE)
		return THREADSTAT_CMD_MAX + 1;
	if (cmd == THREADSTAT_CMD_LATENCY_SET)
		return THREADSTAT_CMD_MAX + 2;
	return cmd;
}

/* Any command number, with plausible attributes for the known ones. */
static struct nlmsghdr *gen_any_command(struct fz *f)
{
	uint8_t cmd = fuzz_cmd(f, 20);
	uint16_t flags = NLM_F_REQUEST | (rnd(f, 2) ? NLM_F_DUMP : 0) |
			 (rnd(f, 2) ? NLM_F_ACK : 0);
	static const uint32_t odd[] = { 0, 1, 0xffffffff, 0x7fffffff, 4096 };
	struct nlmsghdr *nlh;
	int i, n;

	if (cmd == THREADSTAT_CMD_THREAD_GET)
		return gen_thread_get(f);
	nlh = begin(f, f->s.family, flags, cmd);
	n = rnd(f, 3);
	for (i = 0; i < n; i++) {
		uint32_t v = rnd(f, 2) ? odd[rnd(f, 5)] : rnd(f, f->ncpus + 2);

		if (cmd == THREADSTAT_CMD_CPU_GET)
			put_u32(nlh, THREADSTAT_A_CPU_CPU, v);
		else
			put_u32(nlh, 1 + rnd(f, 12), v);
	}
	return nlh;
}

/* Random attributes, nested up to @depth deep, filling about @len bytes. */
static void put_garbage_nest(struct fz *f, struct nlmsghdr *nlh, int depth)
{
	uint8_t data[256];
	struct nlattr *a;
	size_t start;
	int i, n = 1 + rnd(f, 4);

	for (i = 0; i < n && room(f, nlh, 300); i++) {
		uint16_t type = rnd(f, 2) ? rnd(f, 0x4000) : rnd(f, 80);

		if (depth && rnd(f, 2)) {
			a = (void *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
			start = NLMSG_ALIGN(nlh->nlmsg_len);
			put_raw(nlh, type | NLA_F_NESTED, NULL, 0);
			put_garbage_nest(f, nlh, depth - 1);
			a->nla_len = nlh->nlmsg_len - start;
		} else {
			uint16_t len = rnd(f, 3) ? rnd(f, 16) : rnd(f, 200);

			rnd_bytes(f, data, len);
			put_raw(nlh, type, data, len);
		}
	}
}

/*
 * Request-shaped messages with broken attributes. Most breakages are
 * rejected by a strict policy whatever else the message says; for
 * THREAD_GET that is then the oracle.
 */
static void gen_mutated(struct fz *f)
{
	static const uint16_t lens[] = { 0, 1, 2, 3, 5, 6, 7, 8, 12, 16, 64 };
	static const uint16_t req[] = { THREADSTAT_A_THREAD_TID,
					THREADSTAT_A_THREAD_TGID,
					THREADSTAT_A_THREAD_FIELDS };
	struct nlmsghdr *nlh = rnd(f, 10) < 7 ? gen_thread_get(f) :
			       gen_any_command(f);
	bool thread = ((struct genlmsghdr *)NLMSG_DATA(nlh))->cmd ==
		      THREADSTAT_CMD_THREAD_GET;
	struct oracle *o = oracle_of_last(f);
	bool invalid = false, harmless = false;
	uint8_t data[128];
	int i, n = 1 + rnd(f, 3);

	for (i = 0; i < n && room(f, nlh, 2600); i++) {
		uint16_t r = req[rnd(f, 3)];
		struct nlattr *a;
		uint32_t v = rnd(f, 2) ? f->me : rnd64(f);
		int k, len;

		rnd_bytes(f, data, sizeof(data));
		switch (rnd(f, 11)) {
		case 0:		/* unknown type */
			put_raw(nlh, rnd(f, 3) ? THREADSTAT_A_THREAD_MAX + 1 +
				rnd(f, 0x3fff - THREADSTAT_A_THREAD_MAX) : 0,
				data, rnd(f, 13));
			invalid = true;
			break;
		case 1:		/* reply-only type, any shape */
			do {
				r = 1 + rnd(f, THREADSTAT_A_THREAD_MAX);
			} while (r == req[0] || r == req[1] || r == req[2]);
			put_raw(nlh, r | (rnd(f, 2) ? NLA_F_NESTED : 0), data,
				rnd(f, 17));
			invalid = true;
			break;
		case 2:		/* wrong length */
			put_raw(nlh, r, data, lens[rnd(f, 11)]);
			invalid = true;
			break;
		case 3:		/* flagged nested */
			put_raw(nlh, r | NLA_F_NESTED |
				(rnd(f, 2) ? NLA_F_NET_BYTEORDER : 0), &v, 4);
			invalid = true;
			break;
		case 4:		/* nested garbage */
			a = (void *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
			len = NLMSG_ALIGN(nlh->nlmsg_len);
			put_raw(nlh, (rnd(f, 2) ? r : rnd(f, 0x4000)) |
				NLA_F_NESTED, NULL, 0);
			put_garbage_nest(f, nlh, 3);
			a->nla_len = nlh->nlmsg_len - len;
			invalid = true;
			break;
		case 5:		/* claims more than the message holds */
			put_raw(nlh, r, &v, 4);
			a = (void *)((char *)nlh + nlh->nlmsg_len - 8);
			a->nla_len = 9 + rnd(f, 0xfff0);
			invalid = true;
			goto out;	/* nothing can follow it */
		case 6:		/* attribute header too short */
			put_raw(nlh, r, &v, 4);
			a = (void *)((char *)nlh + nlh->nlmsg_len - 8);
			a->nla_len = rnd(f, 4);
			invalid = true;
			goto out;
		case 7:		/* stray bytes at the end */
			nlh->nlmsg_len += 1 + rnd(f, 3);
			invalid = true;
			goto out;
		case 8:		/* network byte order flag */
			put_raw(nlh, r | NLA_F_NET_BYTEORDER, &v, 4);
			harmless = true;
			break;
		case 9:		/* many duplicates, huge and zero values */
			for (k = rnd(f, 300); k > 0; k--) {
				static const uint32_t vals[] = {
					0, 1, 0xffffffff, 0x3f, 0x7fffffff };

				put_u32(nlh, r, rnd(f, 2) ? vals[rnd(f, 5)] : v);
			}
			harmless = true;
			break;
		default:	/* a huge value in the right shape */
			put_u32(nlh, r, rnd(f, 2) ? 0xffffffff : 0);
			harmless = true;
			break;
		}
	}
out:
	if (thread && invalid)
		*o = (struct oracle){ .err = ORC_INVAL, .answers = -1,
				      .fields = -1 };
	else if (!thread || harmless || invalid)
		*o = any;
	finish(f, nlh);
}

/* A well-formed request whose netlink or genetlink header is not. */
static void gen_header_abuse(struct fz *f)
{
	struct nlmsghdr *nlh = gen_thread_get(f);
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct oracle *o = oracle_of_last(f);

	finish(f, nlh);
	switch (rnd(f, 12)) {
	case 0:		/* datagram shorter than a netlink header */
		f->d.len = rnd(f, NLMSG_HDRLEN);
		break;
	case 1:		/* genetlink header cut short */
		nlh->nlmsg_len = NLMSG_HDRLEN + rnd(f, GENL_HDRLEN);
		break;
	case 2:		/* length shorter than a netlink header */
		nlh->nlmsg_len = rnd(f, NLMSG_HDRLEN);
		break;
	case 3:		/* length past the datagram */
		nlh->nlmsg_len = f->d.len + 1 + rnd(f, 70000);
		break;
	case 4:		/* any flags */
		nlh->nlmsg_flags = rnd(f, 10) ? (rnd(f, 0x10000) | NLM_F_REQUEST) :
				   rnd(f, 0x10000);
		*o = any;
		break;
	case 5:		/* half a dump flag */
		nlh->nlmsg_flags = NLM_F_REQUEST | (rnd(f, 2) ? NLM_F_ROOT :
				   NLM_F_MATCH) | (rnd(f, 2) ? NLM_F_ACK : 0);
		break;
	case 6:		/* reserved genetlink byte */
		g->reserved = 1 + rnd(f, 0xffff);
		break;
	case 7:		/* another version: ignored */
		g->version = rnd(f, 256);
		break;
	case 8:		/* a control message type */
		nlh->nlmsg_type = rnd(f, NLMSG_MIN_TYPE);
		break;
	case 9:		/* no such family */
		nlh->nlmsg_type = f->s.unused_id;
		break;
	case 10:	/* not a request */
		nlh->nlmsg_flags &= ~NLM_F_REQUEST;
		break;
	default:	/* port and sequence numbers are the sender's business */
		nlh->nlmsg_pid = rnd64(f);
		nlh->nlmsg_seq = rnd64(f);
		break;
	}
}

/* A family message with random command, flags and payload. */
static void gen_random_payload(struct fz *f)
{
	uint16_t flags = NLM_F_REQUEST | (rnd(f, 2) ? NLM_F_DUMP : 0) |
			 (rnd(f, 2) ? NLM_F_ACK : 0);
	uint8_t cmd = fuzz_cmd(f, 4);
	struct nlmsghdr *nlh = begin(f, f->s.family, flags, cmd);
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t len = rnd(f, 300);

	g->version = rnd(f, 256);
	if (!rnd(f, 10))
		g->reserved = rnd(f, 0x10000);
	if (rnd(f, 2)) {
		put_garbage_nest(f, nlh, 2);
	} else {
		rnd_bytes(f, (char *)nlh + nlh->nlmsg_len, len);
		nlh->nlmsg_len += len;
	}
	finish(f, nlh);
}

/* Random bytes from the first; only the message types are made safe. */
static void gen_random_datagram(struct fz *f)
{
	struct nlmsghdr *nlh = (void *)f->d.buf;

	f->d.len = rnd(f, 400);
	rnd_bytes(f, f->d.buf, f->d.len);
	if (f->d.len >= NLMSG_HDRLEN && rnd(f, 10) < 7)
		nlh->nlmsg_len = f->d.len;
}

static void gen_one(struct fz *f)
{
	switch (rnd(f, 4)) {
	case 0:
		finish(f, gen_thread_get(f));
		break;
	case 1:
		finish(f, gen_any_command(f));
		break;
	case 2:
		gen_mutated(f);
		break;
	default:
		gen_random_payload(f);
		break;
	}
}

static void generate(struct fz *f)
{
	unsigned int i, n;

	memset(&f->d, 0, offsetof(struct dgram, part));
	f->d.nparts = 0;
	switch (rnd(f, 20)) {
	case 0 ... 5:
		finish(f, gen_thread_get(f));
		break;
	case 6 ... 7:
		finish(f, gen_any_command(f));
		break;
	case 8 ... 12:
		gen_mutated(f);
		break;
	case 13 ... 14:
		gen_header_abuse(f);
		break;
	case 15 ... 16:
		gen_random_payload(f);
		break;
	case 17:
		gen_random_datagram(f);
		break;
	default:	/* several requests in one datagram, maybe a cut tail */
		n = 2 + rnd(f, 3);
		for (i = 0; i < n; i++)
			gen_one(f);
		if (!rnd(f, 4)) {
			size_t tail = 1 + rnd(f, 40);

			rnd_bytes(f, f->d.buf + f->d.len, tail);
			f->d.len += tail;
		}
		break;
	}
}

/* ---- what the kernel owes us ------------------------------------------ */

static const struct oracle *oracle_at(struct fz *f, size_t off)
{
	unsigned int i;

	for (i = 0; i < f->d.nparts; i++)
		if (f->d.part[i].off == off)
			return &f->d.part[i].o;
	return &any;
}

/*
 * Walk the datagram as netlink_rcv_skb() and genl_family_rcv_msg() will,
 * deciding what each request gets. Requests for other families are turned
 * into requests for none, and repeated sequence numbers renumbered, so the
 * fuzzer never talks to anybody else and can tell the replies apart.
 */
static void predict(struct fz *f)
{
	struct dgram *d = &f->d;
	bool dump_before = false;
	size_t off = 0;

	f->nex = 0;
	while (d->len - off >= NLMSG_HDRLEN && f->nex < MAX_SEEN) {
		struct nlmsghdr *nlh = (void *)(d->buf + off);
		struct genlmsghdr *g = NLMSG_DATA(nlh);
		struct expect *e = &f->ex[f->nex];
		uint16_t flags = nlh->nlmsg_flags;
		unsigned int i;
		size_t len;

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > d->len - off)
			break;
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE &&
		    nlh->nlmsg_type != f->s.family)
			nlh->nlmsg_type = f->s.unused_id;
		for (i = 0; i < f->nex; i++)
			if (f->ex[i].hdr.nlmsg_seq == nlh->nlmsg_seq)
				nlh->nlmsg_seq = ++f->s.seq;
		memset(e, 0, sizeof(*e));
		e->hdr = *nlh;
		f->nex++;

		if (!(flags & NLM_F_REQUEST) || nlh->nlmsg_type < NLMSG_MIN_TYPE) {
			e->kind = flags & NLM_F_ACK ? EX_ACK : EX_NONE;
		} else if (nlh->nlmsg_type == f->s.unused_id) {
			e->kind = EX_ERR;
			e->err = -ENOENT;
		} else if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
			e->kind = EX_ERR;
			e->err = -EINVAL;
		} else {
			bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
			uint16_t rest = dump ? flags & ~NLM_F_DUMP : flags;

			e->cmd = g->cmd;
			e->kind = EX_ERR;
			if (g->reserved ||
			    (rest & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)))
				e->err = -EINVAL;
			else if (!(f->s.caps[g->cmd] &
				   (dump ? GENL_CMD_CAP_DUMP : GENL_CMD_CAP_DO)))
				e->err = -EOPNOTSUPP;
			else
				e->kind = dump ? EX_DUMP : EX_DO;
			e->o = *oracle_at(f, off);
			e->ebusy_ok = dump && dump_before;
			dump_before |= e->kind == EX_DUMP;
		}
		if (e->kind == EX_NONE) {
			e->finished = true;
			f->st->silent++;
		}
		len = NLMSG_ALIGN(nlh->nlmsg_len);
		off += len > d->len - off ? d->len - off : len;
	}
	f->st->requests += f->nex;
}

#define FAIL(...) ({ snprintf(f->why, sizeof(f->why), __VA_ARGS__); -1; })

static const char *kind_name(enum kind k)
{
	static const char *const names[] = { "nothing", "an ACK", "an error",
					     "a do", "a dump" };
	return names[k];
}

/* Does the errno @err fit the oracle? */
static bool error_fits(const struct expect *e, int err)
{
	if (e->ebusy_ok && err == -EBUSY)
		return true;
	switch (e->o.err) {
	case ORC_ANY:
		return true;
	case ORC_INVAL:
		return err == -EINVAL || err == -ERANGE;
	case 0:
		return e->o.maybe_enoent && err == -ENOENT;
	}
	return err == e->o.err;
}

static int check_answer(struct fz *f, struct expect *e,
			const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	bool sched, schedstats, delayacct;

	if (e->o.err != 0 && e->o.err != ORC_ANY)
		return FAIL("an answer where error %d was due", e->o.err);
	if (e->cmd != THREADSTAT_CMD_THREAD_GET)
		return 0;
	a = nls_attr(nlh, THREADSTAT_A_THREAD_TID);
	if (!a)
		return FAIL("thread answer without a tid");
	if (e->o.tid && *(uint32_t *)(a + 1) != e->o.tid)
		return FAIL("answer for tid %u, asked %u",
			    *(uint32_t *)(a + 1), e->o.tid);
	a = nls_attr(nlh, THREADSTAT_A_THREAD_TGID);
	if (!a || (e->o.tgid && *(uint32_t *)(a + 1) != e->o.tgid))
		return FAIL("answer outside tgid %u", e->o.tgid);
	if (nls_attr(nlh, THREADSTAT_A_THREAD_WITHHELD))
		return FAIL("root was refused a field group");
	if (e->o.fields < 0)
		return 0;
	sched = nls_attr(nlh, THREADSTAT_A_THREAD_STATE);
	schedstats = nls_attr(nlh, THREADSTAT_A_THREAD_SCHEDSTATS_ENABLED);
	delayacct = nls_attr(nlh, THREADSTAT_A_THREAD_DELAYACCT_ENABLED);
	if (sched != !!(e->o.fields & THREADSTAT_FIELDS_SCHED) ||
	    schedstats != !!(e->o.fields & THREADSTAT_FIELDS_SCHEDSTATS) ||
	    delayacct != !!(e->o.fields & THREADSTAT_FIELDS_DELAYACCT))
		return FAIL("fields %#x answered with sched %d schedstats %d delayacct %d",
			    e->o.fields, sched, schedstats, delayacct);
	return 0;
}

static int count_error(struct fz *f, int err)
{
	f->st->errors[-err]++;
	return 0;
}

/* One reply message for the datagram's requests. */
static int take(struct fz *f, const struct nlmsghdr *nlh)
{
	struct expect *e = NULL;
	unsigned int i;
	int err;

	for (i = 0; i < f->nex && !e; i++)
		if (f->ex[i].hdr.nlmsg_seq == nlh->nlmsg_seq)
			e = &f->ex[i];
	if (!e)
		return FAIL("reply type %u seq %u to nothing we sent",
			    nlh->nlmsg_type, nlh->nlmsg_seq);
	if (e->finished)
		return FAIL("reply type %u after the end of %s (seq %u)",
			    nlh->nlmsg_type, kind_name(e->kind), nlh->nlmsg_seq);

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *m = NLMSG_DATA(nlh);

		if (memcmp(&m->msg, &e->hdr, sizeof(e->hdr)))
			return FAIL("error quotes another request header");
		err = m->error;
		e->finished = true;
		if (!err) {
			f->st->acks++;
			if (e->kind == EX_ACK)
				return 0;
			if (e->kind == EX_DO && (e->hdr.nlmsg_flags & NLM_F_ACK) &&
			    e->answers == 1)
				return 0;
			return FAIL("ACK for %s (answers %u)", kind_name(e->kind),
				    e->answers);
		}
		count_error(f, err);
		if (e->kind == EX_ERR)
			return err == e->err ? 0 :
			       FAIL("error %d, expected %d", err, e->err);
		if (e->kind != EX_DO && e->kind != EX_DUMP)
			return FAIL("error %d for %s", err, kind_name(e->kind));
		if (e->answers)
			return FAIL("error %d after %u answers", err, e->answers);
		return error_fits(e, err) ? 0 :
		       FAIL("%s of cmd %u failed with %d, oracle %d",
			    kind_name(e->kind), e->cmd, err, e->o.err);
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		if (e->kind != EX_DUMP)
			return FAIL("NLMSG_DONE for %s", kind_name(e->kind));
		e->finished = true;
		f->st->dones++;
		if (err)
			return FAIL("dump of cmd %u ended with error %d",
				    e->cmd, err);
		if (e->o.err != 0 && e->o.err != ORC_ANY)
			return FAIL("dump succeeded, expected error %d", e->o.err);
		if (e->o.answers >= 0 && e->answers != (unsigned int)e->o.answers)
			return FAIL("dump gave %u answers, expected %d (tid %u tgid %u)",
				    e->answers, e->o.answers, e->o.tid, e->o.tgid);
		return 0;
	}
	/* An answer: nls_check() made sure it is the family's. */
	f->st->answers++;
	if (e->kind != EX_DO && e->kind != EX_DUMP)
		return FAIL("answer for %s", kind_name(e->kind));
	if (((struct genlmsghdr *)NLMSG_DATA(nlh))->cmd != e->cmd)
		return FAIL("answer of another command");
	if ((e->kind == EX_DUMP) != !!(nlh->nlmsg_flags & NLM_F_MULTI))
		return FAIL("answer flags %#x for %s", nlh->nlmsg_flags,
			    kind_name(e->kind));
	if (e->kind == EX_DO && e->answers)
		return FAIL("a second answer to a do");
	e->answers++;
	if (e->kind == EX_DO && !(e->hdr.nlmsg_flags & NLM_F_ACK))
		e->finished = true;
	return check_answer(f, e, nlh);
}

static bool dumps_open(struct fz *f)
{
	unsigned int i;

	for (i = 0; i < f->nex; i++)
		if (f->ex[i].kind == EX_DUMP && !f->ex[i].finished)
			return true;
	return false;
}

/* Send the datagram and the sentinel; read and judge every reply. */
static int round_trip(struct fz *f)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr sentinel = {
		.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	bool seen = false;
	unsigned int i;
	int n;

	predict(f);
	do {
		sentinel.nlmsg_seq = ++f->s.seq;
		for (i = 0; i < f->nex; i++)
			if (f->ex[i].hdr.nlmsg_seq == sentinel.nlmsg_seq)
				break;
	} while (i < f->nex);
	/* An empty datagram may be refused outright (6.12: ENODATA). */
	if (sendto(f->s.fd, f->d.buf, f->d.len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0 && (f->d.len || errno != ENODATA))
		return FAIL("sendto: %s", strerror(errno));
	if (sendto(f->s.fd, &sentinel, sizeof(sentinel), 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return FAIL("sendto sentinel: %s", strerror(errno));
	f->st->dgrams++;

	while (!seen || dumps_open(f)) {
		const struct nlmsghdr *nlh = (const void *)f->s.buf;
		const char *bad;

		n = nls_recv(&f->s);
		if (n < 0)
			return FAIL("recv: %s%s", strerror(-n), n == -EAGAIN ?
				    " (no reply within 10 s)" : "");
		for (; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			bad = nls_check(&f->s, nlh, 0);
			if (bad)
				return FAIL("malformed reply: %s", bad);
			if (nlh->nlmsg_seq == sentinel.nlmsg_seq) {
				const struct nlmsgerr *m = NLMSG_DATA(nlh);

				if (seen || nlh->nlmsg_type != NLMSG_ERROR ||
				    m->error)
					return FAIL("bad sentinel reply");
				seen = true;
				for (i = 0; i < f->nex; i++)
					if (!f->ex[i].finished &&
					    !(f->ex[i].kind == EX_DUMP &&
					      f->ex[i].answers))
						return FAIL("no reply to %s (seq %u)",
							    kind_name(f->ex[i].kind),
							    f->ex[i].hdr.nlmsg_seq);
				continue;
			}
			if (take(f, nlh))
				return -1;
		}
		if (n)
			return FAIL("%d stray bytes in a datagram", n);
	}
	return 0;
}

static void dump_datagram(struct fz *f)
{
	size_t i;

	fprintf(stderr, "# datagram of %zu bytes:", f->d.len);
	for (i = 0; i < f->d.len && i < 512; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n#   ", f->d.buf[i]);
	fprintf(stderr, "\n");
}

static unsigned long env_ul(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

FIXTURE(fuzzer) {
	struct fz *f;
	struct fz_stats st;
};

FIXTURE_SETUP(fuzzer)
{
	self->f = calloc(1, sizeof(*self->f));
	ASSERT_NE(NULL, self->f);
	ASSERT_EQ(0, nls_open(&self->f->s, 10000));
	self->f->me = getpid();
	self->f->ncpus = sysconf(_SC_NPROCESSORS_CONF);
	self->f->rng = 1;
	self->f->st = &self->st;
}

FIXTURE_TEARDOWN(fuzzer)
{
	nls_close(&self->f->s);
	free(self->f);
}

/* One worker process: its own socket, seed and share of the datagrams. */
static int fuzz_worker(struct fz_stats *st, uint64_t seed, unsigned long count)
{
	struct fz *f = calloc(1, sizeof(*f));
	unsigned long i;

	if (!f || nls_open(&f->s, 10000))
		return 2;
	f->me = getpid();
	f->ncpus = sysconf(_SC_NPROCESSORS_CONF);
	f->rng = seed ? seed : 1;
	f->st = st;
	for (i = 0; i < count; i++) {
		generate(f);
		if (round_trip(f)) {
			dump_datagram(f);
			printf("# worker seed %#llx, datagram %lu: %s\n",
			       (unsigned long long)seed, i, f->why);
			return 1;
		}
	}
	return 0;
}

/*
 * Several workers at once, each a single-threaded process (the oracle
 * relies on that), so requests also race in the kernel.
 */
TEST_F_TIMEOUT(fuzzer, random_requests, 7200)
{
	const char *profile = getenv("TS_PROFILE");
	bool long_run = profile && !strcmp(profile, "long");
	unsigned long count, total = 0, w, workers;
	struct fz_stats *st, sum = { 0 };
	struct timespec t0, t1;
	int e, status, failed = 0;
	uint64_t seed;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	seed = env_ul("TS_FUZZ_SEED", t0.tv_nsec ^ ((uint64_t)getpid() << 32));
	count = env_ul("TS_FUZZ_COUNT", long_run ? 1000000 : 100000);
	workers = env_ul("TS_FUZZ_WORKERS", 4);
	ASSERT_LE(1, workers);
	printf("# seed %#llx (TS_FUZZ_SEED replays), %lu datagrams, %lu workers; commands:",
	       (unsigned long long)seed, count, workers);
	for (w = 0; w < 256; w++)
		if (self->f->s.caps[w])
			printf(" %lu%s%s", w,
			       self->f->s.caps[w] & GENL_CMD_CAP_DO ? "/do" : "",
			       self->f->s.caps[w] & GENL_CMD_CAP_DUMP ? "/dump" : "");
	printf("\n");
	fflush(stdout);

	st = mmap(NULL, workers * sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st);
	for (w = 0; w < workers; w++) {
		unsigned long share = count / workers + (w < count % workers);

		if (fork() == 0)
			_exit(fuzz_worker(&st[w], seed + w * 0x9e3779b97f4a7c15ULL,
					  share));
	}
	for (w = 0; w < workers; w++) {
		wait(&status);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (w = 0; w < workers; w++) {
		sum.dgrams += st[w].dgrams;
		sum.requests += st[w].requests;
		sum.silent += st[w].silent;
		sum.answers += st[w].answers;
		sum.acks += st[w].acks;
		sum.dones += st[w].dones;
		sum.full_dumps += st[w].full_dumps;
		for (e = 1; e < 4096; e++)
			sum.errors[e] += st[w].errors[e];
	}
	total = sum.dgrams;
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# fuzzed %lu datagrams (%lu requests seen by the kernel) in %.1f s, %.0f/s\n",
	       total, sum.requests, secs, total / secs);
	printf("# replies: %lu answers, %lu dumps ended (%lu unfiltered asked), %lu ACKs, %lu requests rightly ignored\n",
	       sum.answers, sum.dones, sum.full_dumps, sum.acks, sum.silent);
	printf("# errors by errno:");
	for (e = 1; e < 4096; e++)
		if (sum.errors[e])
			printf(" %s=%lu", strerrorname_np(e) ?: "?", sum.errors[e]);
	printf("\n");
	munmap(st, workers * sizeof(*st));
	EXPECT_EQ(0, failed);
	EXPECT_EQ(count, total);
}

/* The fuzzer must be able to fail: an answer for the wrong tid... */
TEST_F(fuzzer, catches_wrong_answer)
{
	struct fz *f = self->f;
	struct nlmsghdr *nlh;

	memset(&f->d, 0, offsetof(struct dgram, part));
	nlh = begin(f, f->s.family, NLM_F_REQUEST, THREADSTAT_CMD_THREAD_GET);
	put_u32(nlh, THREADSTAT_A_THREAD_TID, f->me);
	*oracle_of_last(f) = (struct oracle){ .err = 0, .answers = 1,
					      .tid = f->me + 1, .fields = -1 };
	finish(f, nlh);
	ASSERT_NE(0, round_trip(f));
	TH_LOG("caught: %s", f->why);
}

/* ...and an error the oracle did not foresee. */
TEST_F(fuzzer, catches_wrong_error)
{
	struct fz *f = self->f;
	struct nlmsghdr *nlh;

	memset(&f->d, 0, offsetof(struct dgram, part));
	nlh = begin(f, f->s.family, NLM_F_REQUEST | NLM_F_ACK, 200);
	*oracle_of_last(f) = (struct oracle){ .err = 0, .answers = 1,
					      .fields = -1 };
	finish(f, nlh);
	f->s.caps[200] = GENL_CMD_CAP_DO;	/* pretend it exists */
	ASSERT_NE(0, round_trip(f));
	TH_LOG("caught: %s", f->why);
}

TEST_HARNESS_MAIN
