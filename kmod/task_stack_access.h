/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Looking at another thread's kernel stack from a module.
 *
 * try_get_task_stack() is inline but its put_task_stack() is not exported,
 * so a module cannot pin a stack. It does not need to: with VMAP_STACK a
 * released stack is either parked in a per-CPU cache (still mapped, zeroed
 * when reused) or freed through call_rcu() (kernel/fork.c, 6.1 and 6.12),
 * so a task->stack read under rcu_read_lock() stays mapped until the
 * matching rcu_read_unlock(). The one exception is a CPU going offline,
 * which vfree()s that CPU's cached stacks at once; /proc/PID/stack pins the
 * stack for that reason, we cannot.
 *
 * What lies on the stack only means something while the thread is off CPU.
 * ts_off_cpu_begin() / ts_off_cpu_end() bracket a read and tell whether the
 * thread stayed off CPU all along: __schedule() counts every switch away
 * from a thread (nvcsw / nivcsw) before finish_task() clears on_cpu with
 * release semantics, so a thread that ran during the read either is still
 * on_cpu at the end or has a different switch count.
 */
#ifndef _THREADSTAT_TASK_STACK_ACCESS_H
#define _THREADSTAT_TASK_STACK_ACCESS_H

#include <linux/compiler.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/thread_info.h>

/**
 * ts_off_cpu_begin() - start a read that needs @task off CPU
 * @task: the thread
 * @ncsw: where to keep its context-switch count
 *
 * Return: true when @task is not running right now.
 */
static inline bool ts_off_cpu_begin(struct task_struct *task,
				    unsigned long *ncsw)
{
	*ncsw = READ_ONCE(task->nvcsw) + READ_ONCE(task->nivcsw);
	smp_rmb();	/* count before on_cpu: pairs with finish_task() */
	return !READ_ONCE(task->on_cpu);
}

/**
 * ts_off_cpu_end() - did @task stay off CPU since ts_off_cpu_begin()?
 * @task: the thread
 * @ncsw: the count ts_off_cpu_begin() saw
 *
 * Return: true when @task did not run in between.
 */
static inline bool ts_off_cpu_end(struct task_struct *task,
				  unsigned long ncsw)
{
	smp_rmb();	/* everything read from the stack before on_cpu */
	if (smp_load_acquire(&task->on_cpu))
		return false;
	return ncsw == READ_ONCE(task->nvcsw) + READ_ONCE(task->nivcsw);
}

/**
 * ts_stack_user_regs() - the user registers saved at the top of a stack
 * @stack: a task's kernel stack (task->stack), read under RCU
 *
 * task_pt_regs() without re-reading task->stack, which may have turned
 * NULL since the caller checked it.
 *
 * Return: where the saved registers lie on @stack.
 */
static inline const struct pt_regs *ts_stack_user_regs(const void *stack)
{
	unsigned long top = (unsigned long)stack + THREAD_SIZE -
			    TOP_OF_KERNEL_STACK_PADDING;

	return (const struct pt_regs *)top - 1;
}

#endif /* _THREADSTAT_TASK_STACK_ACCESS_H */
