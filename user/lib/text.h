/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The text layer both tools show fields through: a field's value as text,
 * the way threadstat's tables and threadtop show it. It lives in the
 * library so that neither tool reaches into the other's folder.
 */
#ifndef THREADSTAT_TEXT_H
#define THREADSTAT_TEXT_H

#include <stddef.h>

#include "threadstat.h"

/* A field's value as text, the way tables and threadtop show it. */
void field_text(char *buf, size_t len, const struct ts_field *f,
		const void *rec);

#endif
