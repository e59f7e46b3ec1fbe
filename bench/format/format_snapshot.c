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
 *   4   bulk: format 0's bytes written by the module in one pass, decoded
 *       by ts_thread_decode()
 *   4s  as 4, decoded by this file's switch over the attribute types
 *       (the library's checks and results, no tables)
 *   0s  format 0 decoded by the switch
 *   0n  format 0 not decoded: messages counted, the tid read for the self
 *       check (what receiving the attributes costs without decoding)
 *   5   ref: the module looks up and references every thread, reads
 *       nothing and sends counts (the walk alone)
 *   6   nests: format 4's attributes in a nest per thread, many nests a
 *       message; each nest decoded by ts_thread_decode()
 *   6s  as 6, decoded by the switch
 *   4f  as 4, decoded by decode_fast(): the attribute sequence this
 *       module version sends checked header by header and copied, any
 *       other message (an unknown attribute from a newer module, another
 *       order, a length) handed to ts_thread_decode()
 *   6f  as 6, decoded by decode_fast()
 *   7   as 5 with one look at the pid space per batch instead of two
 * "format_snapshot --check" instead compares format 0's and format 4's
 * bytes thread by thread (threads whose values did not change between
 * the two dumps must match exactly), checks that the three decoders
 * (library, switch, fast path) give the same struct ts_thread for every
 * format 4 message, and prints the counts.
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

enum decode {
	DECODE_LIB,		/* ts_thread_decode() */
	DECODE_SWITCH,		/* decode_switch() */
	DECODE_FAST,		/* decode_fast(), else ts_thread_decode() */
	DECODE_NONE,		/* count messages, read the tid */
	DECODE_RECORD,		/* packed records into struct tsfmt_record */
	DECODE_TS_THREAD,	/* packed records into struct ts_thread */
	DECODE_COUNT,		/* TSFMT_A_COUNT only */
};

struct fmt_ctx {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq, portid;
	uint32_t format;
	enum decode decode;
	uint32_t self;		/* gettid(), read once: it is a system call */
	char *buf;
	/* --check: each message's attributes kept per tid */
	bool keep;
	char **kept;
	uint32_t *kept_len;
	uint32_t kept_max;
	long same, differ, missing;
	long decoders_agree, decoders_differ, fast_fallbacks;
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
	if (t->tid == c->self) {
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
	if (c->decode == DECODE_TS_THREAD) {
		struct ts_thread t;

		record_to_ts_thread(&r, &t);
		return take_ts_thread(c, &t);
	}
	c->checksum += r.tid + r.state + r.sum_exec_runtime + r.utime +
		       r.stime + r.nvcsw + r.nivcsw;
	c->threads++;
	if (r.tid == c->self) {
		if (check_self(c, r.tgid, r.uid, r.comm, (char)r.state))
			return -1;
		c->seen_self++;
	}
	return 0;
}

/*
 * The library's result and checks (lengths per kind, a NUL in the string,
 * CPU sets in whole words, unknown attributes skipped, truncation fails)
 * for the default group's attributes, by a switch instead of its tables.
 */
static int decode_switch(const void *data, size_t len, struct ts_thread *t)
{
	const struct nlattr *a = data;
	size_t rem = len;

	memset(t, 0, sizeof(*t));
	while (rem >= sizeof(*a)) {
		uint16_t type = a->nla_type & NLA_TYPE_MASK;
		uint16_t alen = a->nla_len - NLA_HDRLEN;
		const char *v = (const char *)a + NLA_HDRLEN;
		void *dst = NULL;
		int want = 4;

		if (a->nla_len < sizeof(*a) || a->nla_len > rem)
			return -1;
		switch (type) {
		case THREADSTAT_A_THREAD_TID: dst = &t->tid; break;
		case THREADSTAT_A_THREAD_TGID: dst = &t->tgid; break;
		case THREADSTAT_A_THREAD_PPID: dst = &t->ppid; break;
		case THREADSTAT_A_THREAD_UID: dst = &t->uid; break;
		case THREADSTAT_A_THREAD_CPU: dst = &t->cpu; break;
		case THREADSTAT_A_THREAD_POLICY: dst = &t->policy; break;
		case THREADSTAT_A_THREAD_NICE: dst = &t->nice; break;
		case THREADSTAT_A_THREAD_PRIO: dst = &t->prio; break;
		case THREADSTAT_A_THREAD_STATIC_PRIO: dst = &t->static_prio; break;
		case THREADSTAT_A_THREAD_RT_PRIORITY: dst = &t->rt_priority; break;
		case THREADSTAT_A_THREAD_NR_CPUS_ALLOWED:
			dst = &t->nr_cpus_allowed;
			break;
		case THREADSTAT_A_THREAD_START_TIME:
			dst = &t->start_time; want = 8; break;
		case THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME:
			dst = &t->sum_exec_runtime; want = 8; break;
		case THREADSTAT_A_THREAD_UTIME: dst = &t->utime; want = 8; break;
		case THREADSTAT_A_THREAD_STIME: dst = &t->stime; want = 8; break;
		case THREADSTAT_A_THREAD_RUN_DELAY:
			dst = &t->run_delay; want = 8; break;
		case THREADSTAT_A_THREAD_PCOUNT: dst = &t->pcount; want = 8; break;
		case THREADSTAT_A_THREAD_NVCSW: dst = &t->nvcsw; want = 8; break;
		case THREADSTAT_A_THREAD_NIVCSW: dst = &t->nivcsw; want = 8; break;
		case THREADSTAT_A_THREAD_NR_MIGRATIONS:
			dst = &t->nr_migrations; want = 8; break;
		case THREADSTAT_A_THREAD_MIN_FLT: dst = &t->min_flt; want = 8; break;
		case THREADSTAT_A_THREAD_MAJ_FLT: dst = &t->maj_flt; want = 8; break;
		case THREADSTAT_A_THREAD_STATE: dst = &t->state; want = 1; break;
		case THREADSTAT_A_THREAD_KTHREAD:
			if (alen)
				return -1;
			t->kthread = true;
			break;
		case THREADSTAT_A_THREAD_ON_CPU:
			if (alen)
				return -1;
			t->on_cpu = true;
			break;
		case THREADSTAT_A_THREAD_COMM:
			if (!alen || !memchr(v, '\0', alen))
				return -1;
			strncpy(t->comm, v, sizeof(t->comm) - 1);
			t->comm[sizeof(t->comm) - 1] = '\0';
			break;
		case THREADSTAT_A_THREAD_CPUS_ALLOWED:
			if (alen % 8)
				return -1;
			memset(t->cpus_allowed, 0, sizeof(t->cpus_allowed));
			memcpy(t->cpus_allowed, v, alen < sizeof(t->cpus_allowed) ?
			       alen : sizeof(t->cpus_allowed));
			break;
		default:
			type = 0;	/* unknown: from a newer module, skipped */
			break;
		}
		if (dst) {
			if (alen != want)
				return -1;
			memcpy(dst, v, want);
		}
		if (type)
			set_present(t, type);
		if ((size_t)MNL_ALIGN(a->nla_len) >= rem)
			break;
		rem -= MNL_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + MNL_ALIGN(a->nla_len));
	}
	return t->present[0] & (1ull << THREADSTAT_A_THREAD_TID) ? 0 : -1;
}

/*
 * The default group's message as this module version sends it, decoded
 * by checking each attribute header (type and length in one 32-bit
 * compare) in the expected order and copying the value. Anything else
 * returns -1 before @t is trusted, and the caller falls back to the
 * library's generic decoder: a newer module's extra attribute costs the
 * slow path, never a wrong value.
 */
#define HDR(type, len)	((uint32_t)(NLA_HDRLEN + (len)) | (uint32_t)(type) << 16)
#define FIX(type, field)						\
	do {								\
		uint32_t h_;						\
		if (end - p < NLA_HDRLEN + (long)sizeof(t->field))	\
			return -1;					\
		memcpy(&h_, p, 4);					\
		if (h_ != HDR(THREADSTAT_A_THREAD_##type, sizeof(t->field))) \
			return -1;					\
		memcpy(&t->field, p + NLA_HDRLEN, sizeof(t->field));	\
		p += NLA_ALIGN(NLA_HDRLEN + sizeof(t->field));		\
	} while (0)

static int decode_fast(const void *data, size_t len, struct ts_thread *t)
{
	const char *p = data, *end = p + len;
	uint64_t present = 0;
	uint32_t h;
	uint16_t alen;
	int type;

	memset(t, 0, sizeof(*t));
	FIX(TID, tid);
	FIX(TGID, tgid);
	FIX(PPID, ppid);
	if (end - p < NLA_HDRLEN)
		return -1;
	memcpy(&h, p, 4);
	alen = (uint16_t)h - NLA_HDRLEN;
	if (h >> 16 != THREADSTAT_A_THREAD_COMM || (uint16_t)h < NLA_HDRLEN + 1 ||
	    alen > sizeof(t->comm) || end - p < NLA_ALIGN(NLA_HDRLEN + alen) ||
	    p[NLA_HDRLEN + alen - 1] != '\0')
		return -1;
	memcpy(t->comm, p + NLA_HDRLEN, alen);
	p += NLA_ALIGN(NLA_HDRLEN + alen);
	FIX(UID, uid);
	FIX(START_TIME, start_time);
	if (end - p >= NLA_HDRLEN) {
		memcpy(&h, p, 4);
		if (h == HDR(THREADSTAT_A_THREAD_KTHREAD, 0)) {
			t->kthread = true;
			present |= 1ull << THREADSTAT_A_THREAD_KTHREAD;
			p += NLA_HDRLEN;
		}
	}
	FIX(STATE, state);
	FIX(CPU, cpu);
	FIX(POLICY, policy);
	FIX(NICE, nice);
	FIX(PRIO, prio);
	FIX(STATIC_PRIO, static_prio);
	FIX(RT_PRIORITY, rt_priority);
	if (end - p < NLA_HDRLEN)
		return -1;
	memcpy(&h, p, 4);
	alen = (uint16_t)h - NLA_HDRLEN;
	if (h >> 16 != THREADSTAT_A_THREAD_CPUS_ALLOWED ||
	    (uint16_t)h < NLA_HDRLEN || alen % 8 ||
	    alen > sizeof(t->cpus_allowed) || end - p < NLA_HDRLEN + alen)
		return -1;
	memcpy(t->cpus_allowed, p + NLA_HDRLEN, alen);
	p += NLA_HDRLEN + alen;
	FIX(NR_CPUS_ALLOWED, nr_cpus_allowed);
	FIX(SUM_EXEC_RUNTIME, sum_exec_runtime);
	FIX(UTIME, utime);
	FIX(STIME, stime);
	FIX(RUN_DELAY, run_delay);
	FIX(PCOUNT, pcount);
	FIX(NVCSW, nvcsw);
	FIX(NIVCSW, nivcsw);
	FIX(NR_MIGRATIONS, nr_migrations);
	FIX(MIN_FLT, min_flt);
	FIX(MAJ_FLT, maj_flt);
	if (end - p >= NLA_HDRLEN) {
		memcpy(&h, p, 4);
		if (h == HDR(THREADSTAT_A_THREAD_ON_CPU, 0)) {
			t->on_cpu = true;
			present |= 1ull << THREADSTAT_A_THREAD_ON_CPU;
			p += NLA_HDRLEN;
		}
	}
	if (p != end)
		return -1;	/* more than this version knows: slow path */
	for (type = THREADSTAT_A_THREAD_TID; type <= THREADSTAT_A_THREAD_MAJ_FLT;
	     type++)
		if (type != THREADSTAT_A_THREAD_KTHREAD &&
		    type != THREADSTAT_A_THREAD_ON_CPU)
			present |= 1ull << type;
	t->present[0] = present;
	return 0;
}

/* --check: keep (format 0) or compare (format 4) one message. */
static int keep_or_compare(struct fmt_ctx *c, const void *attrs, size_t len)
{
	const struct nlattr *a = attrs;
	uint32_t tid;

	if (len < 8 || (a->nla_type & NLA_TYPE_MASK) != THREADSTAT_A_THREAD_TID)
		return -1;
	memcpy(&tid, (const char *)a + NLA_HDRLEN, 4);
	if (tid > c->kept_max)
		return -1;
	if (c->format == TSFMT_FORMAT_ATTRS) {
		free(c->kept[tid]);
		c->kept[tid] = malloc(len);
		if (!c->kept[tid])
			return -1;
		memcpy(c->kept[tid], attrs, len);
		c->kept_len[tid] = len;
	} else if (!c->kept[tid]) {
		c->missing++;
	}
	if (c->format == TSFMT_FORMAT_BULK) {
		/* The three decoders must agree on every message. */
		struct ts_thread lib, sw, fast;
		struct ts_error err;

		if (ts_thread_decode(attrs, len, &lib, &err) ||
		    decode_switch(attrs, len, &sw))
			return -1;
		if (decode_fast(attrs, len, &fast)) {
			c->fast_fallbacks++;
			fast = lib;
		}
		if (memcmp(&lib, &sw, sizeof(lib)) || memcmp(&lib, &fast, sizeof(lib)))
			c->decoders_differ++;
		else
			c->decoders_agree++;
	}
	if (c->format == TSFMT_FORMAT_BULK && c->kept[tid]) {
		if (c->kept_len[tid] == len && !memcmp(c->kept[tid], attrs, len))
			c->same++;
		else
			c->differ++;
	}
	c->threads++;
	return 0;
}

/* One thread's THREADSTAT_A_THREAD_* attributes, decoded into a struct ts_thread. */
static int take_attrs(struct fmt_ctx *c, const void *attrs, size_t len)
{
	struct ts_thread t;
	struct ts_error err;
	int rc;

	if (c->decode == DECODE_LIB) {
		if (ts_thread_decode(attrs, len, &t, &err)) {
			fprintf(stderr, "format_snapshot: %s\n", err.msg);
			return -1;
		}
	} else if (c->decode == DECODE_FAST) {
		if (decode_fast(attrs, len, &t) &&
		    ts_thread_decode(attrs, len, &t, &err)) {
			fprintf(stderr, "format_snapshot: %s\n", err.msg);
			return -1;
		}
	} else if (decode_switch(attrs, len, &t)) {
		fprintf(stderr, "format_snapshot: malformed message\n");
		return -1;
	}
	rc = take_ts_thread(c, &t);
	free(t.kernel_stack);	/* none in the default group */
	return rc;
}

/* One data message of the dump. */
static int take_message(struct fmt_ctx *c, const struct nlmsghdr *nlh)
{
	const void *attrs = (const char *)mnl_nlmsg_get_payload(nlh) +
			    GENL_HDRLEN;
	size_t len = mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN;
	const struct nlattr *attr;

	if (c->keep)
		return keep_or_compare(c, attrs, len);
	if ((c->decode == DECODE_LIB || c->decode == DECODE_SWITCH ||
	     c->decode == DECODE_FAST) &&
	    c->format != TSFMT_FORMAT_NESTS)
		return take_attrs(c, attrs, len);
	if (c->decode == DECODE_NONE) {
		const struct nlattr *a = attrs;
		uint32_t tid;

		if (len < 8 || (a->nla_type & NLA_TYPE_MASK) !=
			       THREADSTAT_A_THREAD_TID)
			return -1;
		memcpy(&tid, (const char *)a + NLA_HDRLEN, sizeof(tid));
		c->checksum += tid;
		c->threads++;
		c->seen_self += tid == c->self;
		return 0;
	}
	mnl_attr_for_each_payload(attrs, len) {
		if (mnl_attr_get_type(attr) == TSFMT_A_THREAD) {
			if (take_attrs(c, mnl_attr_get_payload(attr),
				       mnl_attr_get_payload_len(attr)))
				return -1;
		} else if (mnl_attr_get_type(attr) == TSFMT_A_RECORD) {
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
	if (c->decode != DECODE_COUNT && !c->keep && c->seen_self != 1) {
		fprintf(stderr, "format_snapshot: own thread seen %ld times\n",
			c->seen_self);
		return -1;
	}
	if (c->threads < 1)
		return -1;
	return c->threads;
}

/* --check: format 0 and format 4 must carry the same bytes. */
static int check_bulk(struct fmt_ctx *c)
{
	c->kept_max = 4 * 1024 * 1024;	/* PID_MAX_LIMIT */
	c->kept = calloc(c->kept_max + 1, sizeof(*c->kept));
	c->kept_len = calloc(c->kept_max + 1, sizeof(*c->kept_len));
	if (!c->kept || !c->kept_len)
		return 1;
	c->format = TSFMT_FORMAT_ATTRS;
	if (snapshot(c) < 0)
		return 1;
	c->format = TSFMT_FORMAT_BULK;
	if (snapshot(c) < 0)
		return 1;
	printf("check: format 4 against format 0, thread by thread: %ld byte-identical, %ld differ, %ld not in format 0\n",
	       c->same, c->differ, c->missing);
	printf("check: decoders (library, switch, fast path) on format 4: %ld agree, %ld differ; %ld fast-path fallbacks\n",
	       c->decoders_agree, c->decoders_differ, c->fast_fallbacks);
	return c->same > 0 && c->differ * 100 < c->same &&
	       !c->decoders_differ ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct fmt_ctx c = { 0 };
	int runs = 5, warmup = 1, rc;

	static const struct {
		const char *name;
		uint32_t format;
		enum decode decode;
	} specs[] = {
		{ "0", TSFMT_FORMAT_ATTRS, DECODE_LIB },
		{ "0s", TSFMT_FORMAT_ATTRS, DECODE_SWITCH },
		{ "0n", TSFMT_FORMAT_ATTRS, DECODE_NONE },
		{ "1", TSFMT_FORMAT_PACKED, DECODE_RECORD },
		{ "2", TSFMT_FORMAT_ARRAY, DECODE_RECORD },
		{ "2t", TSFMT_FORMAT_ARRAY, DECODE_TS_THREAD },
		{ "3", TSFMT_FORMAT_WALK, DECODE_COUNT },
		{ "4", TSFMT_FORMAT_BULK, DECODE_LIB },
		{ "4s", TSFMT_FORMAT_BULK, DECODE_SWITCH },
		{ "5", TSFMT_FORMAT_REF, DECODE_COUNT },
		{ "6", TSFMT_FORMAT_NESTS, DECODE_LIB },
		{ "6s", TSFMT_FORMAT_NESTS, DECODE_SWITCH },
		{ "4f", TSFMT_FORMAT_BULK, DECODE_FAST },
		{ "6f", TSFMT_FORMAT_NESTS, DECODE_FAST },
		{ "7", TSFMT_FORMAT_REF1, DECODE_COUNT },
	};
	const char *spec = NULL;
	size_t i;

	if (bench_parse(&argc, argv, &runs, &warmup))
		goto usage;
	if (argc == 2 && !strcmp(argv[1], "--check"))
		c.keep = true;
	else if (argc == 3 && !strcmp(argv[1], "--format"))
		spec = argv[2];
	else
		goto usage;
	for (i = 0; spec && i < sizeof(specs) / sizeof(specs[0]); i++)
		if (!strcmp(spec, specs[i].name))
			break;
	if (spec && i == sizeof(specs) / sizeof(specs[0]))
		goto usage;
	if (spec) {
		c.format = specs[i].format;
		c.decode = specs[i].decode;
	}
	c.self = (uint32_t)gettid();
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
	if (c.keep) {
		rc = check_bulk(&c);
	} else {
		rc = bench_loop(snapshot, &c, runs, warmup);
		fprintf(stderr, "format_snapshot: format %s checksum %llu, %u interrupted messages\n",
			spec, (unsigned long long)c.checksum, c.interrupted);
	}
	mnl_socket_close(c.nl);
	free(c.buf);
	return rc;

usage:
	fprintf(stderr, "usage: format_snapshot --format 0|0s|0n|1|2|2t|3|4|4s|5|6|6s|4f|6f|7 [--runs R] [--warmup W]\n"
		"       format_snapshot --check\n");
	return 2;
}
