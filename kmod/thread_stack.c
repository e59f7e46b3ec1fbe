// SPDX-License-Identifier: GPL-2.0
/*
 * The stack group: how much of its kernel stack and its user stack a thread
 * uses now and used at most.
 *
 * Kernel stack (every thread):
 *   kernel-size   THREAD_SIZE.
 *   kernel-used   high-water mark: kernel stacks are allocated zeroed (and
 *                 zeroed again when a cached one is reused), so the lowest
 *                 non-zero word above the STACK_END_MAGIC word at the far
 *                 end is the deepest the thread ever went (DEBUG_STACK_USAGE
 *                 measures it the same way). Copied out under the
 *                 guards of task_stack_access.h, and discarded if the
 *                 thread released its stack meanwhile (stack-missing =
 *                 exited instead).
 *   kernel-depth  for a thread off CPU: how far below the top its saved
 *                 kernel sp (thread.sp) is. Only the depth is sent.
 *
 * User stack (threads with an mm): the VMA holding the sp saved at the last
 * kernel entry (stale while the thread runs in user mode), its bounds,
 * user-depth = user-end - user-sp, and user-guard: the PROT_NONE mapping
 * right below it (glibc's guard page of a thread stack). The main thread's
 * stack grows down and is guarded by stack_guard_gap, which is not exported,
 * so its user-guard is left out.
 *
 * user-used, the deepest the user stack ever reached, without faulting a
 * page in or writing anything: a page of the stack that the thread has
 * touched stays resident, and its used part holds non-zero words (return
 * addresses, saved registers), while the pages it never reached are not
 * mapped or, under a transparent huge page, still zero. We binary-search
 * the pages between the VMA start and sp for the lowest one that is
 * resident (get_user_pages_remote() with FOLL_NOFAULT, which never faults
 * and changes nothing but the page's accessed bit) and holds a non-zero
 * word, then take its lowest non-zero word. That reads one page per probe,
 * 1 + log2(VMA pages) probes: 12 for an 8 MiB stack.
 * Error bound: the result never lies above the deepest non-zero word
 * written below sp; it misses the zero words below that one (less than a
 * page when the deepest page holds anything non-zero) and more when the
 * search goes wrong: pages swapped out or holes in what the thread touched
 * (a frame that skipped a page it did not write) make it report less,
 * memory touched by someone else (a stack glibc reused from an exited
 * thread, MAP_POPULATE, mlock) makes it report that memory's depth.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task_stack.h>
#include <uapi/linux/magic.h>

#include "threadstat.h"
#include "compat.h"
#include "task_stack_access.h"

struct ts_stack_usage {
	u64 kernel_used;
	u64 kernel_depth;	/* 0: unknown (running) */
	unsigned long user_sp;	/* 0: none (kernel thread, exited) */
};

struct ts_user_stack {
	unsigned long start, end, sp, guard, deepest;
};

/* Words copied off the stack per step of the high-water-mark scan. */
#define TS_SCAN_WORDS	32

/*
 * Lowest non-zero word of a stack, skipping the end-magic word, in bytes
 * from the top; -EFAULT when the stack went away while we copied it.
 */
static long ts_kernel_used(const unsigned long *stack)
{
	unsigned long buf[TS_SCAN_WORDS];
	size_t words = THREAD_SIZE / sizeof(*stack), i = 0, j;

	BUILD_BUG_ON(THREAD_SIZE % sizeof(buf));
	while (i < words) {
		if (ts_stack_copy(buf, stack + i, sizeof(buf)))
			return -EFAULT;
		for (j = 0; j < TS_SCAN_WORDS; j++) {
			if (!i && !j && buf[0] == STACK_END_MAGIC)
				continue;
			if (buf[j])
				return (words - i - j) * sizeof(*stack);
		}
		i += TS_SCAN_WORDS;
	}
	return 0;
}

/*
 * Everything read off the kernel stack itself, copied in one
 * ts_stack_get() section (see task_stack_access.h). Return 0, or the
 * THREADSTAT_KSTACK_MISSING_* reason there is nothing to report.
 */
static u32 ts_kernel_stack_usage(struct task_struct *task,
				 struct ts_stack_usage *u)
{
	unsigned long ncsw, sp, base, user_sp = 0;
	const void *stack;
	bool off_cpu, ok;
	long used = -EFAULT;

	memset(u, 0, sizeof(*u));
	off_cpu = ts_off_cpu_begin(task, &ncsw);
	stack = ts_stack_get(task);
	if (stack) {
		used = ts_kernel_used(stack);
		if (used >= 0 && !(task->flags & PF_KTHREAD) &&
		    ts_stack_copy(&user_sp, &ts_stack_user_regs(stack)->sp,
				  sizeof(user_sp)))
			used = -EFAULT;
	}
	sp = READ_ONCE(task->thread.sp);	/* in task_struct: no copy */
	ok = stack && used >= 0 && ts_stack_still_owned(task, stack);
	ts_stack_put();
	if (!ok)
		return THREADSTAT_KSTACK_MISSING_EXITED;

	u->kernel_used = used;
	u->user_sp = user_sp;
	base = (unsigned long)stack;
	if (off_cpu && sp > base && sp < base + THREAD_SIZE &&
	    ts_off_cpu_end(task, ncsw))
		u->kernel_depth = base + THREAD_SIZE - sp;
	return 0;
}

/* The page at @addr if it is resident; never faults it in. */
static struct page *ts_resident_page(struct mm_struct *mm, unsigned long addr)
{
	struct page *page;

	return ts_get_user_page(mm, addr, FOLL_NOFAULT, &page) == 1 ? page :
								       NULL;
}

/*
 * Offset of the lowest non-zero word in the resident page at @addr, or -1
 * when the page is not resident or all zero.
 */
static long ts_page_first_word(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = ts_resident_page(mm, addr);
	const unsigned long *words;
	long off = -1;
	size_t i;

	if (!page)
		return -1;
	words = kmap_local_page(page);
	for (i = 0; i < PAGE_SIZE / sizeof(*words); i++) {
		if (words[i]) {
			off = i * sizeof(*words);
			break;
		}
	}
	kunmap_local(words);
	put_page(page);
	return off;
}

/* The deepest address the stack in [@start, @sp] reached; see the top. */
static unsigned long ts_user_deepest(struct mm_struct *mm,
				     unsigned long start, unsigned long sp)
{
	unsigned long lo = start, hi = sp & PAGE_MASK, mid;
	long off, hi_off;

	hi_off = ts_page_first_word(mm, hi);
	if (hi_off < 0)
		return sp;
	while (lo < hi) {
		mid = lo + ((((hi - lo) >> PAGE_SHIFT) / 2) << PAGE_SHIFT);
		off = ts_page_first_word(mm, mid);
		if (off >= 0) {
			hi = mid;
			hi_off = off;
		} else {
			lo = mid + PAGE_SIZE;
		}
	}
	return min(hi + hi_off, sp);
}

/* The guard mapping right below @vma: inaccessible and adjacent. */
static unsigned long ts_guard_below(struct mm_struct *mm,
				    struct vm_area_struct *vma)
{
	struct vm_area_struct *prev;

	if (vma->vm_flags & VM_GROWSDOWN || !vma->vm_start)
		return 0;
	prev = find_vma(mm, vma->vm_start - 1);
	if (!prev || prev == vma || prev->vm_end != vma->vm_start ||
	    prev->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))
		return 0;
	return prev->vm_end - prev->vm_start;
}

/* May sleep: takes the mm's mmap lock. */
static bool ts_user_stack(struct task_struct *task, unsigned long sp,
			  struct ts_user_stack *us)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	bool found = false;

	mm = get_task_mm(task);
	if (!mm)
		return false;
	if (mmap_read_lock_killable(mm)) {
		mmput(mm);
		return false;
	}
	vma = find_vma(mm, sp);
	if (vma && vma->vm_start <= sp) {
		us->start = vma->vm_start;
		us->end = vma->vm_end;
		us->sp = sp;
		us->guard = ts_guard_below(mm, vma);
		us->deepest = ts_user_deepest(mm, vma->vm_start, sp);
		found = true;
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return found;
}

static int ts_put_user_stack(struct sk_buff *skb,
			     const struct ts_user_stack *us)
{
	if (ts_put_u64(skb, THREADSTAT_A_STACK_USER_START, us->start) ||
	    ts_put_u64(skb, THREADSTAT_A_STACK_USER_END, us->end) ||
	    ts_put_u64(skb, THREADSTAT_A_STACK_USER_SP, us->sp) ||
	    ts_put_u64(skb, THREADSTAT_A_STACK_USER_DEPTH, us->end - us->sp) ||
	    ts_put_u64(skb, THREADSTAT_A_STACK_USER_USED,
		       us->end - us->deepest))
		return -EMSGSIZE;
	if (us->guard &&
	    ts_put_u64(skb, THREADSTAT_A_STACK_USER_GUARD, us->guard))
		return -EMSGSIZE;
	return 0;
}

/**
 * ts_fill_stack() - put the stack group of one thread
 * @skb: message being built
 * @task: the thread (referenced by the caller)
 * @view: requester (unused: the caller checked the privilege)
 *
 * Context: process context, no locks held: takes the thread's mmap lock.
 * Return: 0 or -EMSGSIZE.
 */
int ts_fill_stack(struct sk_buff *skb, struct task_struct *task,
		  const struct ts_view *view)
{
	struct ts_stack_usage u;
	struct ts_user_stack us;
	struct nlattr *nest;
	bool user = false;
	u32 why;

	why = ts_kernel_stack_usage(task, &u);
	if (why)	/* exited: its stacks are gone */
		return nla_put_u32(skb, THREADSTAT_A_THREAD_STACK_MISSING, why);
	if (u.user_sp)
		user = ts_user_stack(task, u.user_sp, &us);

	nest = nla_nest_start(skb, THREADSTAT_A_THREAD_STACK);
	if (!nest ||
	    ts_put_u64(skb, THREADSTAT_A_STACK_KERNEL_SIZE, THREAD_SIZE) ||
	    ts_put_u64(skb, THREADSTAT_A_STACK_KERNEL_USED, u.kernel_used))
		return -EMSGSIZE;
	if (u.kernel_depth &&
	    ts_put_u64(skb, THREADSTAT_A_STACK_KERNEL_DEPTH, u.kernel_depth))
		return -EMSGSIZE;
	if (user && ts_put_user_stack(skb, &us))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}
