// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* Option parsing of the subcommands whose only option is --json. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int parse_json_option(int argc, char **argv, const char *usage, bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*json = false;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (opt) {
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
