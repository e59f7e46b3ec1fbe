// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat latency on|off|status: the module's run-queue latency
 * measurement. "on" asks for a persist hold, so measurement stays on after
 * this command exits, until "off" (threadtop holds it for its own socket
 * only). The numbers themselves: threads --fields latency.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

static const char latency_usage[] =
	"usage: threadstat latency on|off|status [--json]\n"
	"  on      measure every thread's run-queue waits until \"off\"\n"
	"          (needs CAP_NET_ADMIN)\n"
	"  off     stop measuring, whoever turned it on; frees the histograms\n"
	"          (needs CAP_NET_ADMIN)\n"
	"  status  whether it is on, who holds it, how many threads are tracked\n";

static void print_state(const struct ts_latency_state *s, bool json)
{
	if (json) {
		json_record(stdout, &ts_latency_state_set, s);
		putchar('\n');
		return;
	}
	printf("latency: %s", s->enabled ? "on" : "off");
	if (s->enabled)
		printf(" (%s%u socket%s)", s->persistent ? "persistent, " : "",
		       s->holders, s->holders == 1 ? "" : "s");
	printf("\ntracked: %" PRIu32 " of %" PRIu32 " threads\n", s->tracked,
	       s->capacity);
	printf("overflow: %" PRIu64 " switch-outs not measured (no free record)\n",
	       s->overflow);
}

int cmd_latency(int argc, char **argv)
{
	struct ts_error err = { 0 };
	struct ts_latency_state st;
	enum ts_latency_op op;
	struct ts_client *c = NULL;
	bool json = false;
	int i;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(latency_usage, stdout);
		return 0;
	}
	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "on"))
		op = TS_LATENCY_PERSIST;
	else if (!strcmp(argv[1], "off"))
		op = TS_LATENCY_OFF;
	else if (!strcmp(argv[1], "status"))
		op = TS_LATENCY_STATUS;
	else
		goto usage;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json"))
			goto usage;
		json = true;
	}
	if (ts_open(&c, &err) || ts_latency_control(c, op, &st, &err)) {
		cli_error("%s", err.msg);
		ts_close(c);
		return 1;
	}
	print_state(&st, json);
	ts_close(c);
	return 0;
usage:
	fputs(latency_usage, stderr);
	return EXIT_USAGE;
}
