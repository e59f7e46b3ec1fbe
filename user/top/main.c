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
	"      --view VIEW        processes (default), cores or waits (blocked\n"
	"                         threads as wait chains, live only)\n"
	"  -p, --pid PID[,PID..]  only these processes (one: its threads shown)\n"
	"  -u, --user USER        only USER's processes (a name or a uid)\n"
	"  -H, --threads          a row per thread instead of per process\n"
	"  -t, --tree             processes as a tree\n"
	"  -K, --kernel-threads   show kernel threads (hidden by default)\n"
	"  -s, --sort COLUMN      sort by COLUMN (default cpu%)\n"
	"  -I, --invert           reverse the sort order\n"
	"  -o, --columns LIST     the columns to show, in order, e.g.\n"
	"                         tid,cpu-pct,sum-exec-runtime,comm\n"
	"      --latency          hold the module's run-queue latency on\n"
	"                         (CAP_NET_ADMIN) and show LAT-MAX, LAT-P99\n"
	"  -w, --write FILE       record the samples into FILE as well\n"
	"  -r, --read FILE        replay a recording (no module needed)\n"
	"      --source SRC       module, proc (the fields /proc has, the\n"
	"                         rest absent) or auto (default: the module\n"
	"                         if it loads, else /proc)\n"
	"  -h, --help             this text (press h in threadtop for keys)\n"
	"  -V, --version          the version\n"
	"\n"
	"Columns (the spec's field names; rates and shares of them marked):\n"
	"tid uid state cpu policy prio nice cpu-pct run-delay-pct nvcsw-rate\n"
	"nivcsw-rate nr-migrations-rate threads sum-exec-runtime comm\n"
	"max-wait wait-p99 (--latency; n: ns, u: us, m: ms, s: seconds).\n"
	"Settings: $XDG_CONFIG_HOME/threadtop/threadtoprc (~/.config/...),\n"
	"saved on exit when changed in threadtop; options override them.\n"
	"Environment: NO_COLOR=1 for no colours; COLUMNS: batch width.\n"
	"Without the threadstat kernel module it reads /proc and says which\n"
	"fields need the module. Exit status: 0 ok, 1 error, 2 bad usage.\n";

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
	char bad_name[64];

	if (columns_parse(o, list, bad_name, sizeof(bad_name)))
		return bad("unknown column '%s'", bad_name);
	return 0;
}

/* -p 1,2,3 */
static int parse_pids(struct options *o, const char *list)
{
	char buf[1024], *save = NULL, *p;
	long v;

	snprintf(buf, sizeof(buf), "%s", list);
	o->pids.n = 0;
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
		if (!number(p, 1, UINT32_MAX, &v) ||
		    ts_idset_add(&o->pids, (uint32_t)v))
			return bad("-p wants process ids, not '%s'", list);
	if (!o->pids.n)
		return bad("-p wants process ids, not '%s'", list);
	return 0;
}

enum { OPT_SOURCE = 256, OPT_LATENCY };

/*
 * --latency shows its columns unless -o chose others; a latency column
 * (-o, the settings) means --latency. Replays sample nothing.
 */
static void latency_columns(struct options *o, bool columns_given)
{
	if (o->latency && !columns_given)
		o->cols[TS_COL_LAT_MAX] = o->cols[TS_COL_LAT_P99] = true;
	if (o->cols[TS_COL_LAT_MAX] || o->cols[TS_COL_LAT_P99])
		o->latency = !o->read_path;
}	/* long options without a letter */

static int parse(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "batch", no_argument, NULL, 'b' },
		{ "frames", required_argument, NULL, 'n' },
		{ "view", required_argument, NULL, 'v' },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
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
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "latency", no_argument, NULL, OPT_LATENCY },
		{ 0 },
	};
	bool columns_given = false;
	long v;
	int opt, c;

	while ((opt = getopt_long(argc, argv, "d:bn:p:u:HtKs:Io:w:r:hV", opts,
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
			else if (!strcmp(optarg, "waits"))
				o->view = VIEW_WAITS;
			else
				return bad("--view is processes, cores or "
					   "waits, not '%s'", optarg);
			break;
		case 'p':
			if (parse_pids(o, optarg))
				return EXIT_USAGE;
			break;
		case 'u':
			if (ts_user_parse(optarg, &o->uid))
				return bad("no user '%s'", optarg);
			o->by_user = true;
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
			columns_given = true;
			o->cols_chosen = true;
			break;
		case 'w':
			o->write_path = optarg;
			break;
		case 'r':
			o->read_path = optarg;
			break;
		case OPT_LATENCY:
			o->latency = true;
			break;
		case OPT_SOURCE:
			if (ts_source_parse(optarg, &o->source))
				return bad("--source is auto, module or proc, "
					   "not '%s'", optarg);
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
	latency_columns(o, columns_given);
	return 0;
}

int main(int argc, char **argv)
{
	static struct top t;
	static char before[SETTINGS_TEXT];
	struct ts_error err = { 0 };
	char warn[256] = "";
	int rc;

	/* Names are shown as UTF-8 only where the locale says so. */
	setlocale(LC_CTYPE, "");
	t.o.delay = 15;
	t.o.sort = TS_COL_CPU_PCT;
	columns_default(&t.o);
	meters_default(&t.o);
	settings_load(&t.o, warn, sizeof(warn));
	if (warn[0])
		fprintf(stderr, "threadtop: %s\n", warn);
	rc = parse(argc, argv, &t.o);
	if (rc)
		goto out_opts;
	/* As threadtop starts: the file is written at exit only if the
	 * settings differ from this, changed in threadtop.
	 */
	settings_format(&t.o, before, sizeof(before));
	if (warn[0] && !t.o.batch)
		top_note(&t, true, "%s", warn);
	/* Keys come from stdin, or from /dev/tty when stdin is a recording. */
	if (!t.o.batch && (!isatty(STDOUT_FILENO) ||
			   (!isatty(STDIN_FILENO) &&
			    access("/dev/tty", R_OK)))) {
		fputs("threadtop: not a terminal; -b writes text frames\n",
		      stderr);
		rc = 1;
		goto out_opts;
	}
	if (source_open(&t.src, &t.o, &err)) {
		fprintf(stderr, "threadtop: %s\n", err.msg);
		rc = 1;
		goto out_opts;
	}
	if (t.src.notice[0]) {
		fprintf(stderr, "threadtop: %s\n", t.src.notice);
		if (!t.o.batch)
			top_note(&t, false, "%s", t.src.notice);
	}
	/* A replay's command lines come from the recording, not /proc. */
	t.cmdlines.recorded = t.src.reader != NULL;
	t.src.shown = &t.cmdlines;
	t.src.waits_shown = &t.waits;
	pthread_mutex_init(&t.lock, NULL);
	ts_model_init(&t.model);
	memcpy(t.cols, t.o.cols, sizeof(t.cols));
	/* A replay of a recording with the latency group shows its columns
	 * unless -o chose others (not saved in the settings: a live run
	 * would take them for --latency). */
	t.replay_latency = source_recorded_latency(&t.src) && !t.o.cols_chosen;
	t.view = t.back = t.o.view;
	t.waits_view = t.src.waits_view = t.view == VIEW_WAITS;
	t.rows_dirty = true;
	rc = t.o.batch ? batch_run(&t) : ui_run(&t);
	if (!t.o.batch && settings_save(&t.o, before, warn, sizeof(warn)))
		fprintf(stderr, "threadtop: %s\n", warn);
	ts_rows_free(&t.rows);
	ts_cmdlines_free(&t.cmdlines);
	ts_waits_free(&t.waits);
	rowcache_free(&t.rowcache);
	ts_idset_free(&t.expanded);
	ts_idset_free(&t.tagged_procs);
	ts_idset_free(&t.tagged_threads);
	ts_model_free(&t.model);
	pthread_mutex_destroy(&t.lock);
out_opts:
	/* Every way out after parse() owns the -p set (and nothing more). */
	ts_idset_free(&t.o.pids);
	return rc;
}
