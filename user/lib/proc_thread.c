// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * One thread from /proc/TGID/task/TID/{stat,status,schedstat,sched}: the
 * fields /proc has, in the module's units (ns, bytes, the same ids), each
 * marked present; what /proc does not have stays absent, never 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_source.h"

#define PF_KTHREAD	0x00200000	/* include/linux/sched.h */
#define NICE_TO_PRIO(n)	((n) + 120)	/* static_prio, as the kernel keeps it */

static void put_u64(struct ts_thread *t, uint16_t type, uint64_t *dst,
		    uint64_t v)
{
	*dst = v;
	ts_proc_mark(t->present, type);
}

/* The value after "Key:" on a line of /proc/PID/status, or NULL. */
static const char *status_value(const char *status, const char *key)
{
	size_t n = strlen(key);
	const char *line = status;

	while (line && *line) {
		if (!strncmp(line, key, n) && line[n] == ':')
			return line + n + 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

static bool status_u64(const char *status, const char *key, uint64_t *v)
{
	const char *p = status_value(status, key);

	return p && sscanf(p, "%" SCNu64, v) == 1;
}

int ts_proc_cpulist_parse(const char *s, uint64_t *set)
{
	memset(set, 0, TS_CPUSET_WORDS * sizeof(*set));
	while (*s == ' ' || *s == '\t')
		s++;
	while (*s && *s != '\n') {
		unsigned long a, b;
		char *end;

		if (*s < '0' || *s > '9')
			return -1;
		a = b = strtoul(s, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -1;
			b = strtoul(end + 1, &end, 10);
		}
		if (b < a)
			return -1;
		/* CPUs past the bitmap are dropped, as the decoder does. */
		for (; a <= b && a < TS_CPUSET_WORDS * 64; a++)
			set[a / 64] |= 1ULL << (a % 64);
		s = end;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -1;
	}
	return 0;
}

/* "pid (comm) S ppid ...": comm is everything up to the last ')'. */
static const char *stat_comm(const char *stat, struct ts_thread *t)
{
	const char *open = strchr(stat, '('), *close = strrchr(stat, ')');
	size_t n;

	if (!open || !close || close < open || close[1] != ' ')
		return NULL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(t->comm))
		n = sizeof(t->comm) - 1;	/* kworker names are longer */
	memcpy(t->comm, open + 1, n);
	t->comm[n] = '\0';
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_COMM);
	return close + 2;
}

/* The fields of /proc/PID/stat after comm: 3 = state ... 41 = policy. */
struct stat_fields {
	char state;
	uint64_t v[42];		/* v[k]: field k (1-based, as proc(5)) */
};

static int stat_split(const char *rest, struct stat_fields *sf)
{
	int k;
	char *end;

	if (!rest[0] || rest[1] != ' ')
		return -1;
	sf->state = rest[0];
	rest += 2;
	for (k = 4; k <= 41; k++) {
		/* priority and nice (18, 19) are signed, the rest unsigned */
		if (k == 18 || k == 19)
			sf->v[k] = (uint64_t)strtoll(rest, &end, 10);
		else
			sf->v[k] = strtoull(rest, &end, 10);
		if (end == rest || (*end != ' ' && *end != '\n' && *end))
			return -1;
		rest = *end ? end + 1 : end;
	}
	return 0;
}

static void fill_process(const char *status, struct ts_thread *t)
{
	static const struct {
		const char *key;
		uint16_t type;
		size_t off;
	} mem[] = {
		{ "VmSize", THREADSTAT_A_PROCESS_VM_SIZE,
		  offsetof(struct ts_process, vm_size) },
		{ "RssAnon", THREADSTAT_A_PROCESS_RSS_ANON,
		  offsetof(struct ts_process, rss_anon) },
		{ "RssFile", THREADSTAT_A_PROCESS_RSS_FILE,
		  offsetof(struct ts_process, rss_file) },
		{ "RssShmem", THREADSTAT_A_PROCESS_RSS_SHMEM,
		  offsetof(struct ts_process, rss_shmem) },
		{ "VmSwap", THREADSTAT_A_PROCESS_SWAP,
		  offsetof(struct ts_process, swap) },
	};
	struct ts_process *p = &t->process;
	uint64_t v;
	size_t i;

	if (!status_u64(status, "Threads", &v))
		return;
	p->nr_threads = (uint32_t)v;
	ts_proc_mark(p->present, THREADSTAT_A_PROCESS_NR_THREADS);
	/* Kernel threads have no mm: no Vm lines, no memory fields. */
	for (i = 0; i < sizeof(mem) / sizeof(mem[0]); i++) {
		if (!status_u64(status, mem[i].key, &v) ||
		    v > UINT64_MAX / 1024)
			continue;
		*(uint64_t *)((char *)p + mem[i].off) = v * 1024;
		ts_proc_mark(p->present, mem[i].type);
	}
	/* exited-*: /proc has no per-thread split of the group's totals. */
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_PROCESS);
}

static void fill_sched(const struct ts_proc_files *f,
		       const struct stat_fields *sf, uint64_t tick_ns,
		       struct ts_thread *t)
{
	const char *p;
	uint64_t a, b, c;

	t->state = sf->state;
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_STATE);
	t->cpu = (uint32_t)sf->v[39];
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_CPU);
	t->policy = (uint32_t)sf->v[41];
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_POLICY);
	t->rt_priority = (uint32_t)sf->v[40];
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_RT_PRIORITY);
	t->prio = (int32_t)sf->v[18];	/* task_prio(): prio - MAX_RT_PRIO */
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_PRIO);
	t->nice = (int32_t)sf->v[19];
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_NICE);
	/* task_nice() is PRIO_TO_NICE(static_prio): the inverse is exact. */
	t->static_prio = NICE_TO_PRIO(t->nice);
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_STATIC_PRIO);
	put_u64(t, THREADSTAT_A_THREAD_MIN_FLT, &t->min_flt, sf->v[10]);
	put_u64(t, THREADSTAT_A_THREAD_MAJ_FLT, &t->maj_flt, sf->v[12]);
	/* Clock ticks of the same adjusted times: 10 ms steps at USER_HZ 100. */
	put_u64(t, THREADSTAT_A_THREAD_UTIME, &t->utime, sf->v[14] * tick_ns);
	put_u64(t, THREADSTAT_A_THREAD_STIME, &t->stime, sf->v[15] * tick_ns);

	if (status_u64(f->status, "voluntary_ctxt_switches", &a))
		put_u64(t, THREADSTAT_A_THREAD_NVCSW, &t->nvcsw, a);
	if (status_u64(f->status, "nonvoluntary_ctxt_switches", &a))
		put_u64(t, THREADSTAT_A_THREAD_NIVCSW, &t->nivcsw, a);
	p = status_value(f->status, "Cpus_allowed_list");
	if (p && !ts_proc_cpulist_parse(p, t->cpus_allowed)) {
		ts_proc_mark(t->present, THREADSTAT_A_THREAD_CPUS_ALLOWED);
		t->nr_cpus_allowed = ts_cpuset_weight(t->cpus_allowed);
		ts_proc_mark(t->present, THREADSTAT_A_THREAD_NR_CPUS_ALLOWED);
	}
	if (f->schedstat &&
	    sscanf(f->schedstat, "%" SCNu64 " %" SCNu64 " %" SCNu64,
		   &a, &b, &c) == 3) {
		put_u64(t, THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME,
			&t->sum_exec_runtime, a);
		put_u64(t, THREADSTAT_A_THREAD_RUN_DELAY, &t->run_delay, b);
		put_u64(t, THREADSTAT_A_THREAD_PCOUNT, &t->pcount, c);
	}
	/* /proc/PID/sched (CONFIG_SCHED_DEBUG): "se.nr_migrations  :  N" */
	p = f->sched ? strstr(f->sched, "\nse.nr_migrations ") : NULL;
	p = p ? strchr(p, ':') : NULL;
	if (p && sscanf(p + 1, "%" SCNu64, &a) == 1)
		put_u64(t, THREADSTAT_A_THREAD_NR_MIGRATIONS, &t->nr_migrations,
			a);
	if (t->tid == t->tgid)
		fill_process(f->status, t);
}

int ts_proc_thread_parse(const struct ts_proc_files *f, uint32_t fields,
			 long hz, struct ts_thread *t)
{
	struct stat_fields sf;
	const char *rest, *p;
	uint64_t v;

	memset(t, 0, sizeof(*t));
	if (!f->stat || !f->status || hz <= 0 ||
	    sscanf(f->stat, "%" SCNu32, &t->tid) != 1)
		goto bad;
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_TID);
	rest = stat_comm(f->stat, t);
	if (!rest || stat_split(rest, &sf))
		goto bad;
	if (!status_u64(f->status, "Tgid", &v))
		goto bad;
	t->tgid = (uint32_t)v;
	ts_proc_mark(t->present, THREADSTAT_A_THREAD_TGID);
	if (status_u64(f->status, "PPid", &v)) {
		t->ppid = (uint32_t)v;
		ts_proc_mark(t->present, THREADSTAT_A_THREAD_PPID);
	}
	/* Uid: real, effective, saved, fs; the module sends the real one. */
	p = status_value(f->status, "Uid");
	if (p && sscanf(p, "%" SCNu64, &v) == 1) {
		t->uid = (uint32_t)v;
		ts_proc_mark(t->present, THREADSTAT_A_THREAD_UID);
	}
	put_u64(t, THREADSTAT_A_THREAD_START_TIME, &t->start_time,
		sf.v[22] * (1000000000ull / (uint64_t)hz));
	if (sf.v[9] & PF_KTHREAD) {
		t->kthread = true;
		ts_proc_mark(t->present, THREADSTAT_A_THREAD_KTHREAD);
	}
	if (!fields)
		fields = THREADSTAT_FIELDS_SCHED;
	if (fields & THREADSTAT_FIELDS_SCHED)
		fill_sched(f, &sf, 1000000000ull / (uint64_t)hz, t);
	return 0;
bad:
	memset(t, 0, sizeof(*t));
	errno = EPROTO;
	return -1;
}
