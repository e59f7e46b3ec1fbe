// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Command lines for COMMAND, read from /proc/PID/cmdline once per process
 * lifetime: a process is its tgid AND its start time, so a pid the kernel
 * hands to a new process is read again. Entries of processes that are gone
 * are dropped after each sample. The text is kept raw (NULs as spaces):
 * the tools show it through the sanitizer like any name. A replay's store
 * (recorded) never reads /proc: it holds what the recording carried.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

#include "record.h"

#define CMDLINE_MAX	TS_REC_CMDLINE_MAX	/* the rest is cut */

static void entry_free(struct ts_cmdline *e)
{
	free(e->text);
	e->text = NULL;
}

/* The text of /proc/PID/cmdline, NULs as spaces; NULL when empty. */
static void entry_read(struct ts_cmdlines *c, struct ts_cmdline *e)
{
	char path[512], buf[CMDLINE_MAX];
	size_t i, end, n = 0, argv0;
	ssize_t got;
	int fd;

	entry_free(e);
	e->prog_off = e->prog_len = 0;
	c->reads++;
	snprintf(path, sizeof(path), "%s/%u/cmdline",
		 c->proc ? c->proc : "/proc", e->tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (n < sizeof(buf) &&
	       (got = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)got;
	close(fd);
	while (n && !buf[n - 1])
		n--;
	if (!n)		/* a kernel thread, or a zombie: COMMAND is comm */
		return;
	/* argv[0] ends at its NUL; a process that rewrote its title into
	 * one string ("sshd: user@pts/0") has none: then at a space.
	 */
	argv0 = strnlen(buf, n);
	if (argv0 == n)
		for (argv0 = 0; argv0 < n && buf[argv0] != ' '; argv0++)
			;
	for (i = argv0, end = argv0; i > 0 && buf[i - 1] != '/'; i--)
		;
	e->prog_off = (uint32_t)i;
	e->prog_len = (uint32_t)(end - i);
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	e->text = malloc(n + 1);
	if (!e->text)
		return;
	memcpy(e->text, buf, n);
	e->text[n] = '\0';
}

static int map_rebuild(struct ts_cmdlines *c, size_t want)
{
	size_t i;

	if (ts_idmap_reset(&c->map, want))
		return -1;
	c->map_for = want;
	for (i = 0; i < c->n; i++)
		ts_idmap_put(&c->map, c->v[i].tgid, (uint32_t)i);
	return 0;
}

/* @tgid's entry, a new empty one (*@fresh) if it has none; NULL: ENOMEM. */
static struct ts_cmdline *entry_of(struct ts_cmdlines *c, uint32_t tgid,
				   bool *fresh)
{
	struct ts_cmdline *e;
	uint32_t i;

	*fresh = false;
	if (ts_idmap_get(&c->map, tgid, &i))
		return &c->v[i];
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct ts_cmdline *nv = realloc(c->v, ncap * sizeof(*nv));

		if (!nv)
			return NULL;
		c->v = nv;
		c->cap = ncap;
	}
	if (c->n + 1 > c->map_for && map_rebuild(c, 2 * (c->n + 1)))
		return NULL;
	e = &c->v[c->n];
	memset(e, 0, sizeof(*e));
	e->tgid = tgid;
	ts_idmap_put(&c->map, tgid, (uint32_t)c->n++);
	*fresh = true;
	return e;
}

const struct ts_cmdline *ts_cmdline_get(struct ts_cmdlines *c, uint32_t tgid,
					uint64_t start_time)
{
	bool fresh;
	struct ts_cmdline *e = entry_of(c, tgid, &fresh);

	if (!e)
		return NULL;
	if (fresh || e->start_time != start_time) {	/* new, or reused */
		e->start_time = start_time;
		if (c->recorded)
			entry_free(e);	/* not in the recording: comm */
		else
			entry_read(c, e);
	}
	return e;
}

int ts_cmdline_put(struct ts_cmdlines *c, uint32_t tgid, uint64_t start_time,
		   const char *text, uint32_t prog_off, uint32_t prog_len)
{
	bool fresh;
	struct ts_cmdline *e = entry_of(c, tgid, &fresh);
	char *copy = text && *text ? strdup(text) : NULL;

	if (!e || (text && *text && !copy)) {
		free(copy);
		return -1;
	}
	entry_free(e);
	e->start_time = start_time;
	e->text = copy;
	e->prog_off = copy ? prog_off : 0;
	e->prog_len = copy ? prog_len : 0;
	return 0;
}

void ts_cmdlines_prune(struct ts_cmdlines *c, const struct ts_model *m)
{
	size_t i, k = 0;

	for (i = 0; i < c->n; i++) {
		const struct ts_mprocess *p = ts_model_process(m, c->v[i].tgid);

		if (p && p->s.start_time == c->v[i].start_time &&
		    !(p->s.flags & TS_MF_EXITED))
			c->v[k++] = c->v[i];
		else
			entry_free(&c->v[i]);
	}
	if (k != c->n) {
		c->n = k;
		map_rebuild(c, c->map_for);
	}
}

int ts_cmdlines_move(struct ts_cmdlines *dst, struct ts_cmdlines *src)
{
	struct ts_cmdline *e;
	size_t i;
	bool fresh;
	int rc = 0;

	for (i = 0; i < src->n; i++) {
		e = entry_of(dst, src->v[i].tgid, &fresh);
		if (!e) {
			rc = -1;
			entry_free(&src->v[i]);
			continue;
		}
		entry_free(e);
		*e = src->v[i];		/* the text changes hands */
	}
	src->n = 0;
	map_rebuild(src, src->map_for);
	return rc;
}

void ts_cmdlines_free(struct ts_cmdlines *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		entry_free(&c->v[i]);
	free(c->v);
	ts_idmap_free(&c->map);
	memset(c, 0, sizeof(*c));
}
