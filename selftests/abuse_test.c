// SPDX-License-Identifier: GPL-2.0
/*
 * Abuse: what an unprivileged or hostile client can get out of the family.
 *
 * - Without CAP_SYS_PTRACE in the initial user namespace (nobody; root
 *   with the capability dropped; nobody as root of its own user namespace)
 *   no other process's stack, registers, system call or kernel stack is
 *   sent: those attributes are absent and "withheld" names the groups
 *   (delayacct too, without CAP_NET_ADMIN; see privilege_test for the rules
 *   per caller and target).
 * - Nobody who builds its own root (user namespace + chroot) can steer or
 *   stall the module through files it plants there.
 * - An unprivileged container (user + pid namespace) sees only itself.
 * - Dumps left open, abandoned mid-way or killed with their process leave
 *   nothing behind: the module's reference count comes back.
 * - 64 clients at once all get exactly the right answers.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/genetlink.h>

#include "../kselftest_harness.h"
#include "nl_strict.h"
#include "text_file.h"

#define NOBODY		65534
#define NR_CLIENTS	64

static const uint16_t privileged_attrs[] = {
	THREADSTAT_A_THREAD_STACK, THREADSTAT_A_THREAD_KERNEL_STACK,
	THREADSTAT_A_THREAD_WCHAN, THREADSTAT_A_THREAD_KERNEL_STACK_MISSING,
	THREADSTAT_A_THREAD_REGS, THREADSTAT_A_THREAD_SYSCALL,
};

/* Run @fn in a child process; its complaint, or "" when it had none. */
static const char *in_child(const char *(*fn)(void *), void *arg)
{
	static char *shared;
	int status;
	pid_t pid;

	if (!shared)
		shared = mmap(NULL, 512, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shared[0] = '\0';
	pid = fork();
	if (pid == 0) {
		const char *msg = fn(arg);

		if (msg)
			snprintf(shared, 512, "%s", msg);
		_exit(msg ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return "waitpid failed";
	if (WIFSIGNALED(status)) {
		snprintf(shared, 512, "child killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
		return shared;
	}
	if (WEXITSTATUS(status) && !shared[0])
		return "child failed without a word";
	return shared;
}

static __thread char msg[512];

#define COMPLAIN(...) ({ snprintf(msg, sizeof(msg), __VA_ARGS__); msg; })

static const char *become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return COMPLAIN("dropping to uid %d: %s", NOBODY, strerror(errno));
	return NULL;
}

struct privacy {
	unsigned int answers;
	uint32_t want_withheld;
};

/* Every answer lacks the privileged attributes and says why. */
static const char *check_private(const struct nlmsghdr *nlh, void *arg)
{
	struct privacy *p = arg;
	const struct nlattr *a;
	unsigned int i;

	p->answers++;
	/*
	 * Its own threads: /proc shows it their registers and stack, and
	 * privilege_test checks exactly that; here only the others count.
	 */
	a = nls_attr(nlh, THREADSTAT_A_THREAD_TGID);
	if (a && *(uint32_t *)(a + 1) == (uint32_t)getpid())
		return NULL;
	for (i = 0; i < sizeof(privileged_attrs) / sizeof(privileged_attrs[0]); i++)
		if (nls_attr(nlh, privileged_attrs[i]))
			return COMPLAIN("attribute %u sent to an unprivileged caller",
					privileged_attrs[i]);
	a = nls_attr(nlh, THREADSTAT_A_THREAD_WITHHELD);
	if (!p->want_withheld)
		return a ? COMPLAIN("withheld present though nothing was") : NULL;
	if (!a || *(uint32_t *)(a + 1) != p->want_withheld)
		return COMPLAIN("withheld %#x, expected %#x",
				a ? *(uint32_t *)(a + 1) : 0, p->want_withheld);
	return NULL;
}

/* A dump and do requests for pid 1 and ourselves, with @fields. */
static const char *ask_everything(uint32_t fields, uint32_t want_withheld)
{
	uint32_t tids[] = { 1, getpid(), getppid() };
	struct privacy p = { 0, want_withheld };
	struct nls_result r;
	char buf[256];
	struct nlmsghdr *nlh;
	struct nls s;
	unsigned int i;
	int err;

	err = nls_open(&s, 10000);
	if (err)
		return COMPLAIN("nls_open: %s", strerror(-err));
	nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
	nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, fields);
	err = nls_request(&s, nlh, check_private, &p, &r);
	if (err || r.bad[0] || r.error || p.answers < 3)
		return COMPLAIN("dump: err %d error %d answers %u: %s", err,
				r.error, p.answers, r.bad);
	for (i = 0; i < 3; i++) {
		nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_ACK);
		nls_put_u32(nlh, THREADSTAT_A_THREAD_TID, tids[i]);
		nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, fields);
		err = nls_request(&s, nlh, check_private, &p, &r);
		if (err || r.bad[0] || r.error || r.answers != 1)
			return COMPLAIN("get %u: err %d error %d: %s", tids[i],
					err, r.error, r.bad);
	}
	nls_close(&s);
	return NULL;
}

static const char *nobody_asks(void *arg)
{
	return become_nobody() ?:
	       ask_everything(THREADSTAT_FIELDS_ALL,
			      THREADSTAT_FIELDS_PRIVILEGED |
			      THREADSTAT_FIELDS_DELAYACCT) ?:
	       ask_everything(THREADSTAT_FIELDS_REGS, THREADSTAT_FIELDS_REGS) ?:
	       ask_everything(THREADSTAT_FIELDS_SCHED, 0);
}

TEST(nobody_gets_no_registers_stacks_or_syscalls)
{
	EXPECT_STREQ("", in_child(nobody_asks, NULL));
}

static const char *root_without_ptrace_asks(void *arg)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return COMPLAIN("capget: %s", strerror(errno));
	d[CAP_SYS_PTRACE / 32].effective &= ~(1U << (CAP_SYS_PTRACE % 32));
	d[CAP_SYS_PTRACE / 32].permitted &= ~(1U << (CAP_SYS_PTRACE % 32));
	if (syscall(SYS_capset, &h, d))
		return COMPLAIN("capset: %s", strerror(errno));
	return ask_everything(THREADSTAT_FIELDS_ALL, THREADSTAT_FIELDS_PRIVILEGED);
}

TEST(root_without_cap_sys_ptrace_gets_none_either)
{
	EXPECT_STREQ("", in_child(root_without_ptrace_asks, NULL));
}

static const char *own_userns_root_asks(void *arg)
{
	if (become_nobody())
		return msg;
	if (unshare(CLONE_NEWUSER)) {
		return COMPLAIN("SKIP: unshare(CLONE_NEWUSER): %s", strerror(errno));
	}
	/* Every capability now, but in a namespace of our own making. */
	return ask_everything(THREADSTAT_FIELDS_ALL,
			      THREADSTAT_FIELDS_PRIVILEGED |
			      THREADSTAT_FIELDS_DELAYACCT);
}

TEST(root_of_own_user_namespace_gets_none)
{
	const char *m = in_child(own_userns_root_asks, NULL);

	if (!strncmp(m, "SKIP", 4))
		SKIP(return, "%s", m);
	EXPECT_STREQ("", m);
}

/* The value of a sysctl file, as the real /proc has it. */
static int sysctl_value(const char *path)
{
	char buf[16];

	return text_file_read(path, buf, sizeof(buf)) < 0 ? -1 : atoi(buf);
}

/*
 * Nobody, as root of its own user namespace, chroots into a tree where
 * /proc/sys/kernel/sched_schedstats is a FIFO nobody will ever write and
 * task_delayacct says the opposite of the truth, then asks for both
 * groups. The module must neither block on the FIFO (it would hold
 * genetlink's cb_lock: no family could (un)register, and once one tries,
 * no genetlink request of anybody gets through) nor believe the lie.
 */
static const char *planted_sysctls(void *arg)
{
	int schedstats = sysctl_value("/proc/sys/kernel/sched_schedstats");
	int delayacct = sysctl_value("/proc/sys/kernel/task_delayacct");
	char dir[] = "/tmp/ts-abuse-XXXXXX", path[128];
	struct nls_result r;
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	char buf[256];
	struct nls s;
	int fd, err, i;

	if (schedstats < 0 || delayacct < 0)
		return COMPLAIN("SKIP: no kernel.sched_schedstats/task_delayacct");
	if (become_nobody())
		return msg;
	if (!mkdtemp(dir))
		return COMPLAIN("mkdtemp: %s", strerror(errno));
	for (i = 0; i < 3; i++) {
		static const char *const sub[] = { "/proc", "/proc/sys",
						   "/proc/sys/kernel" };

		snprintf(path, sizeof(path), "%s%s", dir, sub[i]);
		if (mkdir(path, 0755))
			return COMPLAIN("mkdir %s: %s", path, strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/sched_schedstats", dir);
	if (mkfifo(path, 0666))
		return COMPLAIN("mkfifo: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/task_delayacct", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write(fd, delayacct ? "0\n" : "1\n", 2) != 2)
		return COMPLAIN("planting task_delayacct: %s", strerror(errno));
	close(fd);

	err = nls_open(&s, 10000);
	if (err)
		return COMPLAIN("nls_open: %s", strerror(-err));
	if (unshare(CLONE_NEWUSER)) {
		return COMPLAIN("SKIP: unshare(CLONE_NEWUSER): %s", strerror(errno));
	}
	if (chroot(dir) || chdir("/"))
		return COMPLAIN("chroot: %s", strerror(errno));

	/* A request stuck on the FIFO is cut short by the alarm. */
	alarm(10);
	nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, 0);
	nls_put_u32(nlh, THREADSTAT_A_THREAD_TID, getpid());
	nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS,
		    THREADSTAT_FIELDS_SCHEDSTATS | THREADSTAT_FIELDS_DELAYACCT);
	err = nls_request(&s, nlh, NULL, NULL, &r);
	alarm(0);
	if (err || r.error || r.bad[0] || r.answers != 1)
		return COMPLAIN("get: err %d error %d answers %u %s", err,
				r.error, r.answers, r.bad);
	/* A do without NLM_F_ACK ends with its answer, still in s.buf. */
	nlh = (struct nlmsghdr *)s.buf;
	a = nls_attr(nlh, THREADSTAT_A_THREAD_SCHEDSTATS_ENABLED);
	if (!a || *(uint8_t *)(a + 1) != !!schedstats)
		return COMPLAIN("schedstats-enabled %d, kernel says %d",
				a ? *(uint8_t *)(a + 1) : -1, schedstats);
	a = nls_attr(nlh, THREADSTAT_A_THREAD_DELAYACCT_ENABLED);
	if (!a || *(uint8_t *)(a + 1) != !!delayacct)
		return COMPLAIN("delayacct-enabled %d believed a planted file; kernel says %d",
				a ? *(uint8_t *)(a + 1) : -1, delayacct);
	nls_close(&s);
	return NULL;
}

TEST(planted_sysctl_files_neither_stall_nor_fool)
{
	const char *m = in_child(planted_sysctls, NULL);

	if (!strncmp(m, "SKIP", 4))
		SKIP(return, "%s", m);
	EXPECT_STREQ("", m);
}

/* Inside: pid 1 of an unprivileged container, with @arg outside tids. */
static const char *container_looks_out(void *arg)
{
	const uint32_t *outside = arg;
	struct nls_result r;
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	char buf[256];
	struct nls s;
	unsigned int i;
	int err;

	if (getpid() != 1)
		return COMPLAIN("not pid 1 but %d", getpid());
	err = nls_open(&s, 10000);
	if (err)
		return COMPLAIN("nls_open: %s", strerror(-err));
	nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
	nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, THREADSTAT_FIELDS_ALL);
	err = nls_request(&s, nlh, NULL, NULL, &r);
	if (err || r.error || r.bad[0] || r.answers != 1)
		return COMPLAIN("dump: err %d error %d: %u threads (we are 1) %s",
				err, r.error, r.answers, r.bad);
	/* Every tid the parent's namespace has: none of them is ours. */
	for (i = 0; outside[i]; i++) {
		nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, 0);
		nls_put_u32(nlh, THREADSTAT_A_THREAD_TID, outside[i]);
		err = nls_request(&s, nlh, NULL, NULL, &r);
		if (err || r.bad[0])
			return COMPLAIN("get %u: err %d %s", outside[i], err, r.bad);
		if (outside[i] == 1 ? r.answers != 1 : r.error != -ENOENT)
			return COMPLAIN("tid %u of the outside: error %d answers %u",
					outside[i], r.error, r.answers);
		a = r.answers ? nls_attr((void *)s.buf, THREADSTAT_A_THREAD_TGID) : NULL;
		if (a && *(uint32_t *)(a + 1) != 1)
			return COMPLAIN("tid 1 is not ours");
		/* And as a dump filter. */
		nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
		nls_put_u32(nlh, THREADSTAT_A_THREAD_TGID, outside[i]);
		err = nls_request(&s, nlh, NULL, NULL, &r);
		if (err || r.bad[0] || r.error ||
		    r.answers != (outside[i] == 1))
			return COMPLAIN("dump of tgid %u: %u answers", outside[i],
					r.answers);
	}
	nls_close(&s);
	return NULL;
}

static const char *container(void *arg)
{
	const char *m;
	pid_t pid;
	int status;

	if (become_nobody())
		return msg;
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID)) {
		return COMPLAIN("SKIP: unshare(CLONE_NEWUSER|CLONE_NEWPID): %s",
				strerror(errno));
	}
	pid = fork();
	if (pid == 0) {
		m = container_looks_out(arg);
		if (m)
			printf("# %s\n", m);
		_exit(m ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return COMPLAIN("the container's pid 1 failed (see above)");
	return NULL;
}

/* Up to @max - 1 tids of the initial pid namespace, 0-terminated. */
static void proc_tids(uint32_t *tids, unsigned int max)
{
	struct dirent *p, *t;
	unsigned int n = 0;
	DIR *proc, *task;
	char path[300];

	proc = opendir("/proc");
	while (proc && (p = readdir(proc))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", p->d_name);
		task = opendir(path);
		while (task && (t = readdir(task)) && n < max - 1)
			if (t->d_name[0] != '.')
				tids[n++] = strtoul(t->d_name, NULL, 10);
		if (task)
			closedir(task);
	}
	if (proc)
		closedir(proc);
	tids[n] = 0;
}

TEST(unprivileged_container_sees_only_itself)
{
	static uint32_t outside[4096];
	const char *m;

	proc_tids(outside, 4096);
	ASSERT_NE(0U, outside[0]);
	m = in_child(container, outside);
	if (!strncmp(m, "SKIP", 4))
		SKIP(return, "%s", m);
	EXPECT_STREQ("", m);
}

/* -------- dumps left behind ------------------------------------------ */

static int refcnt(void)
{
	return sysctl_value("/sys/module/threadstat/refcnt");
}

/* Wait up to 5 s for the module's reference count to be @want. */
static int refcnt_settles(int want)
{
	int i, r = -1;

	for (i = 0; i < 500; i++) {
		r = refcnt();
		if (r == want)
			break;
		usleep(10000);
	}
	return r;
}

/*
 * Start a full dump on a fresh socket that never read anything (so the
 * kernel sends it in parts of one page) with a tiny receive buffer: the
 * dump stays open until somebody reads. Return the socket.
 */
static int open_dump(uint16_t family)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh;
	struct nls s = { .family = family };
	int small = 4096;
	char buf[256];

	s.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s.fd < 0)
		return -1;
	setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
	nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, THREADSTAT_FIELDS_ALL);
	if (bind(s.fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    sendto(s.fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		close(s.fd);
		return -1;
	}
	return s.fd;
}

/*
 * Full dumps with every group cost the debug kernel (KASAN, lockdep) under
 * qemu TCG on a loaded host over the harness's default 30 s: 64 clients
 * at once and 16 open dumps took longer there (make check-debug), though
 * nothing hung. A hang still fails, after 5 minutes.
 */
#define ABUSE_TIMEOUT	300

FIXTURE(module) {
	int base;
	struct nls s;
};

FIXTURE_SETUP(module)
{
	self->base = refcnt();
	if (self->base < 0)
		SKIP(return, "no /sys/module/threadstat/refcnt (module built in?)");
	ASSERT_EQ(0, nls_open(&self->s, 10000));
}

FIXTURE_TEARDOWN(module)
{
	nls_close(&self->s);
}

TEST_F_TIMEOUT(module, dump_never_read_then_closed, ABUSE_TIMEOUT)
{
	int fd[16], i;

	for (i = 0; i < 16; i++)
		ASSERT_LE(0, fd[i] = open_dump(self->s.family));
	/* Each open dump holds the module: the count proves they are open. */
	EXPECT_EQ(self->base + 16, refcnt_settles(self->base + 16));
	for (i = 0; i < 16; i++)
		close(fd[i]);
	EXPECT_EQ(self->base, refcnt_settles(self->base));
}

TEST_F_TIMEOUT(module, dump_closed_half_read, ABUSE_TIMEOUT)
{
	char buf[8192];
	int fd = open_dump(self->s.family);

	ASSERT_LE(0, fd);
	ASSERT_LT(0, recv(fd, buf, sizeof(buf), 0));
	/* More to come: still open. */
	EXPECT_EQ(self->base + 1, refcnt_settles(self->base + 1));
	close(fd);
	EXPECT_EQ(self->base, refcnt_settles(self->base));
}

static void dump_then_hang(uint16_t family, volatile int *ready)
{
	if (open_dump(family) < 0)
		_exit(1);
	*ready = 1;
	pause();
}

TEST_F_TIMEOUT(module, dump_owner_killed, ABUSE_TIMEOUT)
{
	int *ready = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int i;

	ASSERT_NE(MAP_FAILED, ready);
	pid = fork();
	if (pid == 0)
		dump_then_hang(self->s.family, ready);
	for (i = 0; i < 500 && !*ready; i++)
		usleep(10000);
	ASSERT_EQ(1, *ready);
	EXPECT_EQ(self->base + 1, refcnt_settles(self->base + 1));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(self->base, refcnt_settles(self->base));
}

/* -------- many clients ------------------------------------------------ */

static pthread_barrier_t start_line, finish_line;
static uint32_t client_tid[NR_CLIENTS];

struct census {
	uint32_t tgid;
	unsigned int n;
	uint32_t tids[NR_CLIENTS + 8];
};

static const char *count_thread(const struct nlmsghdr *nlh, void *arg)
{
	struct census *c = arg;
	const struct nlattr *tid = nls_attr(nlh, THREADSTAT_A_THREAD_TID);
	const struct nlattr *tgid = nls_attr(nlh, THREADSTAT_A_THREAD_TGID);

	if (!tid || !tgid || *(uint32_t *)(tgid + 1) != c->tgid)
		return COMPLAIN("thread outside tgid %u", c->tgid);
	if (c->n < NR_CLIENTS + 8)
		c->tids[c->n] = *(uint32_t *)(tid + 1);
	c->n++;
	return NULL;
}

/* Each client, 3 times: its thread, its process; once all threads. */
static const char *client_work(uintptr_t id)
{
	uint32_t me = gettid();
	struct census c;
	struct nls_result r;
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	char buf[256];
	struct nls s;
	int round, i;

	client_tid[id] = me;
	if (nls_open(&s, 20000))
		return "nls_open failed";
	for (round = 0; round < 3; round++) {
		nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, 0);
		nls_put_u32(nlh, THREADSTAT_A_THREAD_TID, me);
		if (nls_request(&s, nlh, NULL, NULL, &r) || r.error ||
		    r.bad[0] || r.answers != 1)
			return "get of own tid failed";
		a = nls_attr((void *)s.buf, THREADSTAT_A_THREAD_TID);
		if (!a || *(uint32_t *)(a + 1) != me)
			return "get answered for another thread";

		memset(&c, 0, sizeof(c));
		c.tgid = getpid();
		nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
		nls_put_u32(nlh, THREADSTAT_A_THREAD_TGID, getpid());
		nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, THREADSTAT_FIELDS_ALL);
		if (nls_request(&s, nlh, count_thread, &c, &r) || r.error ||
		    r.bad[0])
			return "dump of own process failed";
		/* All 64 clients and the main thread, each once, ours too. */
		if (c.n != NR_CLIENTS + 1)
			return "dump of own process: wrong thread count";
		for (i = 0; i < NR_CLIENTS + 1 && c.tids[i] != me; i++)
			;
		if (i == NR_CLIENTS + 1)
			return "dump of own process lacks the asking thread";
		for (i = 1; i < NR_CLIENTS + 1; i++)
			if (c.tids[i] <= c.tids[i - 1])
				return "dump not in strictly rising tid order";

		if (round)
			continue;
		nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
		if (nls_request(&s, nlh, NULL, NULL, &r) || r.error ||
		    r.bad[0] || r.answers < NR_CLIENTS + 1)
			return "full dump failed";
	}
	nls_close(&s);
	return NULL;
}

/* All clients start together and stay until all are done. */
static void *client(void *arg)
{
	const char *res;

	pthread_barrier_wait(&start_line);
	res = client_work((uintptr_t)arg);
	pthread_barrier_wait(&finish_line);
	return (void *)res;
}

FIXTURE(crowd) {
};

FIXTURE_SETUP(crowd)
{
}

FIXTURE_TEARDOWN(crowd)
{
}

TEST_F_TIMEOUT(crowd, sixty_four_clients_at_once, ABUSE_TIMEOUT)
{
	pthread_t th[NR_CLIENTS];
	unsigned int i, served = 0;
	void *res;

	ASSERT_EQ(0, pthread_barrier_init(&start_line, NULL, NR_CLIENTS));
	ASSERT_EQ(0, pthread_barrier_init(&finish_line, NULL, NR_CLIENTS));
	for (i = 0; i < NR_CLIENTS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, client,
					    (void *)(uintptr_t)i));
	for (i = 0; i < NR_CLIENTS; i++) {
		pthread_join(th[i], &res);
		if (res)
			TH_LOG("client %u (tid %u): %s", i, client_tid[i],
			       (char *)res);
		else
			served++;
	}
	TH_LOG("%u clients served, 7 requests each", served);
	EXPECT_EQ(NR_CLIENTS, served);
}

TEST_HARNESS_MAIN
