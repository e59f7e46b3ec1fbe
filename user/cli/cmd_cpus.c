// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat cpus: every possible CPU as a table or a JSON array.
 *
 * The table shows each CPU's time since boot as shares of all the time it
 * accounted; JSON carries the raw nanoseconds under the spec's names.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

#define CELL	64

/* One table column: a header and how to print a CPU's cell. */
struct cpu_column {
	const char *header;
	void (*cell)(char *buf, const struct ts_cpu *c, const void *arg);
	const void *arg;	/* what the cell function needs */
	bool left;		/* left-aligned (the last, free-width one) */
};

static bool has(const struct ts_cpu *c, uint16_t type)
{
	return ts_present(&ts_cpu_set, c, type);
}

/* The field named @arg as field_text() prints it, "-" when absent. */
static void cell_field(char *buf, const struct ts_cpu *c, const void *arg)
{
	const struct ts_field *f = ts_field_by_name(&ts_cpu_set, arg);

	if (!f || !has(c, f->type))
		snprintf(buf, CELL, "-");
	else
		field_text(buf, CELL, f, c);
}

/* The time field named @arg as a percentage of the CPU's total time. */
static void cell_share(char *buf, const struct ts_cpu *c, const void *arg)
{
	const struct ts_field *f = ts_field_by_name(&ts_cpu_set, arg);
	uint64_t total = ts_cpu_total_ns(c), ns;

	if (!f || !has(c, f->type) || !total) {
		snprintf(buf, CELL, "-");
		return;
	}
	memcpy(&ns, (const char *)c + f->offset, sizeof(ns));
	snprintf(buf, CELL, "%.1f", 100.0 * (double)ns / (double)total);
}

static void cell_mhz(char *buf, const struct ts_cpu *c, const void *arg)
{
	(void)arg;
	if (!has(c, THREADSTAT_A_CPU_FREQ_KHZ))
		snprintf(buf, CELL, "-");
	else
		snprintf(buf, CELL, "%u", (c->freq_khz + 500) / 1000);
}

static const struct cpu_column columns[] = {
	{ "CPU", cell_field, "cpu", false },
	{ "ONLINE", cell_field, "online", false },
	{ "PKG", cell_field, "package-id", false },
	{ "CORE", cell_field, "core-id", false },
	{ "SIBLINGS", cell_field, "siblings", false },
	{ "USER%", cell_share, "user", false },
	{ "NICE%", cell_share, "nice", false },
	{ "SYS%", cell_share, "system", false },
	{ "IRQ%", cell_share, "irq", false },
	{ "SOFTIRQ%", cell_share, "softirq", false },
	{ "STEAL%", cell_share, "steal", false },
	{ "IOWAIT%", cell_share, "iowait", false },
	{ "IDLE%", cell_share, "idle", false },
	{ "MHZ", cell_mhz, NULL, false },
	{ "RUNNING", cell_field, "nr-running", false },
	{ "THREADS", cell_field, "nr-threads", false },
	{ "CURR-TID", cell_field, "curr-tid", false },
	{ "CURR-COMM", cell_field, "curr-comm", true },
};

#define N_COLUMNS	(sizeof(columns) / sizeof(columns[0]))

/* The text may be a thread's name: escaped, padded by columns. */
static void put_cell(size_t k, int width, const char *text)
{
	print_cell(text, columns[k].left ? 0 : width, false);
	putchar(columns[k].left ? '\n' : ' ');
}

static void print_table(const struct ts_cpu_list *list)
{
	int width[N_COLUMNS];
	char buf[CELL];
	size_t i, k;

	for (k = 0; k < N_COLUMNS; k++)
		width[k] = (int)strlen(columns[k].header);
	for (i = 0; i < list->n; i++)
		for (k = 0; k < N_COLUMNS; k++) {
			columns[k].cell(buf, &list->v[i], columns[k].arg);
			if (text_columns(buf) > width[k])
				width[k] = text_columns(buf);
		}
	for (k = 0; k < N_COLUMNS; k++)
		put_cell(k, width[k], columns[k].header);
	for (i = 0; i < list->n; i++)
		for (k = 0; k < N_COLUMNS; k++) {
			columns[k].cell(buf, &list->v[i], columns[k].arg);
			put_cell(k, width[k], buf);
		}
}

static void print_json(const struct ts_cpu_list *list)
{
	size_t i;

	putchar('[');
	for (i = 0; i < list->n; i++) {
		fputs(i ? ",\n  " : "\n  ", stdout);
		json_record(stdout, &ts_cpu_set, &list->v[i]);
	}
	fputs(list->n ? "\n]\n" : "]\n", stdout);
}

static const char cpus_usage[] = "usage: threadstat cpus [--json]\n";

int cmd_cpus(int argc, char **argv)
{
	struct ts_error err = { 0 };
	struct ts_cpu_list list;
	struct ts_client *c;
	bool json;
	int rc;

	rc = parse_json_option(argc, argv, cpus_usage, &json);
	if (rc >= 0)
		return rc;

	if (cli_open(&c, &err)) {
		cli_error("%s", err.msg);
		return 1;
	}
	if (ts_cpu_list_dump(c, &list, &err)) {
		cli_error("%s", err.msg);
		ts_close(c);
		return 1;
	}
	ts_close(c);

	if (json)
		print_json(&list);
	else
		print_table(&list);
	ts_cpu_list_free(&list);
	return 0;
}
