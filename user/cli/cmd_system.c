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

static void print_uptime(uint64_t ns)
{
	uint64_t sec = ns / NS_PER_SEC;

	printf("uptime:        ");
	if (sec >= 86400)
		printf("%" PRIu64 " days, ", sec / 86400);
	printf("%" PRIu64 ":%02" PRIu64 ":%02" PRIu64 "\n", sec / 3600 % 24,
	       sec / 60 % 60, sec % 60);
}

/* A load average x 1000 with two decimals, as /proc/loadavg shows it. */
static void print_load(uint32_t x1000)
{
	uint32_t hundredths = (x1000 + 5) / 10;

	printf(" %u.%02u", hundredths / 100, hundredths % 100);
}

static void print_text(const struct ts_system *s)
{
	printf("cpus:          %u possible, %u online\n", s->cpus_possible,
	       s->cpus_online);
	if (has(s, THREADSTAT_A_SYSTEM_BOOT_TIME))
		print_boot_time(s->boot_time);
	if (has(s, THREADSTAT_A_SYSTEM_UPTIME))
		print_uptime(s->uptime);
	if (has(s, THREADSTAT_A_SYSTEM_LOAD_1)) {
		printf("load average: ");
		print_load(s->load_1);
		print_load(s->load_5);
		print_load(s->load_15);
		putchar('\n');
	}
	if (has(s, THREADSTAT_A_SYSTEM_NR_THREADS))
		printf("processes:     %u\n"
		       "threads:       %u (%u running, %u blocked)\n",
		       s->nr_processes, s->nr_threads, s->nr_running,
		       s->nr_blocked);
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

	if (ts_open(&c, &err)) {
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
