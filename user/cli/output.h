/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* Output formats of the threadstat CLI: JSON, CSV and aligned tables. */
#ifndef THREADSTAT_CLI_OUTPUT_H
#define THREADSTAT_CLI_OUTPUT_H

#include <stdio.h>

#include "threadstat.h"
#include "text.h"

/* One record as a JSON object: every present field of @set, spec names as
 * keys, nests as nested objects.
 */
void json_record(FILE *out, const struct ts_set *set, const void *rec);
void json_string(FILE *out, const char *s);

#endif
