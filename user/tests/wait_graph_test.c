// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The wait-for graph and its cycles, from synthetic threads and a fake
 * source of owners and names; and the glibc layouts the live source reads.
 */
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "threadstat.h"
#include "internal.h"
#include "waits.h"

/* Fake owners: owner_of[tid] (and how), by the waiter's tid (< 128). */
static uint32_t owner_of[128];
static uint8_t how_of[128];

static void fake_owner(const struct ts_thread *t, struct ts_waiter *w,
		       struct ts_wait_graph *g, void *arg)
{
	(void)g;
	(void)arg;
	w->kind = TS_LOCK_MUTEX;
	w->owner_tid = owner_of[t->tid];
	w->owner_how = owner_of[t->tid] ? how_of[t->tid] : TS_OWNER_UNKNOWN;
}

/* Addresses >= 0x9000 are "shared": the same file and offset anywhere. */
static void fake_name(uint32_t tgid, uint64_t addr, struct ts_lock *l,
		      void *arg)
{
	(void)arg;
	snprintf(l->name, sizeof(l->name), "lock_%llx",
		 (unsigned long long)addr);
	if (addr >= 0x9000) {
		l->dev = 1;
		l->ino = 77;
		l->offset = addr & 0xfff;
	}
	(void)tgid;
}

static const struct ts_wait_source fake = { fake_owner, fake_name, NULL };

static void set_bit(uint64_t *present, unsigned int type)
{
	present[type / 64] |= 1ULL << (type % 64);
}

static struct ts_thread threads[64];
static struct ts_thread_list list = { .v = threads };

static void reset(void)
{
	memset(threads, 0, sizeof(threads));
	memset(owner_of, 0, sizeof(owner_of));
	memset(how_of, 0, sizeof(how_of));
	list.n = 0;
}

/* Thread @tid of @tgid; with @addr, blocked on that futex for @ms. */
static void thread(uint32_t tid, uint32_t tgid, uint64_t addr, uint32_t owner,
		   uint64_t ms)
{
	struct ts_thread *t = &threads[list.n++];

	t->tid = tid;
	t->tgid = tgid;
	if (!addr)
		return;
	set_bit(t->present, THREADSTAT_A_THREAD_WAIT);
	set_bit(t->wait.present, THREADSTAT_A_WAIT_FUTEX_ADDR);
	t->wait.futex_addr = addr;
	t->wait.futex_op = FUTEX_WAIT;
	t->wait.futex_private = addr < 0x9000;
	t->wait.blocked_ns = ms * 1000000;
	owner_of[tid] = owner;
	how_of[tid] = TS_OWNER_LAYOUT;
}

static const struct ts_waiter *waiter(const struct ts_wait_graph *g,
				      size_t cycle, size_t i)
{
	return &g->w[g->cycles[cycle].w[i]];
}

TEST(abba_is_one_cycle_from_the_lowest_tid)
{
	struct ts_wait_graph g;
	struct ts_error err;

	reset();
	thread(10, 10, 0, 0, 0);		/* main, not blocked */
	thread(12, 10, 0xa0, 11, 5);		/* t2 wants a, held by t1 */
	thread(11, 10, 0xb0, 12, 7);		/* t1 wants b, held by t2 */
	ASSERT_EQ(0, ts_wait_graph_build(&list, &fake, &g, &err));
	ASSERT_EQ(2, g.n);
	EXPECT_EQ(11, g.w[0].tid);		/* longest wait first */
	ASSERT_EQ(1, g.n_cycles);
	ASSERT_EQ(2, g.cycles[0].n);
	EXPECT_EQ(11, waiter(&g, 0, 0)->tid);
	EXPECT_EQ(12, waiter(&g, 0, 1)->tid);
	EXPECT_STREQ("lock_b0", g.locks[waiter(&g, 0, 0)->lock].name);
	EXPECT_STREQ("lock_a0", g.locks[waiter(&g, 0, 1)->lock].name);
	ts_wait_graph_free(&g);
}

TEST(self_relock_is_a_cycle_of_one)
{
	struct ts_wait_graph g;
	struct ts_error err;

	reset();
	thread(20, 20, 0xa0, 20, 1);
	ASSERT_EQ(0, ts_wait_graph_build(&list, &fake, &g, &err));
	ASSERT_EQ(1, g.n_cycles);
	ASSERT_EQ(1, g.cycles[0].n);
	EXPECT_EQ(20, waiter(&g, 0, 0)->tid);
	ts_wait_graph_free(&g);
}

TEST(three_cycle_with_a_tail_and_a_chain)
{
	struct ts_wait_graph g;
	struct ts_error err;

	reset();
	thread(31, 30, 0xb0, 32, 1);		/* cycle 31 -> 32 -> 33 -> 31 */
	thread(32, 30, 0xc0, 33, 1);
	thread(33, 30, 0xa0, 31, 1);
	thread(34, 30, 0xa0, 31, 9);		/* tail: waits into the cycle */
	thread(40, 40, 0xd0, 41, 1);		/* chain 40 -> 41, 41 runs */
	thread(41, 40, 0, 0, 0);
	ASSERT_EQ(0, ts_wait_graph_build(&list, &fake, &g, &err));
	ASSERT_EQ(1, g.n_cycles);
	ASSERT_EQ(3, g.cycles[0].n);
	EXPECT_EQ(31, waiter(&g, 0, 0)->tid);
	EXPECT_EQ(32, waiter(&g, 0, 1)->tid);
	EXPECT_EQ(33, waiter(&g, 0, 2)->tid);
	/* lock a0 of process 30 has two waiters: first in the summary */
	EXPECT_STREQ("lock_a0", g.locks[0].name);
	EXPECT_EQ(2, g.locks[0].n_waiters);
	EXPECT_EQ(9000000, g.locks[0].longest_ns);
	EXPECT_EQ(31, g.locks[0].owner_tid);
	ts_wait_graph_free(&g);
}

TEST(owners_that_are_not_there_are_unknown)
{
	struct ts_wait_graph g;
	struct ts_error err;

	reset();
	thread(50, 50, 0xa0, 99, 1);		/* owner 99: not in the dump */
	thread(51, 50, 0xb0, 60, 1);		/* private, owner elsewhere */
	thread(60, 60, 0, 0, 0);
	ASSERT_EQ(0, ts_wait_graph_build(&list, &fake, &g, &err));
	ASSERT_EQ(2, g.n);
	EXPECT_EQ(0, g.w[0].owner_tid);
	EXPECT_EQ(TS_OWNER_UNKNOWN, g.w[0].owner_how);
	EXPECT_EQ(0, g.w[1].owner_tid);
	EXPECT_EQ(TS_OWNER_UNKNOWN, g.w[1].owner_how);
	EXPECT_EQ(0, g.n_cycles);
	ts_wait_graph_free(&g);
}

TEST(process_shared_cycle_meets_at_one_lock_per_file_offset)
{
	struct ts_wait_graph g;
	struct ts_error err;

	reset();
	/* one shm file, mapped at 0x9000 in 70 and 0xa000 in 80 */
	thread(71, 70, 0x9028, 81, 1);	/* wants m1 (offset 0x28) */
	thread(81, 80, 0xa000, 71, 1);	/* wants m0 (offset 0) */
	thread(72, 70, 0x9000, 71, 1);	/* also wants m0, from 70 */
	ASSERT_EQ(0, ts_wait_graph_build(&list, &fake, &g, &err));
	ASSERT_EQ(2, g.n_locks);
	EXPECT_EQ(2, g.locks[0].n_waiters);	/* m0: 81 and 72 */
	EXPECT_EQ(0, g.locks[0].offset);
	ASSERT_EQ(1, g.n_cycles);
	ASSERT_EQ(2, g.cycles[0].n);
	EXPECT_EQ(71, waiter(&g, 0, 0)->tid);
	EXPECT_EQ(81, waiter(&g, 0, 1)->tid);
	ts_wait_graph_free(&g);
}

TEST(tree_cycle_first_then_chains_then_unowned_locks)
{
	const struct ts_wait_row *r;
	struct ts_wait_tree tree;
	struct ts_wait_graph g;
	struct ts_error err;
	char text[256];

	reset();
	thread(31, 30, 0xb0, 32, 1);		/* cycle 31 -> 32 -> 31 */
	thread(32, 30, 0xa0, 31, 1);
	thread(34, 30, 0xa0, 31, 9);		/* tail into the cycle */
	thread(40, 40, 0xd0, 41, 3);		/* chain 42 -> 40 -> 41 */
	thread(41, 40, 0, 0, 0);		/* 41 runs */
	thread(42, 40, 0xe0, 40, 2);
	thread(50, 50, 0xf0, 0, 4);		/* owner unknown */
	thread(51, 50, 0xf0, 0, 5);
	ASSERT_EQ(0, ts_wait_graph_build(&list, &fake, &g, &err));
	ASSERT_EQ(0, ts_wait_tree_build(&list, &g, &tree));
	ASSERT_EQ(10, tree.n);
	/* the cycle from its lowest tid, its waiters longest first, and
	 * the edge back to where it began
	 */
	r = &tree.v[0];
	EXPECT_EQ(TS_WROW_THREAD, r->kind);
	EXPECT_EQ(31, list.v[r->thread].tid);
	EXPECT_EQ(0, r->depth);
	EXPECT_TRUE(r->in_cycle);
	EXPECT_EQ(34, list.v[tree.v[1].thread].tid);
	EXPECT_EQ(1, tree.v[1].depth);
	EXPECT_FALSE(tree.v[1].in_cycle);
	EXPECT_EQ(32, list.v[tree.v[2].thread].tid);
	EXPECT_EQ(1, tree.v[2].depth);
	EXPECT_TRUE(tree.v[2].in_cycle);
	EXPECT_EQ(TS_WROW_BACK, tree.v[3].kind);
	EXPECT_EQ(31, list.v[tree.v[3].thread].tid);
	EXPECT_EQ(2, tree.v[3].depth);
	/* the unowned lock with two waiters comes first among the locks */
	EXPECT_EQ(TS_WROW_LOCK, tree.v[4].kind);
	ts_wait_row_text(&list, &g, &tree.v[4], text, sizeof(text));
	EXPECT_STREQ("lock_f0 (mutex) of 50: 2 waiters, owner unknown", text);
	EXPECT_EQ(51, list.v[tree.v[5].thread].tid);
	EXPECT_EQ(50, list.v[tree.v[6].thread].tid);
	EXPECT_EQ(1, tree.v[6].depth);
	/* the chain from its top: 41 (running), 40, 42 */
	EXPECT_EQ(41, list.v[tree.v[7].thread].tid);
	EXPECT_EQ(SIZE_MAX, tree.v[7].waiter);
	EXPECT_EQ(40, list.v[tree.v[8].thread].tid);
	EXPECT_EQ(42, list.v[tree.v[9].thread].tid);
	EXPECT_EQ(2, tree.v[9].depth);
	threads[4].state = 'R';
	ts_wait_row_text(&list, &g, &tree.v[7], text, sizeof(text));
	EXPECT_STREQ("41 () of 40, state R", text);
	threads[5].state = 'S';
	ts_wait_row_text(&list, &g, &tree.v[9], text, sizeof(text));
	EXPECT_STREQ("42 () of 40, state S: blocked 0.0 s in futex_wait on "
		     "lock_e0 (mutex) held by 40 [layout]", text);
	ts_wait_tree_free(&tree);
	ts_wait_graph_free(&g);
}

/* Each of @tids has switched @csw times (voluntarily) and @csw/2 not. */
static void switched(uint64_t csw)
{
	size_t i;

	for (i = 0; i < list.n; i++) {
		set_bit(threads[i].present, THREADSTAT_A_THREAD_NVCSW);
		set_bit(threads[i].present, THREADSTAT_A_THREAD_NIVCSW);
		threads[i].nvcsw = csw;
		threads[i].nivcsw = csw / 2;
	}
}

/* A second look at threads 70 and 71 of process 70: @g2 from it. */
static struct ts_thread threads2[8];
static struct ts_thread_list list2 = { .v = threads2 };

static int second_look(uint32_t owner70, uint32_t owner71, uint64_t csw71,
		       struct ts_wait_graph *g2)
{
	struct ts_thread first[64];
	size_t n = list.n;
	struct ts_error err;
	int rc;

	memcpy(first, threads, sizeof(first));
	thread(70, 70, 0xa0, owner70, 20);
	thread(71, 70, 0xa0, owner71, 20);
	thread(72, 70, 0, 0, 0);
	switched(4);
	threads[n + 1].nvcsw = csw71;
	memcpy(threads2, &threads[n], 3 * sizeof(*threads));
	list2.n = 3;
	rc = ts_wait_graph_build(&list2, &fake, g2, &err);
	memcpy(threads, first, sizeof(first));
	list.n = n;
	return rc;
}

/*
 * One mutex, two waiters: 70's owner read as 71, then the mutex changed
 * hands and 71's owner read as 70. No instant had that cycle.
 */
static int torn_pair(struct ts_wait_graph *g)
{
	struct ts_error err;

	reset();
	thread(70, 70, 0xa0, 71, 10);
	thread(71, 70, 0xa0, 70, 10);
	thread(72, 70, 0, 0, 0);
	switched(4);
	return ts_wait_graph_build(&list, &fake, g, &err);
}

TEST(cycle_that_a_second_look_shows_unchanged_is_kept)
{
	struct ts_wait_graph g, g2;

	ASSERT_EQ(0, torn_pair(&g));
	ASSERT_EQ(1, g.n_cycles);
	ASSERT_EQ(0, second_look(71, 70, 4, &g2));
	EXPECT_EQ(0, ts_wait_cycles_confirm(&g, &list, &g2, &list2));
	ASSERT_EQ(1, g.n_cycles);
	EXPECT_EQ(70, g.w[g.cycles[0].w[0]].tid);
	EXPECT_EQ(71, g.w[g.cycles[0].w[1]].tid);
	ts_wait_graph_free(&g2);
	ts_wait_graph_free(&g);
}

TEST(cycle_whose_owner_changed_is_dropped_and_its_loop_cut)
{
	struct ts_wait_graph g, g2;
	size_t i;

	ASSERT_EQ(0, torn_pair(&g));
	ASSERT_EQ(1, g.n_cycles);
	ASSERT_EQ(0, second_look(72, 72, 4, &g2));	/* both now wait for 72 */
	EXPECT_EQ(1, ts_wait_cycles_confirm(&g, &list, &g2, &list2));
	EXPECT_EQ(0, g.n_cycles);
	for (i = 0; i < g.n; i++) {
		EXPECT_EQ(0, g.w[i].owner_tid);
		EXPECT_EQ(TS_OWNER_UNKNOWN, g.w[i].owner_how);
		EXPECT_EQ(SIZE_MAX, g.w[i].next);
		EXPECT_EQ(SIZE_MAX, g.w[i].owner_thread);
	}
	ts_wait_graph_free(&g2);
	ts_wait_graph_free(&g);
}

TEST(cycle_with_a_member_that_ran_meanwhile_is_dropped)
{
	struct ts_wait_graph g, g2;
	size_t i;

	ASSERT_EQ(0, torn_pair(&g));
	ASSERT_EQ(1, g.n_cycles);
	ASSERT_EQ(0, second_look(71, 70, 5, &g2));	/* same edges, but 71 switched once */
	EXPECT_EQ(1, ts_wait_cycles_confirm(&g, &list, &g2, &list2));
	EXPECT_EQ(0, g.n_cycles);
	for (i = 0; i < g.n; i++)	/* 70's edge lasted, 71's did not */
		EXPECT_EQ(g.w[i].tid == 70 ? 71U : 0U, g.w[i].owner_tid);
	ts_wait_graph_free(&g2);
	ts_wait_graph_free(&g);
}

TEST(glibc_mutex_layout)
{
	/* __lock, __count, __owner, __nusers, __kind */
	const int32_t normal[5] = { 2, 0, 1234, 1, 0 };
	const int32_t recursive[5] = { 2, 1, 1234, 1, 1 };
	const int32_t unlocked[5] = { 0, 0, 0, 0, 0 };
	const int32_t not_waited[5] = { 1, 0, 1234, 1, 0 };
	const int32_t bad_kind[5] = { 2, 0, 1234, 1, 0x4000 };
	const int32_t robust[5] = { (int32_t)(0x80000000u | 1234), 0, 1234, 1,
				    16 };
	uint32_t owner;

	EXPECT_EQ(TS_OWNER_LAYOUT, ts_glibc_mutex_owner(normal, FUTEX_WAIT,
							&owner));
	EXPECT_EQ(1234, owner);
	EXPECT_EQ(TS_OWNER_LAYOUT, ts_glibc_mutex_owner(recursive, FUTEX_WAIT,
							&owner));
	EXPECT_EQ(TS_OWNER_LAYOUT, ts_glibc_mutex_owner(robust, FUTEX_WAIT,
							&owner));
	EXPECT_EQ(1234, owner);
	/* a condition variable or semaphore waits with WAIT_BITSET */
	EXPECT_EQ(TS_OWNER_UNKNOWN, ts_glibc_mutex_owner(normal,
							 FUTEX_WAIT_BITSET,
							 &owner));
	EXPECT_EQ(0, owner);
	EXPECT_EQ(TS_OWNER_UNKNOWN, ts_glibc_mutex_owner(unlocked, FUTEX_WAIT,
							 &owner));
	EXPECT_EQ(TS_OWNER_UNKNOWN, ts_glibc_mutex_owner(not_waited,
							 FUTEX_WAIT, &owner));
	EXPECT_EQ(TS_OWNER_UNKNOWN, ts_glibc_mutex_owner(bad_kind, FUTEX_WAIT,
							 &owner));
}

TEST(glibc_rwlock_layout)
{
	/* readers wait on __wrphase_futex (word 2); writer 4321 holds it */
	uint32_t rw[13] = { 1, 0, 3, 0, 0, 0, 4321, 0, 0, 0, 0, 0, 0 };
	uint32_t owner;

	EXPECT_EQ(TS_OWNER_LAYOUT, ts_glibc_rwlock_owner(rw, 2, &owner));
	EXPECT_EQ(4321, owner);
	EXPECT_EQ(TS_OWNER_UNKNOWN, ts_glibc_rwlock_owner(rw, 3, &owner));
	rw[4] = 7;	/* a pad is never written: not an rwlock */
	EXPECT_EQ(TS_OWNER_UNKNOWN, ts_glibc_rwlock_owner(rw, 2, &owner));
	rw[4] = 0;
	rw[6] = 0;	/* no writer recorded: readers hold it */
	EXPECT_EQ(TS_OWNER_UNKNOWN, ts_glibc_rwlock_owner(rw, 2, &owner));
}

/*
 * A process with many threads lists two maps lines per thread stack
 * before its libc: the live source must still find that libc (it skips
 * lines that name no libc.so.6 without parsing them). The child maps 3000
 * pages, alternately readable and not so that none merge, below libc.
 */
TEST(libc_known_past_many_anonymous_mappings)
{
	int ready[2];
	pid_t child;
	char c;

	ASSERT_EQ(0, pipe(ready));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		long page = sysconf(_SC_PAGESIZE);
		int i;

		for (i = 0; i < 3000; i++)
			if (mmap(NULL, page, i % 2 ? PROT_READ : PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
				_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	EXPECT_TRUE(ts_wait_libc_known(child));
	EXPECT_TRUE(ts_wait_libc_known(getpid()));
	/* no such process: nothing is known of it */
	EXPECT_FALSE(ts_wait_libc_known(0x7fffffff));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

TEST_HARNESS_MAIN
