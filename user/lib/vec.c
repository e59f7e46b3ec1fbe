// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* A growable array of fixed-size items, for the library's list types. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int ts_vec_push(void **v, size_t *n, size_t *cap, size_t size,
		const void *item)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		void *nv = realloc(*v, ncap * size);

		if (!nv)
			return -1;
		*v = nv;
		*cap = ncap;
	}
	memcpy((char *)*v + *n * size, item, size);
	(*n)++;
	return 0;
}
