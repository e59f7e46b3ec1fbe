// SPDX-License-Identifier: GPL-2.0
/*
 * The "threadstat" generic netlink family: its operations and policies.
 *
 * Every operation has a policy and is validated strictly (resv_start_op is
 * left at zero, as a new family should), so an unknown attribute, a wrong
 * type or a bad length is rejected by the core with an extack message
 * before any of our code runs.
 */
#include <net/genetlink.h>

#include "threadstat.h"

const struct nla_policy ts_thread_get_policy[THREADSTAT_A_THREAD_MAX + 1] = {
	[THREADSTAT_A_THREAD_TID] = NLA_POLICY_MIN(NLA_U32, 1),
	[THREADSTAT_A_THREAD_TGID] = NLA_POLICY_MIN(NLA_U32, 1),
	[THREADSTAT_A_THREAD_FIELDS] =
		NLA_POLICY_MASK(NLA_U32, THREADSTAT_FIELDS_ALL),
};

const struct nla_policy ts_cpu_get_policy[THREADSTAT_A_CPU_MAX + 1] = {
	[THREADSTAT_A_CPU_CPU] = { .type = NLA_U32 },
};

/* No request attributes: strict validation rejects every one. */
static const struct nla_policy ts_system_get_policy[THREADSTAT_A_SYSTEM_MAX + 1];

static const struct genl_ops ts_ops[] = {
	{
		.cmd = THREADSTAT_CMD_THREAD_GET,
		.doit = ts_thread_get_doit,
		.start = ts_thread_get_start,
		.dumpit = ts_thread_get_dumpit,
		.done = ts_thread_get_done,
		.policy = ts_thread_get_policy,
		.maxattr = ARRAY_SIZE(ts_thread_get_policy) - 1,
	},
	{
		.cmd = THREADSTAT_CMD_CPU_GET,
		.doit = ts_cpu_get_doit,
		.start = ts_cpu_get_start,
		.dumpit = ts_cpu_get_dumpit,
		.done = ts_cpu_get_done,
		.policy = ts_cpu_get_policy,
		.maxattr = ARRAY_SIZE(ts_cpu_get_policy) - 1,
	},
	{
		.cmd = THREADSTAT_CMD_SYSTEM_GET,
		.doit = ts_system_get_doit,
		.policy = ts_system_get_policy,
		.maxattr = ARRAY_SIZE(ts_system_get_policy) - 1,
	},
	{
		.cmd = THREADSTAT_CMD_EVENTS_SUBSCRIBE,
		.doit = ts_events_subscribe_doit,
		.policy = ts_events_policy,
		.maxattr = ARRAY_SIZE(ts_events_policy) - 1,
	},
	{
		.cmd = THREADSTAT_CMD_LATENCY_SET,
		.doit = ts_latency_set_doit,
		.policy = ts_latency_policy,
		.maxattr = ARRAY_SIZE(ts_latency_policy) - 1,
	},
};

struct genl_family ts_family __ro_after_init = {
	.name = THREADSTAT_FAMILY_NAME,
	.version = THREADSTAT_FAMILY_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = ts_ops,
	.n_ops = ARRAY_SIZE(ts_ops),
};

/**
 * ts_family_register() - register the threadstat generic netlink family
 *
 * Return: 0 or a negative errno from genl_register_family().
 */
int ts_family_register(void)
{
	return genl_register_family(&ts_family);
}

/**
 * ts_family_unregister() - unregister the family
 *
 * Waits for requests in flight; the core ends open dumps first.
 */
void ts_family_unregister(void)
{
	genl_unregister_family(&ts_family);
}
