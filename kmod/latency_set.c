// SPDX-License-Identifier: GPL-2.0
/*
 * THREADSTAT_CMD_LATENCY_SET: who holds run-queue latency measurement on
 * (contract in the UAPI header; the measurement itself is latency.c).
 *
 * A hold is a netlink socket, (net, portid), that asked for it with on = 1;
 * a persist hold belongs to nobody. Measurement runs while any hold
 * exists. A socket's hold ends when the socket is released
 * (NETLINK_URELEASE notifier); on = 0 ends every hold. All under
 * ts_lat_mutex, which also serializes ts_latency_start()/stop().
 *
 * Changing it needs CAP_NET_ADMIN of the socket's opener (as
 * GENL_ADMIN_PERM would check); it is checked here rather than by the
 * core so that the same command answers the state to anyone, and so that
 * a refusal carries an extack message.
 */
#include <linux/capability.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "threadstat.h"

#define TS_LAT_HOLDERS_MAX	64	/* sockets holding it on */

static struct {
	struct net *net;	/* compared only, never dereferenced */
	u32 portid;
} ts_lat_holders[TS_LAT_HOLDERS_MAX];
static unsigned int ts_lat_nr_holders;
static bool ts_lat_persist;
static DEFINE_MUTEX(ts_lat_mutex);

const struct nla_policy ts_latency_policy[THREADSTAT_A_LATENCY_MAX + 1] = {
	[THREADSTAT_A_LATENCY_ON] = NLA_POLICY_MAX(NLA_U32, 1),
	[THREADSTAT_A_LATENCY_PERSIST] = { .type = NLA_FLAG },
};

static int ts_lat_holder(struct net *net, u32 portid)
{
	unsigned int i;

	for (i = 0; i < ts_lat_nr_holders; i++)
		if (ts_lat_holders[i].portid == portid &&
		    net_eq(ts_lat_holders[i].net, net))
			return i;
	return -1;
}

/* Stop measuring once nobody holds it on. */
static void ts_lat_update(void)
{
	lockdep_assert_held(&ts_lat_mutex);
	if (!ts_lat_nr_holders && !ts_lat_persist)
		ts_latency_stop();
}

static void ts_lat_drop_all(void)
{
	lockdep_assert_held(&ts_lat_mutex);
	ts_lat_nr_holders = 0;
	ts_lat_persist = false;
	ts_latency_stop();
}

static int ts_lat_hold(struct genl_info *info, bool persist)
{
	struct net *net = genl_info_net(info);
	int err;

	lockdep_assert_held(&ts_lat_mutex);
	if (!persist && ts_lat_holder(net, info->snd_portid) >= 0)
		return 0;
	if (!persist && ts_lat_nr_holders == TS_LAT_HOLDERS_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "too many sockets hold latency on; use persist");
		return -EBUSY;
	}
	err = ts_latency_start();
	if (err == -EOPNOTSUPP) {
		NL_SET_ERR_MSG(info->extack,
			       "this kernel lacks a scheduler tracepoint");
		return err;
	}
	if (err) {
		NL_SET_ERR_MSG(info->extack,
			       "cannot allocate or register the latency probes");
		return err;
	}
	if (persist) {
		ts_lat_persist = true;
		return 0;
	}
	ts_lat_holders[ts_lat_nr_holders].net = net;
	ts_lat_holders[ts_lat_nr_holders].portid = info->snd_portid;
	ts_lat_nr_holders++;
	return 0;
}

static int ts_lat_put_state(struct sk_buff *msg)
{
	u64 overflow;
	u32 tracked;
	bool on;

	lockdep_assert_held(&ts_lat_mutex);
	on = ts_latency_state(&tracked, &overflow);
	if (nla_put_u8(msg, THREADSTAT_A_LATENCY_ENABLED, on) ||
	    nla_put_u32(msg, THREADSTAT_A_LATENCY_HOLDERS, ts_lat_nr_holders) ||
	    nla_put_u8(msg, THREADSTAT_A_LATENCY_PERSISTENT, ts_lat_persist) ||
	    nla_put_u32(msg, THREADSTAT_A_LATENCY_TRACKED, tracked) ||
	    nla_put_u32(msg, THREADSTAT_A_LATENCY_CAPACITY, TS_LAT_CAP) ||
	    ts_put_u64(msg, THREADSTAT_A_LATENCY_OVERFLOW, overflow))
		return -EMSGSIZE;
	return 0;
}

/**
 * ts_latency_set_doit() - THREADSTAT_CMD_LATENCY_SET
 * @skb: the request
 * @info: its attributes (validated against ts_latency_policy)
 *
 * Return: 0 (the state is replied) or a negative errno with an extack
 * message.
 */
int ts_latency_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *on = info->attrs[THREADSTAT_A_LATENCY_ON];
	bool persist = nla_get_flag(info->attrs[THREADSTAT_A_LATENCY_PERSIST]);
	struct sk_buff *msg;
	void *hdr;
	int err = 0;

	if (persist && (!on || !nla_get_u32(on))) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[THREADSTAT_A_LATENCY_PERSIST],
				    "persist goes with on = 1");
		return -EINVAL;
	}
	if (on && !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "turning latency on or off needs CAP_NET_ADMIN");
		return -EPERM;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ts_family, 0,
				THREADSTAT_CMD_LATENCY_SET);
	mutex_lock(&ts_lat_mutex);
	if (on && nla_get_u32(on))
		err = ts_lat_hold(info, persist);
	else if (on)
		ts_lat_drop_all();
	if (!err && (!hdr || ts_lat_put_state(msg)))
		err = -EMSGSIZE;
	mutex_unlock(&ts_lat_mutex);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* A socket is gone: its hold, if any, ends. */
static int ts_lat_netlink_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;
	int i;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	mutex_lock(&ts_lat_mutex);
	i = ts_lat_holder(n->net, n->portid);
	if (i >= 0) {
		ts_lat_holders[i] = ts_lat_holders[--ts_lat_nr_holders];
		ts_lat_update();
	}
	mutex_unlock(&ts_lat_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block ts_lat_nb = {
	.notifier_call = ts_lat_netlink_event,
};

/**
 * ts_latency_set_init() - find the tracepoints, watch for closed sockets
 *
 * Return: 0 or the error of netlink_register_notifier().
 */
int ts_latency_set_init(void)
{
	ts_latency_init();
	return netlink_register_notifier(&ts_lat_nb);
}

/**
 * ts_latency_set_exit() - drop every hold; no probe runs after this
 *
 * Called after the family is unregistered, so no request comes in.
 */
void ts_latency_set_exit(void)
{
	netlink_unregister_notifier(&ts_lat_nb);
	mutex_lock(&ts_lat_mutex);
	ts_lat_drop_all();
	mutex_unlock(&ts_lat_mutex);
}
