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
 * and kind in an open-addressed table, an entry a row; entries of rows
 * not drawn in the last frame (threads gone) are dropped when they are
 * as many as the rows. Only cells wholly plain ASCII are cached (as
 * row_gather gathers them): escaping stays where it was.
 */
#include <stdlib.h>
#include <string.h>

#include "top.h"

void rowcache_free(struct rowcache *rc)
{
	free(rc->v);
	free(rc->slot);
	memset(rc, 0, sizeof(*rc));
}

static uint32_t key_of(const struct ts_mstat *st, uint8_t kind)
{
	return st->id << 2 ^ kind;
}

static size_t slot_first(uint32_t key, size_t n_slots)
{
	return (key * 2654435761u) & (n_slots - 1);
}

/* Entries [0, n) into empty slots. */
static void slots_fill(struct rowcache *rc)
{
	size_t e, i;

	memset(rc->slot, 0, rc->n_slots * sizeof(*rc->slot));
	for (e = 0; e < rc->n; e++) {
		for (i = slot_first(rc->v[e].key, rc->n_slots); rc->slot[i];
		     i = (i + 1) & (rc->n_slots - 1))
			;
		rc->slot[i] = (uint32_t)e + 1;
	}
}

/* Room for @rows more entries, at most half the slots used; false
 * without memory. */
static bool room(struct rowcache *rc, size_t rows)
{
	size_t want = rc->n + rows, slots = rc->n_slots ? rc->n_slots : 1024;

	if (want > rc->cap) {
		struct rowcache_entry *v = realloc(rc->v, want * sizeof(*v));

		if (!v)
			return false;
		rc->v = v;
		rc->cap = want;
	}
	while (slots < want * 2)
		slots *= 2;
	if (slots != rc->n_slots) {
		uint32_t *slot = realloc(rc->slot, slots * sizeof(*slot));

		if (!slot)
			return false;
		rc->slot = slot;
		rc->n_slots = slots;
		slots_fill(rc);
	}
	return true;
}

void rowcache_begin(struct rowcache *rc, bool text, size_t rows,
		    const bool shown[TS_COLS], const int order[TS_COLS])
{
	size_t e, kept = 0;

	rc->on = false;
	if (!text)
		return;
	if (memcmp(rc->shown, shown, sizeof(rc->shown)) ||
	    memcmp(rc->order, order, sizeof(rc->order))) {
		rc->n = 0;	/* other columns: nothing cached applies */
		memcpy(rc->shown, shown, sizeof(rc->shown));
		memcpy(rc->order, order, sizeof(rc->order));
		if (rc->slot)
			slots_fill(rc);
	}
	if (rc->n > rows + rows / 4) {	/* keep the last frame's rows */
		for (e = 0; e < rc->n; e++)
			if (rc->v[e].seen == rc->frame && kept++ != e)
				rc->v[kept - 1] = rc->v[e];
		rc->n = kept;
		if (rc->slot)
			slots_fill(rc);
	}
	rc->frame++;
	rc->on = room(rc, rows);
	rc->room = rows;
}

static size_t slot_next(const struct rowcache *rc, size_t i)
{
	return (i + 1) & (rc->n_slots - 1);
}

const struct rowcache_entry *rowcache_find(struct rowcache *rc,
					   const struct ts_mstat *st,
					   uint8_t kind)
{
	uint32_t key = key_of(st, kind);
	size_t i;

	if (!rc->on || !rc->n)
		return NULL;
	for (i = slot_first(key, rc->n_slots); rc->slot[i];
	     i = slot_next(rc, i)) {
		struct rowcache_entry *e = &rc->v[rc->slot[i] - 1];

		if (e->key == key && e->kind == kind && e->seen != rc->frame &&
		    !memcmp(&e->st, st, sizeof(*st))) {
			e->seen = rc->frame;	/* this frame's now */
			return e;
		}
	}
	return NULL;
}

void rowcache_keep(struct rowcache *rc, const struct ts_mstat *st,
		   uint8_t kind, const char *text, size_t len, int next)
{
	uint32_t key = key_of(st, kind);
	struct rowcache_entry *e = NULL;
	size_t i;

	if (!rc->on || len > sizeof(e->text))
		return;
	/* the row's entry from the last frame, else a new one */
	for (i = slot_first(key, rc->n_slots); rc->slot[i];
	     i = slot_next(rc, i)) {
		e = &rc->v[rc->slot[i] - 1];
		if (e->key == key && e->kind == kind && e->seen != rc->frame)
			break;
		e = NULL;
	}
	if (!e) {
		if (!rc->room)	/* more rows than announced: not kept */
			return;
		rc->room--;
		e = &rc->v[rc->n++];
		rc->slot[i] = (uint32_t)rc->n;
		e->key = key;
		e->kind = kind;
	}
	memcpy(&e->st, st, sizeof(*st));
	e->seen = rc->frame;
	e->len = (uint16_t)len;
	e->next = next;
	memcpy(e->text, text, len);
}
