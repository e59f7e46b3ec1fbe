// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat threads: a snapshot of every thread as a table, JSON or CSV.
 * Columns come from the library's field tables, so a new field shows up in
 * CSV and JSON without code here.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"

#define MAX_COLUMNS	128

enum format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV };

struct column {
	const struct ts_field *nest;	/* the nest holding f, or NULL */
	const struct ts_field *f;
	char header[48];
	int width;
};

struct columns {
	struct column v[MAX_COLUMNS];
	int n;
};

/* The sched group's columns in a table: the ones a person scans first. */
static const char *const table_sched[] = {
	"state", "cpu", "policy", "nice", "prio", "rt-priority",
	"sum-exec-runtime", "nvcsw", "nivcsw", "nr-migrations",
};

static void add_column(struct columns *cols, const struct ts_field *nest,
		       const struct ts_field *f, bool lower)
{
	struct column *c;
	char *p;

	if (cols->n == MAX_COLUMNS)
		return;
	c = &cols->v[cols->n++];
	c->nest = nest;
	c->f = f;
	snprintf(c->header, sizeof(c->header), "%s%s%s",
		 nest ? nest->name : "", nest ? "." : "", f->name);
	if (!lower)
		for (p = c->header; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p -= 'a' - 'A';
	c->width = (int)strlen(c->header);
}

static void add_group(struct columns *cols, uint32_t group, bool table)
{
	const struct ts_set *set = &ts_thread_set;
	size_t i, j;

	for (i = 0; i < set->n_fields; i++) {
		const struct ts_field *f = &set->fields[i];

		if (f->group != group)
			continue;
		if (f->kind == TS_KIND_NEST) {
			for (j = 0; j < f->nest->n_fields; j++)
				add_column(cols, f, &f->nest->fields[j], !table);
		} else if (!(table && f->kind == TS_KIND_STRINGS)) {
			add_column(cols, NULL, f, !table);
		}
	}
}

static void build_columns(struct columns *cols, uint32_t fields, bool table)
{
	const struct ts_set *set = &ts_thread_set;
	uint32_t bit;
	size_t i;

	cols->n = 0;
	if (table) {
		add_column(cols, NULL, ts_field_by_name(set, "tid"), false);
		add_column(cols, NULL, ts_field_by_name(set, "tgid"), false);
	} else {
		add_group(cols, 0, false);	/* every identity field */
	}
	for (bit = 1; bit <= THREADSTAT_FIELDS_ALL; bit <<= 1) {
		if (!(fields & bit))
			continue;
		if (table && bit == THREADSTAT_FIELDS_SCHED) {
			for (i = 0; i < sizeof(table_sched) / sizeof(*table_sched);
			     i++)
				add_column(cols, NULL,
					   ts_field_by_name(set, table_sched[i]),
					   false);
			continue;
		}
		add_group(cols, bit, table);
	}
	if (table)
		add_column(cols, NULL, ts_field_by_name(set, "comm"), false);
}

/* The cell's raw text in @out (never cut); false when the field is absent. */
static bool cell(struct ts_str *out, const struct column *c,
		 const struct ts_thread *t)
{
	const void *rec = t;
	const struct ts_set *set = &ts_thread_set;

	ts_str_clear(out);
	if (c->nest) {
		if (!ts_present(set, t, c->nest->type))
			return false;
		rec = (const char *)t + c->nest->offset;
		set = c->nest->nest;
	}
	if (!ts_present(set, rec, c->f->type))
		return false;
	ts_field_str(out, c->f, rec);
	return true;
}

/* Tables show an absent field as "-" and escape every cell (text.h). */
static void print_table(const struct ts_thread_list *list,
			struct columns *cols)
{
	struct ts_str buf = { 0 };
	size_t i;
	int k;

	for (i = 0; i < list->n; i++)
		for (k = 0; k < cols->n; k++) {
			int w;

			w = cell(&buf, &cols->v[k], &list->v[i]) ?
			    text_columns(ts_str_get(&buf)) : 1;
			if (w > cols->v[k].width)
				cols->v[k].width = w;
		}
	for (k = 0; k < cols->n; k++) {
		bool last = k == cols->n - 1;

		print_cell(cols->v[k].header, last ? 0 : cols->v[k].width,
			   false);
		putchar(last ? '\n' : ' ');
	}
	for (i = 0; i < list->n; i++)
		for (k = 0; k < cols->n; k++) {
			bool last = k == cols->n - 1;

			if (!cell(&buf, &cols->v[k], &list->v[i]))
				ts_str_add(&buf, "-", 1);
			print_cell(ts_str_get(&buf),
				   last ? 0 : cols->v[k].width, false);
			putchar(last ? '\n' : ' ');
		}
	ts_str_free(&buf);
}

/*
 * RFC 4180. An absent field is an empty cell, a present empty string "".
 * Cells hold the raw bytes (lossless) unless stdout is a terminal, where
 * they are escaped like a table's first.
 */
static void print_csv(const struct ts_thread_list *list,
		      const struct columns *cols)
{
	struct ts_str raw = { 0 }, shown = { 0 }, line = { 0 };
	bool escape = print_to_tty();
	size_t i;
	int k;

	for (k = 0; k < cols->n; k++)
		printf("%s%s", k ? "," : "", cols->v[k].header);
	fputs("\r\n", stdout);
	for (i = 0; i < list->n; i++) {
		ts_str_clear(&line);
		for (k = 0; k < cols->n; k++) {
			if (k)
				ts_str_add(&line, ",", 1);
			if (!cell(&raw, &cols->v[k], &list->v[i]))
				continue;
			if (escape) {
				ts_str_clear(&shown);
				text_escaped(&shown, raw.p, raw.len);
				ts_text_csv(&line, ts_str_get(&shown),
					    shown.len);
			} else {
				ts_text_csv(&line, ts_str_get(&raw), raw.len);
			}
		}
		ts_str_add(&line, "\r\n", 2);
		fwrite(ts_str_get(&line), 1, line.len, stdout);
	}
	ts_str_free(&raw);
	ts_str_free(&shown);
	ts_str_free(&line);
}

static void print_json(const struct ts_thread_list *list)
{
	size_t i;

	putchar('[');
	for (i = 0; i < list->n; i++) {
		if (i)
			putchar(',');
		fputs("\n  ", stdout);
		json_record(stdout, &ts_thread_set, &list->v[i]);
	}
	fputs(list->n ? "\n]\n" : "]\n", stdout);
}

static const char threads_usage[] =
	"usage: threadstat threads [--pid TGID] [--tid TID] [--fields LIST] "
	"[--json|--csv]\n";

static int fetch(struct ts_client *c, uint32_t tgid, uint32_t tid,
		 uint32_t fields, struct ts_thread_list *list,
		 struct ts_error *err)
{
	struct ts_thread_query q = { .tgid = tgid, .fields = fields };

	if (!tid)
		return ts_thread_list_dump(c, &q, list, err);

	memset(list, 0, sizeof(*list));
	list->v = calloc(1, sizeof(*list->v));
	if (!list->v)
		return -1;
	if (ts_thread_get(c, tid, fields, &list->v[0], err)) {
		free(list->v);
		list->v = NULL;
		return -1;
	}
	list->n = list->cap = 1;
	/* --pid with --tid: the thread must belong to that process. */
	if (tgid && list->v[0].tgid != tgid)
		list->n = 0;
	return 0;
}

int cmd_threads(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "fields", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum format format = FORMAT_TABLE;
	uint32_t tgid = 0, tid = 0, fields = THREADSTAT_FIELDS_SCHED;
	struct ts_thread_list list;
	struct columns *cols;
	struct ts_client *c;
	struct ts_error err = { 0 };
	char bad[64];
	int64_t mask;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:t:f:jch", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (!parse_id(optarg, &tgid)) {
				cli_error("--pid wants a process id, not '%s'",
					  optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			if (!parse_id(optarg, &tid)) {
				cli_error("--tid wants a thread id, not '%s'",
					  optarg);
				return EXIT_USAGE;
			}
			break;
		case 'f':
			mask = ts_groups_parse(optarg, bad, sizeof(bad));
			if (mask <= 0) {
				cli_error("--fields: unknown group '%s' (known: "
					  "sched, schedstats, delayacct, stack, "
					  "kstack, regs, all)", mask ? bad : "");
				return EXIT_USAGE;
			}
			fields = (uint32_t)mask;
			break;
		case 'j':
			format = FORMAT_JSON;
			break;
		case 'c':
			format = FORMAT_CSV;
			break;
		case 'h':
			fputs(threads_usage, stdout);
			return 0;
		default:
			fputs(threads_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		fputs(threads_usage, stderr);
		return EXIT_USAGE;
	}

	if (cli_open(&c, &err)) {
		cli_error("%s", err.msg);
		return 1;
	}
	if (fetch(c, tgid, tid, fields, &list, &err)) {
		cli_error("%s", err.msg);
		ts_close(c);
		return 1;
	}
	ts_close(c);
	if (list.interrupted)
		cli_error("warning: threads were created during the dump; "
			  "this snapshot may miss some of them");

	cols = calloc(1, sizeof(*cols));
	if (!cols) {
		ts_thread_list_free(&list);
		cli_error("out of memory");
		return 1;
	}
	switch (format) {
	case FORMAT_JSON:
		print_json(&list);
		break;
	case FORMAT_CSV:
		build_columns(cols, fields, false);
		print_csv(&list, cols);
		break;
	case FORMAT_TABLE:
		build_columns(cols, fields, true);
		print_table(&list, cols);
		break;
	}
	free(cols);
	ts_thread_list_free(&list);
	return 0;
}
