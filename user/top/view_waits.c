// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The wait view (w, --view waits): the library's wait tree of the last
 * sample, an owner then the threads waiting for what it holds, indented
 * a level per link of the chain; threads in a deadlock in red. From the
 * module, or a recording made with the wait group (owners and lock names
 * as the recorder found them); /proc has no wait graph, and says so.
 */
#include "top.h"

#define INDENT_MAX	20	/* deeper links are drawn at this level */

static void row_draw(struct top *t, struct surface *s,
		     const struct ts_wait_row *r)
{
	const struct ts_waits *w = &t->waits;
	char text[SURFACE_LINE];
	unsigned int depth = r->depth < INDENT_MAX ? r->depth : INDENT_MAX;
	enum role role = r->in_cycle || r->kind == TS_WROW_BACK ? ROLE_ERROR :
			 r->kind == TS_WROW_LOCK ? ROLE_PROMPT : ROLE_NORMAL;

	ts_wait_row_text(&w->list, &w->g, r, text, sizeof(text));
	surf_fill(s, ROLE_NORMAL, ' ', 1 + 2 * (int)depth);
	if (r->depth)
		surf_put(s, ROLE_DIM, "`- ");
	surf_put(s, role, text);
	surf_pad(s, ROLE_NORMAL, -1);
	surf_newline(s);
}

void view_waits_draw(struct top *t, struct surface *s)
{
	const struct ts_waits *w = &t->waits;
	int room;
	size_t i;

	header_draw(t, s);
	if (!s->curses)
		surf_newline(s);
	if (!w->valid) {
		surf_put(s, ROLE_PROMPT, t->src.reader ?
			 "This recording has no wait chains (recorded "
			 "without the wait group)." :
			 ts_client_proc(t->src.client) ?
			 "Wait chains need the module (--source module)." :
			 "Sampling what blocked threads wait on...");
		surf_newline(s);
		surf_finish(s);
		return;
	}
	surf_printf(s, ROLE_COLHEAD, "Wait chains: %zu blocked, %zu locks "
		    "waited on, %zu deadlock%s", w->g.n, w->g.n_locks,
		    w->g.n_cycles, w->g.n_cycles == 1 ? "" : "s");
	if (w->withheld)
		surf_printf(s, ROLE_COLHEAD, "; %zu threads withheld (ptrace "
			    "rights)", w->withheld);
	surf_pad(s, ROLE_COLHEAD, -1);
	surf_newline(s);
	if (!w->tree.n) {
		surf_put(s, ROLE_DIM, "  no thread waits on a lock");
		surf_newline(s);
	}
	room = s->height - s->y - 1;
	if (t->detail_scroll > (int)w->tree.n - room)
		t->detail_scroll = (int)w->tree.n > room ?
				   (int)w->tree.n - room : 0;
	for (i = s->curses ? (size_t)t->detail_scroll : 0;
	     i < w->tree.n && !surf_full(s) && (!s->curses ||
						s->y < s->height - 1); i++)
		row_draw(t, s, &w->tree.v[i]);
	surf_finish(s);
}
