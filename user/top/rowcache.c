// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A text frame's row cache: the leading plain cells of each row (all but
 * COMMAND, as a rule), kept from one frame to the next with the values
 * they were made from. A row whose values are all the same as a frame ago
 * (an idle thread: its rates are 0.0 again, its TIME the same) is not
 * formatted again; any other row is, and its text replaces the old.
 *
 * The text is a function of the whole struct ts_mstat (compared byte for
 * byte, so a changed value, even one not shown, is a miss), the row's
 * kind and the columns shown and their order (a change of those empties
 * the cache): a hit writes what formatting would. Rows are found by id
 * and kind in an open-addressed table; each frame fills a new table from
 * the old one, so threads gone are dropped. Only cells wholly plain ASCII
 * are cached (as row_gather gathers them): escaping stays where it was.
 */
#include <stdlib.h>
#include <string.h>

#include "top.h"

static void gen_free(struct rowcache_gen *g)
{
	free(g->v);
	free(g->slot);
	memset(g, 0, sizeof(*g));
}

void rowcache_free(struct rowcache *rc)
{
	gen_free(&rc->gen[0]);
	gen_free(&rc->gen[1]);
	rc->on = false;
}

static uint32_t slot_of(uint32_t key, size_t mask)
{
	return (uint32_t)((key * 2654435761u) & mask);
}

/* Room for @rows rows in @g, emptied; false without memory. */
static bool gen_reset(struct rowcache_gen *g, size_t rows)
{
	size_t slots = 1024;

	while (slots < rows * 2)
		slots *= 2;
	if (rows > g->cap) {
		struct rowcache_entry *v = realloc(g->v, rows * sizeof(*v));

		if (!v)
			return false;
		g->v = v;
		g->cap = rows;
	}
	if (slots != g->n_slots) {
		uint32_t *slot = realloc(g->slot, slots * sizeof(*slot));

		if (!slot)
			return false;
		g->slot = slot;
		g->n_slots = slots;
	}
	memset(g->slot, 0, g->n_slots * sizeof(*g->slot));
	g->n = 0;
	return true;
}

void rowcache_begin(struct rowcache *rc, bool text, size_t rows,
		    const bool shown[TS_COLS], const int order[TS_COLS])
{
	rc->on = false;
	if (!text)
		return;
	if (memcmp(rc->shown, shown, sizeof(rc->shown)) ||
	    memcmp(rc->order, order, sizeof(rc->order))) {
		/* other columns: nothing cached applies */
		rc->gen[0].n = rc->gen[1].n = 0;
		if (rc->gen[0].slot)
			memset(rc->gen[0].slot, 0,
			       rc->gen[0].n_slots * sizeof(uint32_t));
		if (rc->gen[1].slot)
			memset(rc->gen[1].slot, 0,
			       rc->gen[1].n_slots * sizeof(uint32_t));
		memcpy(rc->shown, shown, sizeof(rc->shown));
		memcpy(rc->order, order, sizeof(rc->order));
	}
	rc->cur ^= 1;
	rc->on = gen_reset(&rc->gen[rc->cur], rows);
}

static uint32_t key_of(const struct ts_mstat *st, uint8_t kind)
{
	return st->id << 2 ^ kind;
}

const struct rowcache_entry *rowcache_find(const struct rowcache *rc,
					   const struct ts_mstat *st,
					   uint8_t kind)
{
	const struct rowcache_gen *g = &rc->gen[rc->cur ^ 1];
	uint32_t key = key_of(st, kind), i;
	size_t mask = g->n_slots - 1;

	if (!rc->on || !g->n)
		return NULL;
	for (i = slot_of(key, mask); g->slot[i]; i = (i + 1) & mask) {
		const struct rowcache_entry *e = &g->v[g->slot[i] - 1];

		if (e->key == key && e->kind == kind &&
		    !memcmp(&e->st, st, sizeof(*st)))
			return e;
	}
	return NULL;
}

void rowcache_keep(struct rowcache *rc, const struct ts_mstat *st,
		   uint8_t kind, const char *text, size_t len, int next)
{
	struct rowcache_gen *g = &rc->gen[rc->cur];
	struct rowcache_entry *e;
	uint32_t key = key_of(st, kind), i;
	size_t mask = g->n_slots - 1;

	/* rows beyond those announced (none in a frame) are not kept */
	if (!rc->on || len > sizeof(e->text) || g->n >= g->cap ||
	    g->n >= g->n_slots / 2)
		return;
	e = &g->v[g->n++];
	memcpy(&e->st, st, sizeof(*st));
	e->key = key;
	e->kind = kind;
	e->len = (uint16_t)len;
	e->next = next;
	memcpy(e->text, text, len);
	for (i = slot_of(key, mask); g->slot[i]; i = (i + 1) & mask)
		;
	g->slot[i] = (uint32_t)g->n;
}
