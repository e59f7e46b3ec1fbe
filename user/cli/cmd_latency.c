// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat latency on|off|status: run-queue latency measurement.
 * The module keeps it on only while a client that turned it on is
 * connected, so "on" stays in the foreground holding it until interrupted.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

static const char latency_usage[] =
	"usage: threadstat latency on|off|status [--json]\n"
	"  on      measure, until this command is interrupted (Ctrl-C)\n"
	"  off     stop measuring, whoever turned it on\n"
	"  status  whether it is on, how many threads are tracked\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_state(const struct ts_latency_state *s, bool json)
{
	if (json) {
		json_record(stdout, &ts_latency_state_set, s);
		putchar('\n');
	} else {
		printf("latency: %s, %u holders, %u of %u threads tracked, "
		       "%" PRIu64 " waits not measured (no free record)\n",
		       s->enabled ? "on" : "off", s->holders, s->tracked,
		       s->capacity, s->overflow);
	}
	fflush(stdout);
}

int cmd_latency(int argc, char **argv)
{
	struct ts_error err = { 0 };
	struct ts_latency_state st;
	struct ts_client *c;
	bool json = false;
	int on, i;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(latency_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "on"))
		on = 1;
	else if (!strcmp(argv[1], "off"))
		on = 0;
	else if (!strcmp(argv[1], "status"))
		on = -1;
	else
		on = -2;
	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--json"))
			json = true;
		else
			on = -2;
	if (on == -2) {
		fputs(latency_usage, stderr);
		return EXIT_USAGE;
	}
	if (ts_open(&c, &err) || ts_latency_set(c, on, &st, &err)) {
		cli_error("%s", err.msg);
		ts_close(c);
		return 1;
	}
	print_state(&st, json);
	if (on == 1) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		while (!stop)
			pause();
	}
	ts_close(c);	/* an "on" hold ends with the socket */
	return 0;
}
