// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The settings file: $XDG_CONFIG_HOME/threadtop/threadtoprc, or
 * ~/.config/threadtop/threadtoprc. Lines of key=value; '#' starts a
 * comment line; unknown keys are ignored (a newer threadtop's file works
 * in an older one). Keys:
 *
 *   sort=COLUMN        a column name (threadtop -h lists them)
 *   invert=0|1         reverse the sort order
 *   view=processes|cores|waits
 *   threads=0|1        a row per thread (H)
 *   tree=0|1           process tree (t)
 *   kernel-threads=0|1 (K)
 *   columns=LIST       the columns shown, in order (F2)
 *   meters=LIST        the header's meters shown, in order (F2): uptime,
 *                      load, cpus, mem, swap, tasks; unknown names (a
 *                      newer threadtop's) are ignored
 *   delay=TENTHS       tenths of a second between updates (d)
 *
 * A damaged file (a line that is not key=value, a bad value, a line
 * longer than the buffer, a file larger than a settings file can be)
 * gives one warning and every setting's default: never half a file's
 * settings. The file is written at exit only when the settings changed,
 * to a temporary file renamed over it, so a crash never leaves half a
 * file behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "top.h"

#define LINE_MAX_LEN	1024

static int dir_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	/* XDG: a relative XDG_CONFIG_HOME is invalid and ignored. */
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/threadtop", xdg);
	else if (home && home[0])
		n = snprintf(buf, len, "%s/.config/threadtop", home);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int file_path(char *buf, size_t len)
{
	char dir[4096];
	int n;

	if (dir_path(dir, sizeof(dir)))
		return -1;
	n = snprintf(buf, len, "%s/threadtoprc", dir);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int flag(const char *v, bool *out)
{
	if (!strcmp(v, "0") || !strcmp(v, "1")) {
		*out = v[0] == '1';
		return 0;
	}
	return -1;
}

/* One key=value into @o; -1 when the value is bad. */
static int apply(struct options *o, const char *key, const char *v)
{
	char bad[64];
	char *end;
	long n;
	int c;

	if (!strcmp(key, "sort")) {
		c = column_by_name(v);
		if (c < 0)
			return -1;
		o->sort = (enum ts_col)c;
		return 0;
	}
	if (!strcmp(key, "invert"))
		return flag(v, &o->invert);
	if (!strcmp(key, "threads"))
		return flag(v, &o->threads);
	if (!strcmp(key, "tree"))
		return flag(v, &o->tree);
	if (!strcmp(key, "kernel-threads"))
		return flag(v, &o->kernel);
	if (!strcmp(key, "view")) {
		if (!strcmp(v, "processes"))
			o->view = VIEW_PROCESSES;
		else if (!strcmp(v, "cores"))
			o->view = VIEW_CORES;
		else if (!strcmp(v, "waits"))
			o->view = VIEW_WAITS;
		else
			return -1;
		return 0;
	}
	if (!strcmp(key, "columns"))
		return columns_parse(o, v, bad, sizeof(bad));
	if (!strcmp(key, "meters")) {
		struct choice ch = meters_choice(o);

		return choice_parse(&ch, v, bad, sizeof(bad));
	}
	if (!strcmp(key, "delay")) {
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || *end || !*v || n < 1 || n > 36000)
			return -1;
		o->delay = (int)n;
		return 0;
	}
	return 0;	/* unknown: a newer threadtop's, ignored */
}

/* The file into @o; -1 with @warn when damaged. */
static int parse(FILE *f, struct options *o, const char *path, char *warn,
		 size_t len)
{
	char *line = NULL, *eq, *end;
	size_t cap = 0;
	ssize_t l;
	int n = 0;

	while ((l = getline(&line, &cap, f)) >= 0) {
		n++;
		if (l > LINE_MAX_LEN)
			goto damaged;	/* longer than any line we write */
		if (l && line[l - 1] == '\n')
			line[--l] = '\0';
		if (strlen(line) != (size_t)l)
			goto damaged;	/* a NUL inside */
		if (!line[0] || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq || eq == line)
			goto damaged;
		*eq = '\0';
		for (end = line; *end; end++)
			if (*end < 0x21 || *end > 0x7e)
				goto damaged;
		if (apply(o, line, eq + 1))
			goto damaged;
	}
	free(line);
	if (ferror(f)) {
		snprintf(warn, len, "%s: %s; using the defaults", path,
			 strerror(errno));
		return -1;
	}
	return 0;
damaged:
	free(line);
	snprintf(warn, len, "%s: line %d is damaged; using the defaults",
		 path, n);
	return -1;
}

void settings_load(struct options *o, char *warn, size_t len)
{
	struct options copy = *o;
	char path[4096];
	FILE *f;

	warn[0] = '\0';
	if (file_path(path, sizeof(path)))
		return;
	f = fopen(path, "re");
	if (!f) {
		if (errno != ENOENT)
			snprintf(warn, len, "%s: %s; using the defaults", path,
				 strerror(errno));
		return;
	}
	if (parse(f, &copy, path, warn, len) == 0) {
		/* Everything but what only options set (-p, -u, files). */
		o->sort = copy.sort;
		o->invert = copy.invert;
		o->threads = copy.threads;
		o->tree = copy.tree;
		o->kernel = copy.kernel;
		o->view = copy.view;
		o->delay = copy.delay;
		memcpy(o->cols, copy.cols, sizeof(o->cols));
		memcpy(o->order, copy.order, sizeof(o->order));
		memcpy(o->meters, copy.meters, sizeof(o->meters));
		memcpy(o->meter_order, copy.meter_order,
		       sizeof(o->meter_order));
	}
	fclose(f);
}

void settings_format(const struct options *o, char *buf, size_t len)
{
	struct choice mc = meters_choice((struct options *)o);
	char cols[512], mets[128];

	columns_format(o, cols, sizeof(cols));
	choice_format(&mc, mets, sizeof(mets));
	snprintf(buf, len,
		 "# threadtop settings, written by threadtop %s when they\n"
		 "# change. key=value; unknown keys are ignored.\n"
		 "sort=%s\ninvert=%d\nview=%s\nthreads=%d\ntree=%d\n"
		 "kernel-threads=%d\ncolumns=%s\nmeters=%s\ndelay=%d\n",
		 TS_VERSION, columns[o->sort].name, o->invert,
		 o->view == VIEW_CORES ? "cores" :
		 o->view == VIEW_WAITS ? "waits" : "processes", o->threads,
		 o->tree, o->kernel, cols, mets, o->delay);
}

static int mkdirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(dir, 0700) && errno != EEXIST ? -1 : 0;
}

int settings_save(const struct options *o, const char *before, char *warn,
		  size_t len)
{
	char text[SETTINGS_TEXT], dir[4096], path[4096], tmp[4200];
	FILE *f;
	int ok;

	settings_format(o, text, sizeof(text));
	if (!strcmp(text, before))
		return 0;	/* unchanged: the file is left alone */
	if (dir_path(dir, sizeof(dir)) || file_path(path, sizeof(path))) {
		snprintf(warn, len, "settings not saved: no HOME");
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	if (mkdirs(dir)) {
		snprintf(warn, len, "settings not saved: %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	f = fopen(tmp, "we");
	if (!f) {
		snprintf(warn, len, "settings not saved: %s: %s", tmp,
			 strerror(errno));
		return -1;
	}
	ok = fputs(text, f) >= 0;
	ok = !fclose(f) && ok;
	if (!ok || rename(tmp, path)) {
		snprintf(warn, len, "settings not saved: %s: %s", path,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
