// SPDX-License-Identifier: GPL-2.0
/*
 * The kstack group: the kernel stack of a thread that is not running, as
 * /proc/PID/stack prints it ("%pB": a return address right after a
 * noreturn call is named after the calling function), and its wchan, as
 * /proc/PID/wchan reports it.
 *
 * When the walk is safe (the unwinder reads the live stack, not a copy):
 *  - A blocked thread (not TASK_RUNNING, TASK_WAKING or TASK_DEAD, not on
 *    a run queue), checked under its pi_lock as get_wchan() does: a wakeup
 *    (try_to_wake_up()) needs that lock, so while we hold it the thread
 *    cannot run, hence cannot exit, hence cannot release its stack (only
 *    its own last switch after TASK_DEAD does, see task_stack_access.h).
 *    Its stack stays allocated, unpinned, for the whole walk, on 6.1 too.
 *    A TASK_NEW thread counts as blocked: wake_up_new_task() takes the
 *    same lock, and a fork that fails (bad_fork_free: TASK_DEAD, then
 *    put_task_stack() without the lock) does so before the thread gets a
 *    pid or joins its group, i.e. before we can find it.
 *  - A runnable thread off CPU (preempted, or just woken): on 6.12 through
 *    stack_trace_save_tsk(), which pins the stack itself
 *    (try_get_task_stack()); on 6.1 nothing exported can pin it and it may
 *    exit and have its stack freed under the unwinder, so its trace is
 *    left out (kernel-stack-missing = runnable).
 * Either way the thread must stay off CPU during the walk (else running).
 *
 * Frames come from stack_trace_save_tsk() where it is exported (6.7 on),
 * which leaves out the scheduler's own frames (in_sched_functions()), as
 * /proc/PID/stack does. On 6.1 the exported ORC unwinder calls are driven
 * the way x86's arch_stack_walk() drives them; the scheduler text bounds
 * are not exported there, so its frames are kept rather than guessed at.
 *
 * wchan is get_wchan()'s: the first frame outside the scheduler of a
 * blocked thread, by name, and absent where /proc/PID/wchan prints "0".
 * On 6.12 that is the first frame stack_trace_save_tsk() gives under the
 * same pi_lock check; on 6.1 nothing exported tells scheduler frames
 * apart, so wchan is absent with wchan-missing = unsupported.
 *
 * No address leaves the module: a frame that kallsyms cannot name is sent
 * as "?" (%pB would print the raw address), and a name too long for the
 * reply budget is sent as "?" too.
 */
#include <linux/ctype.h>
#include <linux/kallsyms.h>
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

#ifdef TS_HAVE_STACK_TRACE_SAVE_TSK
static unsigned int ts_kstack_save(struct task_struct *task,
				   unsigned long *entries, unsigned int max)
{
	return stack_trace_save_tsk(task, entries, max, 0);
}
#else
/*
 * What stack_trace_save_tsk() does on x86, minus its scheduler filter.
 * Only called under ts_kstack_walk_blocked()'s pi_lock check: the unwinder
 * reads the live stack, which cannot be released meanwhile.
 */
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

/*
 * Put one frame, "func+0xoff/0xsize [module]" as %pB prints it, or "?" if it
 * is unnamed. Not inlined, nor is ts_put_wchan(): each has a name buffer of
 * KSYM_SYMBOL_LEN bytes, which must not all add up in ts_fill_kstack()'s
 * frame (over 2 KiB with KASAN's red zones).
 */
static noinline_for_stack int ts_put_frame(struct sk_buff *skb,
					   unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];

	snprintf(buf, sizeof(buf), "%pB", (void *)addr);
	if (!(isalpha(buf[0]) || buf[0] == '_' || buf[0] == '.') ||
	    strlen(buf) >= TS_KSTACK_FRAME_LEN)
		strscpy(buf, "?", sizeof(buf));
	return nla_put_string(skb, THREADSTAT_A_THREAD_KERNEL_STACK, buf);
}

#ifdef TS_HAVE_STACK_TRACE_SAVE_TSK
/* The wchan as /proc/PID/wchan prints it: the bare function name. */
static noinline_for_stack int ts_put_wchan(struct sk_buff *skb,
					   unsigned long addr)
{
	char name[KSYM_SYMBOL_LEN];

	sprint_symbol_no_offset(name, addr);
	if (!(isalpha(name[0]) || name[0] == '_' || name[0] == '.'))
		return 0;	/* kallsyms cannot name it: no address out */
	name[strcspn(name, " ")] = '\0';	/* drop " [module]" */
	if (strlen(name) >= TS_KSTACK_FRAME_LEN)
		return 0;
	return nla_put_string(skb, THREADSTAT_A_THREAD_WCHAN, name);
}
#endif

/* What one walk found. */
struct ts_kstack {
	unsigned long entries[TS_KSTACK_FRAMES];
	unsigned int n;
	u32 why;	/* THREADSTAT_KSTACK_MISSING_* when n == 0 */
	bool blocked;	/* walked under pi_lock: entries[0] is the wchan */
};

/*
 * Walk a blocked thread under its pi_lock; see the top. Return false when
 * it is not blocked (then *@state says what it is).
 */
static bool ts_kstack_walk_blocked(struct task_struct *task,
				   struct ts_kstack *k, unsigned int *state)
{
	unsigned long flags;
	bool blocked;

	raw_spin_lock_irqsave(&task->pi_lock, flags);
	*state = READ_ONCE(task->__state);
	smp_rmb();	/* state before on_rq, as get_wchan() and ttwu() */
	blocked = *state != TASK_RUNNING && *state != TASK_WAKING &&
		  *state != TASK_DEAD && !READ_ONCE(task->on_rq) &&
		  refcount_read(&task->stack_refcount);
	if (blocked)
		k->n = ts_kstack_save(task, k->entries, TS_KSTACK_FRAMES);
	raw_spin_unlock_irqrestore(&task->pi_lock, flags);
	return blocked;
}

/* A runnable thread off CPU: only where the walk pins the stack itself. */
static void ts_kstack_walk_runnable(struct task_struct *task,
				    struct ts_kstack *k)
{
#ifdef TS_HAVE_STACK_TRACE_SAVE_TSK
	k->n = ts_kstack_save(task, k->entries, TS_KSTACK_FRAMES);
	if (!k->n)	/* try_get_task_stack() failed */
		k->why = THREADSTAT_KSTACK_MISSING_EXITED;
#else
	k->why = THREADSTAT_KSTACK_MISSING_RUNNABLE;
#endif
}

/* Fill @k for @task: frames, or the reason there are none. */
static void ts_kstack_walk(struct task_struct *task, struct ts_kstack *k)
{
	unsigned int state;
	unsigned long ncsw;

	k->n = 0;
	k->blocked = false;
	k->why = THREADSTAT_KSTACK_MISSING_RUNNING;
	if (!ts_off_cpu_begin(task, &ncsw))
		return;

	k->blocked = ts_kstack_walk_blocked(task, k, &state);
	if (!k->blocked) {
		if (state == TASK_DEAD ||
		    !refcount_read(&task->stack_refcount))
			k->why = THREADSTAT_KSTACK_MISSING_EXITED;
		else
			ts_kstack_walk_runnable(task, k);
	}
	if (k->n && !ts_off_cpu_end(task, ncsw)) {
		k->n = 0;
		k->why = THREADSTAT_KSTACK_MISSING_RUNNING;
	}
}

/* wchan, or why there is none; nothing where /proc/PID/wchan says "0". */
static int ts_put_wchan_of(struct sk_buff *skb, const struct ts_kstack *k)
{
	if (!k->blocked || !k->n)
		return 0;
#ifdef TS_HAVE_STACK_TRACE_SAVE_TSK
	return ts_put_wchan(skb, k->entries[0]);
#else
	return nla_put_u32(skb, THREADSTAT_A_THREAD_WCHAN_MISSING,
			   THREADSTAT_KSTACK_MISSING_UNSUPPORTED);
#endif
}

/**
 * ts_fill_kstack() - put the kstack group of one thread
 * @skb: message being built
 * @task: the thread (referenced by the caller)
 * @view: requester (unused: the caller checked the privilege)
 *
 * Context: process context; takes @task's pi_lock for the walk.
 * Return: 0 or -EMSGSIZE.
 */
int ts_fill_kstack(struct sk_buff *skb, struct task_struct *task,
		   const struct ts_view *view)
{
	struct ts_kstack k;
	unsigned int i;
	int err;

	ts_kstack_walk(task, &k);
	if (!k.n)
		return nla_put_u32(skb, THREADSTAT_A_THREAD_KERNEL_STACK_MISSING,
				   k.why);
	err = ts_put_wchan_of(skb, &k);
	for (i = 0; !err && i < k.n; i++)
		err = ts_put_frame(skb, k.entries[i]);
	return err;
}
