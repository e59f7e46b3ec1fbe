// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the kernel is collecting schedstats and delay accounting.
 *
 * Both are switched by sysctls (kernel.sched_schedstats and
 * kernel.task_delayacct) backed by static keys that are not exported to
 * modules, and while a switch is off the counters stand still: a thread's
 * zero would mean "not counted", not "never waited". So we read the sysctl
 * files, once per request, and leave the groups out while they are off.
 *
 * The files are opened once, when the module loads, and only read per
 * request. A path looked up per request would be resolved against the
 * requester's root, and an unprivileged user can chroot (as root of its own
 * user namespace) into a tree where that path is a FIFO nobody writes --
 * stalling its request while it holds genetlink's cb_lock, so that a family
 * (un)registering waits forever and every genetlink request behind that
 * waits too -- or a file that says whatever it likes.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>

#include "threadstat.h"

static struct file *ts_schedstats_file;
static struct file *ts_delayacct_file;

/**
 * ts_sysctl_open() - open a sysctl file for ts_sysctl_read()
 * @path: its path, resolved in the namespaces of the caller (the loader)
 *
 * Return: the file, or NULL (with a warning) when it cannot be opened.
 */
struct file *ts_sysctl_open(const char *path)
{
	struct file *file = filp_open(path, O_RDONLY, 0);

	if (IS_ERR(file)) {
		pr_warn("threadstat: cannot open %s (%ld)\n", path,
			PTR_ERR(file));
		return NULL;
	}
	return file;
}

/**
 * ts_sysctl_read() - read an integer sysctl through a file opened at load
 * @file: from ts_sysctl_open(), or NULL
 * @val: where the value goes
 *
 * Return: 0, or a negative errno when there is no file or no number in it.
 */
int ts_sysctl_read(struct file *file, int *val)
{
	char buf[16] = {};
	loff_t pos = 0;
	ssize_t len;

	if (!file)
		return -ENOENT;
	len = kernel_read(file, buf, sizeof(buf) - 1, &pos);
	if (len <= 0)
		return len ? len : -EIO;
	return kstrtoint(strim(buf), 10, val);
}

/* A switch that cannot be read is off. */
static bool ts_sysctl_on(struct file *file)
{
	int val;

	return !ts_sysctl_read(file, &val) && val != 0;
}

/**
 * ts_accounting_init() - open the sysctl files, in the loader's namespaces
 *
 * A file that cannot be opened makes its group read as off (it warns).
 */
void ts_accounting_init(void)
{
	ts_schedstats_file = ts_sysctl_open("/proc/sys/kernel/sched_schedstats");
	ts_delayacct_file = ts_sysctl_open("/proc/sys/kernel/task_delayacct");
}

/**
 * ts_accounting_exit() - close what ts_accounting_init() opened
 */
void ts_accounting_exit(void)
{
	if (ts_delayacct_file)
		fput(ts_delayacct_file);
	if (ts_schedstats_file)
		fput(ts_schedstats_file);
}

/**
 * ts_schedstats_on() - is the kernel collecting schedstats?
 *
 * Return: true when kernel.sched_schedstats is 1.
 */
bool ts_schedstats_on(void)
{
	return ts_sysctl_on(ts_schedstats_file);
}

/**
 * ts_delayacct_on() - is delay accounting on?
 *
 * Return: true when kernel.task_delayacct is 1.
 */
bool ts_delayacct_on(void)
{
	return ts_sysctl_on(ts_delayacct_file);
}
