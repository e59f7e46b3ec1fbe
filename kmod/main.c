// SPDX-License-Identifier: GPL-2.0
/*
 * threadstat.ko: per-thread and per-CPU statistics over generic netlink.
 *
 * The module only answers requests; it keeps no per-thread state, so
 * loading it costs nothing until somebody asks.
 */
#include <linux/module.h>

#include "threadstat.h"

static int __init threadstat_init(void)
{
	int err;

	err = ts_dump_consistency_init();
	if (err)
		return err;
	err = ts_events_init();
	if (err) {
		ts_dump_consistency_exit();
		return err;
	}
	err = ts_latency_set_init();
	if (err) {
		ts_events_exit();
		ts_dump_consistency_exit();
		return err;
	}
	ts_accounting_init();
	ts_access_init();
	err = ts_family_register();
	if (err) {
		ts_access_exit();
		ts_latency_set_exit();
		ts_events_exit();
		ts_accounting_exit();
		ts_dump_consistency_exit();
	}
	return err;
}

static void __exit threadstat_exit(void)
{
	ts_family_unregister();
	ts_latency_set_exit();
	ts_events_exit();
	ts_access_exit();
	ts_accounting_exit();
	ts_dump_consistency_exit();
}

module_init(threadstat_init);
module_exit(threadstat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-thread and per-CPU statistics over generic netlink");
MODULE_AUTHOR("threadstat developers");
MODULE_ALIAS_GENL_FAMILY(THREADSTAT_FAMILY_NAME);
