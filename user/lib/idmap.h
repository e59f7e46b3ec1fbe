/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* An id -> index hash table (open addressing), for the model's lookups. */
#ifndef THREADSTAT_IDMAP_H
#define THREADSTAT_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ts_idmap {
	uint32_t *keys;
	uint32_t *vals;		/* UINT32_MAX: empty slot */
	size_t cap;		/* a power of two, or 0 */
};

/* Empty the map, sized for @expected entries; -1 when out of memory. */
int ts_idmap_reset(struct ts_idmap *m, size_t expected);
/* Insert or replace; the map must have been reset for enough entries. */
void ts_idmap_put(struct ts_idmap *m, uint32_t key, uint32_t val);
bool ts_idmap_get(const struct ts_idmap *m, uint32_t key, uint32_t *val);
void ts_idmap_free(struct ts_idmap *m);

#endif
