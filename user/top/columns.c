// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The list's columns: titles, widths, which give way first on a narrow
 * terminal, and each cell's text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "top.h"

#define COMMAND_MIN	15	/* narrower, and columns give way */

const struct column columns[TS_COLS] = {
	[TS_COL_ID] = { "PID", 7, false, 0, "tid", "pid",
			"process (tgid) or thread id" },
	[TS_COL_USER] = { "USER", 8, true, 7, "uid", "user",
			  "owner (sorted by name)" },
	[TS_COL_STATE] = { "S", 1, true, 0, "state", NULL,
			   "state: R running, S sleeping, D disk wait, ..." },
	[TS_COL_CPU] = { "CPU", 3, false, 10, "cpu", NULL,
			 "CPU it runs on, or ran on last" },
	[TS_COL_POLICY] = { "POLICY", 6, true, 5, "policy", NULL,
			    "scheduling policy" },
	[TS_COL_PRI] = { "PRI", 3, false, 6, "prio", "pri",
			 "kernel priority" },
	[TS_COL_NI] = { "NI", 3, false, 8, "nice", "ni", "nice value" },
	[TS_COL_CPU_PCT] = { "CPU%", 5, false, 0, "cpu-pct", "cpu%",
			     "share of the interval on a CPU" },
	[TS_COL_WAIT_PCT] = { "WAIT%", 5, false, 0, "run-delay-pct", "wait%",
			      "share of the interval runnable but waiting "
			      "for a CPU" },
	[TS_COL_VCSW] = { "VCSW/s", 6, false, 12, "nvcsw-rate", "vcsw",
			  "voluntary context switches per second" },
	[TS_COL_ICSW] = { "ICSW/s", 6, false, 11, "nivcsw-rate", "icsw",
			  "involuntary context switches (preemptions) per "
			  "second" },
	[TS_COL_MIGR] = { "MIGR/s", 6, false, 13, "nr-migrations-rate", "migr",
			  "migrations between CPUs per second" },
	[TS_COL_THREADS] = { "THR", 4, false, 9, "threads", "thr",
			     "threads of the process" },
	[TS_COL_TIME] = { "TIME", 8, false, 14, "sum-exec-runtime", "time",
			  "CPU time used" },
	/* Memory gives way first (hide 1-4): a tool for threads and CPUs. */
	[TS_COL_VIRT] = { "VIRT", 6, false, 1, "vm-size", "virt",
			  "virtual memory of the process, KiB (M: MiB, "
			  "G: GiB)" },
	[TS_COL_RES] = { "RES", 6, false, 4, "rss", "res",
			 "resident memory of the process (anon + file + "
			 "shmem)" },
	[TS_COL_SHR] = { "SHR", 6, false, 2, "shared", "shr",
			 "resident shared memory (file + shmem)" },
	[TS_COL_MEM_PCT] = { "MEM%", 5, false, 3, "mem-pct", "mem%",
			     "RES as a share of MemTotal" },
	[TS_COL_COMMAND] = { "COMMAND", 7, true, 0, "comm", "command",
			     "command line of a process (its program bold), "
			     "a thread's name; in the tree" },
	/* Run-queue waits (--latency): n ns, u us, m ms, s seconds. */
	[TS_COL_LAT_MAX] = { "LAT-MAX", 7, false, 0, "max-wait", "lat-max",
			     "a thread's longest run-queue wait in the "
			     "interval (--latency)" },
	[TS_COL_LAT_P99] = { "LAT-P99", 7, false, 0, "wait-p99", "lat-p99",
			     "99th percentile of a thread's run-queue waits "
			     "in the interval, as its log2 bucket's end "
			     "(--latency)" },
};

int column_by_name(const char *name)
{
	int c;

	for (c = 0; c < TS_COLS; c++)
		if (!strcasecmp(name, columns[c].name) ||
		    !strcasecmp(name, columns[c].title) ||
		    (columns[c].alias && !strcasecmp(name, columns[c].alias)))
			return c;
	return -1;
}

void columns_default(struct options *o)
{
	int c;

	for (c = 0; c < TS_COLS; c++) {
		o->cols[c] = c != TS_COL_LAT_MAX && c != TS_COL_LAT_P99;
		o->order[c] = c < TS_COL_COMMAND ? c :
			      c == TS_COLS - 1 ? TS_COL_COMMAND : c + 1;
	}
}

static const char *column_name(int c)
{
	return columns[c].name;
}

struct choice columns_choice(struct options *o)
{
	return (struct choice){
		.n = TS_COLS, .pinned = TS_COL_COMMAND, .unknown_ok = false,
		.on = o->cols, .order = o->order,
		.by_name = column_by_name, .name = column_name,
	};
}

int columns_parse(struct options *o, const char *list, char *bad,
		  size_t len)
{
	struct choice ch = columns_choice(o);

	return choice_parse(&ch, list, bad, len);
}

void columns_format(const struct options *o, char *buf, size_t len)
{
	/* Only read: the choice's pointers are not written through. */
	struct choice ch = columns_choice((struct options *)o);

	choice_format(&ch, buf, len);
}

void columns_fit(const struct top *t, int width, enum view view,
		 bool shown[TS_COLS])
{
	int c, used = 0, order;

	for (c = 0; c < TS_COLS; c++) {
		shown[c] = t->o.cols[c] ||
			   (t->replay_latency && (c == TS_COL_LAT_MAX ||
						  c == TS_COL_LAT_P99));
		if (c == TS_COL_THREADS &&
		    (view != VIEW_PROCESSES || t->o.threads))
			shown[c] = false;	/* one thread per row */
		if (view == VIEW_CORES &&
		    (c == TS_COL_CPU || c == TS_COL_USER ||
		     c == TS_COL_POLICY || c == TS_COL_PRI || c == TS_COL_NI))
			shown[c] = false;	/* the block says the CPU */
		if (shown[c] && c != TS_COL_COMMAND)
			used += columns[c].width + 1;
	}
	shown[TS_COL_COMMAND] = true;
	for (order = 1; used + COMMAND_MIN > width && order <= 14; order++)
		for (c = 0; c < TS_COLS; c++)
			if (shown[c] && columns[c].hide == order) {
				shown[c] = false;
				used -= columns[c].width + 1;
			}
}

/* @n bytes of @text into @buf as snprintf("%s") would: cut to fit. */
static void copy_text(char *buf, size_t len, const char *text, size_t n)
{
	if (!len)
		return;
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
}

/* Two digits of @v (0-99). */
static size_t two_digits(char *p, uint64_t v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return 2;
}

/*
 * m:ss.cc, then XhYYm, then Nd, without printf (a TIME cell per row per
 * frame: snprintf was a tenth of a batch frame's cost).
 */
void time_text(char *buf, size_t len, uint64_t ns)
{
	uint64_t cs = ns / 10000000u;	/* hundredths */
	uint64_t s = cs / 100, m = s / 60, h = m / 60;
	char t[TS_DEC_MAX + 8];
	size_t n;

	if (m < 100) {
		n = ts_dec_u64(t, m);
		t[n++] = ':';
		n += two_digits(t + n, s % 60);
		t[n++] = '.';
		n += two_digits(t + n, cs % 100);
	} else if (h < 1000) {
		n = ts_dec_u64(t, h);
		t[n++] = 'h';
		n += two_digits(t + n, m % 60);
		t[n++] = 'm';
	} else {
		n = ts_dec_u64(t, h / 24);
		t[n++] = 'd';
	}
	copy_text(buf, len, t, n);
}

/* @text cut or padded to @width bytes, on the left: printf's %-*.*s. */
static void left_cell(char *buf, size_t len, const char *text, int width)
{
	size_t n = strnlen(text, width > 0 ? (size_t)width : 0), at;

	copy_text(buf, len, text, n);
	if (!len)
		return;
	for (at = strlen(buf); (int)at < width && at + 1 < len; at++)
		buf[at] = ' ';
	buf[at] = '\0';
}

/*
 * @text (@n bytes) then @tail, right-aligned in @width columns, as
 * snprintf("%*s%s", width - strlen(tail), text, tail) would write it: the
 * cells of every row of every frame come through here, and printf's
 * format parsing was most of a -H frame's cost.
 */
static void right_cell(char *buf, size_t len, const char *text, size_t n,
		       int width, const char *tail)
{
	size_t t = strlen(tail), pad = 0, at = 0;

	if (!len)
		return;
	if (width > 0 && (size_t)width > n + t)
		pad = (size_t)width - n - t;
	for (; at < pad && at + 1 < len; at++)
		buf[at] = ' ';
	if (n > len - 1 - at)
		n = len - 1 - at;
	memcpy(buf + at, text, n);
	at += n;
	if (t > len - 1 - at)
		t = len - 1 - at;
	memcpy(buf + at, tail, t);
	buf[at + t] = '\0';
}

/* @v in decimal, then @tail, right-aligned in @width columns. */
static void num_cell(char *buf, size_t len, int64_t v, int width,
		     const char *tail)
{
	char d[TS_DEC_MAX];

	right_cell(buf, len, d, ts_dec_s64(d, v), width, tail);
}

/* Rates with integer formatting: %f is slow, and this runs for every
 * cell of every row.
 */
static void rate_text(char *buf, size_t len, double v, int width)
{
	long long tenths;

	/* Bounded before the conversion: a forged counter must not wrap. */
	if (!(v >= 0))
		v = 0;
	if (v > 1e15)
		v = 1e15;
	tenths = (long long)(v * 10 + 0.5);
	if (tenths < 10000) {
		char tail[3] = { '.', (char)('0' + tenths % 10), '\0' };

		num_cell(buf, len, tenths / 10, width, tail);
	} else if (tenths < 10000000) {
		num_cell(buf, len, (tenths + 5) / 10, width, "");
	} else {
		num_cell(buf, len, (tenths + 5000) / 10000, width, "k");
	}
}

/* htop's units: KiB up to 99999, then MiB, then GiB. */
static void mem_text(char *buf, size_t len, uint64_t bytes, int width)
{
	uint64_t kib = bytes / 1024, mib = kib / 1024;

	if (kib < 100000) {
		num_cell(buf, len, (int64_t)kib, width, "");
	} else if (mib < 100000) {
		num_cell(buf, len, (int64_t)mib, width, "M");
	} else if (mib < 100 * 1024) {
		char tail[4] = { '.', (char)('0' + mib % 1024 * 10 / 1024),
				 'G', '\0' };

		num_cell(buf, len, (int64_t)(mib / 1024), width, tail);
	} else {
		/* Up to 2^64 bytes: 2^24 GiB, an int64_t. */
		num_cell(buf, len, (int64_t)(mib / 1024), width, "G");
	}
}

void wait_text(char *buf, size_t len, uint64_t ns, int width)
{
	uint64_t us = ns / 1000, ms = us / 1000;

	if (ns < 1000)
		num_cell(buf, len, (int64_t)ns, width, "n");
	else if (us < 100000)
		num_cell(buf, len, (int64_t)us, width, "u");
	else if (ms < 100000)
		num_cell(buf, len, (int64_t)ms, width, "m");
	else
		num_cell(buf, len, (int64_t)(ms / 1000), width, "s");
}

static bool mem_column(enum ts_col c)
{
	return c == TS_COL_VIRT || c == TS_COL_RES || c == TS_COL_SHR ||
	       c == TS_COL_MEM_PCT;
}

static const char *policy_short(uint32_t policy)
{
	return policy == THREADSTAT_POLICY_DEADLINE ? "dline" :
						     ts_policy_name(policy);
}

void cell_text(char *buf, size_t len, enum ts_col c, const struct ts_mstat *s,
	       bool thread_row)
{
	bool sched = s->flags & TS_MF_SCHED;
	int w = columns[c].width;

	if (mem_column(c) ? !(s->flags & TS_MF_MEM) ||
			    (c == TS_COL_MEM_PCT && s->mem_pct < 0) :
	    !sched && c != TS_COL_ID && c != TS_COL_USER &&
	    c != TS_COL_COMMAND && c != TS_COL_THREADS) {
		right_cell(buf, len, "-", 1, w, "");
		return;
	}
	if ((c == TS_COL_LAT_MAX || c == TS_COL_LAT_P99) && !s->has_lat) {
		right_cell(buf, len, "-", 1, w, "");
		return;
	}
	switch (c) {
	case TS_COL_ID:
		num_cell(buf, len, s->id, w, "");
		break;
	case TS_COL_USER:
		left_cell(buf, len, ts_user_name(s->uid), w);
		break;
	case TS_COL_STATE:
		copy_text(buf, len, &s->state, 1);
		break;
	case TS_COL_CPU:
		num_cell(buf, len, s->cpu, w, "");
		break;
	case TS_COL_POLICY:
		left_cell(buf, len, policy_short(s->policy), w);
		break;
	case TS_COL_PRI:	/* as top's PR: 20 + nice; -100 is top RT */
		if (s->prio <= -100)
			right_cell(buf, len, "rt", 2, w, "");
		else
			num_cell(buf, len, s->prio, w, "");
		break;
	case TS_COL_NI:
		num_cell(buf, len, s->nice, w, "");
		break;
	case TS_COL_CPU_PCT:
		rate_text(buf, len, s->cpu_pct, w);
		break;
	case TS_COL_WAIT_PCT:
		rate_text(buf, len, s->wait_pct, w);
		break;
	case TS_COL_VCSW:
		rate_text(buf, len, s->vcsw_rate, w);
		break;
	case TS_COL_ICSW:
		rate_text(buf, len, s->icsw_rate, w);
		break;
	case TS_COL_MIGR:
		rate_text(buf, len, s->migr_rate, w);
		break;
	case TS_COL_THREADS:
		if (thread_row)
			right_cell(buf, len, "", 0, w, "");
		else
			num_cell(buf, len, s->n_threads, w, "");
		break;
	case TS_COL_TIME: {
		char t[32];

		time_text(t, sizeof(t), s->runtime);
		right_cell(buf, len, t, strlen(t), w, "");
		break;
	}
	case TS_COL_VIRT:
		mem_text(buf, len, s->virt, w);
		break;
	case TS_COL_RES:
		mem_text(buf, len, s->res, w);
		break;
	case TS_COL_SHR:
		mem_text(buf, len, s->shr, w);
		break;
	case TS_COL_MEM_PCT:
		rate_text(buf, len, s->mem_pct, w);
		break;
	case TS_COL_LAT_MAX:
		wait_text(buf, len, s->lat_max, w);
		break;
	case TS_COL_LAT_P99:
		wait_text(buf, len, s->lat_p99, w);
		break;
	case TS_COL_COMMAND:
	default:
		copy_text(buf, len, s->comm, strnlen(s->comm, sizeof(s->comm)));
		break;
	}
}

/* @n bytes of @piece at @used in @buf (of @len), if they fit with a NUL. */
static size_t prefix_piece(char *buf, size_t len, size_t used,
			   const char *piece, size_t n)
{
	if (used + n + 1 > len)
		return used;
	memcpy(buf + used, piece, n);
	buf[used + n] = '\0';
	return used + n;
}

void tree_prefix(char *buf, size_t len, const struct ts_row *r,
		 bool expandable)
{
	size_t used = 0;
	int d;

	buf[0] = '\0';
	for (d = 1; d < r->depth && used + 3 < len; d++)
		used = prefix_piece(buf, len, used,
				    r->guides & (1u << d) ? "| " : "  ", 2);
	if (r->depth && used + 3 < len)
		used = prefix_piece(buf, len, used, r->last ? "`-" : "|-", 2);
	if (expandable && used + 2 < len)
		prefix_piece(buf, len, used, r->expanded ? "-" : "+", 1);
}
