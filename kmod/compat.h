/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exported APIs in which the supported kernels (6.1 and 6.12) differ
 * for threadstat. This is the one file that tests kernel versions
 * (scripts/lint.sh lets checkpatch accept it here and nowhere else).
 */
#ifndef _THREADSTAT_COMPAT_H
#define _THREADSTAT_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

/*
 * The stack, kstack and regs groups know x86-64's stack layout (pt_regs at
 * the top of the kernel stack, thread.sp, the ORC unwinder interface) and
 * the UAPI's register set is x86-64's.
 */
#if !defined(CONFIG_X86_64)
#error "threadstat supports x86-64 only (CONFIG_X86_64 is not set)"
#endif

/* struct task_delay_info counts IRQ/softirq time from 6.2 on. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define TS_HAVE_DELAY_IRQ	1
#endif

/* stack_trace_save_tsk() is exported to modules from 6.7 on. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define TS_HAVE_STACK_TRACE_SAVE_TSK	1
#endif

/*
 * topology_cluster_id(): before 6.7, x86 kept it in the per-CPU variable
 * cpu_l2c_id, which is not exported; from 6.7 on it is in cpu_info.
 */
#if !defined(CONFIG_X86) || LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define TS_HAVE_CLUSTER_ID	1
#endif

/**
 * ts_get_user_page() - get_user_pages_remote() for one page
 * @mm: the address space, its mmap lock held for reading
 * @addr: user address in the page
 * @gup_flags: FOLL_* flags
 * @page: the page, referenced, on success
 *
 * The vmas argument went away in 6.5.
 *
 * Return: 1 with *@page set, else 0 or a negative errno.
 */
static inline long ts_get_user_page(struct mm_struct *mm, unsigned long addr,
				    unsigned int gup_flags, struct page **page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return get_user_pages_remote(mm, addr, 1, gup_flags, page, NULL);
#else
	return get_user_pages_remote(mm, addr, 1, gup_flags, page, NULL, NULL);
#endif
}

#endif /* _THREADSTAT_COMPAT_H */
