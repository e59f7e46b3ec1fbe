// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Y: scheduling policy, and the RT priority for FIFO and RR (as tuna and
 * chrt set them; htop 3.3's Y). Enter on a normal policy applies it; on
 * FIFO or RR it asks for the priority (1-99) in the footer first.
 * SCHED_DEADLINE needs runtime, deadline and period: chrt's job, not here.
 */
#include <curses.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "top.h"

static const struct { int policy; const char *name; } policies[] = {
	{ SCHED_OTHER, "normal (OTHER)" },
	{ SCHED_BATCH, "batch" },
	{ SCHED_IDLE, "idle" },
	{ SCHED_FIFO, "fifo (RT)" },
	{ SCHED_RR, "rr (RT)" },
};

#define N_POLICIES	((int)(sizeof(policies) / sizeof(policies[0])))

static int policy_count(const struct top *t)
{
	(void)t;
	return N_POLICIES;
}

static void policy_label(const struct top *t, int i, char *buf, size_t len,
			 bool *on)
{
	(void)t;
	*on = false;
	snprintf(buf, len, "%s", policies[i].name);
}

static bool policy_key(struct top *t, int key)
{
	struct ts_action a = { .kind = TS_ACT_SCHED };
	int p = policies[t->menu_sel].policy;

	switch (key) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		t->menu = MENU_NONE;
		if (p == SCHED_FIFO || p == SCHED_RR) {
			t->pending_policy = p;
			t->prompt[0] = '\0';
			t->input = INPUT_RTPRIO;
			return true;
		}
		a.policy = p;
		act_run(t, &a);
		return true;
	case 'Y':
		t->menu = MENU_NONE;
		return true;
	default:
		return false;
	}
}

void policy_prompt_done(struct top *t)
{
	struct ts_action a = { .kind = TS_ACT_SCHED,
			       .policy = t->pending_policy };
	char *end;
	long prio = strtol(t->prompt, &end, 10);

	if (!t->prompt[0] || *end || prio < 1 || prio > 99) {
		top_note(t, true, "an RT priority is 1 to 99, not '%s'",
			 t->prompt);
		return;
	}
	a.rt_priority = (int)prio;
	act_run(t, &a);
}

const struct menu_ops policy_menu = {
	.title = " Policy: Enter", .width = 22,
	.count = policy_count, .label = policy_label, .key = policy_key,
};
