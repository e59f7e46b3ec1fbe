// SPDX-License-Identifier: GPL-2.0
/*
 * The kstack group: the kernel stack of a thread that is not running, as
 * symbolized frames ("pipe_read+0x1c/0x3f0", /proc/PID/stack's form), and
 * its wchan, the first frame outside the scheduler.
 *
 * Frames come from stack_trace_save_tsk() where it is exported (6.7 on),
 * else from the exported ORC unwinder calls the same way x86's
 * arch_stack_walk() drives them. Both refuse a thread running on another
 * CPU; we also check the thread stayed off CPU during the walk and report
 * kernel-stack-missing = running otherwise, and exited once its stack is
 * gone.
 *
 * Scheduler frames: stack_trace_save_tsk() drops every frame in the
 * scheduler's text (in_sched_functions()), which a module cannot test: the
 * section bounds are not exported. So the leading frames whose function
 * name starts like one of the __sched functions below are dropped instead
 * (after 6.12's own filter this rarely finds anything), which makes both
 * kernels report the same trace and puts the wchan first.
 *
 * No address leaves the module: a frame that kallsyms cannot name is sent
 * as "?" (sprint_symbol() would print the raw address), and a name too long
 * for the reply budget is sent as "?" too.
 */
#include <linux/ctype.h>
#include <linux/kallsyms.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <asm/unwind.h>

#include "threadstat.h"
#include "compat.h"
#include "task_stack_access.h"

/* A trace is at most this many frames of at most this many bytes each. */
#define TS_KSTACK_FRAMES	32
#define TS_KSTACK_FRAME_LEN	128

/* Name prefixes of the kernel's __sched functions (sched, locking, waits). */
static const char *const ts_sched_prefixes[] = {
	"__schedule", "schedule", "preempt_schedule", "io_schedule",
	"__cond_resched", "yield", "do_nanosleep", "hrtimer_nanosleep_restart",
	"usleep_range_state", "__wait_for_common", "wait_for_common",
	"do_wait_for_common", "wait_for_completion", "__wait_on_bit",
	"out_of_line_wait_on_bit", "bit_wait", "__mutex_lock", "mutex_lock",
	"_mutex_lock_nest_lock", "__ww_mutex_lock", "ww_mutex_lock",
	"rwsem_down_", "down", "__down", "___down", "__percpu_down_read",
	"percpu_down_write", "rt_mutex", "__rt_mutex", "rtlock_slowlock",
	"rt_spin_lock", "rt_read_lock", "rt_write_lock", "__rwbase_read_lock",
	"rwbase_write_lock", "console_conditional_schedule",
	"alarm_timer_nsleep_restart",
};

static bool ts_sched_frame(const char *frame)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ts_sched_prefixes); i++)
		if (str_has_prefix(frame, ts_sched_prefixes[i]))
			return true;
	return false;
}

#ifdef TS_HAVE_STACK_TRACE_SAVE_TSK
static unsigned int ts_kstack_save(struct task_struct *task,
				   unsigned long *entries, unsigned int max)
{
	return stack_trace_save_tsk(task, entries, max, 0);
}
#else
/* What stack_trace_save_tsk() does on x86, minus its scheduler filter. */
static unsigned int ts_kstack_save(struct task_struct *task,
				   unsigned long *entries, unsigned int max)
{
	struct unwind_state state;
	unsigned int n = 0;
	unsigned long addr;

	for (unwind_start(&state, task, NULL, NULL);
	     !unwind_done(&state) && n < max; unwind_next_frame(&state)) {
		addr = unwind_get_return_address(&state);
		if (!addr)
			break;
		entries[n++] = addr;
	}
	return n;
}
#endif

/* "func+0xoff/0xsize [module]", or "?" for what kallsyms cannot name. */
static void ts_frame_text(char *buf, unsigned long addr)
{
	sprint_symbol(buf, addr);
	if (!(isalpha(buf[0]) || buf[0] == '_' || buf[0] == '.') ||
	    strlen(buf) >= TS_KSTACK_FRAME_LEN)
		strscpy(buf, "?", KSYM_SYMBOL_LEN);
}

/* The function name of a frame: up to its "+0x". */
static int ts_put_wchan(struct sk_buff *skb, const char *frame)
{
	char name[TS_KSTACK_FRAME_LEN];
	size_t len = strcspn(frame, "+ ");

	if (!strcmp(frame, "?") || len >= sizeof(name))
		return 0;
	memcpy(name, frame, len);
	name[len] = '\0';
	return nla_put_string(skb, THREADSTAT_A_THREAD_WCHAN, name);
}

/*
 * Walk the stack of @task into @entries. Return the number of frames, or
 * 0 with *@why set when there is no trace to give.
 */
static unsigned int ts_kstack_walk(struct task_struct *task,
				   unsigned long *entries, u32 *why)
{
	unsigned long ncsw;
	unsigned int n = 0;
	bool off_cpu;

	*why = THREADSTAT_KSTACK_MISSING_RUNNING;
	off_cpu = ts_off_cpu_begin(task, &ncsw);
	if (!off_cpu)
		return 0;

	rcu_read_lock();
	if (READ_ONCE(task->stack))
		n = ts_kstack_save(task, entries, TS_KSTACK_FRAMES);
	else
		*why = THREADSTAT_KSTACK_MISSING_EXITED;
	rcu_read_unlock();

	if (!n && !READ_ONCE(task->stack))
		*why = THREADSTAT_KSTACK_MISSING_EXITED;
	else if (!ts_off_cpu_end(task, ncsw))
		n = 0;
	return n;
}

/**
 * ts_fill_kstack() - put the kstack group of one thread
 * @skb: message being built
 * @task: the thread (referenced by the caller)
 * @view: requester (unused: the caller checked the privilege)
 *
 * Return: 0 or -EMSGSIZE.
 */
int ts_fill_kstack(struct sk_buff *skb, struct task_struct *task,
		   const struct ts_view *view)
{
	unsigned long entries[TS_KSTACK_FRAMES];
	char frame[KSYM_SYMBOL_LEN];
	unsigned int n, i;
	bool leading = true;
	u32 why;

	n = ts_kstack_walk(task, entries, &why);
	if (!n)
		return nla_put_u32(skb, THREADSTAT_A_THREAD_KERNEL_STACK_MISSING,
				   why);

	for (i = 0; i < n; i++) {
		ts_frame_text(frame, entries[i]);
		if (leading && ts_sched_frame(frame))
			continue;
		if (leading && ts_put_wchan(skb, frame))
			return -EMSGSIZE;
		leading = false;
		if (nla_put_string(skb, THREADSTAT_A_THREAD_KERNEL_STACK, frame))
			return -EMSGSIZE;
	}
	return 0;
}
