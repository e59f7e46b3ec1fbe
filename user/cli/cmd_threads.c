// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat threads: a snapshot of every thread as a table, JSON or CSV.
 * Columns come from the library's field tables, so a new field shows up in
 * CSV and JSON without code here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The record holding the cell's field, NULL when the field is absent. */
static const void *cell_rec(const struct column *c, const struct ts_thread *t)
{
	const void *rec = t;
	const struct ts_set *set = &ts_thread_set;

	if (c->nest) {
		if (!ts_present(set, t, c->nest->type))
			return NULL;
		rec = (const char *)t + c->nest->offset;
		set = c->nest->nest;
	}
	return ts_present(set, rec, c->f->type) ? rec : NULL;
}

/*
 * JSON and CSV are written a thread at a time, as the dump decodes them:
 * no list of every thread to build first (10k threads are 12 MB of
 * struct ts_thread, most of a --json run's page faults), and the output
 * starts while the kernel is still walking. A table needs every width
 * before its first row: its cells are kept as they will be shown
 * (escaped), each formatted once, and padded when the dump is over.
 */
struct stream {
	enum format format;
	struct columns *cols;
	size_t n;			/* records written */
	bool escape;			/* CSV to a terminal */
	struct ts_str raw, shown, line;	/* scratch, reused per record */
	struct ts_str cells;		/* table: every cell's shown text */
	struct ts_str cell_sizes;	/* table: a struct shown_cell each */
};

static void stream_begin(struct stream *st)
{
	int k;

	if (st->format == FORMAT_JSON) {
		putchar('[');
		return;
	}
	for (k = 0; k < st->cols->n; k++)
		printf("%s%s", k ? "," : "", st->cols->v[k].header);
	fputs("\r\n", stdout);
}

/*
 * Records are appended to st->line and written when 64 KiB are held and
 * at the end, with write(2) past stdio: an fwrite per record was ~5% of
 * --json's formatting (callgrind), and copying the pieces into stdio's
 * buffer costs a copy of every byte. A terminal gets each record (or a
 * table's row) as it comes, through stdio as before.
 */
static void stream_flush(struct stream *st, bool all)
{
	const char *p = ts_str_get(&st->line);
	size_t n = st->line.len;

	if (!all && !st->escape && n < 65536)
		return;
	if (st->escape) {
		fwrite(p, 1, n, stdout);
	} else {
		fflush(stdout);	/* what stdio holds goes first */
		while (n) {
			ssize_t w = write(STDOUT_FILENO, p, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;	/* as fwrite's errors: not reported */
			p += w;
			n -= (size_t)w;
		}
	}
	ts_str_clear(&st->line);
}

/*
 * RFC 4180. An absent field is an empty cell, a present empty string "".
 * Cells hold the raw bytes (lossless) unless stdout is a terminal, where
 * they are escaped like a table's first.
 */
static void csv_row(struct stream *st, const struct ts_thread *t)
{
	const struct columns *cols = st->cols;
	int k;

	for (k = 0; k < cols->n; k++) {
		const void *rec = cell_rec(&cols->v[k], t);

		if (k)
			ts_str_add(&st->line, ",", 1);
		/* Digits need neither quotes nor escapes: straight in. */
		if (!rec || ts_field_number(&st->line, cols->v[k].f, rec))
			continue;
		ts_str_clear(&st->raw);
		ts_field_str(&st->raw, cols->v[k].f, rec);
		if (st->escape) {
			ts_str_clear(&st->shown);
			text_escaped(&st->shown, st->raw.p, st->raw.len);
			ts_text_csv(&st->line, ts_str_get(&st->shown),
				    st->shown.len);
		} else {
			ts_text_csv(&st->line, ts_str_get(&st->raw),
				    st->raw.len);
		}
	}
	ts_str_add(&st->line, "\r\n", 2);
	stream_flush(st, false);
}

/* A kept table cell: its bytes in st->cells and the columns they take. */
struct shown_cell {
	uint32_t len;
	int cols;
};

/*
 * Tables show an absent field as "-" and escape every cell (text.h). A
 * row's cells go to st->cells as shown, their sizes to st->cell_sizes.
 */
static void table_row(struct stream *st, const struct ts_thread *t)
{
	struct columns *cols = st->cols;
	int k;

	for (k = 0; k < cols->n; k++) {
		const void *rec = cell_rec(&cols->v[k], t);
		size_t start = st->cells.len;
		struct shown_cell sc;

		if (!rec) {
			ts_str_add(&st->cells, "-", 1);
			sc.cols = 1;
		} else if (ts_field_number(&st->cells, cols->v[k].f, rec)) {
			sc.cols = (int)(st->cells.len - start);
		} else {
			ts_str_clear(&st->raw);
			ts_field_str(&st->raw, cols->v[k].f, rec);
			sc.cols = text_shown(&st->cells, ts_str_get(&st->raw),
					     st->raw.len);
		}
		sc.len = (uint32_t)(st->cells.len - start);
		ts_str_add(&st->cell_sizes, (const char *)&sc, sizeof(sc));
		if (sc.cols > cols->v[k].width)
			cols->v[k].width = sc.cols;
	}
}

/* Pads the cells kept by table_row() into rows (the header first). */
static void table_print(struct stream *st)
{
	struct columns *cols = st->cols;
	const char *p = ts_str_get(&st->cells);
	size_t i, c = 0;
	int k;

	ts_str_clear(&st->line);
	for (k = 0; k < cols->n; k++) {
		bool last = k == cols->n - 1;

		text_cell(&st->line, cols->v[k].header,
			  strlen(cols->v[k].header),
			  last ? 0 : cols->v[k].width, false);
		ts_str_add(&st->line, last ? "\n" : " ", 1);
	}
	/* A cell whose sizes did not fit (out of memory) ends the table. */
	for (i = 0; i < st->n && !st->cells.oom && !st->cell_sizes.oom; i++) {
		for (k = 0; k < cols->n; k++, c++) {
			bool last = k == cols->n - 1;
			struct shown_cell sc;

			memcpy(&sc, st->cell_sizes.p + c * sizeof(sc),
			       sizeof(sc));
			if (!last)
				text_pad(&st->line, cols->v[k].width - sc.cols);
			ts_str_add(&st->line, p, sc.len);
			ts_str_add(&st->line, last ? "\n" : " ", 1);
			p += sc.len;
		}
		stream_flush(st, false);	/* in 64 KiB pieces */
	}
	stream_flush(st, true);
}

static int stream_thread(const struct ts_thread *t, void *arg)
{
	struct stream *st = arg;

	/* The head comes with the first thread: a dump refused outright
	 * (no such process) prints nothing on stdout, as before.
	 */
	if (st->format == FORMAT_TABLE) {
		table_row(st, t);
		st->n++;
		return 0;
	}
	if (!st->n)
		stream_begin(st);
	if (st->format == FORMAT_JSON) {
		if (st->n)
			ts_str_add(&st->line, ",", 1);
		ts_str_add(&st->line, "\n  ", 3);
		json_record_str(&st->line, &ts_thread_set, t);
		stream_flush(st, false);
	} else {
		csv_row(st, t);
	}
	st->n++;
	return 0;
}

/* @complete: close the output; a failed dump's stays open (truncated). */
static void stream_end(struct stream *st, bool complete)
{
	if (st->format != FORMAT_TABLE)
		stream_flush(st, true);
	if (st->format == FORMAT_TABLE) {
		if (complete)	/* a failed dump's table prints nothing */
			table_print(st);
	} else if (complete && !st->n)
		stream_begin(st);
	if (complete && st->format == FORMAT_JSON)
		fputs(st->n ? "\n]\n" : "]\n", stdout);
	ts_str_free(&st->raw);
	ts_str_free(&st->shown);
	ts_str_free(&st->line);
	ts_str_free(&st->cells);
	ts_str_free(&st->cell_sizes);
}

static const char threads_usage[] =
	"usage: threadstat threads [--pid TGID] [--tid TID] [--fields LIST] "
	"[--json|--csv]\n";

/* Every thread (or one process's) through the dump to @st as they come;
 * @list holds the one --tid asks for.
 */
static int fetch(struct ts_client *c, uint32_t tgid, uint32_t tid,
		 uint32_t fields, struct ts_thread_list *list,
		 struct stream *st, struct ts_error *err)
{
	struct ts_thread_query q = { .tgid = tgid, .fields = fields };
	struct ts_dump_info info;
	size_t i;

	if (!tid) {
		memset(list, 0, sizeof(*list));
		if (ts_thread_dump(c, &q, stream_thread, st, &info, err))
			return -1;
		list->interrupted = info.interrupted;
		return 0;
	}

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
	for (i = 0; i < list->n; i++)
		stream_thread(&list->v[i], st);
	return 0;
}

int cmd_threads(int argc, char **argv)
{
	static char out_buf[1 << 16];
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
	struct stream st = { 0 };
	struct ts_thread_list list;
	struct columns *cols;
	int rc;
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
					  "kstack, regs, wait, all)", mask ? bad : "");
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

	cols = calloc(1, sizeof(*cols));
	if (!cols) {
		cli_error("out of memory");
		return 1;
	}
	/* Not a terminal: written in 64 KiB pieces, not st_blksize (4 KiB
	 * on a pipe or /dev/null; a write call each, 1,500 at 10k threads
	 * of --json). Nothing is on stdout yet.
	 */
	if (!print_to_tty())
		setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
	build_columns(cols, fields, format == FORMAT_TABLE);
	st.format = format;
	st.cols = cols;
	st.escape = print_to_tty();
	if (cli_open(&c, &err)) {
		cli_error("%s", err.msg);
		free(cols);
		return 1;
	}
	rc = fetch(c, tgid, tid, fields, &list, &st, &err);
	ts_close(c);
	if (rc) {
		/* A stream already written stays as far as it got. */
		fflush(stdout);
		cli_error("%s", err.msg);
		stream_end(&st, false);
		free(cols);
		return 1;
	}
	stream_end(&st, true);
	if (list.interrupted)
		cli_error("warning: threads were created during the dump; "
			  "this snapshot may miss some of them");
	free(cols);
	ts_thread_list_free(&list);
	return 0;
}
