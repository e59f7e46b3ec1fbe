// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* A field's value as plain text, for tables and CSV. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

static void cpuset_text(char *buf, size_t len, const uint64_t *set,
			size_t words)
{
	unsigned int cpu, first;
	size_t used = 0;

	buf[0] = '\0';
	for (cpu = 0; cpu < words * 64 && used < len; cpu++) {
		if (!ts_cpuset_has(set, words, cpu))
			continue;
		first = cpu;
		while (ts_cpuset_has(set, words, cpu + 1))
			cpu++;
		if (first == cpu)
			used += snprintf(buf + used, len - used, "%s%u",
					 used ? "," : "", first);
		else
			used += snprintf(buf + used, len - used, "%s%u-%u",
					 used ? "," : "", first, cpu);
	}
}

void field_text(char *buf, size_t len, const struct ts_field *f,
		const void *rec)
{
	const char *p = (const char *)rec + f->offset;
	uint32_t u32;
	int32_t s32;
	uint64_t u64;

	switch (f->kind) {
	case TS_KIND_U8:
		snprintf(buf, len, "%u", *(const uint8_t *)p);
		break;
	case TS_KIND_CHAR:
		snprintf(buf, len, "%c", *p >= 0x20 && *p < 0x7f ? *p : '?');
		break;
	case TS_KIND_BOOL:
	case TS_KIND_FLAG:
		snprintf(buf, len, "%s", *(const bool *)p ? "yes" : "no");
		break;
	case TS_KIND_U32:
		memcpy(&u32, p, 4);
		snprintf(buf, len, "%" PRIu32, u32);
		break;
	case TS_KIND_S32:
		memcpy(&s32, p, 4);
		snprintf(buf, len, "%" PRId32, s32);
		break;
	case TS_KIND_U64:
		memcpy(&u64, p, 8);
		snprintf(buf, len, "%" PRIu64, u64);
		break;
	case TS_KIND_STRING:
		snprintf(buf, len, "%s", p);
		break;
	case TS_KIND_CPUSET:
		cpuset_text(buf, len, (const uint64_t *)p, f->size / 8);
		break;
	case TS_KIND_POLICY:
		memcpy(&u32, p, 4);
		snprintf(buf, len, "%s", ts_policy_name(u32));
		break;
	case TS_KIND_GROUPS: {
		size_t used = 0;
		unsigned int bit;

		memcpy(&u32, p, 4);
		buf[0] = '\0';
		for (bit = 1; bit <= THREADSTAT_FIELDS_ALL && used < len;
		     bit <<= 1)
			if (u32 & bit)
				used += snprintf(buf + used, len - used, "%s%s",
						 used ? "," : "",
						 ts_group_name(bit));
		break;
	}
	case TS_KIND_KSTACK_MISSING:
		memcpy(&u32, p, 4);
		snprintf(buf, len, "%s", ts_kstack_missing_name(u32));
		break;
	case TS_KIND_STRINGS: {
		const char *s = *(char *const *)p;
		size_t used = 0;
		uint32_t n, i;

		memcpy(&n, (const char *)rec + f->size, 4);
		buf[0] = '\0';
		for (i = 0; s && i < n && used < len; i++, s += strlen(s) + 1)
			used += snprintf(buf + used, len - used, "%s%s",
					 i ? ";" : "", s);
		break;
	}
	case TS_KIND_U64_ARRAY: {
		size_t used = 0, i;

		buf[0] = '\0';
		for (i = 0; i < f->size / 8 && used < len; i++) {
			memcpy(&u64, p + i * 8, 8);
			used += snprintf(buf + used, len - used, "%s%" PRIu64,
					 i ? ";" : "", u64);
		}
		break;
	}
	default:
		snprintf(buf, len, "-");
		break;
	}
}
