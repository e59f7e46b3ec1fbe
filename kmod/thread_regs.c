// SPDX-License-Identifier: GPL-2.0
/*
 * The regs group: the user registers a thread saved when it last entered
 * the kernel (the pt_regs at the top of its kernel stack, x86_64), and the
 * system call it is in, the way /proc/PID/syscall tells it.
 *
 * Kernel threads have no user registers and get neither nest. The copy is
 * exact when the thread stayed off CPU while we read it. A thread that ran
 * meanwhile gets neither nest, only regs-missing (running, or runnable when
 * it ran and is off CPU again), as /proc/PID/syscall says "running": its
 * saved set is stale, and torn while the thread enters the kernel, where
 * the entry code pushes one register after the other over the old set (a
 * race_test run under qemu -icount caught r12 of one entry beside r13 of
 * the next). The stable attribute, from when such copies were sent marked
 * 0, is always 1 now.
 * Registers hold user values only, never a kernel address: the kernel
 * saves kernel-mode interrupt frames elsewhere on the stack.
 */
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <asm/syscall.h>

#include "threadstat.h"
#include "compat.h"
#include "task_stack_access.h"

#define TS_REG(attr, field) \
	{ THREADSTAT_A_REGS_##attr, offsetof(struct pt_regs, field) }

static const struct {
	u16 type;
	u16 offset;
} ts_regs[] = {
	TS_REG(IP, ip), TS_REG(SP, sp), TS_REG(BP, bp), TS_REG(FLAGS, flags),
	TS_REG(AX, ax), TS_REG(BX, bx), TS_REG(CX, cx), TS_REG(DX, dx),
	TS_REG(SI, si), TS_REG(DI, di), TS_REG(R8, r8), TS_REG(R9, r9),
	TS_REG(R10, r10), TS_REG(R11, r11), TS_REG(R12, r12),
	TS_REG(R13, r13), TS_REG(R14, r14), TS_REG(R15, r15),
	TS_REG(CS, cs), TS_REG(SS, ss), TS_REG(ORIG_AX, orig_ax),
};

static int ts_put_regs(struct sk_buff *skb, const struct pt_regs *regs,
		       bool stable)
{
	const char *base = (const char *)regs;
	struct nlattr *nest;
	size_t i;

	nest = nla_nest_start(skb, THREADSTAT_A_THREAD_REGS);
	if (!nest || nla_put_u8(skb, THREADSTAT_A_REGS_STABLE, stable))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(ts_regs); i++)
		if (ts_put_u64(skb, ts_regs[i].type,
			       *(const unsigned long *)(base +
							ts_regs[i].offset)))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * ts_syscall_of() - the system call of a thread's saved user registers
 * @task: the thread
 * @regs: its saved user registers (from ts_read_user_regs(), stable)
 * @args: the six arguments, when in a system call
 *
 * orig_ax holds the number from the syscall entry on, and -1 after an
 * interrupt or exception entry. The arguments come from the saved
 * registers by the task's ABI (64-bit: di, si, dx, r10, r8, r9; compat:
 * bx, cx, dx, si, di, bp), through the same helpers /proc/PID/syscall uses.
 *
 * Return: the system call number, or -1 outside a system call.
 */
int ts_syscall_of(struct task_struct *task, struct pt_regs *regs,
		  u64 args[6])
{
	unsigned long a[6];
	int nr, i;

	nr = syscall_get_nr(task, regs);
	if (nr < 0)
		return -1;
	syscall_get_arguments(task, regs, a);
	for (i = 0; i < 6; i++)
		args[i] = a[i];
	return nr;
}

static int ts_put_syscall(struct sk_buff *skb, struct task_struct *task,
			  struct pt_regs *regs)
{
	struct nlattr *nest;
	u64 args[6];
	int nr;

	nr = ts_syscall_of(task, regs, args);
	nest = nla_nest_start(skb, THREADSTAT_A_THREAD_SYSCALL);
	if (!nest || nla_put_s32(skb, THREADSTAT_A_SYSCALL_NR, nr))
		return -EMSGSIZE;
	if (nr >= 0 &&
	    nla_put(skb, THREADSTAT_A_SYSCALL_ARGS, sizeof(args), args))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * ts_read_user_regs() - copy the user registers a thread saved
 * @task: the thread (referenced by the caller, not a kernel thread)
 * @regs: where to copy them
 * @stable: set when the thread stayed off CPU during the copy
 * @ncsw: its switch count when the read began, for a later
 *	ts_off_cpu_end() that extends the "stayed off CPU" window
 *
 * The saved registers are copied off the stack under the guards of
 * task_stack_access.h and thrown away when the thread released its stack
 * during the copy: a reused stack would hold a new thread's registers.
 *
 * Context: process context, may sleep.
 * Return: 0, or -ESRCH when the thread has exited (nothing saved any more).
 */
int ts_read_user_regs(struct task_struct *task, struct pt_regs *regs,
		      bool *stable, unsigned long *ncsw)
{
	const void *stack;
	bool off_cpu, ok;

	off_cpu = ts_off_cpu_begin(task, ncsw);
	stack = ts_stack_get(task);
	ok = stack && !ts_stack_copy(regs, ts_stack_user_regs(stack),
				     sizeof(*regs)) &&
	     ts_stack_still_owned(task, stack);
	ts_stack_put();
	if (!ok)
		return -ESRCH;
	*stable = off_cpu && ts_off_cpu_end(task, *ncsw);
	return 0;
}

/**
 * ts_fill_regs() - put the regs group of one thread
 * @skb: message being built
 * @task: the thread (referenced by the caller)
 * @view: requester (unused: the caller checked the privilege)
 *
 * Context: process context, may sleep.
 * Return: 0 or -EMSGSIZE.
 */
int ts_fill_regs(struct sk_buff *skb, struct task_struct *task,
		 const struct ts_view *view)
{
	struct pt_regs regs;
	unsigned long ncsw;
	bool stable;
	int err;

	if (task->flags & PF_KTHREAD)
		return 0;

	if (ts_read_user_regs(task, &regs, &stable, &ncsw))
		return nla_put_u32(skb, THREADSTAT_A_THREAD_REGS_MISSING,
				   THREADSTAT_KSTACK_MISSING_EXITED);
	if (!stable)
		return nla_put_u32(skb, THREADSTAT_A_THREAD_REGS_MISSING,
				   READ_ONCE(task->on_cpu) ?
				   THREADSTAT_KSTACK_MISSING_RUNNING :
				   THREADSTAT_KSTACK_MISSING_RUNNABLE);

	err = ts_put_regs(skb, &regs, stable);
	if (err)
		return err;
	return ts_put_syscall(skb, task, &regs);
}
