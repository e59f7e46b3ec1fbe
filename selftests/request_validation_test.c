// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed THREAD_GET requests are rejected with EINVAL (or ERANGE) and an
 * extack message: unknown attributes, reply-only attributes, wrong types and
 * lengths, unknown field-group bits, and attributes of the wrong request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "threadstat_nl.h"

FIXTURE(nl) {
	struct tsnl nl;
	char buf[8192];
};

FIXTURE_SETUP(nl)
{
	ASSERT_EQ(0, tsnl_open(&self->nl));
}

FIXTURE_TEARDOWN(nl)
{
	tsnl_close(&self->nl);
}

/* Send @nlh; expect the request to fail with @err and some extack text. */
static void expect_rejected(struct __test_metadata *_metadata,
			    struct tsnl *nl, struct nlmsghdr *nlh, int err)
{
	struct tsnl_reply r;

	ASSERT_EQ(0, tsnl_send(nl, nlh, &r));
	EXPECT_EQ(-err, r.error);
	EXPECT_NE('\0', r.extack[0]);
	EXPECT_EQ(0U, r.n);
	TH_LOG("kernel said: %s", r.extack);
	tsnl_reply_free(&r);
}

TEST_F(nl, unknown_attribute)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_THREAD_GET, NLM_F_ACK);

	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, getpid());
	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_MAX + 10, 1);
	expect_rejected(_metadata, &self->nl, nlh, EINVAL);
}

TEST_F(nl, reply_only_attribute)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_THREAD_GET, NLM_F_ACK);

	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, getpid());
	mnl_attr_put_strz(nlh, THREADSTAT_A_THREAD_COMM, "nope");
	expect_rejected(_metadata, &self->nl, nlh, EINVAL);
}

TEST_F(nl, wrong_length)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_THREAD_GET, NLM_F_ACK);

	mnl_attr_put_u16(nlh, THREADSTAT_A_THREAD_TID, 1);
	expect_rejected(_metadata, &self->nl, nlh, EINVAL);
}

TEST_F(nl, wrong_type_string_for_u32)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);

	mnl_attr_put_strz(nlh, THREADSTAT_A_THREAD_TGID, "12345678");
	expect_rejected(_metadata, &self->nl, nlh, EINVAL);
}

TEST_F(nl, zero_tid)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_THREAD_GET, NLM_F_ACK);

	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, 0);
	expect_rejected(_metadata, &self->nl, nlh, ERANGE);
}

TEST_F(nl, unknown_field_group_bit)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);

	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS,
			 THREADSTAT_FIELDS_ALL + 1);
	expect_rejected(_metadata, &self->nl, nlh, EINVAL);
}

TEST_F(nl, do_without_tid)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_THREAD_GET, NLM_F_ACK);
	struct tsnl_reply r;

	ASSERT_EQ(0, tsnl_send(&self->nl, nlh, &r));
	EXPECT_EQ(-EINVAL, r.error);
	EXPECT_STREQ("tid is required", r.extack);
}

/* A dump given a tid is a dump of that one thread. */
TEST_F(nl, dump_with_tid_filters)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
	struct tsnl_reply r;

	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, getpid());
	ASSERT_EQ(0, tsnl_send(&self->nl, nlh, &r));
	EXPECT_EQ(0, r.error);
	ASSERT_EQ(1U, r.n);
	EXPECT_EQ((uint32_t)getpid(), r.threads[0].tid);
	tsnl_reply_free(&r);
}

TEST_F(nl, unknown_command)
{
	struct nlmsghdr *nlh = tsnl_msg(&self->nl, self->buf,
					THREADSTAT_CMD_MAX + 1, NLM_F_ACK);
	struct tsnl_reply r;

	ASSERT_EQ(0, tsnl_send(&self->nl, nlh, &r));
	EXPECT_EQ(-EOPNOTSUPP, r.error);
}

TEST_HARNESS_MAIN
