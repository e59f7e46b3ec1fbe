// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Command lines for COMMAND, read from /proc/PID/cmdline once per process
 * lifetime: a process is its tgid AND its start time, so a pid the kernel
 * hands to a new process is read again. Entries of processes that are gone
 * are dropped after each sample. The text is kept raw (NULs as spaces):
 * the tools show it through the sanitizer like any name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

#define CMDLINE_MAX	4096	/* enough for a row; the rest is cut */

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

const struct ts_cmdline *ts_cmdline_get(struct ts_cmdlines *c, uint32_t tgid,
					uint64_t start_time)
{
	struct ts_cmdline *e;
	uint32_t i;

	if (ts_idmap_get(&c->map, tgid, &i)) {
		e = &c->v[i];
		if (e->start_time != start_time) {	/* the pid was reused */
			e->start_time = start_time;
			entry_read(c, e);
		}
		return e;
	}
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
	e->start_time = start_time;
	entry_read(c, e);
	ts_idmap_put(&c->map, tgid, (uint32_t)c->n++);
	return e;
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

void ts_cmdlines_free(struct ts_cmdlines *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		entry_free(&c->v[i]);
	free(c->v);
	ts_idmap_free(&c->map);
	memset(c, 0, sizeof(*c));
}
