// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat: one-shot views of threads and CPUs from threadstat.ko.
 * This file only dispatches to the subcommands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "threadstat.h"

static const char usage[] =
	"usage: threadstat COMMAND [OPTIONS]\n"
	"\n"
	"commands:\n"
	"  threads [--pid TGID] [--tid TID] [--fields LIST] [--json|--csv]\n"
	"          every thread (or one process's, or one thread) as a table,\n"
	"          a JSON array or CSV; LIST is a comma-separated list of\n"
	"          sched, schedstats, delayacct, stack, kstack, regs, wait,\n"
	"          or all\n"
	"  thread TID [--json]\n"
	"          one thread in full: every group the caller may see, with\n"
	"          its stacks, kernel stack trace, registers and system call\n"
	"  cpus [--json]\n"
	"          every possible CPU: online state, topology, time shares\n"
	"          since boot, what runs there now\n"
	"  system [--json]\n"
	"          machine-wide totals: CPUs, boot time, uptime, load,\n"
	"          process and thread counts\n"
	"  waits [--pid TGID] [--json]\n"
	"          every blocked thread, what it waits on and who holds it;\n"
	"          contention per lock\n"
	"  deadlocks [--pid TGID] [--json]\n"
	"          every wait cycle; exit 3 when there is one, 0 when none\n"
	"  events [--json] [--pid PID] [--type start,exec,rename,exit] [--count N]\n"
	"          thread lifecycle events as they happen, one per line;\n"
	"          events the kernel had to drop are counted (\"lost N\")\n"
	"  exporter [--listen ADDR:PORT] [--pid PID] [--group-by LIST]\n"
	"           [--max-series N]\n"
	"          Prometheus metrics over HTTP, one dump per scrape\n"
	"  latency on|off|status [--json]\n"
	"          per-thread run-queue latency measurement (on stays on\n"
	"          until off); the numbers: threads --fields latency\n"
	"\n"
	"options:\n"
	"  --source SRC   where the data comes from: module, proc (the\n"
	"                 fields /proc has; the rest absent) or auto\n"
	"                 (default: the module if it loads, else /proc)\n"
	"  -h, --help     this text\n"
	"  -V, --version  the version\n"
	"\n"
	"Without the threadstat kernel module it reads /proc and says which\n"
	"fields need the module.\n"
	"Exit status: 0 ok, 1 error, 2 bad usage.\n";

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("threadstat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool parse_id(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

int main(int argc, char **argv)
{
	print_text_init();
	if (cli_take_source(&argc, argv))
		return EXIT_USAGE;
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("threadstat %s (ABI version %d)\n", TS_VERSION,
		       THREADSTAT_FAMILY_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "threads"))
		return cmd_threads(argc - 1, argv + 1);
	if (!strcmp(argv[1], "thread"))
		return cmd_thread(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cpus"))
		return cmd_cpus(argc - 1, argv + 1);
	if (!strcmp(argv[1], "system"))
		return cmd_system(argc - 1, argv + 1);
	if (!strcmp(argv[1], "waits"))
		return cmd_waits(argc - 1, argv + 1);
	if (!strcmp(argv[1], "deadlocks"))
		return cmd_deadlocks(argc - 1, argv + 1);
	if (!strcmp(argv[1], "events"))
		return cmd_events(argc - 1, argv + 1);
	if (!strcmp(argv[1], "exporter"))
		return cmd_exporter(argc - 1, argv + 1);
	if (!strcmp(argv[1], "latency"))
		return cmd_latency(argc - 1, argv + 1);

	cli_error("unknown command '%s'", argv[1]);
	fputs(usage, stderr);
	return EXIT_USAGE;
}
