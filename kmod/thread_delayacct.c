// SPDX-License-Identifier: GPL-2.0
/*
 * The delayacct group: time a thread spent waiting for block I/O, swap-in,
 * memory reclaim, thrashing and compaction (struct task_delay_info), the
 * numbers taskstats and getdelays report, plus write-protect copies and,
 * where struct task_delay_info has them (6.2 on), IRQ/softirq time.
 */
/* delayacct.h does not include what it uses itself. */
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/delayacct.h>

#include "threadstat.h"
#include "compat.h"

/**
 * ts_fill_delayacct() - put the delayacct group of one thread
 * @skb: message being built
 * @task: the thread (referenced by the caller, so task->delays stays)
 * @view: requester; view->delayacct says whether delay accounting is on
 *
 * Return: 0 or -EMSGSIZE.
 */
int ts_fill_delayacct(struct sk_buff *skb, struct task_struct *task,
		      const struct ts_view *view)
{
	struct task_delay_info *d = task->delays;
	u64 blkio, swapin, reclaim, thrashing, compact, wpcopy;
	u64 irq __maybe_unused;
	u32 nblkio, nswapin, nreclaim, nthrashing, ncompact, nwpcopy;
	u32 nirq __maybe_unused;	/* 6.2 on */
	unsigned long flags;

	if (nla_put_u8(skb, THREADSTAT_A_THREAD_DELAYACCT_ENABLED,
		       view->delayacct))
		return -EMSGSIZE;
	if (!view->delayacct || !d)
		return 0;

	/* The same lock the kernel's own readers (taskstats) take. */
	raw_spin_lock_irqsave(&d->lock, flags);
	blkio = d->blkio_delay;
	nblkio = d->blkio_count;
	swapin = d->swapin_delay;
	nswapin = d->swapin_count;
	reclaim = d->freepages_delay;
	nreclaim = d->freepages_count;
	thrashing = d->thrashing_delay;
	nthrashing = d->thrashing_count;
	compact = d->compact_delay;
	ncompact = d->compact_count;
	wpcopy = d->wpcopy_delay;
	nwpcopy = d->wpcopy_count;
#ifdef TS_HAVE_DELAY_IRQ
	irq = d->irq_delay;
	nirq = d->irq_count;
#endif
	raw_spin_unlock_irqrestore(&d->lock, flags);

	if (ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_BLKIO, blkio) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_BLKIO_COUNT, nblkio) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_SWAPIN, swapin) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_SWAPIN_COUNT, nswapin) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_RECLAIM, reclaim) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_RECLAIM_COUNT,
		       nreclaim) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_THRASHING, thrashing) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_THRASHING_COUNT,
		       nthrashing) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_COMPACT, compact) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_COMPACT_COUNT, ncompact) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_WPCOPY, wpcopy) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_WPCOPY_COUNT, nwpcopy))
		return -EMSGSIZE;
#ifdef TS_HAVE_DELAY_IRQ
	if (ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_IRQ, irq) ||
	    ts_put_u64(skb, THREADSTAT_A_THREAD_DELAY_IRQ_COUNT, nirq))
		return -EMSGSIZE;
#endif
	return 0;
}
