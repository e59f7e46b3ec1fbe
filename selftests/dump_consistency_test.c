// SPDX-License-Identifier: GPL-2.0
/*
 * NLM_F_DUMP_INTR keeps the UAPI header's promise: a dump is flagged when a
 * thread the requester could see may be missing from it -- created at a tid
 * the walk had already passed, whatever created it (clone or an io_uring
 * worker) -- and not for threads created elsewhere or above the cursor.
 * The flag, once on a data message, is on NLMSG_DONE too.
 *
 * Tids below the cursor are made on purpose: in a new pid namespace a
 * thread's tid is freed, the dump is started and read one skb, then
 * ns_last_pid points the next allocation at the free tid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "dump_reader.h"
#include "thread_churn.h"

#define PARKED	60	/* threads, so a dump takes several skbs */

static pthread_barrier_t park_barrier;

static void *park(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&park_barrier);
	pause();
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

/* Start @n parked threads and wait until they all run. */
static int start_parked(int n)
{
	pthread_t t;
	int i;

	pthread_barrier_init(&park_barrier, NULL, n + 1);
	for (i = 0; i < n; i++)
		if (pthread_create(&t, NULL, park, NULL))
			return -1;
	pthread_barrier_wait(&park_barrier);
	return 0;
}

/* Free a tid: a thread that starts and is joined. */
static int make_hole(void)
{
	pthread_t t;

	return pthread_create(&t, NULL, nothing, NULL) ||
	       pthread_join(t, NULL);
}

static int set_last_pid(int pid)
{
	char s[16];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	int len = snprintf(s, sizeof(s), "%d", pid);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, len) == len;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * io_uring without liburing: a ring of one entry and an async read of an
 * empty pipe, which io-wq hands to a new worker thread that blocks there.
 */
struct uring {
	int fd;
	void *sq, *sqes;
	struct io_uring_params p;
};

static int uring_setup(struct uring *u)
{
	memset(u, 0, sizeof(*u));
	u->fd = syscall(__NR_io_uring_setup, 1, &u->p);
	if (u->fd < 0)
		return -1;
	u->sq = mmap(NULL, u->p.sq_off.array + u->p.sq_entries * 4,
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd,
		     IORING_OFF_SQ_RING);
	u->sqes = mmap(NULL, u->p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       u->fd, IORING_OFF_SQES);
	return u->sq == MAP_FAILED || u->sqes == MAP_FAILED ? -1 : 0;
}

static int uring_async_read(struct uring *u, int fd, void *buf, size_t len)
{
	struct io_uring_sqe *sqe = u->sqes;
	unsigned int *tail = (void *)((char *)u->sq + u->p.sq_off.tail);
	unsigned int *array = (void *)((char *)u->sq + u->p.sq_off.array);

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_READ;
	sqe->flags = IOSQE_ASYNC;
	sqe->fd = fd;
	sqe->addr = (unsigned long)buf;
	sqe->len = len;
	array[0] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	return syscall(__NR_io_uring_enter, u->fd, 1, 0, 0, NULL, 0) == 1 ?
	       0 : -1;
}

enum creation { NONE, CLONE_BELOW, IOURING_BELOW, CLONE_ABOVE };

struct below_result {
	int step;		/* where it failed, 0 when it ran through */
	unsigned int msgs, msgs_intr;
	int done, done_intr;
	uint32_t new_tid;	/* the thread made mid-dump (next dump) */
	char new_comm[16];
	int new_in_dump;	/* it was in the interrupted dump */
};

static struct below_result *result;
static volatile uint32_t made_tid;

/* A thread made mid-dump that stays alive while the dump goes on. */
static void *report_tid(void *arg)
{
	made_tid = gettid();
	pause();
	return arg;
}

/* Runs as pid 1 of a new pid namespace. */
static int below_cursor(enum creation what)
{
	struct dr_dump d = { 0 }, after;
	struct uring u;
	char rbuf[8];
	int pipefd[2];
	unsigned int i;
	struct tsnl nl;
	pthread_t t;
	int ret;

	result->step = 1;
	if (make_hole() || start_parked(PARKED))
		return 1;
	result->step = 2;
	if (tsnl_open(&nl) || pipe(pipefd))
		return 1;
	nl.recv_size = 4096;	/* a few threads per skb */
	if (what == IOURING_BELOW && uring_setup(&u))
		return 1;
	result->step = 3;
	/* The next tid is the hole, 2 (pid 1 is us). */
	if (what != CLONE_ABOVE && set_last_pid(1))
		return 1;
	result->step = 4;
	if (dr_start(&nl, 0, 0) || dr_step(&nl, &d) != 1)
		return 1;
	result->step = 5;
	switch (what) {
	case NONE:
		break;
	case CLONE_BELOW:
	case CLONE_ABOVE:
		if (pthread_create(&t, NULL, report_tid, NULL))
			return 1;
		while (!made_tid)
			usleep(1000);
		break;
	case IOURING_BELOW:
		if (uring_async_read(&u, pipefd[0], rbuf, sizeof(rbuf)))
			return 1;
		usleep(100000);	/* the worker is made in io_uring_enter */
		break;
	}
	result->step = 6;
	while ((ret = dr_step(&nl, &d)) > 0)
		;
	if (ret < 0)
		return 1;
	result->msgs = d.msgs;
	result->msgs_intr = d.msgs_intr;
	result->done = d.done;
	result->done_intr = d.done_intr;
	result->new_tid = made_tid;
	/* The io_uring worker: the thread of the next dump that is new. */
	result->step = 7;
	if (what == IOURING_BELOW) {
		if (dr_dump(&nl, 0, &after))
			return 1;
		for (i = 0; i < after.n; i++)
			if (!dr_find(&d, after.threads[i].tid)) {
				result->new_tid = after.threads[i].tid;
				memcpy(result->new_comm, after.threads[i].comm,
				       sizeof(result->new_comm));
			}
		dr_free(&after);
	}
	result->new_in_dump = result->new_tid &&
			      dr_find(&d, result->new_tid) != NULL;
	result->step = 0;
	dr_free(&d);
	return 0;
}

/* Fork @fn(@arg) as pid 1 of a new pid namespace; returns its pid. */
static pid_t fork_in_new_ns(int (*fn)(int), int arg)
{
	pid_t mid = fork(), child;
	int status;

	if (mid)
		return mid;
	if (unshare(CLONE_NEWPID))
		_exit(90);
	child = fork();
	if (child == 0)
		_exit(fn(arg));
	if (child < 0 || waitpid(child, &status, 0) != child)
		_exit(91);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 92);
}

static int run_below(int what)
{
	return below_cursor(what);
}

static void below(struct __test_metadata *_metadata, enum creation what)
{
	int status;
	pid_t pid;

	/* the hole below the cursor is made by choosing the next pid */
	if (what != CLONE_ABOVE && access("/proc/sys/kernel/ns_last_pid", W_OK))
		SKIP(return, "no writable ns_last_pid (CONFIG_CHECKPOINT_RESTORE, root)");
	result = mmap(NULL, sizeof(*result), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, result);
	memset(result, 0, sizeof(*result));
	pid = fork_in_new_ns(run_below, what);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	TH_LOG("step %d: %u messages (%u flagged), done %d (flagged %d), new tid %u \"%s\" in dump %d",
	       result->step, result->msgs, result->msgs_intr, result->done,
	       result->done_intr, result->new_tid, result->new_comm,
	       result->new_in_dump);
	ASSERT_EQ(0, result->step);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_TRUE(result->done);
	EXPECT_LE(PARKED + 1, result->msgs);
	/* Flag on a data message implies flag on DONE. */
	if (result->msgs_intr)
		EXPECT_TRUE(result->done_intr);
}

TEST(quiet_dump_is_clean)
{
	below(_metadata, NONE);
	EXPECT_EQ(0, result->msgs_intr);
	EXPECT_FALSE(result->done_intr);
}

TEST(thread_below_cursor_flags)
{
	below(_metadata, CLONE_BELOW);
	EXPECT_EQ(2, result->new_tid);
	EXPECT_FALSE(result->new_in_dump);
	EXPECT_TRUE(result->done_intr);
	EXPECT_LT(0, result->msgs_intr);
}

TEST(io_uring_worker_below_cursor_flags)
{
	below(_metadata, IOURING_BELOW);
	EXPECT_EQ(2, result->new_tid);
	EXPECT_EQ(0, strncmp(result->new_comm, "iou-wrk-", 8));
	EXPECT_FALSE(result->new_in_dump);
	EXPECT_TRUE(result->done_intr);
}

TEST(thread_above_cursor_is_listed_not_flagged)
{
	below(_metadata, CLONE_ABOVE);
	EXPECT_LT(PARKED, result->new_tid);
	EXPECT_TRUE(result->new_in_dump);
	EXPECT_EQ(0, result->msgs_intr);
	EXPECT_FALSE(result->done_intr);
}

/*
 * Churn: a pool creating and joining threads as fast as it can (issue 12
 * asks for >= 1000/s) in one pid namespace, dumps from a sibling
 * namespace, from the churning namespace itself and from the initial one.
 */
#define CHURN_SECONDS	3

struct churn_stats {
	unsigned long created;
	int err[3];
	unsigned long dumps[3], flagged[3], done_missing[3];
	double seconds;
};

static struct churn_stats *cs;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Dump until @end; tally into slot @who. */
static int dump_until(double end, int who)
{
	struct dr_dump d;
	struct tsnl nl;

	if (tsnl_open(&nl))
		return 1;
	nl.recv_size = 4096;
	while (now() < end) {
		cs->err[who] = dr_dump(&nl, 0, &d);
		if (cs->err[who] || !d.done)
			return 1;
		cs->dumps[who]++;
		cs->flagged[who] += d.msgs_intr || d.done_intr;
		cs->done_missing[who] += d.msgs_intr && !d.done_intr;
		dr_free(&d);
	}
	tsnl_close(&nl);
	return 0;
}

/* pid 1 of the churning namespace: churns, and dumps from inside it. */
static int churn_ns(int seconds)
{
	int i, bad, cpus = sysconf(_SC_NPROCESSORS_ONLN);
	double start = now();
	pid_t churner[64];

	if (cpus > 64)
		cpus = 64;
	for (i = 0; i < cpus; i++)
		churner[i] = thread_churn_start(&cs->created, i);
	bad = dump_until(start + seconds, 1);
	for (i = 0; i < cpus; i++)
		if (churner[i] > 0)
			kill(churner[i], SIGTERM);
	for (i = 0; i < cpus; i++)
		if (churner[i] > 0)
			waitpid(churner[i], NULL, 0);
	cs->seconds = now() - start;
	return bad;
}

/* pid 1 of the sibling namespace: some threads, dumps. */
static int sibling_ns(int seconds)
{
	if (start_parked(PARKED))
		return 1;
	return dump_until(now() + seconds, 0);
}

TEST(churn_elsewhere_never_flags)
{
	static const char *const who[] = {
		"sibling namespace", "churning namespace", "initial namespace"
	};
	pid_t a, b;
	int i, status;

	cs = mmap(NULL, sizeof(*cs), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, cs);
	memset(cs, 0, sizeof(*cs));
	a = fork_in_new_ns(churn_ns, CHURN_SECONDS);
	b = fork_in_new_ns(sibling_ns, CHURN_SECONDS);
	ASSERT_LT(0, a);
	ASSERT_LT(0, b);
	EXPECT_EQ(0, dump_until(now() + CHURN_SECONDS, 2));
	ASSERT_EQ(a, waitpid(a, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(b, waitpid(b, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	printf("# churn: %lu threads created and exited in %.1f s (%.0f/s)\n",
	       cs->created, cs->seconds, cs->created / cs->seconds);
	for (i = 0; i < 3; i++) {
		printf("# dumps from the %s: %lu, flagged %lu (%.1f%%), error %d\n",
		       who[i], cs->dumps[i], cs->flagged[i],
		       cs->dumps[i] ? 100.0 * cs->flagged[i] / cs->dumps[i] : 0,
		       cs->err[i]);
		EXPECT_LT(0, cs->dumps[i]);
		EXPECT_EQ(0, cs->done_missing[i]);
	}
	EXPECT_EQ(0, cs->flagged[0]);
	/*
	 * The rate is printed, not asserted: under TCG on a shared host it
	 * falls well short of 1000/s (151-272/s measured); the sibling's
	 * dumps must only have overlapped real churn.
	 */
	EXPECT_LT(CHURN_SECONDS * 20UL, cs->created);
}

TEST_HARNESS_MAIN
