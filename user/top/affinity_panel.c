// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * a: the CPUs a thread may run on, htop's affinity panel. It starts from
 * the selected (or first tagged) thread's mask as the kernel has it;
 * Space flips a CPU, 'a' allows all, 'n' none, Enter applies the mask
 * to every target. An empty mask is the kernel's to refuse (EINVAL),
 * shown in the footer.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "top.h"

static bool has(const struct top *t, int cpu)
{
	return t->aff[cpu / 64] & (1ull << (cpu % 64));
}

static int cpus(const struct top *t)
{
	size_t n = t->model.n_cpus;

	return n > AFF_WORDS * 64 ? AFF_WORDS * 64 : n ? (int)n : 1;
}

static int aff_count(const struct top *t)
{
	return cpus(t);
}

static void aff_label(const struct top *t, int i, char *buf, size_t len,
		      bool *on)
{
	const struct ts_mcpu *c = (size_t)i < t->model.n_cpus ?
				  &t->model.cpus[i] : NULL;

	*on = false;
	snprintf(buf, len, "[%c] CPU %d%s", has(t, i) ? 'x' : ' ', i,
		 c && c->has_data && !c->data.online ? " (offline)" : "");
}

static bool aff_key(struct top *t, int key)
{
	struct ts_action a = { .kind = TS_ACT_AFFINITY, .cpus = t->aff,
			       .n_words = AFF_WORDS };
	int i;

	switch (key) {
	case ' ':
		t->aff[t->menu_sel / 64] ^= 1ull << (t->menu_sel % 64);
		return true;
	case 'a':
		for (i = 0; i < cpus(t); i++)
			t->aff[i / 64] |= 1ull << (i % 64);
		return true;
	case 'n':
		memset(t->aff, 0, sizeof(t->aff));
		return true;
	case '\r':
	case '\n':
	case KEY_ENTER:
		t->menu = MENU_NONE;
		act_run(t, &a);
		return true;
	default:
		return false;
	}
}

void affinity_panel_open(struct top *t)
{
	uint32_t tid = act_first_tid(t);

	if (!tid) {
		top_note(t, true, "nothing selected");
		return;
	}
	if (ts_get_affinity(tid, t->aff, AFF_WORDS)) {
		top_note(t, true, "cannot read the affinity of %u: %m", tid);
		return;
	}
	menu_open(t, MENU_AFFINITY);
}

const struct menu_ops affinity_panel = {
	.title = " Affinity: Space a n Enter", .width = 28,
	.count = aff_count, .label = aff_label, .key = aff_key,
};
