// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The THREAD_GET fast path (user/lib/thread_fastpath.c) against the
 * generic decoder: messages built attribute by attribute the way
 * kmod/thread_fill.c (and process_fill.c, thread_schedstats.c,
 * thread_wait.c) put them, in that order, with nla_put_64bit()'s padding
 * as x86-64 has it (none) and as a strict-alignment kernel would.
 *
 * The contract tested: ts_thread_decode_fast() either returns -1 (the
 * caller then uses ts_thread_decode()) or leaves a struct ts_thread equal
 * byte for byte, presence bits included, to ts_thread_decode()'s for the
 * same message; and it returns 0 exactly for the default group's messages
 * (no fallback) and -1 for the others (fallback).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "kselftest_harness.h"
#include "internal.h"
#include "threadstat.h"

struct kmsg {
	char buf[8192];
	struct nlmsghdr *nlh;
	bool pad;	/* nla_put_64bit() pads (not x86-64) */
};

/* What to put, and how to deviate from this module version. */
struct shape {
	const char *comm;
	bool kthread, on_cpu;
	bool pad;		/* a strict-alignment kernel's PAD attributes */
	int cpu_words;		/* cpus-allowed words (nr_cpu_ids / 64) */
	int cpu_bytes;		/* > 0: cpus-allowed of this many bytes */
	bool process;		/* a group leader's process nest */
	bool schedstats, wait;	/* extra groups */
	bool withheld;
	uint16_t unknown_mid;	/* an unknown attribute after the identity */
	uint16_t unknown_end;	/* ... after the last one */
	bool swap;		/* nice and prio the other way round */
	bool no_sched;		/* identity only (no sched group asked) */
};

/* nla_put_64bit(): a PAD first where the value would be misaligned. */
static void put_u64(struct kmsg *m, uint16_t type, uint64_t v)
{
	if (m->pad && !(m->nlh->nlmsg_len % 8))
		mnl_attr_put(m->nlh, THREADSTAT_A_THREAD_PAD, 0, NULL);
	mnl_attr_put_u64(m->nlh, type, v);
}

static void build(struct kmsg *m, const struct shape *s)
{
	uint64_t cpus[20] = { 0x3, 0, 0x8000000000000001ULL };
	struct nlmsghdr *n;
	const char *comm = s->comm ? s->comm : "worker/3";
	int words = s->cpu_words ? s->cpu_words : 1;
	int i;

	memset(m->buf, 0, sizeof(m->buf));
	m->nlh = n = mnl_nlmsg_put_header(m->buf);
	m->pad = s->pad;
	/* ts_fill_identity() */
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_TID, 4242);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_TGID, 4200);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_PPID, 1);
	mnl_attr_put_strz(n, THREADSTAT_A_THREAD_COMM, comm);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_UID, 1000);
	put_u64(m, THREADSTAT_A_THREAD_START_TIME, 123456789012ULL);
	if (s->kthread)
		mnl_attr_put(n, THREADSTAT_A_THREAD_KTHREAD, 0, NULL);
	if (s->unknown_mid)
		mnl_attr_put_u32(n, s->unknown_mid, 0xdeadbeef);
	if (s->withheld)
		mnl_attr_put_u32(n, THREADSTAT_A_THREAD_WITHHELD,
				 THREADSTAT_FIELDS_STACK);
	if (s->no_sched)
		goto groups;
	/* ts_fill_sched() */
	mnl_attr_put_u8(n, THREADSTAT_A_THREAD_STATE, 'S');
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_CPU, 3);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_POLICY, 0);
	if (s->swap) {
		mnl_attr_put_u32(n, THREADSTAT_A_THREAD_PRIO, 20 - 5);
		mnl_attr_put_u32(n, THREADSTAT_A_THREAD_NICE, (uint32_t)-5);
	} else {
		mnl_attr_put_u32(n, THREADSTAT_A_THREAD_NICE, (uint32_t)-5);
		mnl_attr_put_u32(n, THREADSTAT_A_THREAD_PRIO, 20 - 5);
	}
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_STATIC_PRIO, 115);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_RT_PRIORITY, 0);
	mnl_attr_put(n, THREADSTAT_A_THREAD_CPUS_ALLOWED,
		     s->cpu_bytes ? (size_t)s->cpu_bytes : (size_t)words * 8,
		     cpus);
	mnl_attr_put_u32(n, THREADSTAT_A_THREAD_NR_CPUS_ALLOWED, 3);
	put_u64(m, THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME, 5000000001ULL);
	put_u64(m, THREADSTAT_A_THREAD_UTIME, 3000000000ULL);
	put_u64(m, THREADSTAT_A_THREAD_STIME, 2000000000ULL);
	put_u64(m, THREADSTAT_A_THREAD_RUN_DELAY, 777);
	put_u64(m, THREADSTAT_A_THREAD_PCOUNT, 99);
	put_u64(m, THREADSTAT_A_THREAD_NVCSW, 98);
	put_u64(m, THREADSTAT_A_THREAD_NIVCSW, 1);
	put_u64(m, THREADSTAT_A_THREAD_NR_MIGRATIONS, 4);
	put_u64(m, THREADSTAT_A_THREAD_MIN_FLT, 300);
	put_u64(m, THREADSTAT_A_THREAD_MAJ_FLT, 2);
	if (s->on_cpu)
		mnl_attr_put(n, THREADSTAT_A_THREAD_ON_CPU, 0, NULL);
groups:
	if (s->schedstats) {	/* ts_fill_schedstats() */
		mnl_attr_put_u8(n, THREADSTAT_A_THREAD_SCHEDSTATS_ENABLED, 1);
		for (i = THREADSTAT_A_THREAD_WAIT_SUM;
		     i <= THREADSTAT_A_THREAD_NR_WAKEUPS_IDLE; i++)
			put_u64(m, (uint16_t)i, (uint64_t)i * 1000);
	}
	if (s->wait) {		/* ts_fill_wait(): a futex wait */
		struct nlattr *nest = mnl_attr_nest_start(n,
						THREADSTAT_A_THREAD_WAIT);

		mnl_attr_put_u32(n, THREADSTAT_A_WAIT_SYSCALL, 202);
		put_u64(m, THREADSTAT_A_WAIT_BLOCKED_NS, 12345);
		put_u64(m, THREADSTAT_A_WAIT_FUTEX_ADDR, 0x7f0000001000ULL);
		mnl_attr_put_u32(n, THREADSTAT_A_WAIT_FUTEX_OP, 0);
		mnl_attr_put_u8(n, THREADSTAT_A_WAIT_FUTEX_PRIVATE, 1);
		mnl_attr_put_u32(n, THREADSTAT_A_WAIT_FUTEX_VAL, 2);
		mnl_attr_put_u32(n, THREADSTAT_A_WAIT_FUTEX_WORD, 2);
		mnl_attr_nest_end(n, nest);
	}
	if (s->process) {	/* thread_get.c: ts_fill_process() */
		struct nlattr *nest = mnl_attr_nest_start(n,
						THREADSTAT_A_THREAD_PROCESS);

		mnl_attr_put_u32(n, THREADSTAT_A_PROCESS_NR_THREADS, 3);
		for (i = THREADSTAT_A_PROCESS_EXITED_SUM_EXEC_RUNTIME;
		     i <= THREADSTAT_A_PROCESS_NIVCSW; i++)
			put_u64(m, (uint16_t)i, (uint64_t)i * 7);
		mnl_attr_nest_end(n, nest);
	}
	if (s->unknown_end)
		put_u64(m, s->unknown_end, 0x1234);
}

static const void *payload(struct kmsg *m, size_t *len)
{
	*len = mnl_nlmsg_get_payload_len(m->nlh);
	return mnl_nlmsg_get_payload(m->nlh);
}

/*
 * Decode @len bytes at @p both ways. Returns the fast path's result (0:
 * decoded, -1: fell back); sets *@equal when the library's decoder
 * succeeded and the records (fast path's, or after the fallback the
 * library's, as thread.c does) are equal byte for byte.
 */
static int both(const void *p, size_t len, bool *equal, int *lib_rc)
{
	struct ts_thread *lib = malloc(sizeof(*lib));
	struct ts_thread *fast = malloc(sizeof(*fast));
	struct ts_error err;
	int rc, path_rc;

	if (!lib || !fast)
		abort();
	/* Garbage first: anything the fast path leaves unwritten shows. */
	memset(fast, 0xa5, sizeof(*fast));
	*lib_rc = ts_thread_decode(p, len, lib, &err);
	/* thread.c's ts_thread_msg(): the fast path, else the library */
	rc = ts_thread_decode_fast(p, len, fast);
	path_rc = rc ? ts_thread_decode(p, len, fast, &err) : 0;
	*equal = !*lib_rc && !path_rc && !memcmp(lib, fast, sizeof(*lib));
	if (!*lib_rc)
		ts_thread_release(lib);
	if (!path_rc)
		ts_thread_release(fast);
	free(lib);
	free(fast);
	return rc;
}

/* Build @s, decode both ways, expect the fast path's verdict @fast_rc. */
#define CHECK_SHAPE(s, fast_rc)						\
	do {								\
		struct kmsg m_;						\
		const void *p_;						\
		size_t len_;						\
		bool eq_;						\
		int lib_rc_;						\
		build(&m_, &(s));					\
		p_ = payload(&m_, &len_);				\
		EXPECT_EQ(fast_rc, both(p_, len_, &eq_, &lib_rc_));	\
		EXPECT_EQ(0, lib_rc_);					\
		EXPECT_TRUE(eq_);					\
	} while (0)

TEST(default_group)
{
	struct shape s = { 0 };

	CHECK_SHAPE(s, 0);
}

TEST(default_group_fields)
{
	struct shape s = { .kthread = true, .on_cpu = true, .cpu_words = 3 };
	struct ts_thread t;
	struct kmsg m;
	const void *p;
	size_t len;
	int type;

	build(&m, &s);
	p = payload(&m, &len);
	ASSERT_EQ(0, ts_thread_decode_fast(p, len, &t));
	EXPECT_EQ(4242U, t.tid);
	EXPECT_EQ(4200U, t.tgid);
	EXPECT_EQ(1U, t.ppid);
	EXPECT_STREQ("worker/3", t.comm);
	EXPECT_EQ(1000U, t.uid);
	EXPECT_EQ(123456789012ULL, t.start_time);
	EXPECT_TRUE(t.kthread);
	EXPECT_TRUE(t.on_cpu);
	EXPECT_EQ('S', t.state);
	EXPECT_EQ(3U, t.cpu);
	EXPECT_EQ(-5, t.nice);
	EXPECT_EQ(15, t.prio);
	EXPECT_EQ(115, t.static_prio);
	EXPECT_TRUE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 1));
	EXPECT_TRUE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 191));
	EXPECT_FALSE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 2));
	EXPECT_EQ(3U, t.nr_cpus_allowed);
	EXPECT_EQ(5000000001ULL, t.sum_exec_runtime);
	EXPECT_EQ(2000000000ULL, t.stime);
	EXPECT_EQ(2U, t.maj_flt);
	for (type = THREADSTAT_A_THREAD_TID;
	     type <= THREADSTAT_A_THREAD_MAJ_FLT; type++)
		EXPECT_TRUE(ts_thread_has(&t, (uint16_t)type));
	EXPECT_FALSE(ts_thread_has(&t, THREADSTAT_A_THREAD_PAD));
	EXPECT_FALSE(ts_thread_has(&t, THREADSTAT_A_THREAD_WITHHELD));
	EXPECT_FALSE(ts_thread_has(&t, THREADSTAT_A_THREAD_PROCESS));
}

TEST(flags_present_and_absent)
{
	struct shape s = { 0 };
	int k, o;

	for (k = 0; k < 2; k++)
		for (o = 0; o < 2; o++) {
			s.kthread = k;
			s.on_cpu = o;
			CHECK_SHAPE(s, 0);
		}
}

TEST(comm_lengths_and_cpu_words)
{
	static const char *const comms[] = {
		"", "a", "abc", "abcd", "abcdefg", "abcdefgh",
		"fifteen-chars-x", "sixteen-chars-xy", "much-longer-than-comm",
	};
	struct shape s = { 0 };
	size_t i;

	for (i = 0; i < sizeof(comms) / sizeof(comms[0]); i++) {
		s.comm = comms[i];
		CHECK_SHAPE(s, 0);
	}
	s.comm = NULL;
	for (s.cpu_words = 1; s.cpu_words <= 20; s.cpu_words++)
		CHECK_SHAPE(s, 0);	/* over 16: truncated, as the library */
}

TEST(padded_64bit_values)
{
	struct shape s = { .pad = true };
	struct kmsg plain, padded;
	size_t len;

	build(&plain, &(struct shape){ 0 });
	build(&padded, &s);
	payload(&plain, &len);
	/* PAD attributes there, or this tests nothing new */
	EXPECT_LT(len, mnl_nlmsg_get_payload_len(padded.nlh));
	CHECK_SHAPE(s, 0);
	s.on_cpu = s.kthread = true;
	CHECK_SHAPE(s, 0);
	s.comm = "abcdefgh";	/* moves where the padding falls */
	CHECK_SHAPE(s, 0);
}

TEST(group_leader_with_process_nest_falls_back)
{
	struct shape s = { .process = true };

	CHECK_SHAPE(s, -1);
	s.pad = true;
	CHECK_SHAPE(s, -1);
}

TEST(extra_groups_fall_back)
{
	struct shape s = { .schedstats = true };

	CHECK_SHAPE(s, -1);
	s.schedstats = false;
	s.wait = true;
	CHECK_SHAPE(s, -1);
	s.schedstats = true;
	s.process = true;
	CHECK_SHAPE(s, -1);
	s = (struct shape){ .withheld = true };
	CHECK_SHAPE(s, -1);
	s = (struct shape){ .no_sched = true };
	CHECK_SHAPE(s, -1);
}

TEST(unknown_attributes_fall_back)
{
	struct shape s = { .unknown_mid = THREADSTAT_A_THREAD_MAX + 1 };

	CHECK_SHAPE(s, -1);
	s.unknown_mid = 999;
	s.kthread = true;
	CHECK_SHAPE(s, -1);
	s = (struct shape){ .unknown_end = THREADSTAT_A_THREAD_MAX + 1 };
	CHECK_SHAPE(s, -1);
	s.on_cpu = true;
	CHECK_SHAPE(s, -1);
}

TEST(reordered_attributes_fall_back)
{
	struct shape s = { .swap = true };

	CHECK_SHAPE(s, -1);
}

/*
 * A known attribute of another length, then every truncation of the
 * message: the fast path never accepts what the library rejects, and
 * where both accept (cut just before an optional flag) they agree.
 */
TEST(wrong_length_falls_back)
{
	struct kmsg m;
	struct nlattr *a;
	const void *p;
	size_t len;
	bool eq;
	int lib_rc;

	build(&m, &(struct shape){ 0 });
	p = payload(&m, &len);
	a = (struct nlattr *)p;			/* tid: u32 */
	a->nla_len = NLA_HDRLEN + 2;		/* a u16: malformed */
	EXPECT_EQ(-1, both(p, len, &eq, &lib_rc));
	EXPECT_EQ(-1, lib_rc);
}

/* cpus-allowed in bytes, not u64 words: the library rejects it. */
TEST(cpuset_of_partial_words_falls_back)
{
	struct kmsg m;
	const void *p;
	size_t len;
	bool eq;
	int lib_rc, bytes;

	for (bytes = 1; bytes < 24; bytes++) {
		if (!(bytes % 8))
			continue;
		build(&m, &(struct shape){ .cpu_bytes = bytes });
		p = payload(&m, &len);
		EXPECT_EQ(-1, both(p, len, &eq, &lib_rc));
		EXPECT_EQ(-1, lib_rc);
	}
}

TEST(truncated_at_every_length)
{
	struct shape s = { .on_cpu = true, .kthread = true };
	struct kmsg m;
	const void *p;
	size_t len, cut, fast_ok = 0;
	bool eq;
	int lib_rc;

	build(&m, &s);
	p = payload(&m, &len);
	for (cut = 0; cut < len; cut++) {
		int rc = both(p, cut, &eq, &lib_rc);

		if (!rc) {
			fast_ok++;
			EXPECT_EQ(0, lib_rc);
			EXPECT_TRUE(eq);
		}
	}
	EXPECT_EQ(1U, fast_ok);		/* without on-cpu's 4 bytes */
	/* The last attribute's length past the end. */
	((struct nlattr *)((const char *)p + len - NLA_HDRLEN))->nla_len = 8;
	EXPECT_EQ(-1, both(p, len, &eq, &lib_rc));
	EXPECT_EQ(-1, lib_rc);
}

/*
 * Every byte of a default message changed to a few values: whenever the
 * fast path accepts the result, the library accepts it too and decodes
 * the same record.
 */
TEST(corrupted_bytes_agree)
{
	static const uint8_t vals[] = { 0, 1, 4, 8, 0x20, 0x7f, 0x80, 0xff };
	struct kmsg m;
	char *p;
	size_t len, i, j, fast_ok = 0, checked = 0;
	bool eq;
	int lib_rc;

	build(&m, &(struct shape){ .on_cpu = true });
	p = (char *)payload(&m, &len);
	for (i = 0; i < len; i++) {
		char keep = p[i];

		for (j = 0; j < sizeof(vals); j++) {
			p[i] = (char)vals[j];
			if (!both(p, len, &eq, &lib_rc)) {
				fast_ok++;
				EXPECT_EQ(0, lib_rc);
				EXPECT_TRUE(eq);
			}
			checked++;
		}
		p[i] = keep;
	}
	EXPECT_LT(fast_ok, checked);
	EXPECT_GT(fast_ok, checked / 2);	/* values: most bytes */
}

TEST_HARNESS_MAIN
