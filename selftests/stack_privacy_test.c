// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see stacks and registers, and that nobody sees kernel addresses.
 *
 * An unprivileged caller (uid 65534, no capabilities) still gets every
 * thread with its scheduling fields, without the stack, kstack and regs
 * groups (but for its own), and a "withheld" attribute naming them. No reply, privileged or
 * not, carries a kernel address: every 8-byte window of every attribute
 * payload of a full dump is checked for a value in the kernel half of the
 * address space (>= 0xffff800000000000), and every frame name for a
 * printed address.
 *
 * Windows are taken within payloads, not across attribute headers: a
 * header next to the low half of a user address (0x7ffd_ffffe000) would
 * read as a kernel address. A few payloads are exempt because they hold
 * user-controlled values that may look like one: user registers other than
 * ip/sp/cs/ss/flags (ax holds -ENOSYS during a system call, orig-ax -1
 * outside one), system call arguments, the CPU bitmap and the comm.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "threadstat_nl.h"

#define KERNEL_HALF	0xffff800000000000ULL
#define NOBODY		65534

enum set { SET_THREAD, SET_STACK, SET_REGS, SET_SYSCALL };

struct scan {
	unsigned int hits;
	size_t bytes;		/* payload bytes looked at */
	char first[128];	/* where the first hit was */
};

static bool exempt(enum set set, uint16_t type)
{
	switch (set) {
	case SET_THREAD:
		return type == THREADSTAT_A_THREAD_CPUS_ALLOWED ||
		       type == THREADSTAT_A_THREAD_COMM;
	case SET_REGS:
		return type != THREADSTAT_A_REGS_IP &&
		       type != THREADSTAT_A_REGS_SP &&
		       type != THREADSTAT_A_REGS_CS &&
		       type != THREADSTAT_A_REGS_SS &&
		       type != THREADSTAT_A_REGS_FLAGS;
	case SET_SYSCALL:
		return type == THREADSTAT_A_SYSCALL_ARGS;
	default:
		return false;
	}
}

static void hit(struct scan *s, enum set set, uint16_t type, const char *what)
{
	if (!s->hits++)
		snprintf(s->first, sizeof(s->first), "set %d attr %u: %s",
			 set, type, what);
}

/* A printed address: "0x" and at least 12 hex digits. */
static bool has_printed_address(const char *p, size_t len)
{
	size_t i, n;

	for (i = 0; i + 1 < len; i++) {
		if (p[i] != '0' || p[i + 1] != 'x')
			continue;
		for (n = 0; i + 2 + n < len &&
		     strchr("0123456789abcdefABCDEF", p[i + 2 + n]) &&
		     p[i + 2 + n]; n++)
			;
		if (n >= 12)
			return true;
	}
	return false;
}

static void scan_attrs(const void *data, size_t len, enum set set,
		       struct scan *s)
{
	const char *end = (const char *)data + len;
	const struct nlattr *a;

	for (a = data; mnl_attr_ok(a, end - (const char *)a);
	     a = mnl_attr_next(a)) {
		uint16_t type = mnl_attr_get_type(a);
		const unsigned char *p = mnl_attr_get_payload(a);
		size_t plen = mnl_attr_get_payload_len(a), off;
		char what[64];

		if (set == SET_THREAD && type == THREADSTAT_A_THREAD_STACK) {
			scan_attrs(p, plen, SET_STACK, s);
			continue;
		}
		if (set == SET_THREAD && type == THREADSTAT_A_THREAD_REGS) {
			scan_attrs(p, plen, SET_REGS, s);
			continue;
		}
		if (set == SET_THREAD && type == THREADSTAT_A_THREAD_SYSCALL) {
			scan_attrs(p, plen, SET_SYSCALL, s);
			continue;
		}
		if (exempt(set, type))
			continue;
		s->bytes += plen;
		if (set == SET_THREAD &&
		    (type == THREADSTAT_A_THREAD_KERNEL_STACK ||
		     type == THREADSTAT_A_THREAD_WCHAN) &&
		    has_printed_address((const char *)p, plen))
			hit(s, set, type, (const char *)p);
		for (off = 0; off + 8 <= plen; off++) {
			uint64_t v;

			memcpy(&v, p + off, 8);
			if (v >= KERNEL_HALF) {
				snprintf(what, sizeof(what), "0x%llx at +%zu",
					 (unsigned long long)v, off);
				hit(s, set, type, what);
			}
		}
	}
}

/* Scan every THREAD_GET message of a reply. */
static struct scan scan_reply(const struct tsnl_reply *r)
{
	const struct nlmsghdr *nlh = (const void *)r->raw;
	int rem = (int)r->raw_len;
	struct scan s = { 0 };

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
		scan_attrs(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			   nlh->nlmsg_len - MNL_NLMSG_HDRLEN - GENL_HDRLEN,
			   SET_THREAD, &s);
	return s;
}

/* The scanner itself: it finds what is planted where it must look. */
TEST(scanner_finds_planted_addresses)
{
	static const struct {
		enum set set;
		uint16_t type;
		uint64_t value;
		unsigned int hits;
	} cases[] = {
		{ SET_STACK, THREADSTAT_A_STACK_USER_SP, 0xffffffff81234560ULL, 1 },
		{ SET_STACK, THREADSTAT_A_STACK_USER_SP, 0x00007ffdffffe000ULL, 0 },
		{ SET_REGS, THREADSTAT_A_REGS_IP, 0xffffffffc0a01234ULL, 1 },
		{ SET_REGS, THREADSTAT_A_REGS_AX, 0xffffffffffffffdaULL, 0 },
		{ SET_THREAD, THREADSTAT_A_THREAD_START_TIME,
		  0xffff888003a4c000ULL, 1 },
	};
	struct tsnl_reply r = { 0 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct scan s;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nlh = mnl_nlmsg_put_header(buf);
		mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
		mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, 1);
		nest = NULL;
		if (cases[i].set == SET_STACK)
			nest = mnl_attr_nest_start(nlh, THREADSTAT_A_THREAD_STACK);
		if (cases[i].set == SET_REGS)
			nest = mnl_attr_nest_start(nlh, THREADSTAT_A_THREAD_REGS);
		mnl_attr_put_u64(nlh, cases[i].type, cases[i].value);
		if (nest)
			mnl_attr_nest_end(nlh, nest);
		mnl_attr_put_strz(nlh, THREADSTAT_A_THREAD_KERNEL_STACK,
				  "pipe_read+0x1c/0x3f0");
		r.raw = (unsigned char *)buf;
		r.raw_len = nlh->nlmsg_len;
		s = scan_reply(&r);
		EXPECT_EQ(cases[i].hits, s.hits) {
			TH_LOG("case %zu: %s", i, s.first);
		}
	}

	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	mnl_attr_put_strz(nlh, THREADSTAT_A_THREAD_KERNEL_STACK,
			  "0xffffffff81234567");
	r.raw_len = nlh->nlmsg_len;
	s = scan_reply(&r);
	EXPECT_EQ(1U, s.hits);
}

/* A thread of ours blocked in a system call, so every group has data. */
static int blocker_pipe[2];

static void *blocker(void *arg)
{
	char c;

	*(uint32_t *)arg = gettid();
	return (void *)read(blocker_pipe[0], &c, 1);
}

FIXTURE(blocked) {
	pthread_t th;
	uint32_t tid;
};

FIXTURE_SETUP(blocked)
{
	ASSERT_EQ(0, pipe(blocker_pipe));
	ASSERT_EQ(0, pthread_create(&self->th, NULL, blocker, &self->tid));
	while (!__atomic_load_n(&self->tid, __ATOMIC_ACQUIRE))
		usleep(1000);
	usleep(100000);		/* into the read */
}

FIXTURE_TEARDOWN(blocked)
{
	if (write(blocker_pipe[1], "x", 1) != 1)
		perror("write");
	pthread_join(self->th, NULL);
}

TEST_F(blocked, privileged_dump_has_no_kernel_address)
{
	unsigned int i, frames = 0, regs = 0, stacks = 0;
	struct tsnl_reply r;
	struct tsnl nl;
	struct scan s;

	ASSERT_EQ(0, tsnl_open(&nl));
	ASSERT_EQ(0, tsnl_dump_fields(&nl, 0, THREADSTAT_FIELDS_ALL, &r));
	ASSERT_EQ(0, r.error);
	for (i = 0; i < r.n; i++) {
		frames += r.threads[i].n_frames;
		regs += r.threads[i].has[THREADSTAT_A_THREAD_REGS];
		stacks += r.threads[i].has[THREADSTAT_A_THREAD_STACK];
		/* the registers most likely to show a wrong read */
		if (r.threads[i].has[THREADSTAT_A_THREAD_REGS]) {
			EXPECT_LT(r.threads[i].regs[THREADSTAT_A_REGS_IP],
				  0x800000000000ULL);
			EXPECT_LT(r.threads[i].regs[THREADSTAT_A_REGS_SP],
				  0x800000000000ULL);
		}
	}
	/* The dump really holds what we look at. */
	EXPECT_GT(frames, r.n);
	EXPECT_GT(regs, 0U);
	EXPECT_GT(stacks, r.n / 2);
	s = scan_reply(&r);
	TH_LOG("%u threads, %u frames, %zu payload bytes scanned", r.n, frames,
	       s.bytes);
	EXPECT_EQ(0U, s.hits) {
		TH_LOG("first: %s", s.first);
	}
	tsnl_reply_free(&r);
	tsnl_close(&nl);
}

/* What the unprivileged child saw, sent back to the test through a pipe. */
struct unpriv_view {
	int err;		/* 0, or where it failed (see unpriv_look) */
	uint64_t cap_eff;
	unsigned int threads, with_sched, withheld_ok, leaked, own;
	unsigned int get_ours, get_has_state, get_withheld, get_leaked;
	struct scan scan;
};

static const int privileged_attrs[] = {
	THREADSTAT_A_THREAD_STACK, THREADSTAT_A_THREAD_KERNEL_STACK,
	THREADSTAT_A_THREAD_WCHAN, THREADSTAT_A_THREAD_KERNEL_STACK_MISSING,
	THREADSTAT_A_THREAD_REGS, THREADSTAT_A_THREAD_SYSCALL,
	THREADSTAT_A_THREAD_WAIT, THREADSTAT_A_THREAD_WAIT_MISSING,
};

/* What nobody is refused about others: also delayacct's admin-only part. */
#define UNPRIV_WITHHELD	(THREADSTAT_FIELDS_PRIVILEGED | THREADSTAT_FIELDS_DELAYACCT)

static bool leaks(const struct tsnl_thread *t)
{
	size_t i;

	for (i = 0; i < sizeof(privileged_attrs) / sizeof(int); i++)
		if (t->has[privileged_attrs[i]])
			return true;
	return t->n_frames > 0;
}

static int drop_privileges(uint64_t *cap_eff)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -1;
	if (syscall(SYS_capset, &h, d))
		return -1;
	if (syscall(SYS_capget, &h, d))
		return -1;
	*cap_eff = d[0].effective | (uint64_t)d[1].effective << 32;
	return 0;
}

static void unpriv_look(pid_t tgid, uint32_t tid, struct unpriv_view *v)
{
	struct tsnl_reply r;
	struct tsnl nl;
	unsigned int i;

	if (drop_privileges(&v->cap_eff)) {
		v->err = 1;
		return;
	}
	if (tsnl_open(&nl)) {
		v->err = 2;
		return;
	}
	if (tsnl_dump_fields(&nl, 0, THREADSTAT_FIELDS_ALL, &r) || r.error) {
		v->err = 3;
		return;
	}
	v->threads = r.n;
	for (i = 0; i < r.n; i++) {
		const struct tsnl_thread *t = &r.threads[i];

		v->with_sched += t->has[THREADSTAT_A_THREAD_STATE] &&
				 t->has[THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME];
		/* Its own registers and stack are its to see, as in /proc. */
		if (t->tgid == (uint32_t)getpid()) {
			v->own++;
			continue;
		}
		v->withheld_ok += t->v[THREADSTAT_A_THREAD_WITHHELD] ==
				  UNPRIV_WITHHELD;
		v->leaked += leaks(t);
	}
	v->scan = scan_reply(&r);
	tsnl_reply_free(&r);

	if (tsnl_get_fields(&nl, tid, THREADSTAT_FIELDS_ALL, &r) || r.error) {
		v->err = 4;
		return;
	}
	if (r.n == 1) {
		v->get_ours = r.threads[0].tgid == (uint32_t)tgid;
		v->get_has_state = r.threads[0].has[THREADSTAT_A_THREAD_STATE];
		v->get_withheld = r.threads[0].v[THREADSTAT_A_THREAD_WITHHELD];
		v->get_leaked = leaks(&r.threads[0]);
	}
	tsnl_reply_free(&r);
	tsnl_close(&nl);
}

TEST_F(blocked, unprivileged_gets_sched_but_stack_withheld)
{
	struct unpriv_view v = { 0 };
	int fds[2], status;
	pid_t child;

	ASSERT_EQ(0, pipe(fds));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		unpriv_look(getppid(), self->tid, &v);
		_exit(write(fds[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	ASSERT_EQ(sizeof(v), read(fds[0], &v, sizeof(v)));
	waitpid(child, &status, 0);
	ASSERT_EQ(0, v.err);
	EXPECT_EQ(0, v.cap_eff);

	TH_LOG("unprivileged: %u threads, %u with sched, %u withheld, "
	       "%u leaked", v.threads, v.with_sched, v.withheld_ok, v.leaked);
	EXPECT_GT(v.threads, 10U);
	EXPECT_EQ(v.threads, v.with_sched);
	EXPECT_EQ(1U, v.own);
	EXPECT_EQ(v.threads - v.own, v.withheld_ok);
	EXPECT_EQ(0U, v.leaked);

	EXPECT_EQ(1U, v.get_ours);
	EXPECT_TRUE(v.get_has_state);
	EXPECT_EQ(UNPRIV_WITHHELD, v.get_withheld);
	EXPECT_EQ(0U, v.get_leaked);

	EXPECT_GT(v.scan.bytes, 0U);
	EXPECT_EQ(0U, v.scan.hits) {
		TH_LOG("first: %s", v.scan.first);
	}
}

TEST_HARNESS_MAIN
