// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadtop: the top for threads, per process and per core. This file
 * reads the options and starts batch or interactive mode.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "top.h"

static const char usage[] =
	"usage: threadtop [OPTIONS]\n"
	"\n"
	"The top for threads: every thread's CPU%, run-queue wait, context\n"
	"switches and migrations, per process and per core, from the\n"
	"threadstat kernel module.\n"
	"\n"
	"  -d, --delay TENTHS     time between updates, in tenths of a second\n"
	"                         (default 15)\n"
	"  -b, --batch            plain-text frames on stdout, like top -b\n"
	"  -n, --frames N         stop after N frames (batch mode)\n"
	"      --view VIEW        processes (default) or cores\n"
	"  -p, --pid PID          one process, its threads shown\n"
	"  -H, --threads          a row per thread instead of per process\n"
	"  -t, --tree             processes as a tree\n"
	"  -K, --kernel-threads   show kernel threads (hidden by default)\n"
	"  -s, --sort COLUMN      sort by COLUMN (default cpu%)\n"
	"  -I, --invert           reverse the sort order\n"
	"  -o, --columns LIST     the columns to show, e.g. pid,cpu%,command\n"
	"  -w, --write FILE       record the samples into FILE as well\n"
	"  -r, --read FILE        replay a recording (no module needed)\n"
	"  -h, --help             this text (press h in threadtop for keys)\n"
	"  -V, --version          the version\n"
	"\n"
	"Columns: pid user state cpu policy pri ni cpu% wait% vcsw icsw migr\n"
	"thr time command. Environment: NO_COLOR=1 for no colours.\n"
	"Needs the threadstat kernel module (insmod threadstat.ko) unless\n"
	"replaying. Exit status: 0 ok, 1 error, 2 bad usage.\n";

static int bad(const char *fmt, const char *arg)
{
	fputs("threadtop: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(threadtop -h for help)\n", stderr);
	return EXIT_USAGE;
}

static bool number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int parse_columns(struct options *o, const char *list)
{
	char buf[256], *save = NULL, *name;
	int c;

	snprintf(buf, sizeof(buf), "%s", list);
	memset(o->cols, 0, sizeof(o->cols));
	for (name = strtok_r(buf, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		c = column_by_name(name);
		if (c < 0)
			return bad("unknown column '%s'", name);
		o->cols[c] = true;
	}
	o->cols[TS_COL_COMMAND] = true;
	return 0;
}

static int parse(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "batch", no_argument, NULL, 'b' },
		{ "frames", required_argument, NULL, 'n' },
		{ "view", required_argument, NULL, 'v' },
		{ "pid", required_argument, NULL, 'p' },
		{ "threads", no_argument, NULL, 'H' },
		{ "tree", no_argument, NULL, 't' },
		{ "kernel-threads", no_argument, NULL, 'K' },
		{ "sort", required_argument, NULL, 's' },
		{ "invert", no_argument, NULL, 'I' },
		{ "columns", required_argument, NULL, 'o' },
		{ "write", required_argument, NULL, 'w' },
		{ "read", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	long v;
	int opt, c;

	while ((opt = getopt_long(argc, argv, "d:bn:p:HtKs:Io:w:r:hV", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (!number(optarg, 1, 36000, &v))
				return bad("-d wants tenths of a second (1 or "
					   "more), not '%s'", optarg);
			o->delay = (int)v;
			break;
		case 'b':
			o->batch = true;
			break;
		case 'n':
			if (!number(optarg, 1, 1L << 30, &v))
				return bad("-n wants a number of frames, not "
					   "'%s'", optarg);
			o->frames = v;
			break;
		case 'v':
			if (!strcmp(optarg, "processes"))
				o->view = VIEW_PROCESSES;
			else if (!strcmp(optarg, "cores"))
				o->view = VIEW_CORES;
			else
				return bad("--view is processes or cores, not "
					   "'%s'", optarg);
			break;
		case 'p':
			if (!number(optarg, 1, UINT32_MAX, &v))
				return bad("-p wants a process id, not '%s'",
					   optarg);
			o->pid = (uint32_t)v;
			break;
		case 'H':
			o->threads = true;
			break;
		case 't':
			o->tree = true;
			break;
		case 'K':
			o->kernel = true;
			break;
		case 's':
			c = column_by_name(optarg);
			if (c < 0)
				return bad("unknown sort column '%s'", optarg);
			o->sort = (enum ts_col)c;
			break;
		case 'I':
			o->invert = true;
			break;
		case 'o':
			if (parse_columns(o, optarg))
				return EXIT_USAGE;
			break;
		case 'w':
			o->write_path = optarg;
			break;
		case 'r':
			o->read_path = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case 'V':
			printf("threadtop %s (ABI version %d)\n", TS_VERSION,
			       THREADSTAT_FAMILY_VERSION);
			exit(0);
		default:
			fputs("(threadtop -h for help)\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (o->read_path && o->write_path)
		return bad("%s", "-r and -w do not go together");
	return 0;
}

int main(int argc, char **argv)
{
	static struct top t;
	struct ts_error err = { 0 };
	int rc, c;

	/* Names are shown as UTF-8 only where the locale says so. */
	setlocale(LC_CTYPE, "");
	t.o.delay = 15;
	t.o.sort = TS_COL_CPU_PCT;
	for (c = 0; c < TS_COLS; c++)
		t.o.cols[c] = true;
	rc = parse(argc, argv, &t.o);
	if (rc)
		return rc;
	/* Keys come from stdin, or from /dev/tty when stdin is a recording. */
	if (!t.o.batch && (!isatty(STDOUT_FILENO) ||
			   (!isatty(STDIN_FILENO) &&
			    access("/dev/tty", R_OK)))) {
		fputs("threadtop: not a terminal; -b writes text frames\n",
		      stderr);
		return 1;
	}
	if (source_open(&t.src, &t.o, &err)) {
		fprintf(stderr, "threadtop: %s\n", err.msg);
		return 1;
	}
	pthread_mutex_init(&t.lock, NULL);
	ts_model_init(&t.model);
	memcpy(t.cols, t.o.cols, sizeof(t.cols));
	t.view = t.back = t.o.view;
	t.rows_dirty = true;
	rc = t.o.batch ? batch_run(&t) : ui_run(&t);
	ts_rows_free(&t.rows);
	ts_idset_free(&t.expanded);
	ts_model_free(&t.model);
	pthread_mutex_destroy(&t.lock);
	return rc;
}
