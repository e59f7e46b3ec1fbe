// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The CLI's JSON writer (user/cli/json.c) caches, per set and pattern of
 * present fields, the keys a record prints. Records whose nests come in
 * many patterns (a whole machine's threads with --fields all: kernel
 * threads without stacks, withheld registers, idle latency nests) must
 * print the same text whatever was printed before them: the cache must
 * never hand a record a plan built for another set or pattern.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "threadstat.h"
#include "text.h"
#include "output.h"

#define RECORDS	40

static void set_bit(const struct ts_set *set, void *rec, uint16_t type)
{
	uint64_t *bits = (uint64_t *)((char *)rec + set->present_offset);

	bits[type / 64] |= 1ULL << (type % 64);
}

/*
 * Record @k: the thread's scalar fields, and in each nest the fields
 * whose index has bit (k + nest number) of a per-record mask set, so
 * that the records' nests come in many different patterns.
 */
static void make_record(struct ts_thread *t, unsigned int k)
{
	const struct ts_set *set = &ts_thread_set;
	unsigned int nest_no = 0;
	size_t i, j;

	memset(t, 0, sizeof(*t));
	t->tid = 1000 + k;
	for (i = 0; i < set->n_fields; i++) {
		const struct ts_field *f = &set->fields[i];
		const struct ts_set *ns = f->nest;
		char *nrec;

		if (f->kind != TS_KIND_NEST) {
			set_bit(set, t, f->type);
			continue;
		}
		nest_no++;
		/* every third record leaves this nest out altogether */
		if ((k + nest_no) % 3 == 0)
			continue;
		set_bit(set, t, f->type);
		nrec = (char *)t + f->offset;
		for (j = 0; j < ns->n_fields; j++)
			if ((k * 7 + nest_no * 3 + j) % 4 != 0 &&
			    ns->fields[j].kind != TS_KIND_NEST)
				set_bit(ns, nrec, ns->fields[j].type);
	}
}

static char *format(const struct ts_thread *t)
{
	struct ts_str s = { 0 };
	char *copy;

	json_record_str(&s, &ts_thread_set, t);
	copy = strdup(ts_str_get(&s));
	ts_str_free(&s);
	return copy;
}

/* A nest's key and object where the nest is present, nowhere else. */
static int nests_match(const struct ts_thread *t, const char *json)
{
	const struct ts_set *set = &ts_thread_set;
	char key[96];
	size_t i;

	for (i = 0; i < set->n_fields; i++) {
		const struct ts_field *f = &set->fields[i];

		if (f->kind != TS_KIND_NEST)
			continue;
		snprintf(key, sizeof(key), "\"%s\":{", f->name);
		if (ts_present(set, t, f->type) != (strstr(json, key) != NULL))
			return 0;
	}
	return 1;
}

TEST(same_text_whatever_came_before)
{
	static struct ts_thread recs[RECORDS];
	char *first[RECORDS];
	unsigned int k, round;

	for (k = 0; k < RECORDS; k++)
		make_record(&recs[k], k);
	for (k = 0; k < RECORDS; k++) {
		first[k] = format(&recs[k]);
		ASSERT_NE(NULL, first[k]);
		EXPECT_TRUE(nests_match(&recs[k], first[k])) {
			TH_LOG("record %u: %s", k, first[k]);
		}
	}
	/* Backwards, then strided: other plans in the cache each time. */
	for (round = 1; round <= 6; round++) {
		for (k = 0; k < RECORDS; k++) {
			unsigned int r = round == 1 ? RECORDS - 1 - k :
					 (k * (2 * round + 1)) % RECORDS;
			char *again = format(&recs[r]);

			ASSERT_NE(NULL, again);
			EXPECT_STREQ(first[r], again) {
				TH_LOG("record %u, round %u", r, round);
			}
			free(again);
		}
	}
	for (k = 0; k < RECORDS; k++)
		free(first[k]);
	json_plans_free();
}

TEST_HARNESS_MAIN
