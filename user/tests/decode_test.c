// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * libthreadstat decoding, on hand-built attribute streams: every kind of
 * field, unknown attributes skipped, malformed and truncated ones rejected.
 */
#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "kselftest_harness.h"
#include "threadstat.h"

/* Build attributes into a fake message; the payload starts after it. */
struct msg {
	char buf[8192];
	struct nlmsghdr *nlh;
};

static void msg_init(struct msg *m)
{
	memset(m->buf, 0, sizeof(m->buf));
	m->nlh = mnl_nlmsg_put_header(m->buf);
}

static const void *payload(struct msg *m, size_t *len)
{
	*len = mnl_nlmsg_get_payload_len(m->nlh);
	return mnl_nlmsg_get_payload(m->nlh);
}

FIXTURE(dec) {
	struct ts_thread t;
	struct ts_error err;
	struct msg m;
	size_t len;
	const void *p;
};

FIXTURE_SETUP(dec)
{
	msg_init(&self->m);
}

FIXTURE_TEARDOWN(dec)
{
}

/* Decode what the test put into self->m. */
static int decode(FIXTURE_DATA(dec) *self)
{
	self->p = payload(&self->m, &self->len);
	return ts_thread_decode(self->p, self->len, &self->t, &self->err);
}

TEST(decodes_every_kind)
{
	uint64_t cpus[2] = { 0x5, 0x1 };	/* CPUs 0, 2 and 64 */
	uint64_t args[6] = { 3, 0x1000, 1234, 0, 0, 0 };
	struct ts_thread t;
	struct ts_error err;
	struct nlattr *nest;
	struct msg m;
	size_t len;
	const void *p;

	msg_init(&m);
	mnl_attr_put_u32(m.nlh, THREADSTAT_A_THREAD_TID, 42);
	mnl_attr_put_u32(m.nlh, THREADSTAT_A_THREAD_TGID, 40);
	mnl_attr_put_strz(m.nlh, THREADSTAT_A_THREAD_COMM, "worker");
	mnl_attr_put_u8(m.nlh, THREADSTAT_A_THREAD_STATE, 'S');
	mnl_attr_put_u32(m.nlh, THREADSTAT_A_THREAD_NICE, (uint32_t)-7);
	mnl_attr_put_u32(m.nlh, THREADSTAT_A_THREAD_POLICY,
			 THREADSTAT_POLICY_FIFO);
	mnl_attr_put(m.nlh, THREADSTAT_A_THREAD_KTHREAD, 0, NULL);
	mnl_attr_put_u64(m.nlh, THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME,
			 123456789012ULL);
	mnl_attr_put(m.nlh, THREADSTAT_A_THREAD_CPUS_ALLOWED, sizeof(cpus),
		     cpus);
	mnl_attr_put_u64(m.nlh, THREADSTAT_A_THREAD_WAIT_SUM, 77);
	mnl_attr_put_strz(m.nlh, THREADSTAT_A_THREAD_KERNEL_STACK,
			  "pipe_read+0x1c/0x3f0");
	mnl_attr_put_strz(m.nlh, THREADSTAT_A_THREAD_KERNEL_STACK,
			  "vfs_read+0x9/0x100");
	nest = mnl_attr_nest_start(m.nlh, THREADSTAT_A_THREAD_SYSCALL);
	mnl_attr_put_u32(m.nlh, THREADSTAT_A_SYSCALL_NR, 0);
	mnl_attr_put(m.nlh, THREADSTAT_A_SYSCALL_ARGS, sizeof(args), args);
	mnl_attr_nest_end(m.nlh, nest);
	p = payload(&m, &len);

	ASSERT_EQ(0, ts_thread_decode(p, len, &t, &err));
	EXPECT_EQ(42U, t.tid);
	EXPECT_EQ(40U, t.tgid);
	EXPECT_STREQ("worker", t.comm);
	EXPECT_EQ('S', t.state);
	EXPECT_EQ(-7, t.nice);
	EXPECT_EQ((uint32_t)THREADSTAT_POLICY_FIFO, t.policy);
	EXPECT_TRUE(t.kthread);
	EXPECT_FALSE(t.on_cpu);
	EXPECT_EQ(123456789012ULL, t.sum_exec_runtime);
	EXPECT_TRUE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 0));
	EXPECT_FALSE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 1));
	EXPECT_TRUE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 2));
	EXPECT_TRUE(ts_cpuset_has(t.cpus_allowed, TS_CPUSET_WORDS, 64));
	EXPECT_EQ(77U, t.counters[THREADSTAT_A_THREAD_WAIT_SUM -
				  TS_COUNTER_FIRST]);
	EXPECT_TRUE(ts_thread_has(&t, THREADSTAT_A_THREAD_WAIT_SUM));
	EXPECT_FALSE(ts_thread_has(&t, THREADSTAT_A_THREAD_WAIT_COUNT));
	EXPECT_FALSE(ts_thread_has(&t, THREADSTAT_A_THREAD_NVCSW));
	EXPECT_EQ(2U, t.n_kernel_stack);
	EXPECT_STREQ("pipe_read+0x1c/0x3f0", t.kernel_stack);
	EXPECT_STREQ("vfs_read+0x9/0x100",
		     t.kernel_stack + strlen(t.kernel_stack) + 1);
	EXPECT_TRUE(ts_thread_has(&t, THREADSTAT_A_THREAD_SYSCALL));
	EXPECT_EQ(0, t.syscall.nr);
	EXPECT_EQ(1234U, t.syscall.args[2]);
	ts_thread_release(&t);
}

TEST_F(dec, unknown_attributes_are_skipped)
{
	mnl_attr_put_u32(self->m.nlh, THREADSTAT_A_THREAD_MAX + 5, 0xdead);
	mnl_attr_put_u32(self->m.nlh, THREADSTAT_A_THREAD_TID, 7);
	mnl_attr_put_strz(self->m.nlh, 999, "from a newer module");
	mnl_attr_put_u32(self->m.nlh, THREADSTAT_A_THREAD_CPU, 1);
	ASSERT_EQ(0, decode(self));
	EXPECT_EQ(7U, self->t.tid);
	EXPECT_EQ(1U, self->t.cpu);
	ts_thread_release(&self->t);
}

TEST_F(dec, wrong_length_is_rejected)
{
	mnl_attr_put_u32(self->m.nlh, THREADSTAT_A_THREAD_TID, 7);
	mnl_attr_put_u16(self->m.nlh, THREADSTAT_A_THREAD_NICE, 1);
	ASSERT_EQ(-1, decode(self));
	EXPECT_EQ(EPROTO, self->err.code);
	EXPECT_NE(NULL, strstr(self->err.msg, "thread.nice"));
}

TEST_F(dec, unterminated_string_is_rejected)
{
	mnl_attr_put_u32(self->m.nlh, THREADSTAT_A_THREAD_TID, 7);
	mnl_attr_put(self->m.nlh, THREADSTAT_A_THREAD_COMM, 4, "abcd");
	ASSERT_EQ(-1, decode(self));
	EXPECT_EQ(EPROTO, self->err.code);
}

TEST(truncated_stream_is_rejected_at_every_length)
{
	struct ts_thread t;
	struct ts_error err;
	struct msg m;
	size_t len, cut;
	const void *p;
	size_t accepted[8];
	int n_accepted = 0;

	msg_init(&m);
	mnl_attr_put_u32(m.nlh, THREADSTAT_A_THREAD_TID, 7);
	mnl_attr_put_strz(m.nlh, THREADSTAT_A_THREAD_COMM, "x");
	mnl_attr_put_u64(m.nlh, THREADSTAT_A_THREAD_NVCSW, 5);
	p = payload(&m, &len);
	/* Every cut that splits an attribute is an error, never a crash;
	 * cuts at attribute ends decode the attributes before them. TID is
	 * bytes 0-7, COMM "x" 8-13 plus 2 bytes of padding.
	 */
	for (cut = 1; cut < len; cut++) {
		if (ts_thread_decode(p, cut, &t, &err) == 0) {
			ASSERT_LT(n_accepted, 8);
			accepted[n_accepted++] = cut;
			ts_thread_release(&t);
		} else {
			EXPECT_EQ(EPROTO, err.code);
		}
	}
	ASSERT_EQ(4, n_accepted);
	EXPECT_EQ(8U, accepted[0]);
	EXPECT_EQ(14U, accepted[1]);
	EXPECT_EQ(15U, accepted[2]);
	EXPECT_EQ(16U, accepted[3]);
}

TEST_F(dec, malformed_nest_is_rejected)
{
	struct nlattr *nest;

	mnl_attr_put_u32(self->m.nlh, THREADSTAT_A_THREAD_TID, 7);
	nest = mnl_attr_nest_start(self->m.nlh, THREADSTAT_A_THREAD_STACK);
	mnl_attr_put_u32(self->m.nlh, THREADSTAT_A_STACK_KERNEL_USED, 5);
	mnl_attr_nest_end(self->m.nlh, nest);
	ASSERT_EQ(-1, decode(self));
	EXPECT_NE(NULL, strstr(self->err.msg, "stack.kernel-used"));
}

TEST_F(dec, reply_without_tid_is_rejected)
{
	mnl_attr_put_u32(self->m.nlh, THREADSTAT_A_THREAD_CPU, 1);
	ASSERT_EQ(-1, decode(self));
	EXPECT_EQ(EPROTO, self->err.code);
}

TEST(group_names_parse)
{
	char bad[32];

	EXPECT_EQ(THREADSTAT_FIELDS_SCHED | THREADSTAT_FIELDS_STACK,
		  ts_groups_parse("sched,stack", bad, sizeof(bad)));
	EXPECT_EQ(THREADSTAT_FIELDS_ALL, ts_groups_parse("all", bad, sizeof(bad)));
	EXPECT_EQ(-1, ts_groups_parse("sched,bogus", bad, sizeof(bad)));
	EXPECT_STREQ("bogus", bad);
	EXPECT_STREQ("deadline", ts_policy_name(THREADSTAT_POLICY_DEADLINE));
	EXPECT_STREQ("unknown", ts_policy_name(42));
}

TEST_HARNESS_MAIN
