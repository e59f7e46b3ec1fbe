// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* Option parsing of the subcommands whose options are --json (and --pid). */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int parse_pid_json_options(int argc, char **argv, const char *usage,
			   bool *json, uint32_t *pid)
{
	static const struct option with_pid[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct option *opts = pid ? with_pid : with_pid + 1;
	int opt;

	*json = false;
	if (pid)
		*pid = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, pid ? "p:jh" : "jh", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (!parse_id(optarg, pid)) {
				cli_error("--pid wants a process id, not '%s'",
					  optarg);
				return EXIT_USAGE;
			}
			break;
		case 'j':
			*json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	return -1;
}

int parse_json_option(int argc, char **argv, const char *usage, bool *json)
{
	return parse_pid_json_options(argc, argv, usage, json, NULL);
}
