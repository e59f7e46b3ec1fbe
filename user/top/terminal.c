// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The terminal must come back sane whatever ends threadtop (as htop's
 * CRT.c does):
 *  - a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT): an
 *    async-signal-safe handler writes the precomputed restore sequence
 *    (cursor on, keypad and mouse reporting off, attributes reset, leave
 *    the alternate screen), puts back the termios saved at start and
 *    re-raises with the default action, so the core dump and the exit
 *    status stay those of the crash;
 *  - SIGHUP, SIGTERM, SIGINT, SIGQUIT: the handler only records the signal
 *    and wakes the main loop through the wake pipe, which leaves through
 *    endwin(); HUP, TERM and QUIT are then re-raised;
 *  - Ctrl-Z (SIGTSTP): recorded the same way; the main loop calls endwin(),
 *    stops with SIGSTOP and, once continued (fg), redraws everything.
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "top.h"
/* After top.h: term.h defines "columns" as a macro. */
#include <term.h>

static struct termios saved;
static bool have_saved;
static int tty_fd = -1;
static char restore[256];
static size_t restore_len;
static int wake_fd = -1;
static volatile sig_atomic_t pending_sig, suspend_req;

static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
static const int quit_sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGQUIT };

static void add_cap(const char *name)
{
	const char *s = tigetstr(name);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < sizeof(restore)) {
		memcpy(restore + restore_len, s, n);
		restore_len += n;
	}
}

static void add_str(const char *s)
{
	size_t n = strlen(s);

	if (restore_len + n < sizeof(restore)) {
		memcpy(restore + restore_len, s, n);
		restore_len += n;
	}
}

static void wake(void)
{
	int saved_errno = errno;

	if (wake_fd >= 0 && write(wake_fd, "s", 1) < 0)
		errno = saved_errno;	/* the pipe is full: already awake */
	errno = saved_errno;
}

/* Async-signal-safe: write(2), tcsetattr(3), sigaction(2), raise(3). */
static void on_crash(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	ssize_t rc;

	rc = write(STDOUT_FILENO, restore, restore_len);
	(void)rc;
	if (have_saved)
		tcsetattr(tty_fd, TCSANOW, &saved);
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

static void on_quit(int sig)
{
	if (!pending_sig)
		pending_sig = sig;
	wake();
}

static void on_tstp(int sig)
{
	(void)sig;
	suspend_req = 1;
	wake();
}

void terminal_save(int fd)
{
	tty_fd = fd;
	have_saved = isatty(fd) && !tcgetattr(fd, &saved);
}

void terminal_handlers(int fd)
{
	struct sigaction sa = { 0 };
	size_t i;

	wake_fd = fd;
	/* What endwin() would send, computed now: a handler cannot ask. */
	restore_len = 0;
	add_str("\033[?1000l\033[?1002l\033[?1006l");	/* mouse off */
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmkx");
	add_cap("rmcup");

	sa.sa_handler = on_crash;
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(crash_sigs) / sizeof(*crash_sigs); i++)
		sigaction(crash_sigs[i], &sa, NULL);
	sa.sa_handler = on_quit;
	sa.sa_flags = 0;
	for (i = 0; i < sizeof(quit_sigs) / sizeof(*quit_sigs); i++)
		sigaction(quit_sigs[i], &sa, NULL);
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
}

int terminal_quit_signal(void)
{
	return pending_sig;
}

bool terminal_suspend_pending(void)
{
	return suspend_req;
}

void terminal_suspend(void)
{
	suspend_req = 0;
	endwin();
	raise(SIGSTOP);		/* until fg (SIGCONT) */
	/* Back: curses re-enters program mode on the next refresh. */
	clearok(curscr, TRUE);
	refresh();
}

void terminal_reraise(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int sig = pending_sig;

	if (sig == SIGHUP || sig == SIGTERM || sig == SIGQUIT) {
		sigaction(sig, &dfl, NULL);
		raise(sig);
	}
}
