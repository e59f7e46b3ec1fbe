// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The exposition writer: Prometheus text format 0.0.4 and OpenMetrics
 * 1.0.0, the only code that knows their syntax.
 *
 * Label values are user-controlled (thread and process names). They are
 * first written as threadstat's tables show names (the library's one
 * sanitizer: valid UTF-8 as is, controls and bytes that are not UTF-8 as
 * \n, \xHH, ..., a backslash as \\), so a label value is always valid
 * UTF-8 (both formats require it) and two different names never give the
 * same label; that text is then escaped as both formats ask (\\, \", \n).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exporter.h"

const char *ex_content_type(enum ex_format f)
{
	return f == EX_OPENMETRICS ?
	       "application/openmetrics-text; version=1.0.0; charset=utf-8" :
	       "text/plain; version=0.0.4; charset=utf-8";
}

enum ex_format ex_format_for(const char *accept)
{
	/* Prometheus sends it first when it takes OpenMetrics at all. */
	return accept && strstr(accept, "application/openmetrics-text") ?
	       EX_OPENMETRICS : EX_TEXT_004;
}

/* Append @s escaped for a label value or HELP text (@quote: \" too). */
static void escape(struct ts_str *out, const char *s, size_t n, bool quote)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		const char *e = s[i] == '\\' ? "\\\\" :
				s[i] == '\n' ? "\\n" :
				quote && s[i] == '"' ? "\\\"" : NULL;

		if (!e)
			continue;
		ts_str_add(out, s + from, i - from);
		ts_str_add(out, e, 2);
		from = i + 1;
	}
	ts_str_add(out, s + from, n - from);
}

static size_t base_len(const struct ex_writer *w)
{
	size_t n = strlen(w->family);

	/* OpenMetrics names a counter's family without its _total. */
	if (w->format == EX_OPENMETRICS && w->counter && n > 6 &&
	    !strcmp(w->family + n - 6, "_total"))
		n -= 6;
	return n;
}

void ex_family(struct ex_writer *w, const char *name, bool counter,
	       const char *unit, const char *help)
{
	size_t n;

	w->family = name;
	w->counter = counter;
	n = base_len(w);
	ts_str_add(w->out, "# HELP ", 7);
	ts_str_add(w->out, name, n);
	ts_str_add(w->out, " ", 1);
	escape(w->out, help, strlen(help), false);
	ts_str_printf(w->out, "\n# TYPE %.*s %s\n", (int)n, name,
		      counter ? "counter" : "gauge");
	if (w->format == EX_OPENMETRICS && unit)
		ts_str_printf(w->out, "# UNIT %.*s %s\n", (int)n, name, unit);
}

/* Labels are opened lazily: '{' before the first, ',' before others. */
static bool in_labels(const struct ex_writer *w)
{
	const struct ts_str *o = w->out;

	return o->len && o->p[o->len - 1] != '\n' &&
	       o->p[o->len - 1] != ' ';
}

void ex_sample_begin(struct ex_writer *w)
{
	ts_str_add(w->out, w->family, strlen(w->family));
	ts_str_add(w->out, " ", 1);	/* replaced by '{' at a label */
}

void ex_label(struct ex_writer *w, const char *name, const char *value,
	      size_t len)
{
	struct ts_str shown = { 0 };

	if (in_labels(w)) {
		ts_str_add(w->out, ",", 1);
	} else if (w->out->len) {
		w->out->p[w->out->len - 1] = '{';
	}
	ts_text_display(&shown, value, len, 0);
	ts_str_printf(w->out, "%s=\"", name);
	escape(w->out, ts_str_get(&shown), shown.len, true);
	ts_str_add(w->out, "\"", 1);
	ts_str_free(&shown);
}

void ex_label_u32(struct ex_writer *w, const char *name, uint32_t value)
{
	char text[16];
	int n = snprintf(text, sizeof(text), "%" PRIu32, value);

	ex_label(w, name, text, (size_t)n);
}

static void sample_end(struct ex_writer *w)
{
	if (in_labels(w))
		ts_str_add(w->out, "} ", 2);
}

void ex_sample_u64(struct ex_writer *w, uint64_t v)
{
	sample_end(w);
	ts_str_printf(w->out, "%" PRIu64 "\n", v);
}

void ex_sample_ns(struct ex_writer *w, uint64_t ns)
{
	sample_end(w);
	/* Exact decimal: a double would round ns away above ~104 days. */
	ts_str_printf(w->out, "%" PRIu64 ".%09" PRIu64 "\n",
		      ns / 1000000000u, ns % 1000000000u);
}

void ex_sample_double(struct ex_writer *w, double v)
{
	sample_end(w);
	ts_str_printf(w->out, "%.17g\n", v);
}

void ex_finish(struct ex_writer *w)
{
	if (w->format == EX_OPENMETRICS)
		ts_str_add(w->out, "# EOF\n", 6);
}
