// SPDX-License-Identifier: GPL-2.0
/*
 * The schedstats group: struct sched_statistics of a thread, the counters
 * /proc/PID/sched prints, one attribute per field.
 */
#include <linux/sched.h>
#include <linux/stddef.h>

#include "threadstat.h"

#define SS(attr, field) \
	{ THREADSTAT_A_THREAD_##attr, offsetof(struct sched_statistics, field) }

static const struct {
	u16 type;
	u16 offset;
} ts_schedstats[] = {
	SS(WAIT_SUM, wait_sum),
	SS(WAIT_COUNT, wait_count),
	SS(WAIT_MAX, wait_max),
	SS(IOWAIT_SUM, iowait_sum),
	SS(IOWAIT_COUNT, iowait_count),
	SS(SLEEP_SUM, sum_sleep_runtime),
	SS(SLEEP_MAX, sleep_max),
	SS(BLOCK_SUM, sum_block_runtime),
	SS(BLOCK_MAX, block_max),
	SS(EXEC_MAX, exec_max),
	SS(SLICE_MAX, slice_max),
	SS(NR_MIGRATIONS_COLD, nr_migrations_cold),
	SS(NR_FAILED_MIGRATIONS_AFFINE, nr_failed_migrations_affine),
	SS(NR_FAILED_MIGRATIONS_RUNNING, nr_failed_migrations_running),
	SS(NR_FAILED_MIGRATIONS_HOT, nr_failed_migrations_hot),
	SS(NR_FORCED_MIGRATIONS, nr_forced_migrations),
	SS(NR_WAKEUPS, nr_wakeups),
	SS(NR_WAKEUPS_SYNC, nr_wakeups_sync),
	SS(NR_WAKEUPS_MIGRATE, nr_wakeups_migrate),
	SS(NR_WAKEUPS_LOCAL, nr_wakeups_local),
	SS(NR_WAKEUPS_REMOTE, nr_wakeups_remote),
	SS(NR_WAKEUPS_AFFINE, nr_wakeups_affine),
	SS(NR_WAKEUPS_AFFINE_ATTEMPTS, nr_wakeups_affine_attempts),
	SS(NR_WAKEUPS_PASSIVE, nr_wakeups_passive),
	SS(NR_WAKEUPS_IDLE, nr_wakeups_idle),
};

/**
 * ts_fill_schedstats() - put the schedstats group of one thread
 * @skb: message being built
 * @task: the thread (referenced by the caller)
 * @view: requester; view->schedstats says whether they are collected
 *
 * Every field is 64 bits wide in both supported kernels (some signed).
 *
 * Return: 0 or -EMSGSIZE.
 */
int ts_fill_schedstats(struct sk_buff *skb, struct task_struct *task,
		       const struct ts_view *view)
{
	const char *stats = (const char *)&task->stats;
	size_t i;

	if (nla_put_u8(skb, THREADSTAT_A_THREAD_SCHEDSTATS_ENABLED,
		       view->schedstats))
		return -EMSGSIZE;
	if (!view->schedstats)
		return 0;

	BUILD_BUG_ON(sizeof(task->stats.exec_max) != sizeof(u64));
	BUILD_BUG_ON(sizeof(task->stats.sum_sleep_runtime) != sizeof(u64));
	for (i = 0; i < ARRAY_SIZE(ts_schedstats); i++) {
		u64 value = READ_ONCE(*(const u64 *)(stats +
						     ts_schedstats[i].offset));

		if (ts_put_u64(skb, ts_schedstats[i].type, value))
			return -EMSGSIZE;
	}
	return 0;
}
