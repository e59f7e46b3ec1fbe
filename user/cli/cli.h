/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* The threadstat command line: one file per subcommand. */
#ifndef THREADSTAT_CLI_H
#define THREADSTAT_CLI_H

#include <stdbool.h>
#include <stdint.h>

#define EXIT_USAGE	2

int cmd_threads(int argc, char **argv);
int cmd_thread(int argc, char **argv);
int cmd_cpus(int argc, char **argv);
int cmd_system(int argc, char **argv);
int cmd_waits(int argc, char **argv);
int cmd_deadlocks(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_exporter(int argc, char **argv);
int cmd_latency(int argc, char **argv);

/* Parse [--json] [--help]: -1 to go on, else the exit status to return. */
int parse_json_option(int argc, char **argv, const char *usage, bool *json);
/* The same with --pid P too (0 when not given). */
int parse_pid_json_options(int argc, char **argv, const char *usage,
			   bool *json, uint32_t *pid);

/*
 * Take --source auto|module|proc out of argv (anywhere before "--");
 * -1 after saying what is wrong.
 */
int cli_take_source(int *argc, char **argv);
/* Open the client --source chose; a /proc one says once what it lacks. */
struct ts_client;
struct ts_error;
int cli_open(struct ts_client **c, struct ts_error *err);

/* Parse a positive decimal id; false on anything else. */
bool parse_id(const char *s, uint32_t *out);
/* Print "threadstat: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
