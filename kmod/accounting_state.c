// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the kernel is collecting schedstats and delay accounting.
 *
 * Both are switched by sysctls (kernel.sched_schedstats and
 * kernel.task_delayacct) backed by static keys that are not exported to
 * modules, and while a switch is off the counters stand still: a thread's
 * zero would mean "not counted", not "never waited". So we read the sysctl
 * files, once per request, and leave the groups out while they are off.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>

#include "threadstat.h"

static bool ts_sysctl_on(const char *path)
{
	char buf[8] = {};
	struct file *file;
	loff_t pos = 0;
	ssize_t len;
	int val = 0;

	file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(file))
		return false;
	len = kernel_read(file, buf, sizeof(buf) - 1, &pos);
	filp_close(file, NULL);
	if (len <= 0 || kstrtoint(strim(buf), 10, &val))
		return false;
	return val != 0;
}

/**
 * ts_schedstats_on() - is the kernel collecting schedstats?
 *
 * Return: true when kernel.sched_schedstats is 1.
 */
bool ts_schedstats_on(void)
{
	return ts_sysctl_on("/proc/sys/kernel/sched_schedstats");
}

/**
 * ts_delayacct_on() - is delay accounting on?
 *
 * Return: true when kernel.task_delayacct is 1.
 */
bool ts_delayacct_on(void)
{
	return ts_sysctl_on("/proc/sys/kernel/task_delayacct");
}
