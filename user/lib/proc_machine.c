// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * CPUs and the machine for a TS_SOURCE_PROC client: /proc/stat (times,
 * btime), /proc/uptime, /proc/loadavg, and sysfs for the CPU lists,
 * topology and frequency. What only the module counts (the thread running
 * on a CPU, runnable and recent threads per CPU, running and blocked
 * threads of the pid namespace) is absent.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "proc_source.h"

#define SYS_CPU	"/sys/devices/system/cpu"

/* The line of @text starting with @key (followed by a blank), or NULL. */
static const char *line_after(const char *text, const char *key)
{
	size_t n = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (!strncmp(line, key, n) && line[n] == ' ')
			return line + n;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

int ts_proc_cpu_times_parse(const char *proc_stat, uint32_t n, long hz,
			    struct ts_cpu *cpu)
{
	/* /proc/stat's order: user nice system idle iowait irq softirq
	 * steal guest guest_nice, in USER_HZ ticks
	 */
	static const uint16_t types[] = {
		THREADSTAT_A_CPU_USER, THREADSTAT_A_CPU_NICE,
		THREADSTAT_A_CPU_SYSTEM, THREADSTAT_A_CPU_IDLE,
		THREADSTAT_A_CPU_IOWAIT, THREADSTAT_A_CPU_IRQ,
		THREADSTAT_A_CPU_SOFTIRQ, THREADSTAT_A_CPU_STEAL,
		THREADSTAT_A_CPU_GUEST, THREADSTAT_A_CPU_GUEST_NICE,
	};
	uint64_t *dst[] = { &cpu->user, &cpu->nice, &cpu->system, &cpu->idle,
			    &cpu->iowait, &cpu->irq, &cpu->softirq,
			    &cpu->steal, &cpu->guest, &cpu->guest_nice };
	char key[16];
	const char *p;
	char *end;
	size_t i;

	if (hz <= 0)
		return -1;
	snprintf(key, sizeof(key), "cpu%u", n);
	p = line_after(proc_stat, key);
	if (!p)
		return -1;	/* offline CPUs have no line */
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint64_t v = strtoull(p, &end, 10);

		if (end == p)
			break;	/* older kernels have fewer columns */
		*dst[i] = v * (1000000000ull / (uint64_t)hz);
		ts_proc_mark(cpu->present, types[i]);
		p = end;
	}
	return i ? 0 : -1;
}

void ts_proc_system_parse(const char *proc_stat, const char *uptime,
			  const char *loadavg, struct ts_system *sys)
{
	unsigned int l[3][2];
	unsigned long long secs, frac;
	const char *p;
	int i;

	p = proc_stat ? line_after(proc_stat, "btime") : NULL;
	if (p && sscanf(p, "%llu", &secs) == 1) {
		sys->boot_time = secs * 1000000000ull;
		ts_proc_mark(sys->present, THREADSTAT_A_SYSTEM_BOOT_TIME);
	}
	/* "12345.67 ...": hundredths of a second */
	if (uptime && sscanf(uptime, "%llu.%2llu", &secs, &frac) == 2) {
		sys->uptime = secs * 1000000000ull + frac * 10000000ull;
		ts_proc_mark(sys->present, THREADSTAT_A_SYSTEM_UPTIME);
	}
	if (loadavg && sscanf(loadavg, "%u.%2u %u.%2u %u.%2u", &l[0][0],
			      &l[0][1], &l[1][0], &l[1][1], &l[2][0],
			      &l[2][1]) == 6) {
		uint32_t *dst[] = { &sys->load_1, &sys->load_5, &sys->load_15 };
		static const uint16_t types[] = { THREADSTAT_A_SYSTEM_LOAD_1,
						  THREADSTAT_A_SYSTEM_LOAD_5,
						  THREADSTAT_A_SYSTEM_LOAD_15 };

		for (i = 0; i < 3; i++) {
			*dst[i] = l[i][0] * 1000 + l[i][1] * 10;
			ts_proc_mark(sys->present, types[i]);
		}
	}
}

static char *read_sys(const char *fmt, unsigned int cpu)
{
	char path[128];

	snprintf(path, sizeof(path), fmt, cpu);
	return ts_proc_slurp(path);
}

static bool sys_u32(const char *fmt, unsigned int cpu, uint32_t *v)
{
	char *text = read_sys(fmt, cpu);
	long long x;
	bool ok = text && sscanf(text, "%lld", &x) == 1 && x >= 0 &&
		  x <= UINT32_MAX;

	if (ok)
		*v = (uint32_t)x;
	free(text);
	return ok;
}

/* A CPU list file of sysfs into a bitmap; false when unreadable. */
static bool sys_cpulist(const char *path, uint64_t *set)
{
	char *text = ts_proc_slurp(path);
	bool ok = text && !ts_proc_cpulist_parse(text, set);

	free(text);
	return ok;
}

static void cpu_fill(struct ts_cpu *c, uint32_t n, const uint64_t *online,
		     const char *proc_stat)
{
	static const struct {
		const char *file;
		uint16_t type;
		size_t off;
	} topo[] = {
		{ SYS_CPU "/cpu%u/topology/physical_package_id",
		  THREADSTAT_A_CPU_PACKAGE_ID, offsetof(struct ts_cpu, package_id) },
		{ SYS_CPU "/cpu%u/topology/die_id",
		  THREADSTAT_A_CPU_DIE_ID, offsetof(struct ts_cpu, die_id) },
		{ SYS_CPU "/cpu%u/topology/cluster_id",
		  THREADSTAT_A_CPU_CLUSTER_ID, offsetof(struct ts_cpu, cluster_id) },
		{ SYS_CPU "/cpu%u/topology/core_id",
		  THREADSTAT_A_CPU_CORE_ID, offsetof(struct ts_cpu, core_id) },
	};
	char path[128];
	size_t i;

	memset(c, 0, sizeof(*c));
	c->cpu = n;
	ts_proc_mark(c->present, THREADSTAT_A_CPU_CPU);
	c->online = ts_cpuset_has(online, TS_CPUSET_WORDS, n);
	ts_proc_mark(c->present, THREADSTAT_A_CPU_ONLINE);
	if (c->online) {
		/* sysfs says -1 for a level the architecture lacks: absent */
		for (i = 0; i < sizeof(topo) / sizeof(topo[0]); i++)
			if (sys_u32(topo[i].file, n,
				    (uint32_t *)((char *)c + topo[i].off)))
				ts_proc_mark(c->present, topo[i].type);
		snprintf(path, sizeof(path),
			 SYS_CPU "/cpu%u/topology/thread_siblings_list", n);
		if (sys_cpulist(path, c->siblings))
			ts_proc_mark(c->present, THREADSTAT_A_CPU_SIBLINGS);
	}
	if (proc_stat)
		ts_proc_cpu_times_parse(proc_stat, n, sysconf(_SC_CLK_TCK), c);
	if (sys_u32(SYS_CPU "/cpu%u/cpufreq/scaling_cur_freq", n,
		    &c->freq_khz) && c->freq_khz)
		ts_proc_mark(c->present, THREADSTAT_A_CPU_FREQ_KHZ);
}

struct cpu_sets {
	uint64_t possible[TS_CPUSET_WORDS], online[TS_CPUSET_WORDS];
};

static int read_sets(struct cpu_sets *s, struct ts_error *err)
{
	if (!sys_cpulist(SYS_CPU "/possible", s->possible) ||
	    !sys_cpulist(SYS_CPU "/online", s->online))
		return ts_fail(err, ENOENT, "cannot read " SYS_CPU
			       "/possible and online");
	return 0;
}

int ts_proc_cpu_list(struct ts_cpu_list *list, struct ts_error *err)
{
	struct cpu_sets s;
	struct ts_cpu c;
	char *proc_stat;
	uint32_t n;

	memset(list, 0, sizeof(*list));
	if (read_sets(&s, err))
		return -1;
	proc_stat = ts_proc_slurp("/proc/stat");
	for (n = 0; n < TS_CPUSET_WORDS * 64; n++) {
		if (!ts_cpuset_has(s.possible, TS_CPUSET_WORDS, n))
			continue;
		cpu_fill(&c, n, s.online, proc_stat);
		if (ts_vec_push((void **)&list->v, &list->n, &list->cap,
				sizeof(c), &c)) {
			free(proc_stat);
			ts_cpu_list_free(list);
			return ts_fail(err, ENOMEM, "out of memory");
		}
	}
	free(proc_stat);
	return 0;
}

int ts_proc_cpu_get(uint32_t cpu, struct ts_cpu *out, struct ts_error *err)
{
	struct cpu_sets s;
	char *proc_stat;

	if (read_sets(&s, err))
		return -1;
	if (!ts_cpuset_has(s.possible, TS_CPUSET_WORDS, cpu))
		return ts_fail(err, ENOENT, "no CPU %u", cpu);
	proc_stat = ts_proc_slurp("/proc/stat");
	cpu_fill(out, cpu, s.online, proc_stat);
	free(proc_stat);
	return 0;
}

/* Processes and threads as this /proc lists them: its pid namespace's. */
static void count_tasks(struct ts_system *sys)
{
	DIR *proc = opendir("/proc"), *task;
	struct dirent *e, *te;
	char path[300];

	if (!proc)
		return;
	while ((e = readdir(proc))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", e->d_name);
		task = opendir(path);
		if (!task)
			continue;	/* exited meanwhile */
		sys->nr_processes++;
		while ((te = readdir(task)))
			sys->nr_threads += te->d_name[0] != '.';
		closedir(task);
	}
	closedir(proc);
	ts_proc_mark(sys->present, THREADSTAT_A_SYSTEM_NR_PROCESSES);
	ts_proc_mark(sys->present, THREADSTAT_A_SYSTEM_NR_THREADS);
}

int ts_proc_system_get(struct ts_system *out, struct ts_error *err)
{
	char *proc_stat, *uptime, *loadavg;
	struct cpu_sets s;

	memset(out, 0, sizeof(*out));
	if (read_sets(&s, err))
		return -1;
	out->cpus_possible = ts_cpuset_weight(s.possible);
	ts_proc_mark(out->present, THREADSTAT_A_SYSTEM_CPUS_POSSIBLE);
	out->cpus_online = ts_cpuset_weight(s.online);
	ts_proc_mark(out->present, THREADSTAT_A_SYSTEM_CPUS_ONLINE);
	proc_stat = ts_proc_slurp("/proc/stat");
	uptime = ts_proc_slurp("/proc/uptime");
	loadavg = ts_proc_slurp("/proc/loadavg");
	ts_proc_system_parse(proc_stat, uptime, loadavg, out);
	free(proc_stat);
	free(uptime);
	free(loadavg);
	count_tasks(out);
	return 0;
}
