// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat events: thread start, exec, rename and exit as they happen,
 * one line (or one JSON object) per event, like ip monitor. When the
 * kernel dropped events because we were too slow, a line says how many,
 * and the stream goes on.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "output.h"

#define NS_PER_MS	1000000.0

static const char events_usage[] =
	"usage: threadstat events [--json] [--pid PID] [--type TYPES] [--count N]\n"
	"  TYPES: comma-separated start,exec,rename,exit (default: all)\n"
	"  --count N: stop after N events\n";

struct events_opts {
	bool json;
	uint32_t pid;
	uint32_t types;
	unsigned long count;	/* 0: forever */
	unsigned long seen;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_lost(const struct events_opts *o, uint64_t lost)
{
	if (o->json)
		printf("{\"lost\":%" PRIu64 "}\n", lost);
	else
		printf("lost %" PRIu64 " events\n", lost);
}

static void print_event_text(const struct ts_event *ev)
{
	printf("%-6s tid %u tgid %u ppid %u cpu %u ", ts_event_type_name(ev->type),
	       ev->tid, ev->tgid, ev->ppid, ev->cpu);
	if (ev->type == THREADSTAT_EVENT_TYPE_RENAME) {
		print_cell(ev->old_comm, 0, true);
		fputs(" -> ", stdout);
	}
	print_cell(ev->comm, 0, true);
	if (ev->thread)
		fputs(" thread", stdout);
	if (ev->type == THREADSTAT_EVENT_TYPE_EXIT)
		printf(" lifetime %.3fms cpu %.3fms (user %.3f sys %.3f) "
		       "vcsw %" PRIu64 " ivcsw %" PRIu64 " migr %" PRIu64
		       " minflt %" PRIu64 " majflt %" PRIu64
		       " run-delay %.3fms status %u%s",
		       ev->lifetime / NS_PER_MS, ev->sum_exec_runtime / NS_PER_MS,
		       ev->utime / NS_PER_MS, ev->stime / NS_PER_MS, ev->nvcsw,
		       ev->nivcsw, ev->nr_migrations, ev->min_flt, ev->maj_flt,
		       ev->run_delay / NS_PER_MS, ev->exit_code,
		       ev->group_dead ? " process-exit" : "");
	putchar('\n');
}

static int on_event(const struct ts_event *ev, void *arg)
{
	struct events_opts *o = arg;

	/* Lost events are counted for the subscription, filter included. */
	if (ev->lost)
		print_lost(o, ev->lost);
	if (o->json) {
		json_record(stdout, &ts_event_set, ev);
		putchar('\n');
	} else {
		print_event_text(ev);
	}
	return o->count && ++o->seen >= o->count;
}

static int parse_events_options(int argc, char **argv, struct events_opts *o)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char bad[64];
	int64_t mask;
	uint32_t n;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "jp:t:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			o->json = true;
			break;
		case 'p':
			if (!parse_id(optarg, &o->pid)) {
				cli_error("bad pid '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			mask = ts_event_types_parse(optarg, bad, sizeof(bad));
			if (mask < 0) {
				cli_error("unknown event type '%s'", bad);
				return EXIT_USAGE;
			}
			o->types = (uint32_t)mask;
			break;
		case 'c':
			if (!parse_id(optarg, &n)) {
				cli_error("bad count '%s'", optarg);
				return EXIT_USAGE;
			}
			o->count = n;
			break;
		case 'h':
			fputs(events_usage, stdout);
			return 0;
		default:
			fputs(events_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		fputs(events_usage, stderr);
		return EXIT_USAGE;
	}
	return -1;
}

int cmd_events(int argc, char **argv)
{
	struct events_opts o = { .types = THREADSTAT_EVENT_TYPES_ALL };
	struct ts_error err = { 0 };
	struct ts_client *c;
	int rc;

	rc = parse_events_options(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (ts_open(&c, &err) || ts_events_subscribe(c, o.types, o.pid, &err)) {
		cli_error("%s", err.msg);
		ts_close(c);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, on_signal);
	rc = 0;
	/*
	 * Flushed once per read, which takes every event already queued: a
	 * quiet stream shows each event at once, a storm costs one write per
	 * batch instead of one per event.
	 */
	while (!stop && !rc) {
		rc = ts_events_read(c, 500, on_event, &o, &err);
		fflush(stdout);
	}
	if (rc < 0)
		cli_error("%s", err.msg);
	ts_close(c);
	return rc < 0 ? 1 : 0;
}
