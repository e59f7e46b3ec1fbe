// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * --source auto|module|proc, accepted anywhere on the command line and
 * taken out before the subcommand parses its own options, so that every
 * subcommand opens its client the same way (cli_open()).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "threadstat.h"

static enum ts_source source = TS_SOURCE_AUTO;

int cli_take_source(int *argc, char **argv)
{
	int i, j, n;
	const char *v;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--source")) {
			v = i + 1 < *argc ? argv[i + 1] : NULL;
			n = 2;
		} else if (!strncmp(argv[i], "--source=", 9)) {
			v = argv[i] + 9;
			n = 1;
		} else {
			continue;
		}
		if (ts_source_parse(v, &source)) {
			cli_error("--source is auto, module or proc, not '%s'",
				  v ? v : "");
			return -1;
		}
		for (j = i; j + n <= *argc; j++)
			argv[j] = argv[j + n];
		*argc -= n;
		i--;
	}
	return 0;
}

int cli_open(struct ts_client **c, struct ts_error *err)
{
	char why[sizeof(err->msg)];

	if (ts_open_source(c, source, why, sizeof(why), err))
		return -1;
	/* Once per run, on stderr: stdout stays a clean table or JSON. */
	if (ts_client_proc(*c))
		cli_error("reading /proc (%s); %s",
			  why[0] ? why : "--source proc", ts_proc_needs_module);
	return 0;
}
