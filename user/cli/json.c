// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * JSON output, driven by the library's field tables so that every key is
 * the spec's attribute name and a new field needs no code here.
 */
#include <inttypes.h>
#include <string.h>

#include "output.h"

/* @n bytes of @s as a JSON string: valid UTF-8 whatever the bytes. */
static void json_text(FILE *out, const char *s, size_t n)
{
	struct ts_str j = { 0 };

	if (ts_text_plain(s, n) == n) {	/* nothing to escape */
		fputc('"', out);
		fwrite(s, 1, n, out);
		fputc('"', out);
		return;
	}
	ts_text_json(&j, s, n);
	fwrite(ts_str_get(&j), 1, j.len, out);
	ts_str_free(&j);
}

void json_string(FILE *out, const char *s)
{
	json_text(out, s, strlen(s));
}

static void json_u64(FILE *out, uint64_t v)
{
	char buf[TS_DEC_MAX];

	fwrite(buf, 1, ts_dec_u64(buf, v), out);
}

static void json_cpuset(FILE *out, const uint64_t *set, size_t words)
{
	const char *sep = "";
	unsigned int cpu;

	fputc('[', out);
	for (cpu = ts_cpuset_next(set, words, 0); cpu < words * 64;
	     cpu = ts_cpuset_next(set, words, cpu + 1)) {
		fputs(sep, out);
		json_u64(out, cpu);
		sep = ",";
	}
	fputc(']', out);
}

static void json_groups(FILE *out, uint32_t mask)
{
	const char *sep = "";
	unsigned int bit;

	fputc('[', out);
	for (bit = 1; bit && bit <= THREADSTAT_FIELDS_ALL; bit <<= 1) {
		if (mask & bit) {
			fprintf(out, "%s\"%s\"", sep, ts_group_name(bit));
			sep = ",";
		}
	}
	fputc(']', out);
}

static void json_value(FILE *out, const struct ts_field *f, const void *rec)
{
	const char *p = (const char *)rec + f->offset;
	uint32_t u32;
	int32_t s32;
	uint64_t u64;
	size_t i;

	switch (f->kind) {
	case TS_KIND_U8:
		json_u64(out, *(const uint8_t *)p);
		break;
	case TS_KIND_CHAR:
		json_text(out, p, 1);
		break;
	case TS_KIND_BOOL:
	case TS_KIND_FLAG:
		fputs(*(const bool *)p ? "true" : "false", out);
		break;
	case TS_KIND_U32:
		memcpy(&u32, p, 4);
		json_u64(out, u32);
		break;
	case TS_KIND_S32: {
		char buf[TS_DEC_MAX];

		memcpy(&s32, p, 4);
		fwrite(buf, 1, ts_dec_s64(buf, s32), out);
		break;
	}
	case TS_KIND_U64:
		memcpy(&u64, p, 8);
		json_u64(out, u64);
		break;
	case TS_KIND_STRING:
		json_text(out, p, strnlen(p, f->size));
		break;
	case TS_KIND_CPUSET:
		json_cpuset(out, (const uint64_t *)p, f->size / 8);
		break;
	case TS_KIND_POLICY:
		memcpy(&u32, p, 4);
		json_string(out, ts_policy_name(u32));
		break;
	case TS_KIND_GROUPS:
		memcpy(&u32, p, 4);
		json_groups(out, u32);
		break;
	case TS_KIND_KSTACK_MISSING:
		memcpy(&u32, p, 4);
		json_string(out, ts_kstack_missing_name(u32));
		break;
	case TS_KIND_STRINGS: {
		const char *s = *(char *const *)p;
		uint32_t n;

		memcpy(&n, (const char *)rec + f->size, 4);
		fputc('[', out);
		for (i = 0; s && i < n; i++, s += strlen(s) + 1) {
			if (i)
				fputc(',', out);
			json_string(out, s);
		}
		fputc(']', out);
		break;
	}
	case TS_KIND_NEST:
		json_record(out, f->nest, p);
		break;
	case TS_KIND_U64_ARRAY:
		fputc('[', out);
		for (i = 0; i < f->size / 8; i++) {
			memcpy(&u64, p + i * 8, 8);
			fprintf(out, "%s%" PRIu64, i ? "," : "", u64);
		}
		fputc(']', out);
		break;
	}
}

void json_record(FILE *out, const struct ts_set *set, const void *rec)
{
	const char *sep = "";
	size_t i;

	fputc('{', out);
	for (i = 0; i < set->n_fields; i++) {
		const struct ts_field *f = &set->fields[i];

		if (!ts_present(set, rec, f->type))
			continue;
		/* Keys are the spec's names: plain ASCII, no escaping. */
		fputs(sep, out);
		fputc('"', out);
		fputs(f->name, out);
		fputs("\":", out);
		json_value(out, f, rec);
		sep = ",";
	}
	fputc('}', out);
}
