// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Table-driven attribute decoding. Each attribute set is described once
 * (struct ts_set) and this file turns received attributes into the record
 * the table describes: every known attribute is checked against its kind's
 * length rules, unknown ones are skipped, and a malformed or truncated one
 * fails the whole message, so a caller never sees half-parsed garbage.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "internal.h"

static uint64_t *ts_present_bits(const struct ts_set *set, const void *rec)
{
	return (uint64_t *)((char *)rec + set->present_offset);
}

const struct ts_field *ts_field_by_type(const struct ts_set *set,
					uint16_t type)
{
	size_t i;

	for (i = 0; i < set->n_fields; i++)
		if (set->fields[i].type == type)
			return &set->fields[i];
	return NULL;
}

const struct ts_field *ts_field_by_name(const struct ts_set *set,
					const char *name)
{
	size_t i;

	for (i = 0; i < set->n_fields; i++)
		if (!strcmp(set->fields[i].name, name))
			return &set->fields[i];
	return NULL;
}

/* Payload length each fixed-size kind must have; -1 for variable ones. */
static const int8_t ts_kind_len[] = {
	[TS_KIND_U8] = 1,
	[TS_KIND_CHAR] = 1,
	[TS_KIND_BOOL] = 1,
	[TS_KIND_U32] = 4,
	[TS_KIND_S32] = 4,
	[TS_KIND_U64] = 8,
	[TS_KIND_FLAG] = 0,
	[TS_KIND_STRING] = -1,
	[TS_KIND_CPUSET] = -1,
	[TS_KIND_POLICY] = 4,
	[TS_KIND_GROUPS] = 4,
	[TS_KIND_KSTACK_MISSING] = 4,
	[TS_KIND_STRINGS] = -1,
	[TS_KIND_NEST] = -1,
	[TS_KIND_U64_ARRAY] = -1,
	[TS_KIND_LATENCY_MISSING] = 4,
};

int ts_kind_fixed_len(unsigned int kind)
{
	return kind < sizeof(ts_kind_len) ? ts_kind_len[kind] : -1;
}

/*
 * Attribute accessors, inline: through libmnl's exported functions they
 * were a third of the calls made per attribute, and a dump decodes some
 * 25 attributes per thread.
 */
static inline uint16_t ts_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline const void *ts_attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static inline uint16_t ts_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* Append one frame of a repeated string attribute to a NUL-separated,
 * malloc'ed buffer whose pointer lives at @slot.
 */
static int ts_append_string(char **slot, uint32_t *count, const char *s,
			    size_t len)
{
	size_t used = 0;
	char *p = *slot;
	uint32_t i;

	for (i = 0; i < *count; i++)
		used += strlen(p + used) + 1;
	p = realloc(p, used + len + 1);
	if (!p)
		return -1;
	memcpy(p + used, s, len);
	p[used + len] = '\0';
	*slot = p;
	(*count)++;
	return 0;
}

static int ts_decode_one(const struct ts_set *set, const struct ts_field *f,
			 void *rec, const struct nlattr *a,
			 struct ts_error *err)
{
	const void *data = ts_attr_data(a);
	uint16_t len = ts_attr_len(a);
	char *dst = (char *)rec + f->offset;
	int want = f->kind < sizeof(ts_kind_len) ? ts_kind_len[f->kind] : -1;

	if (want >= 0 && len != want)
		goto malformed;

	switch (f->kind) {
	case TS_KIND_U8:
	case TS_KIND_CHAR:
		memcpy(dst, data, 1);
		break;
	case TS_KIND_BOOL:
		*(bool *)dst = *(const uint8_t *)data != 0;
		break;
	case TS_KIND_U32:
	case TS_KIND_S32:
	case TS_KIND_POLICY:
	case TS_KIND_GROUPS:
	case TS_KIND_KSTACK_MISSING:
	case TS_KIND_LATENCY_MISSING:
		memcpy(dst, data, 4);
		break;
	case TS_KIND_U64:
		memcpy(dst, data, 8);
		break;
	case TS_KIND_FLAG:
		*(bool *)dst = true;
		break;
	case TS_KIND_STRING:
		if (!len || !memchr(data, '\0', len))
			goto malformed;
		strncpy(dst, data, f->size - 1);
		dst[f->size - 1] = '\0';
		break;
	case TS_KIND_STRINGS:
		if (!len || !memchr(data, '\0', len))
			goto malformed;
		if (ts_append_string((char **)dst,
				     (uint32_t *)((char *)rec + f->size),
				     data, strlen(data)))
			return ts_fail(err, ENOMEM, "out of memory");
		break;
	case TS_KIND_CPUSET:
	case TS_KIND_U64_ARRAY:
		if (len % 8)
			goto malformed;
		memset(dst, 0, f->size);
		memcpy(dst, data, len < f->size ? len : f->size);
		break;
	case TS_KIND_NEST:
		if (ts_decode_set(f->nest, dst, data, len, err))
			return -1;
		break;
	default:
		return 0;
	}
	ts_present_bits(set, rec)[f->type / 64] |= 1ULL << (f->type % 64);
	return 0;

malformed:
	return ts_fail(err, EPROTO, "malformed attribute %s.%s (%u bytes)",
		       set->name, f->name, len);
}

static pthread_mutex_t ts_index_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Fill @set->by_type once, on first use: a field found by one array
 * lookup per received attribute. Searching the table instead, even from
 * the last match on, cost a fifth of decoding a dump. Attribute type 0 is
 * never sent (genetlink's unspec), so its slot says the index is built.
 */
static void ts_set_index(const struct ts_set *set)
{
	size_t i;

	if (__atomic_load_n(&set->by_type[0], __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&ts_index_lock);
	if (!set->by_type[0]) {
		for (i = 0; i < set->n_fields; i++) {
			uint16_t type = set->fields[i].type;

			if (type && type <= set->max_type)
				set->by_type[type] = (uint8_t)(i + 1);
		}
		__atomic_store_n(&set->by_type[0], 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&ts_index_lock);
}

int ts_decode_set(const struct ts_set *set, void *rec, const void *data,
		  size_t len, struct ts_error *err)
{
	const struct nlattr *a = data;
	size_t rem = len;

	ts_set_index(set);
	while (rem >= sizeof(*a)) {
		uint16_t type = ts_attr_type(a);
		uint8_t idx = 0;

		if (a->nla_len < sizeof(*a) || a->nla_len > rem)
			return ts_fail(err, EPROTO,
				       "truncated attribute in set %s",
				       set->name);
		if (type && type <= set->max_type)
			idx = set->by_type[type];
		/* Unknown attributes come from a newer module: skip them. */
		if (idx && ts_decode_one(set, &set->fields[idx - 1], rec, a,
					 err))
			return -1;
		if ((size_t)MNL_ALIGN(a->nla_len) >= rem)
			return 0;
		rem -= (size_t)MNL_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    MNL_ALIGN(a->nla_len));
	}
	if (rem)
		return ts_fail(err, EPROTO, "truncated attribute in set %s",
			       set->name);
	return 0;
}
