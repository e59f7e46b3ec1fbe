// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A field's value as plain text, for tables, CSV and threadtop. Strings
 * come out as the kernel sent them: escaping is the caller's output's job
 * (escape.c), so that CSV to a file stays lossless.
 */
#include <inttypes.h>
#include <string.h>

#include "text.h"

static void cpuset_text(struct ts_str *out, const uint64_t *set, size_t words)
{
	unsigned int cpu, first;
	const char *sep = "";

	for (cpu = ts_cpuset_next(set, words, 0); cpu < words * 64;
	     cpu = ts_cpuset_next(set, words, cpu + 1)) {
		first = cpu;
		while (ts_cpuset_has(set, words, cpu + 1))
			cpu++;
		ts_str_add(out, sep, strlen(sep));
		ts_str_u64(out, first);
		if (first != cpu) {
			ts_str_add(out, "-", 1);
			ts_str_u64(out, cpu);
		}
		sep = ",";
	}
}

const char *ts_field_enum_name(const struct ts_field *f, const void *rec)
{
	const char *(*name)(uint32_t);
	uint32_t u32;

	switch (f->kind) {
	case TS_KIND_POLICY:
		name = ts_policy_name;
		break;
	case TS_KIND_KSTACK_MISSING:
		name = ts_kstack_missing_name;
		break;
	case TS_KIND_LATENCY_MISSING:
		name = ts_latency_missing_name;
		break;
	default:
		return NULL;
	}
	memcpy(&u32, (const char *)rec + f->offset, 4);
	return name(u32);
}

void ts_field_str(struct ts_str *out, const struct ts_field *f,
		  const void *rec)
{
	const char *p = (const char *)rec + f->offset;
	const char *s;
	uint32_t u32;
	uint64_t u64;

	if (ts_field_number(out, f, rec))
		return;
	s = ts_field_enum_name(f, rec);
	if (s) {
		ts_str_add(out, s, strlen(s));
		return;
	}
	switch (f->kind) {
	case TS_KIND_CHAR:
		ts_str_add(out, p, 1);
		break;
	case TS_KIND_BOOL:
	case TS_KIND_FLAG:
		ts_str_add(out, *(const bool *)p ? "yes" : "no",
			   *(const bool *)p ? 3 : 2);
		break;
	case TS_KIND_STRING:
		ts_str_add(out, p, strnlen(p, f->size));
		break;
	case TS_KIND_CPUSET:
		cpuset_text(out, (const uint64_t *)p, f->size / 8);
		break;
	case TS_KIND_GROUPS: {
		const char *sep = "";
		unsigned int bit;

		memcpy(&u32, p, 4);
		for (bit = 1; bit && bit <= THREADSTAT_FIELDS_ALL; bit <<= 1)
			if (u32 & bit) {
				ts_str_printf(out, "%s%s", sep,
					      ts_group_name(bit));
				sep = ",";
			}
		break;
	}
	case TS_KIND_STRINGS: {
		uint32_t n, i;

		s = *(char *const *)p;
		memcpy(&n, (const char *)rec + f->size, 4);
		for (i = 0; s && i < n; i++, s += strlen(s) + 1) {
			if (i)
				ts_str_add(out, ";", 1);
			ts_str_add(out, s, strlen(s));
		}
		break;
	}
	case TS_KIND_U64_ARRAY: {
		size_t i;

		for (i = 0; i < f->size / 8; i++) {
			memcpy(&u64, p + i * 8, 8);
			ts_str_printf(out, "%s%" PRIu64, i ? ";" : "", u64);
		}
		break;
	}
	default:
		ts_str_add(out, "-", 1);
		break;
	}
}

void field_text(char *buf, size_t len, const struct ts_field *f,
		const void *rec)
{
	struct ts_str s = { 0 };
	size_t n;

	if (!len)
		return;
	ts_field_str(&s, f, rec);
	n = s.len < len - 1 ? s.len : len - 1;
	memcpy(buf, ts_str_get(&s), n);
	buf[n] = '\0';
	ts_str_free(&s);
}
