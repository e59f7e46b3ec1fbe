/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * threadtop: the ncurses top for threads. The library samples and models;
 * these files only lay out, draw, and map keys to model operations.
 *
 *   main.c           options, then batch or interactive
 *   source.c         where samples come from: the module or a recording
 *   sampler.c        the interactive mode's sampling thread
 *   batch.c          plain-text frames (-b)
 *   ui.c             the interactive loop: draw, wait, dispatch
 *   input.c          keys and mouse -> actions
 *   state.c          the UI state as a rows query; selection kept
 *   surface.c        one drawing API for the screen and for text frames
 *   screen.c         curses set-up, colours and the monochrome fallback
 *   header.c         clock, load, uptime, per-CPU meters, totals
 *   columns.c        the list columns: titles, widths, cells
 *   view_processes.c view_cores.c view_detail.c help.c
 *   view_waits.c     w: blocked threads as wait chains (owner, waiters)
 *   menu.c           the side panels over the list, their common keys
 *   signal_menu.c    k/F9: which signal;  policy_menu.c  Y: policy, RT prio
 *   affinity_panel.c a: the CPUs a thread may run on
 *   setup_screen.c   F2: which columns and meters, in which order
 *   choice.c         a chosen, ordered subset (columns, meters)
 *   meters.c         the header's meters by name
 *   act.c            tags, and actions on the tagged or selected rows
 *   settings.c       the settings file (threadtoprc)
 */
#ifndef THREADTOP_H
#define THREADTOP_H

#include <pthread.h>
#include <stdio.h>

#include "actions.h"
#include "model.h"
#include "sample.h"
#include "waits.h"

#define EXIT_USAGE	2

enum view { VIEW_PROCESSES, VIEW_CORES, VIEW_DETAIL, VIEW_HELP, VIEW_WAITS };

/* The header's meters, each shown or hidden, in an order (F2). */
enum meter_id {
	METER_UPTIME, METER_LOAD, METER_CPUS, METER_MEM, METER_SWAP,
	METER_TASKS,
	METERS
};

struct options {
	int delay;		/* tenths of a second between samples */
	bool batch;
	long frames;		/* -n: frames to show; 0: until stopped */
	enum view view;
	const char *write_path;
	const char *read_path;
	enum ts_source source;	/* --source: module, proc or auto */
	struct ts_idset pids;	/* -p: these processes only */
	bool by_user;		/* -u / u: one user's only */
	uint32_t uid;
	bool threads;		/* a row per thread */
	bool tree;
	bool kernel;		/* show kernel threads */
	enum ts_col sort;
	bool invert;
	bool cols[TS_COLS];	/* columns asked for */
	int order[TS_COLS];	/* and their order, left to right */
	bool meters[METERS];	/* the header's meters shown */
	int meter_order[METERS];	/* and their order, top to bottom */
	bool latency;		/* --latency: hold run-queue latency on */
	bool cols_chosen;	/* -o named the columns */
};

/* Where samples come from: the module (recording them with -w), or a
 * recording (-r).
 */
struct source {
	struct ts_client *client;
	struct ts_rec_writer *writer;
	struct ts_rec_reader *reader;
	struct ts_sample_opts opts;
	size_t at;		/* replay: the next sample's index */
	char notice[768];	/* fed by /proc: what needs the module */
	/* -w: the command lines the recording carries (read once each) */
	struct ts_cmdlines recording;
	/* -r: a sample's, staged without the lock, then moved to shown */
	struct ts_cmdlines replayed;
	struct ts_cmdlines *shown;	/* the screen's (set by its owner) */
	/* module: exit events, so threads between samples are tombs too */
	struct ts_exit_feed *exits;
	/* live, from the module: the wait graph of a sample, staged, then
	 * swapped into the screen's (waits_shown, set by its owner) */
	struct ts_waits waits_staged;
	struct ts_waits *waits_shown;
	bool waits_view;	/* the wait view is shown: always sample it */
	bool latency;		/* sample the latency group too */
};

/* -r: the recording was made with the latency group (threadtop -w
 * --latency), so its samples carry the histograms. */
bool source_recorded_latency(const struct source *s);

/* Above this many threads the wait group is sampled only for the wait
 * view and recordings (README: what it costs per blocked thread). */
#define WAITS_ALWAYS_MAX	10000

int source_open(struct source *s, const struct options *o,
		struct ts_error *err);
/* Take and publish one sample: 1, 0 when a recording ends (err->msg says
 * how: its end, or where it was cut), -1 on error.
 */
int source_next(struct source *s, struct ts_model *m, pthread_mutex_t *lock,
		struct ts_error *err);
/* Replay: show sample @k (from 0) next, with the one before for rates. */
int source_seek(struct source *s, struct ts_model *m, pthread_mutex_t *lock,
		size_t k, struct ts_error *err);
int source_close(struct source *s, struct ts_error *err);

/* ---- drawing ---- */

enum role {
	ROLE_NORMAL, ROLE_TITLE, ROLE_DIM, ROLE_COLHEAD, ROLE_COLHEAD_SORT,
	ROLE_SELECTED, ROLE_THREAD, ROLE_KTHREAD, ROLE_NEW, ROLE_RUNNING,
	ROLE_METER_USER, ROLE_METER_SYS, ROLE_METER_IRQ, ROLE_METER_STEAL,
	ROLE_METER_FRAME, ROLE_FKEY, ROLE_FKEY_LABEL, ROLE_PROMPT, ROLE_ERROR,
	ROLE_CPU, ROLE_TAGGED, ROLE_PROGRAM, ROLE_METER_MEM,
	ROLE_EXITED,
	ROLES
};

#define SURFACE_LINE	512	/* widest line a text frame holds */
#define SURFACE_CELL	16	/* a character and its combining marks */

/* The screen (curses) or a text frame (batch), drawn to the same way. */
struct surface {
	bool curses;
	int width, height;
	int y, x;
	FILE *out;		/* text frames */
	unsigned int text_flags;	/* ts_text_glyph() flags */
	/* A text frame's line, a character per column ("" right of a wide
	 * one), with the zero-width ones that join it
	 */
	char line[SURFACE_LINE][SURFACE_CELL];
	int base_x;		/* the cell a zero-width character joins */
	int line_used;		/* cells of line written since its clear */
	/* Until line_grid: the line as bytes, one ASCII byte a column
	 * (written left to right in plain ASCII: every row of a list)
	 */
	char plain[SURFACE_LINE + 1];
	int plain_len;
	bool line_grid;		/* the line is in line[] instead */
};

void surface_screen(struct surface *s);
void surface_text(struct surface *s, FILE *out, int width);
/* Text at the cursor, clipped to the width. */
void surf_put(struct surface *s, enum role r, const char *text);
void surf_printf(struct surface *s, enum role r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* @n bytes of @text (NUL-terminated), known plain ASCII (ts_text_plain):
 * surf_put's result without its checks. */
void surf_put_plain(struct surface *s, enum role r, const char *text,
		    size_t n);
/* @n copies of @ch (any width: no buffer). */
void surf_fill(struct surface *s, enum role r, char ch, int n);
/* Spaces in role @r up to column @x (-1: the end of the line). */
void surf_pad(struct surface *s, enum role r, int x);
void surf_newline(struct surface *s);
bool surf_full(const struct surface *s);
/* Clear what is left of the screen below the cursor. */
void surf_finish(struct surface *s);

/* terminal.c: the terminal restored on any signal; Ctrl-Z and fg. */
/* Before curses changes them: the terminal modes to restore. */
void terminal_save(int tty_fd);
void terminal_handlers(int wake_fd);
int terminal_quit_signal(void);
bool terminal_suspend_pending(void);
void terminal_suspend(void);
void terminal_reraise(void);

void screen_init(bool mono);
/* Where keys come from: stdin, or the terminal when stdin is a recording. */
int screen_input_fd(void);
void screen_end(void);
int screen_attr(enum role r);
bool screen_mono(void);

/* rowcache.c: a text frame's rows' leading plain cells, kept with the
 * values they show, for the rows that did not change since the last frame.
 */
struct rowcache_entry {
	struct ts_mstat st;	/* the values the text was made from */
	uint32_t key;
	uint32_t seen;		/* the last frame that drew the row */
	uint8_t kind;		/* the row's, enum ts_row_kind */
	uint16_t len;
	int next;		/* the column (order index) after the text */
	char text[176];
};
struct rowcache {
	bool on;		/* this frame is a text frame */
	uint32_t frame;
	size_t room;		/* entries this frame may still add */
	struct rowcache_entry *v;
	size_t n, cap;
	uint32_t *slot;		/* 1 + index in v; 0 empty */
	size_t n_slots;		/* a power of 2, at least twice n */
	bool shown[TS_COLS];	/* the columns the texts hold */
	int order[TS_COLS];
};

/* A frame of about @rows rows begins (@text: a text frame, else the cache
 * is off), with these columns; the last frame's rows stay findable. */
void rowcache_begin(struct rowcache *rc, bool text, size_t rows,
		    const bool shown[TS_COLS], const int order[TS_COLS]);
/* The last frame's entry for a row of @kind with exactly @st, or NULL;
 * found, it is this frame's. */
const struct rowcache_entry *rowcache_find(struct rowcache *rc,
					   const struct ts_mstat *st,
					   uint8_t kind);
/* This frame's row: @len bytes of @text, the cells before column @next. */
void rowcache_keep(struct rowcache *rc, const struct ts_mstat *st,
		   uint8_t kind, const char *text, size_t len, int next);
void rowcache_free(struct rowcache *rc);

/* ---- state ---- */

enum input_mode {
	INPUT_NONE, INPUT_SEARCH, INPUT_FILTER,
	INPUT_GOTO,		/* g: where a replay goes */
	INPUT_RTPRIO,		/* the RT priority for policy_menu.c */
	INPUT_DELAY,		/* d: seconds between updates */
	INPUT_USER,		/* u: whose threads */
};
enum replay_req {
	REPLAY_NONE,
	REPLAY_STEP,		/* arg samples from the one shown */
	REPLAY_SAMPLE,		/* sample number arg (from 1) */
	REPLAY_OFFSET,		/* arg seconds after the first sample */
	REPLAY_TIME,		/* the first sample at or after arg (real ns) */
};
enum menu {
	MENU_NONE, MENU_SORT, MENU_COLUMNS, MENU_SIGNAL, MENU_AFFINITY,
	MENU_POLICY
};

#define AFF_WORDS	16	/* CPUs the affinity panel offers: 1024 */

#define TEXT_LEN	64
/* A non-ASCII character typed, as a key code beyond curses' own. */
#define KEY_WCHAR_BASE	0x1000000
#define KEY_WCHAR(cp)	(KEY_WCHAR_BASE + (int)(cp))
#define FOOTER_KEYS	12

struct top {
	struct options o;
	struct source src;

	/* Shared with the sampling thread, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* the sampler: sample now, or stop */
	struct ts_model model;
	char status[256];	/* a sampling error, the end of a replay */
	bool ended;		/* the recording is over */
	bool stop;
	bool poked;		/* sample now */
	bool paused;
	/* Replay: what the UI asked to see (the sampler seeks), and where
	 * the replay stands (set by the sampler).
	 */
	enum replay_req replay_req;
	int64_t replay_arg;
	size_t replay_at, replay_total;	/* 1-based shown; complete so far */
	bool replay_known;		/* replay_total is final */
	uint32_t detail_tid;	/* the thread under detail, for the sampler */
	bool waits_view;	/* the wait view is shown, for the sampler */
	int wake_fd[2];		/* the sampler -> the UI: a sample is in */

	/* The UI's own. */
	enum view view, back;	/* back: where detail and help return to */
	struct ts_rows_query q;
	struct ts_idset expanded;
	char filter[TEXT_LEN], search[TEXT_LEN], goto_text[TEXT_LEN];
	enum input_mode input;
	enum menu menu;
	int menu_sel;
	bool cols[TS_COLS];	/* chosen by the user */
	bool shown[TS_COLS];	/* of those, what fits this frame */
	bool replay_latency;	/* -r of a --latency recording: LAT columns */
	struct ts_rows rows;
	struct ts_cmdlines cmdlines;	/* a replay's come from the file */
	struct ts_waits waits;	/* the sample's wait graph (live only) */
	uint64_t rows_seq;	/* model sample the rows were built from */
	bool rows_dirty;
	size_t sel, scroll;
	uint8_t sel_kind;	/* the selection, followed across samples */
	uint32_t sel_id;
	int detail_scroll;
	bool quit;
	char note[256];		/* one-shot message in the footer */
	bool note_error;	/* ... saying an action failed */
	bool follow;		/* F: the selection follows its thread */

	/* Tags (space), and what an action panel is about to apply. */
	struct ts_idset tagged_procs, tagged_threads;
	uint64_t aff[AFF_WORDS];
	int pending_policy;
	char prompt[TEXT_LEN];	/* RT priority, delay or user as typed */

	/* Where things were drawn, for the mouse. */
	int list_y, list_rows, colhead_y;
	int col_x[TS_COLS + 1];
	enum ts_col col_at[TS_COLS];
	int n_col_at;
	int footer_y;
	int footer_x[FOOTER_KEYS + 1];
	int footer_key[FOOTER_KEYS];
	int n_footer;

	struct rowcache rowcache;	/* batch frames' unchanged rows */
};

void top_query(struct top *t);	/* t->q from the UI state */
char *prompt_text(struct top *t);	/* what the open prompt holds */
/* Rebuild rows if the model or the query changed; keep the selection. */
void top_rows(struct top *t);
void top_select(struct top *t, size_t i);
/* Sleep between samples: t->o.delay, changed under t->lock. */
void top_set_delay(struct top *t, int tenths);
void top_note(struct top *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- actions (act.c) ---- */

bool act_tagged(const struct top *t, const struct ts_row *r);
void act_tag(struct top *t);		/* space: flip, then move down */
void act_untag_all(struct top *t);	/* U */
/* Apply @a to the tagged rows, or the selected one; the outcome in the
 * footer.
 */
void act_run(struct top *t, const struct ts_action *a);
/* The tid whose settings a panel starts from (the selected or first
 * tagged); 0 when none.
 */
uint32_t act_first_tid(struct top *t);

/* ---- side panels (menu.c and one file per panel) ---- */

struct menu_ops {
	const char *title;
	int width;
	int (*count)(const struct top *t);
	/* Item @i's text; *on: its mark ([x], >). */
	void (*label)(const struct top *t, int i, char *buf, size_t len,
		      bool *on);
	/* A key the common ones (move, Esc) do not take; false: ignored. */
	bool (*key)(struct top *t, int key);
};

extern const struct menu_ops sort_menu, setup_menu, signal_menu,
	affinity_panel, policy_menu;
void menu_open(struct top *t, enum menu m);
void menu_key(struct top *t, int key);
void affinity_panel_open(struct top *t);
void policy_prompt_done(struct top *t);	/* Enter on INPUT_RTPRIO */

/* ---- settings (settings.c) ---- */

/* Read the settings file into @o (defaults already there). A damaged file
 * leaves @o as it was and says why in @warn; a missing one is no error.
 */
void settings_load(struct options *o, char *warn, size_t len);
/* The settings of @o as the file's text. */
void settings_format(const struct options *o, char *buf, size_t len);
/* Write the file if @o differs from @before (settings_format text);
 * 0, or -1 with @warn saying why not.
 */
int settings_save(const struct options *o, const char *before, char *warn,
		  size_t len);
#define SETTINGS_TEXT	2048

/* ---- choices (choice.c): columns and meters ---- */

#define CHOICE_MAX	TS_COLS	/* the longest list */

/* Items 0..n-1 of a list: on[item] shown, order[i] the i-th item. */
struct choice {
	int n;
	int pinned;		/* always shown, always last; -1: none */
	bool unknown_ok;	/* unknown names ignored, not an error */
	bool *on;
	int *order;
	int (*by_name)(const char *name);	/* -1 when unknown */
	const char *(*name)(int item);
};

/* A comma list of names: the listed shown, in order, then the others
 * hidden (the pinned last). -1 with @bad the name not accepted.
 */
int choice_parse(const struct choice *ch, const char *list, char *bad,
		 size_t len);
/* The shown items' names, in order, comma-separated. */
void choice_format(const struct choice *ch, char *buf, size_t len);
/* Show or hide the @i-th item; false if it is pinned. */
bool choice_toggle(const struct choice *ch, int i);
/* Swap the @i-th item with its neighbour @dir away; false if it cannot. */
bool choice_move(const struct choice *ch, int i, int dir);

struct meter {
	const char *name;	/* for settings */
	const char *title;	/* for F2 */
};

extern const struct meter meters[METERS];
struct choice meters_choice(struct options *o);
void meters_default(struct options *o);	/* all shown, in enum order */

/* ---- columns ---- */

struct column {
	const char *title;
	int width;
	bool left;		/* left-aligned */
	int hide;		/* at narrow widths, hidden in this order; 0:
				 * never */
	const char *name;	/* for -o, --sort, settings: the spec's */
	const char *alias;	/* the name before, still accepted */
	const char *help;
};

extern const struct column columns[TS_COLS];
int column_by_name(const char *name);	/* -1 when unknown */
/* Every column but the latency ones (--latency) shown, COMMAND last. */
void columns_default(struct options *o);
struct choice columns_choice(struct options *o);	/* COMMAND pinned */
/* A comma list of names into o->cols and o->order (the listed first, in
 * order; COMMAND last). -1 with @bad the unknown name.
 */
int columns_parse(struct options *o, const char *list, char *bad,
		  size_t len);
/* The shown columns' names, in order, comma-separated. */
void columns_format(const struct options *o, char *buf, size_t len);
/* Which columns fit @width with the user's choice @want (in @shown). */
void columns_fit(const struct top *t, int width, enum view view,
		 bool shown[TS_COLS]);
void cell_text(char *buf, size_t len, enum ts_col c, const struct ts_mstat *s,
	       bool thread_row);
void time_text(char *buf, size_t len, uint64_t ns);
/* A wait in ns as the LAT columns show it (n: ns, u: us, m: ms, s), in @width. */
void wait_text(char *buf, size_t len, uint64_t ns, int width);
/* The tree and expansion prefix of a row's COMMAND. */
void tree_prefix(char *buf, size_t len, const struct ts_row *r,
		 bool expandable);

/* ---- views ---- */

int header_draw(struct top *t, struct surface *s);
/* One CPU's meter, "  3[|||##   45.2%]", in @w columns. */
void meter_draw(struct surface *s, const struct ts_model *m,
		const struct ts_mcpu *c, int w);
void colhead_draw(struct top *t, struct surface *s, const bool shown[TS_COLS],
		  const char *lead);
void view_processes_draw(struct top *t, struct surface *s);
void view_cores_draw(struct top *t, struct surface *s);
void view_detail_draw(struct top *t, struct surface *s);
void view_waits_draw(struct top *t, struct surface *s);
void help_draw(struct top *t, struct surface *s);
void menu_draw(struct top *t, struct surface *s);
/* The list area shared by the processes and cores views. */
void list_draw(struct top *t, struct surface *s,
	       void (*row)(struct top *t, struct surface *s,
			   const struct ts_row *r, bool selected));
void process_row_draw(struct top *t, struct surface *s,
		      const struct ts_row *r, bool selected);

int batch_run(struct top *t);
int ui_run(struct top *t);

/* replay.c: step, go to a sample or a time (keys { } g). */
bool replay_key(struct top *t, int key);
void replay_goto(struct top *t, const char *text);
/* In the sampler, under the lock: carry out the UI's request. */
void replay_serve(struct top *t, struct ts_error *err);
/* In the sampler, under the lock: where the replay stands now. */
void replay_update(struct top *t);
void input_key(struct top *t, int key);
void input_mouse(struct top *t);

int sampler_start(struct top *t, pthread_t *th);
void sampler_stop(struct top *t, pthread_t th);
void sampler_poke(struct top *t);	/* take the next sample now */

#endif /* THREADTOP_H */
