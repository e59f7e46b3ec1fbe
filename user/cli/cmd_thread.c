// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * threadstat thread TID: one thread in full, as a detail page or JSON.
 *
 * It asks for every field group; the kernel leaves out what the caller may
 * not see (reporting it in "withheld") and what does not apply, and each
 * section says which of those it was. Fields come from the library's
 * tables, so a new field shows up here without code.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

#define VALUE_LEN	256

static const char thread_usage[] = "usage: threadstat thread TID [--json]\n";

/* Values may be names or frames from users: escaped (text.h). */
static void row(const char *name, const char *value)
{
	printf("  %-30s ", name);
	print_cell(value, 0, true);
	putchar('\n');
}

static void note(const char *text)
{
	printf("  (%s)\n", text);
}

/* Addresses read better in hex; sizes, counts and times in decimal. */
static bool shown_in_hex(const struct ts_set *set, const struct ts_field *f)
{
	if (set == &ts_regs_set)
		return f->type != THREADSTAT_A_REGS_STABLE;
	if (set == &ts_stack_set)
		return f->type == THREADSTAT_A_STACK_USER_START ||
		       f->type == THREADSTAT_A_STACK_USER_END ||
		       f->type == THREADSTAT_A_STACK_USER_SP;
	return set == &ts_syscall_set && f->type == THREADSTAT_A_SYSCALL_ARGS;
}

static void hex_text(char *buf, size_t len, const struct ts_field *f,
		     const void *rec)
{
	const char *p = (const char *)rec + f->offset;
	size_t i, used = 0;
	uint64_t v;

	buf[0] = '\0';
	for (i = 0; i < f->size / 8 && used < len; i++) {
		memcpy(&v, p + i * 8, 8);
		used += snprintf(buf + used, len - used, "%s0x%" PRIx64,
				 i ? " " : "", v);
	}
}

/*
 * Every present scalar field of @set in @group (or any group if @all). A
 * flag attribute is sent only when set, so within a group that was sent
 * its absence means "no".
 */
static void print_fields(const struct ts_set *set, const void *rec,
			 uint32_t group, bool all)
{
	char value[VALUE_LEN];
	size_t i;

	for (i = 0; i < set->n_fields; i++) {
		const struct ts_field *f = &set->fields[i];

		if ((!all && f->group != group) || f->kind == TS_KIND_NEST ||
		    f->kind == TS_KIND_STRINGS)
			continue;
		if (!ts_present(set, rec, f->type)) {
			if (f->kind == TS_KIND_FLAG)
				row(f->name, "no");
			continue;
		}
		if (shown_in_hex(set, f))
			hex_text(value, sizeof(value), f, rec);
		else
			field_text(value, sizeof(value), f, rec);
		row(f->name, value);
	}
}

/* Print the section's reason for having nothing, if it has one. */
static bool withheld(const struct ts_thread *t, uint32_t group)
{
	if (!(t->withheld & group))
		return false;
	note("withheld: /proc would refuse it too (see README, privileges)");
	return true;
}

static void print_identity(const struct ts_thread *t)
{
	char value[VALUE_LEN];
	size_t i;

	printf("identity\n");
	for (i = 0; i < ts_thread_set.n_fields; i++) {
		const struct ts_field *f = &ts_thread_set.fields[i];

		if (f->group || f->type == THREADSTAT_A_THREAD_WITHHELD)
			continue;
		/* "kthread" is a flag: absent means a user thread. */
		if (f->type == THREADSTAT_A_THREAD_KTHREAD)
			snprintf(value, sizeof(value), "%s",
				 t->kthread ? "yes" : "no");
		else if (ts_thread_has(t, f->type))
			field_text(value, sizeof(value), f, t);
		else
			continue;
		row(f->name, value);
	}
}

static void print_counters(const struct ts_thread *t, const char *title,
			   uint32_t group, uint16_t enabled_attr,
			   const char *sysctl)
{
	char text[128];

	printf("%s\n", title);
	if (!ts_thread_has(t, enabled_attr)) {
		note("not reported");
		return;
	}
	if (!(group == THREADSTAT_FIELDS_SCHEDSTATS ? t->schedstats_enabled :
						      t->delayacct_enabled)) {
		snprintf(text, sizeof(text), "off: sysctl %s=1 turns it on",
			 sysctl);
		note(text);
		return;
	}
	print_fields(&ts_thread_set, t, group, false);
}

static void print_stack(const struct ts_thread *t)
{
	printf("stack\n");
	if (withheld(t, THREADSTAT_FIELDS_STACK))
		return;
	if (!ts_thread_has(t, THREADSTAT_A_THREAD_STACK)) {
		note("none: the thread has exited");
		return;
	}
	print_fields(&ts_stack_set, &t->stack, 0, true);
	if (!ts_present(&ts_stack_set, &t->stack,
			THREADSTAT_A_STACK_USER_SP))
		note(t->kthread ? "no user stack: a kernel thread" :
				  "no user stack found");
}

/* Why a thread shows no kernel stack, as a sentence's end. */
static const char *kstack_missing_text(uint32_t why)
{
	switch (why) {
	case THREADSTAT_KSTACK_MISSING_RUNNING:
		return "is running";
	case THREADSTAT_KSTACK_MISSING_RUNNABLE:
		return "is waiting for a CPU (this kernel cannot pin its stack)";
	case THREADSTAT_KSTACK_MISSING_EXITED:
		return "has exited";
	default:
		return "cannot be read";
	}
}

static void print_kernel_stack(const struct ts_thread *t)
{
	const char *frame = t->kernel_stack;
	char text[128];
	uint32_t i;

	printf("kernel stack\n");
	if (withheld(t, THREADSTAT_FIELDS_KSTACK))
		return;
	if (ts_thread_has(t, THREADSTAT_A_THREAD_KERNEL_STACK_MISSING)) {
		snprintf(text, sizeof(text), "none: the thread %s",
			 kstack_missing_text(t->kernel_stack_missing));
		note(text);
		return;
	}
	if (ts_thread_has(t, THREADSTAT_A_THREAD_WCHAN))
		row("wchan", t->wchan);
	for (i = 0; frame && i < t->n_kernel_stack;
	     i++, frame += strlen(frame) + 1) {
		printf("  #%-2u ", i);
		print_cell(frame, 0, true);
		putchar('\n');
	}
}

/* Registers and syscall are left out, with one reason, for a thread that ran. */
static bool note_regs_missing(const struct ts_thread *t)
{
	char text[128];

	if (!ts_thread_has(t, THREADSTAT_A_THREAD_REGS_MISSING))
		return false;
	snprintf(text, sizeof(text), "none: the thread %s",
		 kstack_missing_text(t->regs_missing));
	note(text);
	return true;
}

static void print_regs(const struct ts_thread *t)
{
	printf("registers\n");
	if (withheld(t, THREADSTAT_FIELDS_REGS))
		return;
	if (note_regs_missing(t))
		return;
	if (!ts_thread_has(t, THREADSTAT_A_THREAD_REGS)) {
		note(t->kthread ? "none: a kernel thread" : "not reported");
		return;
	}
	note("saved at the last kernel entry; exact, the thread is off CPU");
	print_fields(&ts_regs_set, &t->regs, 0, true);
}

static void print_syscall(const struct ts_thread *t)
{
	printf("syscall\n");
	if (withheld(t, THREADSTAT_FIELDS_REGS) || note_regs_missing(t))
		return;
	if (!ts_thread_has(t, THREADSTAT_A_THREAD_SYSCALL)) {
		note("none");
		return;
	}
	if (t->syscall.nr < 0) {
		note("not in a system call");
		return;
	}
	print_fields(&ts_syscall_set, &t->syscall, 0, true);
}

static void print_wait(const struct ts_thread *t)
{
	char text[96];

	printf("wait\n");
	if (withheld(t, THREADSTAT_FIELDS_WAIT))
		return;
	if (ts_thread_has(t, THREADSTAT_A_THREAD_WAIT)) {
		print_fields(&ts_wait_set, &t->wait, 0, true);
		return;
	}
	if (ts_thread_has(t, THREADSTAT_A_THREAD_WAIT_MISSING)) {
		snprintf(text, sizeof(text), "none: not blocked in a system "
			 "call (%s)", ts_kstack_missing_name(t->wait_missing));
		note(text);
	} else
		note(t->kthread ? "none: a kernel thread" : "not reported");
}

static void print_page(const struct ts_thread *t)
{
	printf("thread %" PRIu32 " (", t->tid);
	print_cell(t->comm, 0, true);
	printf(") of process %" PRIu32 "\n\n", t->tgid);
	print_identity(t);
	printf("scheduling\n");
	if (ts_thread_has(t, THREADSTAT_A_THREAD_STATE))
		print_fields(&ts_thread_set, t, THREADSTAT_FIELDS_SCHED, false);
	else
		note("not reported");
	print_counters(t, "schedstats", THREADSTAT_FIELDS_SCHEDSTATS,
		       THREADSTAT_A_THREAD_SCHEDSTATS_ENABLED,
		       "kernel.sched_schedstats");
	print_counters(t, "delay accounting", THREADSTAT_FIELDS_DELAYACCT,
		       THREADSTAT_A_THREAD_DELAYACCT_ENABLED,
		       "kernel.task_delayacct");
	print_stack(t);
	print_kernel_stack(t);
	print_regs(t);
	print_syscall(t);
	print_wait(t);
}

int cmd_thread(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ts_error err = { 0 };
	struct ts_client *c;
	struct ts_thread t;
	bool json = false;
	uint32_t tid;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(thread_usage, stdout);
			return 0;
		default:
			fputs(thread_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !parse_id(argv[optind], &tid)) {
		if (optind < argc)
			cli_error("'%s' is not a thread id", argv[optind]);
		fputs(thread_usage, stderr);
		return EXIT_USAGE;
	}

	if (cli_open(&c, &err)) {
		cli_error("%s", err.msg);
		return 1;
	}
	if (ts_thread_get(c, tid, THREADSTAT_FIELDS_ALL, &t, &err)) {
		cli_error("thread %" PRIu32 ": %s", tid, err.msg);
		ts_close(c);
		return 1;
	}
	ts_close(c);

	if (json) {
		json_record(stdout, &ts_thread_set, &t);
		putchar('\n');
	} else {
		print_page(&t);
	}
	ts_thread_release(&t);
	return 0;
}
