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
#include <net/genetlink.h>

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

/**
 * ts_dump_attrs() - a dump request's attributes, parsed by the genetlink
 *		     core against the operation's policy before .start runs
 * @cb: the dump
 *
 * 6.1 keeps them in genl_dumpit_info; from 6.2 on they are in the
 * genl_info inside it.
 *
 * Return: the attribute table, indexed by type.
 */
static inline struct nlattr **ts_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/**
 * ts_mm_counter() - an mm's RSS counter, exact
 * @mm: the address space
 * @member: MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES or MM_SWAPENTS
 *
 * From 6.2 on the counters are per-CPU and get_mm_counter() reads only
 * the shared part, which can be off by the per-CPU batches; sum them, as
 * /proc/PID/statm does (percpu_counter_sum takes a raw spinlock, it does
 * not sleep). 6.1 keeps one atomic per counter.
 *
 * Return: pages (entries for MM_SWAPENTS).
 */
static inline unsigned long ts_mm_counter(struct mm_struct *mm, int member)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
#else
	return get_mm_counter(mm, member);
#endif
}

#endif /* _THREADSTAT_COMPAT_H */
