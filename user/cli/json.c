// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * JSON output, driven by the library's field tables so that every key is
 * the spec's attribute name and a new field needs no code here.
 */
#include <stdlib.h>
#include <string.h>

#include "output.h"

/*
 * A record is built in memory and written with one fwrite: stdio's
 * locking and buffer checks per fputc/fputs were most of --json's
 * formatting cost (callgrind), and --json writes one record per thread.
 */

/* @n bytes of @s as a JSON string: valid UTF-8 whatever the bytes. */
static void json_text(struct ts_str *out, const char *s, size_t n)
{
	ts_text_json(out, s, n);
}

static void json_add(struct ts_str *out, const char *s)
{
	ts_str_add(out, s, strlen(s));
}

void json_string(FILE *out, const char *s)
{
	struct ts_str j = { 0 };

	json_text(&j, s, strlen(s));
	fwrite(ts_str_get(&j), 1, j.len, out);
	ts_str_free(&j);
}

static void json_cpuset(struct ts_str *out, const uint64_t *set,
			size_t words)
{
	const char *sep = "";
	unsigned int cpu;

	ts_str_add(out, "[", 1);
	for (cpu = ts_cpuset_next(set, words, 0); cpu < words * 64;
	     cpu = ts_cpuset_next(set, words, cpu + 1)) {
		json_add(out, sep);
		ts_str_u64(out, cpu);
		sep = ",";
	}
	ts_str_add(out, "]", 1);
}

static void json_groups(struct ts_str *out, uint32_t mask)
{
	const char *sep = "";
	unsigned int bit;

	ts_str_add(out, "[", 1);
	for (bit = 1; bit && bit <= THREADSTAT_FIELDS_ALL; bit <<= 1) {
		if (mask & bit) {
			json_add(out, sep);
			ts_str_add(out, "\"", 1);
			json_add(out, ts_group_name(bit));
			ts_str_add(out, "\"", 1);
			sep = ",";
		}
	}
	ts_str_add(out, "]", 1);
}

static void json_object(struct ts_str *out, const struct ts_set *set,
			const void *rec, unsigned int depth);

static void json_value(struct ts_str *out, const struct ts_field *f,
		       const void *rec, unsigned int depth)
{
	const char *p = (const char *)rec + f->offset;
	const char *name;
	uint32_t u32;
	uint64_t u64;
	size_t i;

	name = ts_field_enum_name(f, rec);
	if (name) {
		json_text(out, name, strlen(name));
		return;
	}
	switch (f->kind) {
	case TS_KIND_CHAR:
		json_text(out, p, 1);
		break;
	case TS_KIND_BOOL:
	case TS_KIND_FLAG:
		json_add(out, *(const bool *)p ? "true" : "false");
		break;
	case TS_KIND_STRING:
		json_text(out, p, strnlen(p, f->size));
		break;
	case TS_KIND_CPUSET:
		json_cpuset(out, (const uint64_t *)p, f->size / 8);
		break;
	case TS_KIND_GROUPS:
		memcpy(&u32, p, 4);
		json_groups(out, u32);
		break;
	case TS_KIND_STRINGS: {
		const char *s = *(char *const *)p;
		uint32_t n;

		memcpy(&n, (const char *)rec + f->size, 4);
		ts_str_add(out, "[", 1);
		for (i = 0; s && i < n; i++, s += strlen(s) + 1) {
			if (i)
				ts_str_add(out, ",", 1);
			json_text(out, s, strlen(s));
		}
		ts_str_add(out, "]", 1);
		break;
	}
	case TS_KIND_NEST:
		json_object(out, f->nest, p, depth + 1);
		break;
	case TS_KIND_U64_ARRAY:
		ts_str_add(out, "[", 1);
		for (i = 0; i < f->size / 8; i++) {
			memcpy(&u64, p + i * 8, 8);
			if (i)
				ts_str_add(out, ",", 1);
			ts_str_u64(out, u64);
		}
		ts_str_add(out, "]", 1);
		break;
	}
}

/*
 * A record's keys in order, for one set and one pattern of present
 * fields: a dump's records all carry the same fields, so the walk over
 * every field of the set (most absent) and the key text are built once,
 * not per record (they were a third of --json's formatting, callgrind).
 *
 * One cache per nesting depth: a record's plan is in use while its nests
 * are written, and their plans (one level down) come and go meanwhile.
 * With a single cache a nest could evict, and rebuild for another set,
 * the very plan its parent was walking. Deeper than the caches go, a
 * plan is built for the one record and dropped.
 */
#define JSON_PLANS	8
#define JSON_DEPTHS	4
#define JSON_MAX_TYPE	128	/* ts_present()'s bound */
#define KEY_COPY	32	/* key_add()'s copy */

struct json_plan {
	const struct ts_set *set;
	uint64_t present[2];
	size_t n;
	const struct ts_field *f[JSON_MAX_TYPE];
	/* ,"name": at keys.p + key[i], klen[i] bytes (the first key
	 * without its comma) */
	size_t key[JSON_MAX_TYPE];
	size_t klen[JSON_MAX_TYPE];
	struct ts_str keys;
};

struct json_plans {
	struct json_plan plan[JSON_PLANS];
	size_t next;		/* the slot to reuse next */
};

static struct json_plans plans[JSON_DEPTHS];

static void json_plan_build(struct json_plan *p, const struct ts_set *set,
			    const void *rec, const uint64_t *bits)
{
	size_t i;

	p->set = set;
	p->present[0] = bits[0];
	p->present[1] = bits[1];
	p->n = 0;
	ts_str_clear(&p->keys);
	for (i = 0; i < set->n_fields && p->n < JSON_MAX_TYPE; i++) {
		const struct ts_field *f = &set->fields[i];

		if (!ts_present(set, rec, f->type))
			continue;
		/* Keys are the spec's names: plain ASCII, no escaping. */
		p->key[p->n] = p->keys.len;
		p->f[p->n++] = f;
		ts_str_add(&p->keys, ",\"", 2);
		json_add(&p->keys, f->name);
		ts_str_add(&p->keys, "\":", 2);
	}
	for (i = 0; i < p->n; i++)
		p->klen[i] = (i + 1 < p->n ? p->key[i + 1] : p->keys.len) -
			     p->key[i];
	if (p->n) {
		p->key[0]++;
		p->klen[0]--;
	}
	/* KEY_COPY bytes readable from every key's start (key_add) */
	if (!ts_str_grow(&p->keys, KEY_COPY))
		p->n = 0;	/* an empty object rather than a wrong one */
}

/* The cached plan for @rec at @depth, built if missing; NULL if too deep. */
static const struct json_plan *json_plan(const struct ts_set *set,
					 const void *rec, unsigned int depth)
{
	const uint64_t *bits = (const uint64_t *)
			       ((const char *)rec + set->present_offset);
	struct json_plans *c;
	struct json_plan *p;
	size_t i;

	if (depth >= JSON_DEPTHS)
		return NULL;
	c = &plans[depth];
	for (i = 0; i < JSON_PLANS; i++) {
		p = &c->plan[i];
		if (p->set == set && p->present[0] == bits[0] &&
		    p->present[1] == bits[1])
			return p;
	}
	p = &c->plan[c->next++ % JSON_PLANS];
	json_plan_build(p, set, rec, bits);
	return p;
}

/*
 * A key of @n bytes at @k: keys are short, so KEY_COPY bytes are copied
 * (a constant size: moves, not a call to memcpy) where the buffer has
 * room, and the length advanced by @n (the plan's keys have the slack).
 */
static inline void key_add(struct ts_str *out, const char *k, size_t n)
{
	if (n > KEY_COPY || out->len + KEY_COPY + 1 > out->cap) {
		ts_str_add(out, k, n);
		return;
	}
	memcpy(out->p + out->len, k, KEY_COPY);
	out->len += n;
	out->p[out->len] = '\0';
}

static void json_object(struct ts_str *out, const struct ts_set *set,
			const void *rec, unsigned int depth)
{
	const struct json_plan *p = json_plan(set, rec, depth);
	struct json_plan *own = NULL;
	size_t i;

	if (!p) {
		own = calloc(1, sizeof(*own));
		if (!own) {
			out->oom = true;
			return;
		}
		json_plan_build(own, set, rec, (const uint64_t *)
				((const char *)rec + set->present_offset));
		p = own;
	}
	ts_str_add(out, "{", 1);
	for (i = 0; i < p->n; i++) {
		key_add(out, p->keys.p + p->key[i], p->klen[i]);
		/* numbers (most fields) inline, the rest by kind */
		if (!ts_field_number(out, p->f[i], rec))
			json_value(out, p->f[i], rec, depth);
	}
	ts_str_add(out, "}", 1);
	if (own) {
		ts_str_free(&own->keys);
		free(own);
	}
}

void json_record_str(struct ts_str *out, const struct ts_set *set,
		     const void *rec)
{
	json_object(out, set, rec, 0);
}

void json_plans_free(void)
{
	size_t d, i;

	for (d = 0; d < JSON_DEPTHS; d++)
		for (i = 0; i < JSON_PLANS; i++)
			ts_str_free(&plans[d].plan[i].keys);
	memset(plans, 0, sizeof(plans));
}

void json_record(FILE *out, const struct ts_set *set, const void *rec)
{
	struct ts_str j = { 0 };

	json_record_str(&j, set, rec);
	fwrite(ts_str_get(&j), 1, j.len, out);
	ts_str_free(&j);
}
