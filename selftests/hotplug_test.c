// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug: CPUs 1..n-1 go offline and online in a loop while clients
 * dump every thread (all field groups) and, when the module has
 * CPU_GET, every CPU. Each dump must end, be well-formed (nl_strict), and
 * name only CPUs that exist: a thread's cpu below the number of possible
 * CPUs, each possible CPU listed once by CPU_GET. 10 s; 60 s with
 * TS_PROFILE=long. Needs root and hotpluggable CPUs (else skipped).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "nl_strict.h"

static volatile int stop;
static unsigned int possible;	/* CPUs 0..possible-1 */

static int set_online(unsigned int cpu, int on)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -errno;
}

static unsigned int read_possible(void)
{
	unsigned int lo = 0, hi = 0;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%u-%u", &lo, &hi) < 2)
		hi = lo;
	fclose(f);
	return hi + 1;
}

struct dumper {
	pthread_t th;
	uint8_t cmd;
	unsigned long dumps;
	bool unsupported;
	char why[400];
};

static const char *check_thread(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a = nls_attr(nlh, THREADSTAT_A_THREAD_CPU);

	if (!a || *(uint32_t *)(a + 1) >= possible)
		return "thread on a CPU that does not exist";
	return NULL;
}

static const char *check_cpu(const struct nlmsghdr *nlh, void *arg)
{
	unsigned char *seen = arg;
	const struct nlattr *a = nls_attr(nlh, THREADSTAT_A_CPU_CPU);
	uint32_t cpu;

	if (!a)
		return "CPU answer without cpu";
	cpu = *(uint32_t *)(a + 1);
	if (cpu >= possible || seen[cpu]++)
		return "CPU listed twice or out of range";
	return NULL;
}

static void *dumper(void *arg)
{
	struct dumper *d = arg;
	unsigned char seen[4096];
	struct nls_result r;
	struct nlmsghdr *nlh;
	char buf[256];
	struct nls s;
	unsigned int i;
	int err;

	err = nls_open(&s, 10000);
	if (err) {
		snprintf(d->why, sizeof(d->why), "nls_open: %d", err);
		return NULL;
	}
	while (!stop) {
		memset(seen, 0, sizeof(seen));
		nlh = nls_msg(&s, buf, d->cmd, NLM_F_DUMP);
		if (d->cmd == THREADSTAT_CMD_THREAD_GET)
			nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS,
				    THREADSTAT_FIELDS_ALL);
		err = nls_request(&s, nlh, d->cmd == THREADSTAT_CMD_THREAD_GET ?
				  check_thread : check_cpu, seen, &r);
		if (!err && r.error == -EOPNOTSUPP &&
		    d->cmd != THREADSTAT_CMD_THREAD_GET) {
			d->unsupported = true;
			break;
		}
		if (err || r.error || r.bad[0]) {
			snprintf(d->why, sizeof(d->why), "dump %lu of cmd %u: %s error %d %s",
				 d->dumps, d->cmd, err == -EAGAIN ?
				 "no end within 10 s," : strerror(-err),
				 r.error, r.bad);
			break;
		}
		if (d->cmd == THREADSTAT_CMD_CPU_GET) {
			for (i = 0; i < possible && seen[i]; i++)
				;
			if (i < possible) {
				snprintf(d->why, sizeof(d->why),
					 "CPU dump lacks CPU %u of %u", i, possible);
				break;
			}
		}
		d->dumps++;
	}
	nls_close(&s);
	return NULL;
}

FIXTURE(hotplug) {
	unsigned int ncpus;
};

FIXTURE_SETUP(hotplug)
{
	possible = read_possible();
	self->ncpus = possible;
	if (getuid() != 0)
		SKIP(return, "needs root");
	if (possible < 2 || access("/sys/devices/system/cpu/cpu1/online", W_OK))
		SKIP(return, "no hotpluggable CPU (%u possible)", possible);
}

FIXTURE_TEARDOWN(hotplug)
{
	unsigned int cpu;

	for (cpu = 1; cpu < self->ncpus; cpu++)
		set_online(cpu, 1);
}

TEST_F_TIMEOUT(hotplug, dumps_while_cpus_come_and_go, 300)
{
	const char *profile = getenv("TS_PROFILE");
	double secs = profile && !strcmp(profile, "long") ? 60 : 10;
	struct dumper d[3] = {
		{ .cmd = THREADSTAT_CMD_THREAD_GET },
		{ .cmd = THREADSTAT_CMD_THREAD_GET },
		{ .cmd = THREADSTAT_CMD_CPU_GET },
	};
	unsigned long offlined = 0, refused = 0;
	struct timespec t0, t;
	unsigned int cpu, i;
	int err;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&d[i].th, NULL, dumper, &d[i]));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (cpu = 1; cpu < possible; cpu++) {
			err = set_online(cpu, 0);
			if (err) {
				refused++;	/* e.g. EBUSY: a CPU the kernel keeps */
				continue;
			}
			offlined++;
			ASSERT_EQ(0, set_online(cpu, 1));
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < secs);
	stop = 1;
	for (i = 0; i < 3; i++) {
		pthread_join(d[i].th, NULL);
		if (d[i].why[0])
			TH_LOG("dumper %u: %s", i, d[i].why);
		EXPECT_STREQ("", d[i].why);
	}
	if (d[2].unsupported)
		printf("# CPU_GET: EOPNOTSUPP, this module has no CPU dump; thread dumps only\n");
	printf("# %.0f s: %lu CPU offline+online cycles (%lu refused), %lu + %lu thread dumps, %lu CPU dumps\n",
	       secs, offlined, refused, d[0].dumps, d[1].dumps, d[2].dumps);
	EXPECT_LT(0UL, offlined);
	EXPECT_LT(0UL, d[0].dumps + d[1].dumps);
}

TEST_HARNESS_MAIN
