/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Looking at another thread's kernel stack from a module, without touching
 * freed or reused memory and without taking one thread's data for another's.
 *
 * try_get_task_stack() is inline, but put_task_stack() is not exported, so a
 * module cannot drop a pin it took if that was the last one. What happens
 * to a stack when its thread is done (kernel/fork.c, VMAP_STACK, the same in
 * 6.1 and 6.12):
 *
 *   finish_task_switch() of the dead thread -> put_task_stack():
 *     refcount_dec_and_test(&tsk->stack_refcount)   (fully ordered)
 *     -> release_task_stack() -> free_thread_stack():
 *        a) try_release_thread_stack_to_cache(): parked in this CPU's
 *           cached_stacks[] at once, no grace period; the next fork on that
 *           CPU memset()s it and gives it to a new thread (or vfree()s it at
 *           once when the memcg charge fails);
 *        b) else call_rcu() -> after a grace period back to the cache or
 *           vfree();
 *        then tsk->stack = NULL.
 *   free_vm_stack_cache(), the CPU-hotplug teardown of an offlined CPU,
 *   vfree()s that CPU's cached stacks at once.
 *
 * So a reader (ts_stack_get() ... ts_stack_put()):
 *  - holds cpus_read_lock(): no CPU can go offline, so no cached stack is
 *    vfree()d by the hotplug path while we read;
 *  - holds rcu_read_lock() and sees stack_refcount != 0 inside it: the
 *    release, hence any call_rcu() of case b, comes after our read-side
 *    section began, so that grace period waits for us and the memory stays
 *    mapped (case a keeps it mapped anyway);
 *  - copies with copy_from_kernel_nofault(): the only vfree() left is the
 *    memcg-failure path of a fork that reused the stack after its release;
 *    the copy then fails (or reads some other mapping) instead of oopsing,
 *    and the check below discards it;
 *  - re-reads stack_refcount (and task->stack) after the copy, ordered by
 *    smp_rmb(): every write of a later owner (the memset of a reused stack)
 *    is ordered after the refcount reached zero (the release of
 *    refcount_dec_and_test(), then the per-CPU cmpxchg/xchg or the grace
 *    period), so if the copy saw any such write, the second read sees zero.
 *    Non-zero after the copy means every byte copied was the thread's own.
 *
 * The unwinder (kstack group) reads the live stack directly, not a copy, so
 * it is only started where the stack cannot be released meanwhile: see
 * thread_kstack.c.
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
#include <linux/cpu.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/thread_info.h>
#include <linux/uaccess.h>

#ifndef CONFIG_VMAP_STACK
#error "threadstat reads other threads' stacks only with CONFIG_VMAP_STACK"
#endif

/**
 * ts_stack_get() - start a safe read of another thread's kernel stack
 * @task: the thread (referenced by the caller)
 *
 * Always pair with ts_stack_put(), whatever this returns.
 *
 * Context: process context, may sleep (cpus_read_lock()); returns inside
 * an RCU read-side section.
 * Return: the stack, mapped until ts_stack_put(), or NULL when the thread
 * has released it (exited).
 */
static inline const void *ts_stack_get(struct task_struct *task)
{
	cpus_read_lock();
	rcu_read_lock();
	if (!refcount_read(&task->stack_refcount))
		return NULL;
	smp_rmb();	/* refcount before stack: free_thread_stack() order */
	return READ_ONCE(task->stack);
}

/**
 * ts_stack_still_owned() - did @task own @stack during everything read?
 * @task: the thread
 * @stack: what ts_stack_get() returned
 *
 * Return: true when the copies made since ts_stack_get() hold only @task's
 * own data; false when it released its stack meanwhile (discard them).
 */
static inline bool ts_stack_still_owned(struct task_struct *task,
					const void *stack)
{
	smp_rmb();	/* the copies before the refcount, see the top */
	return refcount_read(&task->stack_refcount) &&
	       READ_ONCE(task->stack) == stack;
}

/**
 * ts_stack_put() - end what ts_stack_get() began
 */
static inline void ts_stack_put(void)
{
	rcu_read_unlock();
	cpus_read_unlock();
}

/**
 * ts_stack_copy() - copy from a stack returned by ts_stack_get()
 * @dst: buffer
 * @src: inside the stack
 * @size: bytes
 *
 * Return: 0, or -EFAULT when the memory went away (see the top).
 */
static inline int ts_stack_copy(void *dst, const void *src, size_t size)
{
	return copy_from_kernel_nofault(dst, src, size) ? -EFAULT : 0;
}

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
 * @stack: a task's kernel stack, from ts_stack_get()
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
