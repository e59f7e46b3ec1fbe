// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * An id -> index hash table with linear probing. Kept at most half full,
 * so probes stay short; rebuilt from scratch for every sample, so it needs
 * no deletion.
 */
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

#define EMPTY	UINT32_MAX

static size_t slot(const struct ts_idmap *m, uint32_t key)
{
	return (key * 2654435761u) & (m->cap - 1);	/* Knuth's multiplier */
}

int ts_idmap_reset(struct ts_idmap *m, size_t expected)
{
	size_t cap = 64;

	while (cap < expected * 2)
		cap *= 2;
	if (cap != m->cap) {
		uint32_t *k = realloc(m->keys, cap * sizeof(*k));
		uint32_t *v;

		if (!k)
			return -1;
		m->keys = k;
		v = realloc(m->vals, cap * sizeof(*v));
		if (!v)
			return -1;
		m->vals = v;
		m->cap = cap;
	}
	memset(m->vals, 0xff, m->cap * sizeof(*m->vals));
	return 0;
}

void ts_idmap_put(struct ts_idmap *m, uint32_t key, uint32_t val)
{
	size_t i = slot(m, key);

	while (m->vals[i] != EMPTY && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	m->keys[i] = key;
	m->vals[i] = val;
}

bool ts_idmap_get(const struct ts_idmap *m, uint32_t key, uint32_t *val)
{
	size_t i;

	if (!m->cap)
		return false;
	for (i = slot(m, key); m->vals[i] != EMPTY; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return true;
		}
	return false;
}

void ts_idmap_free(struct ts_idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
