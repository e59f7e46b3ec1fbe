// SPDX-License-Identifier: GPL-2.0
/*
 * Churn: threads are created and destroyed as fast as one process per CPU
 * can, 32 at most alive per process (the aim is >= 1000 per second; the rate
 * achieved is printed), while 4 clients dump every thread with
 * every field group in a loop. Every dump must end within 10 s, be
 * well-formed (nl_strict), list each tid once in rising order, include
 * every thread that lived through it (ours), and count no more threads
 * than there can be. 10 s; 60 s with TS_PROFILE=long.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "nl_strict.h"
#include "thread_churn.h"

#define NR_CLIENTS	4	/* TS_CHURN_CLIENTS=0..4 for measurements */
#define MAX_TIDS	16384

static volatile int stop;
static uint32_t stable_tids[1 + NR_CLIENTS];
static unsigned int nr_stable;
static unsigned int ceiling;	/* most threads alive at once, bar churned */
static unsigned long *created;	/* threads the churners made so far */

struct dump_seen {
	unsigned int n;
	uint32_t last;
	uint32_t tids[MAX_TIDS];
};

static const char *collect(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_seen *d = arg;
	const struct nlattr *a = nls_attr(nlh, THREADSTAT_A_THREAD_TID);
	uint32_t tid;

	if (!a)
		return "thread without tid";
	tid = *(uint32_t *)(a + 1);
	if (tid <= d->last)
		return "tids not strictly rising: one sent twice or out of order";
	d->last = tid;
	if (!nls_attr(nlh, THREADSTAT_A_THREAD_STATE))
		return "sched group missing";
	if (d->n < MAX_TIDS)
		d->tids[d->n] = tid;
	d->n++;
	return NULL;
}

struct client {
	pthread_t th;
	unsigned long dumps, intr;
	unsigned int min_n, max_n;
	char why[400];
};

static pthread_barrier_t ready, done;

static void *client(void *arg)
{
	struct client *c = arg;
	struct dump_seen *d = malloc(sizeof(*d));
	struct nls_result r;
	struct nlmsghdr *nlh;
	char buf[256];
	struct nls s;
	unsigned int i, j;
	int err;

	stable_tids[__atomic_fetch_add(&nr_stable, 1, __ATOMIC_SEQ_CST)] = gettid();
	err = nls_open(&s, 10000);
	pthread_barrier_wait(&ready);
	if (err || !d) {
		snprintf(c->why, sizeof(c->why), "nls_open: %d", err);
		return NULL;
	}
	c->min_n = ~0U;
	while (!stop) {
		unsigned long born = __atomic_load_n(created, __ATOMIC_SEQ_CST);
		unsigned int most;

		memset(d, 0, offsetof(struct dump_seen, tids));
		nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
		nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, THREADSTAT_FIELDS_ALL);
		err = nls_request(&s, nlh, collect, d, &r);
		if (err || r.error || r.bad[0]) {
			snprintf(c->why, sizeof(c->why),
				 "dump %lu: %s error %d %s", c->dumps,
				 err == -EAGAIN ? "no end within 10 s," :
				 strerror(-err), r.error, r.bad);
			break;
		}
		c->dumps++;
		c->intr += r.intr;
		if (d->n < c->min_n)
			c->min_n = d->n;
		if (d->n > c->max_n)
			c->max_n = d->n;
		/*
		 * A dump lists threads alive when it began or born while it
		 * ran (the cursor follows the pid allocator upwards), never
		 * more.
		 */
		most = ceiling + __atomic_load_n(created, __ATOMIC_SEQ_CST) - born;
		if (d->n > most) {
			snprintf(c->why, sizeof(c->why),
				 "dump of %u threads, at most %u can exist",
				 d->n, most);
			break;
		}
		/* Threads that lived all along are in every dump. */
		for (i = 0; i < nr_stable; i++) {
			for (j = 0; j < d->n && d->tids[j] != stable_tids[i]; j++)
				;
			if (j == d->n) {
				snprintf(c->why, sizeof(c->why),
					 "dump %lu lacks live thread %u", c->dumps,
					 stable_tids[i]);
				stop = 1;
				break;
			}
		}
	}
	nls_close(&s);
	free(d);
	/* Stay alive until every client is done: others count on us. */
	pthread_barrier_wait(&done);
	return NULL;
}

static unsigned int count_threads(void)
{
	struct nls_result r;
	struct nlmsghdr *nlh;
	char buf[256];
	struct nls s;

	if (nls_open(&s, 10000))
		return 0;
	nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
	nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, 0);
	nls_request(&s, nlh, NULL, NULL, &r);
	nls_close(&s);
	return r.error || r.bad[0] ? 0 : r.answers;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(churn) {
};

FIXTURE_SETUP(churn)
{
}

FIXTURE_TEARDOWN(churn)
{
}

TEST_F_TIMEOUT(churn, dumps_while_threads_come_and_go, 300)
{
	const char *profile = getenv("TS_PROFILE");
	bool long_profile = profile && !strcmp(profile, "long");
	double secs = long_profile ? 60 : 10;
	struct client c[NR_CLIENTS] = { 0 };
	unsigned long dumps = 0, intr = 0;
	pid_t churn[CPU_SETSIZE];
	int nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int base, i, lo = ~0U, hi = 0, nr_clients;
	double t0, elapsed;

	base = count_threads();
	ASSERT_LT(0U, base);
	/* Everything there was, us, the churners and their children. */
	ceiling = base + NR_CLIENTS + 1 + nr_cpus * (1 + IN_FLIGHT) + 64;
	stable_tids[nr_stable++] = gettid();

	created = mmap(NULL, sizeof(*created), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, created);
	nr_clients = getenv("TS_CHURN_CLIENTS") ?
		     atoi(getenv("TS_CHURN_CLIENTS")) : NR_CLIENTS;
	ASSERT_GE(NR_CLIENTS, nr_clients);
	ASSERT_EQ(0, pthread_barrier_init(&ready, NULL, nr_clients + 1));
	ASSERT_EQ(0, pthread_barrier_init(&done, NULL, nr_clients ?: 1));
	for (i = 0; i < nr_clients; i++)
		ASSERT_EQ(0, pthread_create(&c[i].th, NULL, client, &c[i]));
	pthread_barrier_wait(&ready);
	t0 = now();
	for (i = 0; i < nr_cpus; i++) {
		churn[i] = thread_churn_start(created, i);
		ASSERT_LT(0, churn[i]);
	}
	while (!stop && now() - t0 < secs)
		usleep(100000);
	for (i = 0; i < nr_cpus; i++)
		kill(churn[i], SIGTERM);
	elapsed = now() - t0;
	for (i = 0; i < nr_cpus; i++)
		waitpid(churn[i], NULL, 0);
	stop = 1;
	for (i = 0; i < nr_clients; i++) {
		pthread_join(c[i].th, NULL);
		if (c[i].why[0])
			TH_LOG("client %u: %s", i, c[i].why);
		EXPECT_STREQ("", c[i].why);
		EXPECT_LT(0UL, c[i].dumps);
		dumps += c[i].dumps;
		intr += c[i].intr;
		if (c[i].min_n < lo)
			lo = c[i].min_n;
		if (c[i].max_n > hi)
			hi = c[i].max_n;
	}
	printf("# %.1f s: %lu threads created and destroyed (%.0f/s); %lu full dumps completed by %d clients (%lu flagged NLM_F_DUMP_INTR), %u..%u threads each (%u before, ceiling %u)\n",
	       elapsed, *created, *created / elapsed, dumps, nr_clients, intr,
	       lo, hi, base, ceiling);
	/*
	 * No assertion on intr: new tids land above the walk's cursor until
	 * pid numbers wrap, so most dumps here miss nothing (issue 12); the
	 * flag's contract is tested in dump_consistency_test.
	 */
	EXPECT_LT(0UL, *created);
	/*
	 * Issue 7 asks for >= 1000 threads/s. The long profile (make stress,
	 * run on purpose) holds the machine to it; the short one, inside
	 * make check on whatever host CI gives, only reports a shortfall.
	 * Measured: ~1900-2400/s in the TCG guest on a 2-core host running
	 * another VM besides.
	 */
	if (long_profile) {
		EXPECT_LE(thread_churn_min_rate(), *created / elapsed);
	} else if (*created / elapsed < 1000) {
		printf("# note: below the 1000 threads/s aim\n");
	}
}
TEST_HARNESS_MAIN
