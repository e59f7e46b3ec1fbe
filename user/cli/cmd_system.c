// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat system: machine-wide totals, as "name: value" lines or one
 * JSON object.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "output.h"

#define NS_PER_SEC	1000000000ULL

static bool has(const struct ts_system *s, uint16_t type)
{
	return ts_present(&ts_system_set, s, type);
}

static void print_boot_time(uint64_t ns)
{
	time_t sec = (time_t)(ns / NS_PER_SEC);
	char text[64];
	struct tm tm;

	if (localtime_r(&sec, &tm) &&
	    strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S %z", &tm))
		printf("boot time:     %s\n", text);
}

static void print_text(const struct ts_system *s)
{
	const uint32_t load[3] = { s->load_1, s->load_5, s->load_15 };
	char text[64];
	int i;

	printf("cpus:          %u possible, %u online\n", s->cpus_possible,
	       s->cpus_online);
	if (has(s, THREADSTAT_A_SYSTEM_BOOT_TIME))
		print_boot_time(s->boot_time);
	if (has(s, THREADSTAT_A_SYSTEM_UPTIME)) {
		ts_uptime_text(text, sizeof(text), s->uptime);
		printf("uptime:        %s\n", text);
	}
	if (has(s, THREADSTAT_A_SYSTEM_LOAD_1)) {
		printf("load average: ");
		for (i = 0; i < 3; i++) {
			ts_load_text(text, sizeof(text), load[i]);
			printf(" %s", text);
		}
		putchar('\n');
	}
	if (!has(s, THREADSTAT_A_SYSTEM_NR_THREADS))
		return;
	printf("processes:     %u\n"
	       "threads:       %u", s->nr_processes, s->nr_threads);
	/* Counted by the module only: /proc has no per-namespace counts. */
	if (has(s, THREADSTAT_A_SYSTEM_NR_RUNNING))
		printf(" (%u running, %u blocked)", s->nr_running,
		       s->nr_blocked);
	putchar('\n');
}

static const char system_usage[] = "usage: threadstat system [--json]\n";

int cmd_system(int argc, char **argv)
{
	struct ts_error err = { 0 };
	struct ts_system sys;
	struct ts_client *c;
	bool json;
	int rc;

	rc = parse_json_option(argc, argv, system_usage, &json);
	if (rc >= 0)
		return rc;

	if (cli_open(&c, &err)) {
		cli_error("%s", err.msg);
		return 1;
	}
	if (ts_system_get(c, &sys, &err)) {
		cli_error("%s", err.msg);
		ts_close(c);
		return 1;
	}
	ts_close(c);

	if (json) {
		json_record(stdout, &ts_system_set, &sys);
		putchar('\n');
	} else {
		print_text(&sys);
	}
	return 0;
}
