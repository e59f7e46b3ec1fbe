// SPDX-License-Identifier: GPL-2.0
/* sysfs and /proc readers of the CPU kselftests; see cpu_sysfs.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu_sysfs.h"
#include "text_file.h"

int cpulist_read(const char *path, uint64_t set[CPUSET_WORDS])
{
	char buf[4096], *p;

	memset(set, 0, CPUSET_WORDS * sizeof(*set));
	if (text_file_read(path, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; *p >= '0' && *p <= '9';) {
		unsigned long first = strtoul(p, &p, 10), last = first;

		if (*p == '-')
			last = strtoul(p + 1, &p, 10);
		for (; first <= last && first < CPUSET_WORDS * 64; first++)
			set[first / 64] |= 1ULL << (first % 64);
		if (*p == ',')
			p++;
	}
	return 0;
}

int cpuset_count(const uint64_t set[CPUSET_WORDS])
{
	int i, n = 0;

	for (i = 0; i < CPUSET_WORDS; i++)
		n += __builtin_popcountll(set[i]);
	return n;
}

bool cpuset_has(const uint64_t set[CPUSET_WORDS], unsigned int cpu)
{
	return cpu < CPUSET_WORDS * 64 && (set[cpu / 64] >> (cpu % 64)) & 1;
}

bool cpu_sysfs_long(unsigned int cpu, const char *name, long *out)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), SYS_CPU "/cpu%u/%s", cpu, name);
	if (text_file_read(path, buf, sizeof(buf)) < 0)
		return false;
	*out = strtol(buf, NULL, 10);
	return true;
}

int cpu_set_online(unsigned int cpu, bool online)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), SYS_CPU "/cpu%u/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, online ? "1" : "0", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

/* Entries of a /proc directory named by a number. */
int proc_stat_cpu(unsigned int cpu, long long v[PROC_STAT_FIELDS])
{
	char line[512], name[16];
	int n = 0;
	FILE *f;

	f = fopen("/proc/stat", "r");
	if (!f)
		return -1;
	snprintf(name, sizeof(name), "cpu%u ", cpu);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, strlen(name)))
			continue;
		n = sscanf(line + strlen(name),
			   "%lld %lld %lld %lld %lld %lld %lld %lld %lld %lld",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9]);
		break;
	}
	fclose(f);
	return n == PROC_STAT_FIELDS ? 0 : -1;
}

static unsigned int count_numeric(const char *path)
{
	unsigned int n = 0;
	struct dirent *d;
	DIR *dir;

	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		if (d->d_name[0] >= '0' && d->d_name[0] <= '9')
			n++;
	closedir(dir);
	return n;
}

void proc_count(unsigned int *processes, unsigned int *threads)
{
	char path[300];
	struct dirent *d;
	DIR *dir;

	*processes = *threads = 0;
	dir = opendir("/proc");
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", d->d_name);
		(*processes)++;
		*threads += count_numeric(path);
	}
	closedir(dir);
}

char proc_thread_state(int tid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	if (text_file_read(path, buf, sizeof(buf)) < 0)
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}
