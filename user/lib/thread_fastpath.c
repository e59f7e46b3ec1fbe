// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The fast path for THREAD_GET dump messages: a default-group reply
 * (identity and sched) from this module version is one fixed sequence of
 * attributes, so instead of looking each one up (decode.c), check each
 * header against the one expected next (type and length in one 32-bit
 * compare) and copy the value. Any other message (an unknown attribute
 * from a newer module, another order, another length, a nest, a missing
 * attribute, more groups) makes ts_thread_decode_fast() return -1 and the
 * caller decode it with ts_thread_decode(): a module that sends something
 * else costs the slow path, never a wrong value.
 *
 * What each attribute's kind, length rule and member are comes from
 * thread.c's field table (ts_thread_set); only the order is kept here.
 * The result is ts_thread_decode()'s, byte for byte: the record is zeroed
 * first, each value written as ts_decode_one() writes it, and presence
 * recorded in the same bits (user/tests/thread_fastpath_test.c).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

/*
 * The order kmod/thread_fill.c sends a default-group reply in:
 * ts_fill_identity() then ts_fill_sched(). The field table does not say
 * it (on-cpu is put last, after the sched values); keep in step with
 * thread_fill.c, where a change only costs speed. Flags (kthread, on-cpu)
 * are sent only when true, so a flag not found is skipped.
 */
static const uint16_t ts_fast_order[] = {
	THREADSTAT_A_THREAD_TID, THREADSTAT_A_THREAD_TGID,
	THREADSTAT_A_THREAD_PPID, THREADSTAT_A_THREAD_COMM,
	THREADSTAT_A_THREAD_UID, THREADSTAT_A_THREAD_START_TIME,
	THREADSTAT_A_THREAD_KTHREAD,
	THREADSTAT_A_THREAD_STATE, THREADSTAT_A_THREAD_CPU,
	THREADSTAT_A_THREAD_POLICY, THREADSTAT_A_THREAD_NICE,
	THREADSTAT_A_THREAD_PRIO, THREADSTAT_A_THREAD_STATIC_PRIO,
	THREADSTAT_A_THREAD_RT_PRIORITY, THREADSTAT_A_THREAD_CPUS_ALLOWED,
	THREADSTAT_A_THREAD_NR_CPUS_ALLOWED,
	THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME, THREADSTAT_A_THREAD_UTIME,
	THREADSTAT_A_THREAD_STIME, THREADSTAT_A_THREAD_RUN_DELAY,
	THREADSTAT_A_THREAD_PCOUNT, THREADSTAT_A_THREAD_NVCSW,
	THREADSTAT_A_THREAD_NIVCSW, THREADSTAT_A_THREAD_NR_MIGRATIONS,
	THREADSTAT_A_THREAD_MIN_FLT, THREADSTAT_A_THREAD_MAJ_FLT,
	THREADSTAT_A_THREAD_ON_CPU,
};

#define TS_FAST_STEPS	(sizeof(ts_fast_order) / sizeof(ts_fast_order[0]))

/* How a step stores its value: ts_decode_one()'s cases, by kind. */
enum ts_fast_op {
	TS_FAST_COPY1,		/* fixed length (1, 4, 8), copied as is: */
	TS_FAST_COPY4,		/* one op per length, so that each copy is */
	TS_FAST_COPY8,		/* one move, not a copy of a variable length */
	TS_FAST_BOOL,		/* u8, stored as value != 0 */
	TS_FAST_FLAG,		/* no payload; may be absent */
	TS_FAST_STRING,		/* NUL-terminated, strncpy'd */
	TS_FAST_WORDS,		/* u64 words, copied up to the member's size */
};

struct ts_fast_step {
	uint32_t hdr;		/* fixed-length ops: the header expected */
	uint16_t type;
	uint16_t offset;	/* of the member in struct ts_thread */
	uint16_t size;		/* of the member */
	uint8_t op;		/* enum ts_fast_op */
	uint8_t total;		/* fixed-length ops: header, payload, padding */
	uint64_t bit;		/* of present[type / 64] */
};

static struct ts_fast_step ts_fast_steps[TS_FAST_STEPS];
static bool ts_fast_ready;	/* false: every message takes the slow path */
static pthread_once_t ts_fast_once = PTHREAD_ONCE_INIT;
/* nla_put_64bit()'s alignment padding, where the kernel needs it (not
 * x86-64): an empty PAD attribute before a 64-bit one, skipped by
 * ts_decode_set() as an unknown type, and so here.
 */
static uint32_t ts_fast_pad;

static uint32_t ts_fast_hdr(uint16_t type, uint16_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };
	uint32_t h;

	memcpy(&h, &a, sizeof(h));
	return h;
}

/* Steps from the field table; any kind this file cannot copy: no fast path. */
static void ts_fast_init(void)
{
	size_t i;

	for (i = 0; i < TS_FAST_STEPS; i++) {
		const struct ts_field *f = ts_field_by_type(&ts_thread_set,
							     ts_fast_order[i]);
		struct ts_fast_step *s = &ts_fast_steps[i];
		int len;

		if (!f || f->offset > UINT16_MAX || f->size > UINT16_MAX)
			return;
		len = ts_kind_fixed_len(f->kind);
		s->type = f->type;
		s->offset = (uint16_t)f->offset;
		s->size = (uint16_t)f->size;
		switch (f->kind) {
		case TS_KIND_BOOL:
			s->op = TS_FAST_BOOL;
			break;
		case TS_KIND_FLAG:
			s->op = TS_FAST_FLAG;
			break;
		case TS_KIND_STRING:
			s->op = TS_FAST_STRING;
			break;
		case TS_KIND_CPUSET:
		case TS_KIND_U64_ARRAY:
			s->op = TS_FAST_WORDS;
			break;
		case TS_KIND_STRINGS:
		case TS_KIND_NEST:
			return;
		default:
			if ((len != 1 && len != 4 && len != 8) ||
			    (size_t)len > f->size)
				return;
			s->op = len == 1 ? TS_FAST_COPY1 :
				len == 4 ? TS_FAST_COPY4 : TS_FAST_COPY8;
			break;
		}
		if (len >= 0) {
			s->total = (uint8_t)NLA_ALIGN(NLA_HDRLEN + len);
			s->hdr = ts_fast_hdr(s->type, (uint16_t)len);
		}
		/* all in present[0]: one word to fill, not two */
		if (s->type >= 64)
			return;
		s->bit = 1ULL << s->type;
	}
	ts_fast_pad = ts_fast_hdr(THREADSTAT_A_THREAD_PAD, 0);
	ts_fast_ready = true;
}

int ts_thread_decode_fast(const void *attrs, size_t len,
			  struct ts_thread *out)
{
	const struct ts_fast_step *s, *last = ts_fast_steps + TS_FAST_STEPS;
	const char *p = attrs, *end = p + len;
	uint64_t present = 0;

	pthread_once(&ts_fast_once, ts_fast_init);
	if (!ts_fast_ready)
		return -1;
	memset(out, 0, sizeof(*out));
	for (s = ts_fast_steps; s < last; s++) {
		char *dst = (char *)out + s->offset;
		size_t rem = (size_t)(end - p);
		struct nlattr a;
		uint32_t h;
		size_t alen;

		if (rem < (size_t)NLA_HDRLEN) {
			if (s->op == TS_FAST_FLAG)
				continue;
			return -1;
		}
		memcpy(&h, p, sizeof(h));
		switch (s->op) {
		case TS_FAST_COPY8:
			while (h == ts_fast_pad && rem >= 2 * (size_t)NLA_HDRLEN) {
				p += NLA_HDRLEN;
				rem -= NLA_HDRLEN;
				memcpy(&h, p, sizeof(h));
			}
			if (h != s->hdr || rem < s->total)
				return -1;
			memcpy(dst, p + NLA_HDRLEN, 8);
			p += s->total;
			break;
		case TS_FAST_COPY4:
			if (h != s->hdr || rem < s->total)
				return -1;
			memcpy(dst, p + NLA_HDRLEN, 4);
			p += s->total;
			break;
		case TS_FAST_COPY1:
			if (h != s->hdr || rem < s->total)
				return -1;
			*dst = p[NLA_HDRLEN];
			p += s->total;
			break;
		case TS_FAST_BOOL:
			if (h != s->hdr || rem < s->total)
				return -1;
			*(bool *)dst = p[NLA_HDRLEN] != 0;
			p += s->total;
			break;
		case TS_FAST_FLAG:
			if (h != s->hdr)
				continue;	/* false: not sent */
			*(bool *)dst = true;
			p += NLA_HDRLEN;
			break;
		case TS_FAST_STRING:
		case TS_FAST_WORDS:
			memcpy(&a, &h, sizeof(a));
			if (a.nla_type != s->type || a.nla_len < NLA_HDRLEN ||
			    rem < (size_t)NLA_ALIGN(a.nla_len))
				return -1;
			alen = a.nla_len - NLA_HDRLEN;
			if (s->op == TS_FAST_STRING) {
				if (!alen || !memchr(p + NLA_HDRLEN, '\0', alen))
					return -1;
				strncpy(dst, p + NLA_HDRLEN, s->size - 1u);
				dst[s->size - 1] = '\0';
			} else {
				if (alen % 8)
					return -1;
				/* out is zeroed: the rest of the set stays 0 */
				memcpy(dst, p + NLA_HDRLEN,
				       alen < s->size ? alen : s->size);
			}
			p += NLA_ALIGN((size_t)a.nla_len);
			break;
		}
		present |= s->bit;
	}
	if (p != end)
		return -1;	/* more than the default group: slow path */
	out->present[0] = present;
	return 0;
}
