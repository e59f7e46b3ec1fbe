// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat exporter: options, then the Prometheus exporter of
 * user/exporter/ serves until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exporter.h"

static const char exporter_usage[] =
	"usage: threadstat exporter [--listen ADDR:PORT] [--pid PID]\n"
	"                           [--group-by comm|thread|tid[,...]]\n"
	"                           [--max-series N]\n"
	"\n"
	"Serves Prometheus metrics at http://ADDR:PORT/metrics (text format\n"
	"0.0.4, or OpenMetrics 1.0.0 when the scraper's Accept header asks for\n"
	"application/openmetrics-text), from one threadstat dump per scrape.\n"
	"\n"
	"  --listen ADDR:PORT  where to listen (default " EX_DEFAULT_LISTEN ");\n"
	"                      :PORT for every IPv4 address, [ADDR]:PORT for IPv6\n"
	"  --pid PID           only this process's threads\n"
	"  --group-by LIST     labels that make a group of threads, any of\n"
	"                      comm (process name), thread (thread name),\n"
	"                      tid (pid and tid: a group per thread); default\n"
	"                      comm,thread; repeatable\n"
	"  --max-series N      at most N series per scrape (default %d); the\n"
	"                      rest is dropped whole per CPU, group or process\n"
	"                      name, oldest groups kept, and counted in\n"
	"                      threadstat_exporter_series_dropped_total\n"
	"\n"
	"Counters of a group (CPU seconds by mode, context switches, page\n"
	"faults, migrations, run-queue delay) include its threads that have\n"
	"exited, so they do not go back when threads come and go: the exporter\n"
	"keeps what each vanished thread had counted, and a process's exited\n"
	"totals from the module add what threads did after their last scrape\n"
	"(migrations and run-queue delay excepted). They restart from the live\n"
	"threads' values (a reset, which rate() absorbs) when the exporter\n"
	"restarts, when a group had no thread for 5 minutes and comes back,\n"
	"and with --group-by tid, where a thread's series ends with it.\n"
	"\n"
	"Needs no privilege: the sched group is open to every user (hidepid\n"
	"aside). Runs until SIGINT or SIGTERM. Exit status: 0 stopped, 1\n"
	"error, 2 bad usage.\n";

static void usage_out(FILE *f)
{
	fprintf(f, exporter_usage, EX_DEFAULT_MAX_SERIES);
}

/* "comm,thread" into EX_BY_* bits; 0 on an unknown word. */
static unsigned int parse_group_by(const char *list)
{
	static const struct { const char *name; unsigned int bit; } w[] = {
		{ "comm", EX_BY_COMM }, { "process", EX_BY_COMM },
		{ "thread", EX_BY_THREAD }, { "tid", EX_BY_TID },
	};
	unsigned int by = 0;
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ","), i;
		unsigned int bit = 0;

		for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
			if (strlen(w[i].name) == n && !strncmp(p, w[i].name, n))
				bit = w[i].bit;
		if (!bit)
			return 0;
		by |= bit;
		p += n + (p[n] == ',');
	}
	return by;
}

int cmd_exporter(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "pid", required_argument, NULL, 'p' },
		{ "group-by", required_argument, NULL, 'g' },
		{ "max-series", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ex_opts o = { .listen = EX_DEFAULT_LISTEN,
			     .max_series = EX_DEFAULT_MAX_SERIES };
	struct ex_exporter *e;
	unsigned long n;
	char *end;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o.listen = optarg;
			break;
		case 'p':
			if (!parse_id(optarg, &o.tgid)) {
				cli_error("bad --pid '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'g':
			o.by |= parse_group_by(optarg);
			if (!parse_group_by(optarg)) {
				cli_error("bad --group-by '%s': comm, thread or tid",
					  optarg);
				return EXIT_USAGE;
			}
			break;
		case 'm':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] < '0' || optarg[0] > '9') {
				cli_error("bad --max-series '%s'", optarg);
				return EXIT_USAGE;
			}
			o.max_series = n;
			break;
		case 'h':
			usage_out(stdout);
			return 0;
		default:
			usage_out(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (!o.by)
		o.by = EX_BY_COMM | EX_BY_THREAD;
	/* Label values are names as the tables show them in a UTF-8 locale,
	 * whatever the service's environment says.
	 */
	setlocale(LC_CTYPE, "C.UTF-8");
	if (ex_exporter_new(&e, &o)) {
		cli_error("out of memory");
		return 1;
	}
	rc = ex_serve(e, o.listen);
	ex_exporter_free(e);
	return rc;
}
