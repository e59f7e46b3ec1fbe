// SPDX-License-Identifier: GPL-2.0
/*
 * Churn: threads are created and destroyed as fast as two threads can,
 * 32 at most alive at once (the aim is >= 1000 per second; the rate
 * achieved is printed), while 4 clients dump every thread with
 * every field group in a loop. Every dump must end within 10 s, be
 * well-formed (nl_strict), list each tid once in rising order, include
 * every thread that lived through it (ours), and count no more threads
 * than there can be. 10 s; 60 s with TS_PROFILE=long.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "nl_strict.h"

#define NR_CLIENTS	4	/* TS_CHURN_CLIENTS=0..4 for measurements */
#define NR_CHURNERS	2
#define MAX_TIDS	16384

static volatile int stop;
static uint32_t stable_tids[1 + NR_CLIENTS];
static unsigned int nr_stable;
static unsigned int ceiling;	/* most threads a dump may list */

static void stop_churn(int sig)
{
	stop = 1;
}

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

/* Up to IN_FLIGHT churned threads at once: no waiting for each to end. */
#define IN_FLIGHT	32
static sem_t slots;

static void *churned(void *arg)
{
	sem_post(&slots);
	return NULL;
}

static void *churner(void *arg)
{
	unsigned long *count = arg;
	pthread_attr_t attr;
	pthread_t t;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	while (!stop) {
		sem_wait(&slots);
		if (pthread_create(&t, &attr, churned, NULL)) {
			sem_post(&slots);
			continue;
		}
		__atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * The churners live in a process of their own: threads of the clients'
 * process would make each stack mapping a TLB shootdown of every client
 * CPU, which under qemu TCG slows creation to a crawl.
 */
static pid_t start_churn(unsigned long *count)
{
	pthread_t t[NR_CHURNERS];
	pid_t pid = fork();
	int i;

	if (pid)
		return pid;
	signal(SIGTERM, stop_churn);
	sem_init(&slots, 0, IN_FLIGHT);
	for (i = 0; i < NR_CHURNERS; i++)
		pthread_create(&t[i], NULL, churner, count);
	for (i = 0; i < NR_CHURNERS; i++)
		pthread_join(t[i], NULL);
	_exit(0);
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
		if (d->n > ceiling) {
			snprintf(c->why, sizeof(c->why),
				 "dump of %u threads, at most %u can exist",
				 d->n, ceiling);
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
	double secs = profile && !strcmp(profile, "long") ? 60 : 10;
	struct client c[NR_CLIENTS] = { 0 };
	unsigned long dumps = 0, intr = 0, *created;
	pid_t churn;
	unsigned int base, i, lo = ~0U, hi = 0, nr_clients;
	double t0, elapsed;

	base = count_threads();
	ASSERT_LT(0U, base);
	/* Everything there was, us, the churners and their children. */
	ceiling = base + NR_CLIENTS + 1 + NR_CHURNERS + IN_FLIGHT + 64;
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
	churn = start_churn(created);
	ASSERT_LT(0, churn);
	while (!stop && now() - t0 < secs)
		usleep(100000);
	kill(churn, SIGTERM);
	elapsed = now() - t0;
	waitpid(churn, NULL, 0);
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
	/* The dumps race a changing thread set: they must have noticed. */
	if (nr_clients)
		EXPECT_LT(0UL, intr);
	EXPECT_LT(0UL, *created);
	/*
	 * The rate is a measurement, not a pass mark: under qemu TCG on a
	 * busy host even an idle guest creates only ~100 threads a second.
	 */
	if (*created / elapsed < 1000)
		printf("# note: below the 1000/s aim; this machine cannot do more\n");
}
TEST_HARNESS_MAIN
