// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The interactive loop: draw the current view from the published sample,
 * then wait for a key, a mouse click, a resize or a new sample, whichever
 * comes first. Sampling happens in sampler.c, never here.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "top.h"

static void footer_key(struct top *t, struct surface *s, const char *key,
		       const char *label, int code)
{
	if (s->x + (int)strlen(key) + (int)strlen(label) > s->width)
		return;
	if (t->n_footer < FOOTER_KEYS) {
		t->footer_x[t->n_footer] = s->x;
		t->footer_key[t->n_footer++] = code;
	}
	surf_put(s, ROLE_FKEY, key);
	surf_put(s, ROLE_FKEY_LABEL, label);
	t->footer_x[t->n_footer] = s->x;
}

static void footer_draw(struct top *t, struct surface *s)
{
	s->y = s->height - 1;
	s->x = 0;
	t->footer_y = s->y;
	t->n_footer = 0;
	if (t->input) {
		static const char *const what[] = {
			[INPUT_SEARCH] = "Search: ", [INPUT_FILTER] = "Filter: ",
			[INPUT_GOTO] = "Go to: ",
			[INPUT_RTPRIO] = "RT priority (1-99): ",
			[INPUT_DELAY] = "Delay (seconds): ",
			[INPUT_USER] = "User (empty: all): ",
		};
		static const char *const hint[] = {
			[INPUT_SEARCH] = "   Enter: done  Esc: cancel  n: next",
			[INPUT_FILTER] = "   Enter: done  Esc: clear",
			[INPUT_GOTO] = "   sample number, +SECONDS or HH:MM[:SS]",
			[INPUT_RTPRIO] = "   Enter: set  Esc: cancel",
			[INPUT_DELAY] = "   Enter: set  Esc: cancel",
			[INPUT_USER] = "   Enter: set  Esc: cancel",
		};
		const char *text = prompt_text(t);

		surf_put(s, ROLE_PROMPT, what[t->input]);
		surf_put(s, ROLE_NORMAL, text);
		surf_put(s, ROLE_SELECTED, " ");
		surf_put(s, ROLE_DIM, hint[t->input]);
	} else if (t->note[0]) {
		surf_put(s, t->note_error ? ROLE_ERROR : ROLE_PROMPT, t->note);
	} else {
		if (t->filter[0])
			surf_printf(s, ROLE_PROMPT, "[%s] ", t->filter);
		if (t->o.by_user)
			surf_printf(s, ROLE_PROMPT, "[user %s] ",
				    ts_user_name(t->o.uid));
		if (t->tagged_procs.n + t->tagged_threads.n)
			surf_printf(s, ROLE_PROMPT, "[%zu tagged] ",
				    t->tagged_procs.n + t->tagged_threads.n);
		if (t->follow)
			surf_put(s, ROLE_PROMPT, "[follow] ");
		footer_key(t, s, "F1", "Help ", KEY_F(1));
		footer_key(t, s, "F2", "Setup ", KEY_F(2));
		footer_key(t, s, "F3", "Search ", KEY_F(3));
		footer_key(t, s, "F4", "Filter ", KEY_F(4));
		footer_key(t, s, "F5", "Tree ", KEY_F(5));
		footer_key(t, s, "F6", "SortBy ", KEY_F(6));
		footer_key(t, s, "F7", "Nice- ", KEY_F(7));
		footer_key(t, s, "F8", "Nice+ ", KEY_F(8));
		footer_key(t, s, "F9", "Kill ", KEY_F(9));
		footer_key(t, s, "p", "Procs ", 'p');
		footer_key(t, s, "c", "Cores ", 'c');
		footer_key(t, s, "F10", "Quit ", KEY_F(10));
	}
	surf_pad(s, ROLE_NORMAL, -1);
}

static void draw(struct top *t)
{
	struct surface s;

	surface_screen(&s);
	pthread_mutex_lock(&t->lock);
	top_rows(t);
	switch (t->view) {
	case VIEW_CORES:
		view_cores_draw(t, &s);
		break;
	case VIEW_DETAIL:
		view_detail_draw(t, &s);
		break;
	case VIEW_HELP:
		help_draw(t, &s);
		break;
	case VIEW_WAITS:
		view_waits_draw(t, &s);
		break;
	case VIEW_PROCESSES:
	default:
		view_processes_draw(t, &s);
		break;
	}
	surf_finish(&s);
	menu_draw(t, &s);
	pthread_mutex_unlock(&t->lock);
	footer_draw(t, &s);
	wnoutrefresh(stdscr);
	doupdate();
}

/*
 * The next key: curses key codes as they are, characters beyond ASCII
 * (get_wch) as KEY_WCHAR(code point), so that the search and filter
 * prompts take any character the terminal sends.
 */
static int read_key(void)
{
	wint_t wch;
	int rc = get_wch(&wch);

	if (rc == ERR)
		return ERR;
	if (rc == KEY_CODE_YES || wch < 0x80)
		return (int)wch;
	return KEY_WCHAR(wch);
}

int ui_run(struct top *t)
{
	struct pollfd fds[2];
	struct ts_error err = { 0 };
	char drain[64];
	pthread_t th;
	int rc = 0, key;

	if (pipe2(t->wake_fd, O_NONBLOCK | O_CLOEXEC)) {
		fprintf(stderr, "threadtop: pipe: %s\n", strerror(errno));
		return 1;
	}
	screen_init(false);
	terminal_handlers(t->wake_fd[1]);
	if (sampler_start(t, &th)) {
		screen_end();
		fprintf(stderr, "threadtop: cannot start sampling: %s\n",
			strerror(errno));
		return 1;
	}
	fds[0] = (struct pollfd){ .fd = screen_input_fd(), .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = t->wake_fd[0], .events = POLLIN };
	while (!t->quit && !terminal_quit_signal()) {
		if (terminal_suspend_pending())
			terminal_suspend();
		draw(t);
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		while (read(t->wake_fd[0], drain, sizeof(drain)) > 0)
			;
		while (!t->quit && !terminal_suspend_pending() &&
		       (key = read_key()) != ERR) {
			if (key == KEY_MOUSE)
				input_mouse(t);
			else
				input_key(t, key);
		}
	}
	sampler_stop(t, th);
	screen_end();
	close(t->wake_fd[0]);
	close(t->wake_fd[1]);
	if (source_close(&t->src, &err)) {
		fprintf(stderr, "threadtop: %s\n", err.msg);
		rc = 1;
	}
	terminal_reraise();
	return rc;
}
