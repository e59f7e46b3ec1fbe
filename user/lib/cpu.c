// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * CPUs and machine-wide totals: the attribute tables of CPU_GET and
 * SYSTEM_GET replies and the requests that fetch them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "proc_source.h"

#define C(type, kind, name, member) \
	TS_FIELD(CPU, ts_cpu, type, kind, 0, name, member)

static const struct ts_field ts_cpu_fields[] = {
	C(CPU, U32, "cpu", cpu),
	C(ONLINE, BOOL, "online", online),
	C(PACKAGE_ID, U32, "package-id", package_id),
	C(DIE_ID, U32, "die-id", die_id),
	C(CLUSTER_ID, U32, "cluster-id", cluster_id),
	C(CORE_ID, U32, "core-id", core_id),
	C(SIBLINGS, CPUSET, "siblings", siblings),
	C(USER, U64, "user", user),
	C(NICE, U64, "nice", nice),
	C(SYSTEM, U64, "system", system),
	C(IDLE, U64, "idle", idle),
	C(IOWAIT, U64, "iowait", iowait),
	C(IRQ, U64, "irq", irq),
	C(SOFTIRQ, U64, "softirq", softirq),
	C(STEAL, U64, "steal", steal),
	C(GUEST, U64, "guest", guest),
	C(GUEST_NICE, U64, "guest-nice", guest_nice),
	C(FREQ_KHZ, U32, "freq-khz", freq_khz),
	C(CURR_TID, U32, "curr-tid", curr_tid),
	C(CURR_TGID, U32, "curr-tgid", curr_tgid),
	C(CURR_COMM, STRING, "curr-comm", curr_comm),
	C(NR_RUNNING, U32, "nr-running", nr_running),
	C(NR_THREADS, U32, "nr-threads", nr_threads),
};

#define S(type, kind, name, member) \
	TS_FIELD(SYSTEM, ts_system, type, kind, 0, name, member)

static const struct ts_field ts_system_fields[] = {
	S(CPUS_POSSIBLE, U32, "cpus-possible", cpus_possible),
	S(CPUS_ONLINE, U32, "cpus-online", cpus_online),
	S(BOOT_TIME, U64, "boot-time", boot_time),
	S(UPTIME, U64, "uptime", uptime),
	S(LOAD_1, U32, "load-1", load_1),
	S(LOAD_5, U32, "load-5", load_5),
	S(LOAD_15, U32, "load-15", load_15),
	S(NR_PROCESSES, U32, "nr-processes", nr_processes),
	S(NR_THREADS, U32, "nr-threads", nr_threads),
	S(NR_RUNNING, U32, "nr-running", nr_running),
	S(NR_BLOCKED, U32, "nr-blocked", nr_blocked),
};

const struct ts_set ts_cpu_set =
	TS_SET("cpu", ts_cpu, ts_cpu_fields, THREADSTAT_A_CPU_MAX);
const struct ts_set ts_system_set =
	TS_SET("system", ts_system, ts_system_fields, THREADSTAT_A_SYSTEM_MAX);

int ts_cpu_decode(const void *attrs, size_t len, struct ts_cpu *out,
		  struct ts_error *err)
{
	memset(out, 0, sizeof(*out));
	if (ts_decode_set(&ts_cpu_set, out, attrs, len, err))
		return -1;
	if (!ts_present(&ts_cpu_set, out, THREADSTAT_A_CPU_CPU))
		return ts_fail(err, EPROTO, "CPU reply without a cpu");
	return 0;
}

int ts_system_decode(const void *attrs, size_t len, struct ts_system *out,
		     struct ts_error *err)
{
	memset(out, 0, sizeof(*out));
	return ts_decode_set(&ts_system_set, out, attrs, len, err);
}

struct ts_cpu_collect {
	struct ts_cpu_list *list;
	struct ts_error *err;
};

static int ts_cpu_msg(const void *attrs, size_t len, void *arg)
{
	struct ts_cpu_collect *st = arg;
	struct ts_cpu cpu;

	if (ts_cpu_decode(attrs, len, &cpu, st->err))
		return -1;
	if (ts_vec_push((void **)&st->list->v, &st->list->n, &st->list->cap,
			sizeof(cpu), &cpu))
		return ts_fail(st->err, ENOMEM, "out of memory");
	return 0;
}

int ts_cpu_list_dump(struct ts_client *c, struct ts_cpu_list *list,
		     struct ts_error *err)
{
	struct ts_cpu_collect st = { list, err };

	if (ts_client_proc(c))
		return ts_proc_cpu_list(list, err);
	memset(list, 0, sizeof(*list));
	if (ts_request(c, THREADSTAT_CMD_CPU_GET, true, NULL, 0, ts_cpu_msg,
		       &st, NULL, err)) {
		ts_cpu_list_free(list);
		return -1;
	}
	return 0;
}

void ts_cpu_list_free(struct ts_cpu_list *list)
{
	free(list->v);
	memset(list, 0, sizeof(*list));
}

/* A do request's reply, decoded with its error kept for the caller. */
struct ts_one {
	void *out;
	struct ts_error *err;
};

static int ts_cpu_keep(const void *attrs, size_t len, void *arg)
{
	struct ts_one *one = arg;

	return ts_cpu_decode(attrs, len, one->out, one->err);
}

int ts_cpu_get(struct ts_client *c, uint32_t cpu, struct ts_cpu *out,
	       struct ts_error *err)
{
	struct ts_req_attr a = { THREADSTAT_A_CPU_CPU, cpu };
	struct ts_one one = { out, err };

	memset(out, 0, sizeof(*out));
	if (ts_client_proc(c))
		return ts_proc_cpu_get(cpu, out, err);
	if (ts_request(c, THREADSTAT_CMD_CPU_GET, false, &a, 1, ts_cpu_keep,
		       &one, NULL, err))
		return -1;
	if (!ts_present(&ts_cpu_set, out, THREADSTAT_A_CPU_CPU))
		return ts_fail(err, EPROTO, "no CPU in the reply");
	return 0;
}

static int ts_system_keep(const void *attrs, size_t len, void *arg)
{
	struct ts_one *one = arg;

	return ts_system_decode(attrs, len, one->out, one->err);
}

int ts_system_get(struct ts_client *c, struct ts_system *out,
		  struct ts_error *err)
{
	struct ts_one one = { out, err };

	if (ts_client_proc(c))
		return ts_proc_system_get(out, err);
	memset(out, 0, sizeof(*out));
	if (ts_request(c, THREADSTAT_CMD_SYSTEM_GET, false, NULL, 0,
		       ts_system_keep, &one, NULL, err))
		return -1;
	if (!ts_present(&ts_system_set, out, THREADSTAT_A_SYSTEM_CPUS_POSSIBLE))
		return ts_fail(err, EPROTO, "no system totals in the reply");
	return 0;
}

/* Guest time is already part of user and nice time: not added twice. */
uint64_t ts_cpu_total_ns(const struct ts_cpu *cpu)
{
	return cpu->user + cpu->nice + cpu->system + cpu->idle + cpu->iowait +
	       cpu->irq + cpu->softirq + cpu->steal;
}

uint64_t ts_cpu_busy_ns(const struct ts_cpu *cpu)
{
	return ts_cpu_total_ns(cpu) - cpu->idle - cpu->iowait;
}
