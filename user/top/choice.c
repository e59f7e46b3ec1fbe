// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A chosen, ordered subset of a fixed list: the list's columns and the
 * header's meters are both one. One piece of code parses and formats the
 * settings' comma lists, shows or hides an item and moves it, for F2 and
 * threadtoprc alike.
 */
#include <stdio.h>
#include <string.h>

#include "top.h"

int choice_parse(const struct choice *ch, const char *list, char *bad,
		 size_t len)
{
	bool seen[CHOICE_MAX] = { false };
	const char *p = list;
	int n = 0, c;

	while (*p) {
		size_t k = strcspn(p, ",");
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)(k < 63 ? k : 63), p);
		c = ch->by_name(name);
		if (c < 0 && !ch->unknown_ok) {
			snprintf(bad, len, "%s", name);
			return -1;
		}
		if (c < 0 && (!k || name[strspn(name,
				   "abcdefghijklmnopqrstuvwxyz0123456789-")])) {
			/* Not even a name: damaged, not a newer threadtop's */
			snprintf(bad, len, "%s", name);
			return -1;
		}
		if (c >= 0 && !seen[c] && c != ch->pinned) {
			seen[c] = true;
			ch->order[n++] = c;
		}
		p += k + (p[k] == ',');
	}
	/* The others follow, hidden; the pinned one last, always shown. */
	for (c = 0; c < ch->n; c++) {
		ch->on[c] = seen[c] || c == ch->pinned;
		if (!seen[c] && c != ch->pinned)
			ch->order[n++] = c;
	}
	if (ch->pinned >= 0)
		ch->order[n] = ch->pinned;
	return 0;
}

void choice_format(const struct choice *ch, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < ch->n && used < len; i++)
		if (ch->on[ch->order[i]])
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "," : "",
						 ch->name(ch->order[i]));
}

bool choice_toggle(const struct choice *ch, int i)
{
	int c = ch->order[i];

	if (c == ch->pinned)
		return false;
	ch->on[c] = !ch->on[c];
	return true;
}

bool choice_move(const struct choice *ch, int i, int dir)
{
	int j = i + dir, c;

	if (j < 0 || j >= ch->n || ch->order[i] == ch->pinned ||
	    ch->order[j] == ch->pinned)
		return false;
	c = ch->order[i];
	ch->order[i] = ch->order[j];
	ch->order[j] = c;
	return true;
}
