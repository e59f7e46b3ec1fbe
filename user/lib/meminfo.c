// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The machine's memory for the Mem and Swap meters and MEM%, from
 * /proc/meminfo: the module sends per-process memory, but the totals are
 * the kernel's own text interface, read once per sample.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

static const struct {
	const char *key;
	size_t off;
	unsigned int bit;
} keys[] = {
	{ "MemTotal:", offsetof(struct ts_meminfo, mem_total), 1 },
	{ "MemAvailable:", offsetof(struct ts_meminfo, mem_available), 2 },
	{ "SwapTotal:", offsetof(struct ts_meminfo, swap_total), 4 },
	{ "SwapFree:", offsetof(struct ts_meminfo, swap_free), 8 },
};

int ts_meminfo_parse(const char *text, struct ts_meminfo *mi)
{
	unsigned int found = 0;
	const char *line = text;

	memset(mi, 0, sizeof(*mi));
	while (line && *line) {
		size_t k;

		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t n = strlen(keys[k].key);
			uint64_t kib;

			/* "MemTotal:  16318256 kB": the unit is always kB */
			if (strncmp(line, keys[k].key, n) ||
			    sscanf(line + n, "%" SCNu64, &kib) != 1 ||
			    kib > UINT64_MAX / 1024)
				continue;
			*(uint64_t *)((char *)mi + keys[k].off) = kib * 1024;
			found |= keys[k].bit;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	/* MemAvailable is there since 3.14; without it nothing is used. */
	if (!(found & 2))
		mi->mem_available = mi->mem_total;
	if (mi->mem_available > mi->mem_total)
		mi->mem_available = mi->mem_total;
	if (mi->swap_free > mi->swap_total)
		mi->swap_free = mi->swap_total;
	if (!(found & 1) || !mi->mem_total) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int ts_meminfo_read(struct ts_meminfo *mi)
{
	char buf[8192];
	size_t n;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return ts_meminfo_parse(buf, mi);
}
