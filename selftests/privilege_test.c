// SPDX-License-Identifier: GPL-2.0
/*
 * Privileges never wider than /proc, per target thread.
 *
 * Six callers (uid 1000, uid 1001, root, root without CAP_SYS_PTRACE, and
 * uid 1000 and nobody each as root of a user namespace of its own) ask
 * about seven threads (processes of uid 1000, dumpable and not, of uid
 * 1001, of root, dumpable and not, a child of the caller, and the caller
 * itself) under Yama ptrace_scope 0, 1 and 2. For every pair the test
 * reads /proc/T/syscall, /proc/T/mem and /proc/T/stack as that caller and
 * asserts threadstat grants regs, stack and kstack exactly when /proc does
 * (do request and dump alike), then checks the rules by name. Scope 3
 * cannot be lowered again: yama_scope3_final, run last, tests it.
 *
 * Also: a user-namespace root gets nothing privileged outside its own
 * processes in a full dump; the socket's opener and its reader must both be
 * entitled; the hidepid parameter hides what a /proc mounted with the same
 * hidepid hides; delayacct's administrator-only delays.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "../kselftest_harness.h"
#include "privilege.h"

enum { T_U1000, T_U1000_ND, T_U1001, T_ROOT, T_ROOT_ND, N_FIXED,
	T_CHILD = N_FIXED, T_SELF, N_TARGETS };

enum { C_U1000, C_U1001, C_ROOT, C_ROOT_NOPTRACE, C_NS1000, C_NSNOBODY,
	N_CALLERS };

static const struct priv_caller callers[N_CALLERS] = {
	{ PRIV_UID, 1000, "uid 1000" },
	{ PRIV_UID, 1001, "uid 1001" },
	{ PRIV_ROOT, 0, "root" },
	{ PRIV_ROOT_NOPTRACE, 0, "root without CAP_SYS_PTRACE" },
	{ PRIV_USERNS, 1000, "uid 1000 as userns root" },
	{ PRIV_USERNS, PRIV_NOBODY, "nobody as userns root" },
};

static const char *const target_names[N_TARGETS] = {
	"uid 1000", "uid 1000 non-dumpable", "uid 1001", "root",
	"root non-dumpable", "own child", "itself",
};

struct matrix {
	char error[N_CALLERS][256];
	struct priv_grant g[N_CALLERS][N_TARGETS];
};

FIXTURE(targets) {
	struct priv_target t[N_FIXED];
	struct matrix *m;
	int scope;		/* ptrace_scope before the test, -1: no Yama */
};

FIXTURE_SETUP(targets)
{
	static const struct { uid_t uid; bool dumpable; } spec[N_FIXED] = {
		{ 1000, true }, { 1000, false }, { 1001, true }, { 0, true },
		{ 0, false },
	};
	int i;

	if (priv_read_int(YAMA_SCOPE, &self->scope))
		self->scope = -1;
	if (self->scope == 3)
		SKIP(return, "ptrace_scope is 3 and cannot be lowered");
	for (i = 0; i < N_FIXED; i++)
		ASSERT_EQ(0, priv_target_start(&self->t[i], target_names[i],
					       spec[i].uid, spec[i].dumpable));
	self->m = mmap(NULL, sizeof(*self->m), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->m);
}

FIXTURE_TEARDOWN(targets)
{
	char val[8];
	int i;

	for (i = 0; i < N_FIXED; i++)
		priv_target_stop(&self->t[i]);
	if (self->scope >= 0 && self->scope < 3) {
		snprintf(val, sizeof(val), "%d", self->scope);
		priv_write(YAMA_SCOPE, val);
	}
	priv_write(HIDEPID_PARAM, "0");
	if (self->m)
		munmap(self->m, sizeof(*self->m));
}

/* In a child: become caller @c and probe every target. */
static void probe_as(struct __test_metadata *_metadata,
		     FIXTURE_DATA(targets) *self, int c)
{
	struct priv_target child = { 0 };
	struct tsnl nl;
	const char *err;
	char what[96];
	pid_t pid;
	int i;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid) {
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
		return;
	}
	err = priv_become(&callers[c]);
	if (!err && priv_target_start(&child, "own child", 0, true))
		err = "cannot start a child";
	if (!err && tsnl_open(&nl))
		err = "cannot open the netlink socket";
	if (err) {
		snprintf(self->m->error[c], sizeof(self->m->error[c]), "%s",
			 err);
		_exit(1);
	}
	for (i = 0; i < N_TARGETS; i++) {
		pid_t tgid = i == T_CHILD ? child.pid :
			     i == T_SELF ? getpid() : self->t[i].pid;

		snprintf(what, sizeof(what), "%s -> %s", callers[c].name,
			 target_names[i]);
		priv_probe(&nl, tgid, tgid, what, &self->m->g[c][i]);
	}
	tsnl_close(&nl);
	priv_target_stop(&child);
	_exit(0);
}

/* Probe the whole matrix under @scope; every pair must agree with /proc. */
static void run_matrix(struct __test_metadata *_metadata,
		       FIXTURE_DATA(targets) *self, int scope)
{
	unsigned int granted = 0, refused = 0;
	char val[8], diff[1024];
	int c, t, i;

	if (scope) {
		if (self->scope < 0)
			SKIP(return, "no Yama");
		snprintf(val, sizeof(val), "%d", scope);
		ASSERT_EQ(0, priv_write(YAMA_SCOPE, val));
	} else if (self->scope >= 0) {
		ASSERT_EQ(0, priv_write(YAMA_SCOPE, "0"));
	}
	memset(self->m, 0, sizeof(*self->m));
	for (c = 0; c < N_CALLERS; c++) {
		probe_as(_metadata, self, c);
		ASSERT_STREQ("", self->m->error[c]);
		for (t = 0; t < N_TARGETS; t++) {
			const struct priv_grant *g = &self->m->g[c][t];

			EXPECT_TRUE(priv_agrees(g, diff, sizeof(diff))) {
				TH_LOG("scope %d: %s", scope, diff);
			}
			for (i = 0; i < 3; i++) {
				granted += g->proc[i];
				refused += !g->proc[i];
			}
		}
	}
	TH_LOG("scope %d: %d callers x %d threads x 3 groups: /proc and threadstat agree; %u granted, %u refused",
	       scope, N_CALLERS, N_TARGETS, granted, refused);
	EXPECT_GT(granted, 10U);
	EXPECT_GT(refused, 10U);
}

/* What threadstat sent caller @c about target @t, for @group. */
static bool grants(FIXTURE_DATA(targets) *self, int c, int t, uint32_t group)
{
	return !(self->m->g[c][t].get_withheld & group);
}

#define REGS	THREADSTAT_FIELDS_REGS
#define STACK	THREADSTAT_FIELDS_STACK
#define KSTACK	THREADSTAT_FIELDS_KSTACK

TEST_F(targets, scope0_same_ids_dumpability_and_namespaces)
{
	int t;

	run_matrix(_metadata, self, 0);
	EXPECT_TRUE(grants(self, C_U1000, T_U1000, REGS));
	EXPECT_TRUE(grants(self, C_U1000, T_U1000, STACK));
	EXPECT_FALSE(grants(self, C_U1000, T_U1000, KSTACK));
	EXPECT_FALSE(grants(self, C_U1000, T_U1000_ND, REGS));
	EXPECT_FALSE(grants(self, C_U1000, T_U1001, REGS));
	EXPECT_FALSE(grants(self, C_U1001, T_U1000, REGS));
	EXPECT_TRUE(grants(self, C_ROOT, T_ROOT_ND, KSTACK));
	EXPECT_TRUE(grants(self, C_ROOT, T_U1000_ND, REGS));
	/* T_ROOT holds every capability, the caller not CAP_SYS_PTRACE */
	EXPECT_FALSE(grants(self, C_ROOT_NOPTRACE, T_ROOT, REGS));
	EXPECT_FALSE(grants(self, C_ROOT_NOPTRACE, T_ROOT_ND, REGS));
	EXPECT_FALSE(grants(self, C_ROOT_NOPTRACE, T_U1000, REGS));
	/* Same kernel uid, but another user namespace: refused. */
	EXPECT_FALSE(grants(self, C_NS1000, T_U1000, REGS));
	EXPECT_FALSE(grants(self, C_NS1000, T_U1000_ND, REGS));
	EXPECT_TRUE(grants(self, C_NS1000, T_CHILD, REGS));
	EXPECT_FALSE(grants(self, C_NS1000, T_U1001, REGS));
	for (t = 0; t < N_FIXED; t++)
		EXPECT_EQ(REGS | STACK | KSTACK,
			  self->m->g[C_NSNOBODY][t].get_withheld);
	EXPECT_EQ(KSTACK, self->m->g[C_NSNOBODY][T_SELF].get_withheld);
	EXPECT_TRUE(grants(self, C_NSNOBODY, T_CHILD, REGS));
}

TEST_F(targets, scope1_only_descendants_without_capability)
{
	run_matrix(_metadata, self, 1);
	EXPECT_FALSE(grants(self, C_U1000, T_U1000, REGS));
	EXPECT_FALSE(grants(self, C_U1000, T_U1000, STACK));
	EXPECT_TRUE(grants(self, C_U1000, T_CHILD, REGS));
	EXPECT_TRUE(grants(self, C_U1000, T_SELF, REGS));
	EXPECT_TRUE(grants(self, C_ROOT, T_U1000, REGS));
	EXPECT_FALSE(grants(self, C_ROOT_NOPTRACE, T_ROOT, REGS));
	EXPECT_TRUE(grants(self, C_ROOT_NOPTRACE, T_CHILD, REGS));
}

TEST_F(targets, scope2_only_capability)
{
	run_matrix(_metadata, self, 2);
	EXPECT_FALSE(grants(self, C_U1000, T_CHILD, REGS));
	EXPECT_TRUE(grants(self, C_U1000, T_SELF, REGS));
	EXPECT_TRUE(grants(self, C_ROOT, T_U1000, REGS));
	EXPECT_FALSE(grants(self, C_ROOT_NOPTRACE, T_CHILD, REGS));
	/* CAP_SYS_PTRACE in its own namespace covers its own processes. */
	EXPECT_TRUE(grants(self, C_NSNOBODY, T_CHILD, REGS));
	EXPECT_FALSE(grants(self, C_NSNOBODY, T_U1000, REGS));
}

/* Full dump as nobody-root-of-a-userns: privileged only for its own. */
TEST_F(targets, userns_root_gets_nothing_privileged_outside)
{
	const uint32_t priv = REGS | STACK | KSTACK;
	struct priv_target child = { 0 };
	struct { unsigned int threads, outside, ok, own, own_ok; } *v;
	struct tsnl_reply r;
	struct tsnl nl;
	unsigned int i;
	pid_t pid;

	v = mmap(NULL, sizeof(*v), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, v);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (priv_become(&callers[C_NSNOBODY]) ||
		    priv_target_start(&child, "own child", 0, true) ||
		    tsnl_open(&nl) ||
		    tsnl_dump_fields(&nl, 0, THREADSTAT_FIELDS_SCHED | priv, &r) ||
		    r.error)
			_exit(1);
		for (i = 0; i < r.n; i++) {
			const struct tsnl_thread *t = &r.threads[i];
			bool mine = t->tgid == (uint32_t)getpid() ||
				    t->tgid == (uint32_t)child.pid;
			uint32_t w = t->v[THREADSTAT_A_THREAD_WITHHELD];
			bool attrs = t->has[THREADSTAT_A_THREAD_REGS] ||
				     t->has[THREADSTAT_A_THREAD_STACK] ||
				     t->has[THREADSTAT_A_THREAD_SYSCALL] ||
				     t->has[THREADSTAT_A_THREAD_WCHAN] ||
				     t->n_frames;

			v->threads++;
			if (mine) {
				v->own++;
				/* the dumping thread runs: regs-missing */
				v->own_ok += w == KSTACK &&
					     (t->has[THREADSTAT_A_THREAD_REGS] ||
					      t->has[THREADSTAT_A_THREAD_REGS_MISSING]) &&
					     t->has[THREADSTAT_A_THREAD_STACK];
			} else {
				v->outside++;
				v->ok += w == priv && !attrs;
			}
		}
		tsnl_reply_free(&r);
		priv_target_stop(&child);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	TH_LOG("%u threads: %u outside (%u withheld all three), %u its own (%u with regs and stack)",
	       v->threads, v->outside, v->ok, v->own, v->own_ok);
	EXPECT_GT(v->outside, 10U);
	EXPECT_EQ(v->outside, v->ok);
	EXPECT_EQ(2U, v->own);
	EXPECT_EQ(v->own, v->own_ok);
	munmap(v, sizeof(*v));
}

/*
 * The socket's opener and the task reading it must both be entitled: open
 * as euid 1000 then act as root, and open as root then act as euid 1000.
 */
static uint32_t regs_withheld(struct tsnl *nl, pid_t tid)
{
	struct tsnl_reply r;
	uint32_t w = ~0U;

	if (!tsnl_get_fields(nl, tid, REGS, &r) && !r.error && r.n == 1)
		w = r.threads[0].has[THREADSTAT_A_THREAD_WITHHELD] ?
		    r.threads[0].v[THREADSTAT_A_THREAD_WITHHELD] : 0;
	tsnl_reply_free(&r);
	return w;
}

TEST_F(targets, opener_and_reader_must_both_be_entitled)
{
	struct { uint32_t w[4]; int err; } *v;
	struct tsnl nl;
	pid_t pid;

	v = mmap(NULL, sizeof(*v), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, v);
	ASSERT_EQ(0, priv_write(YAMA_SCOPE, "0"));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* Opened as euid 1000 (no effective capabilities)... */
		if (setresgid(-1, 1000, -1) || setresuid(-1, 1000, -1) ||
		    tsnl_open(&nl) || setresuid(-1, 0, -1) ||
		    setresgid(-1, 0, -1))
			_exit(1);
		/* ...used by root. */
		v->w[0] = regs_withheld(&nl, self->t[T_U1001].pid);
		v->w[1] = regs_withheld(&nl, self->t[T_U1000].pid);
		tsnl_close(&nl);
		/* Opened by root, used as euid 1000. */
		if (tsnl_open(&nl) || setresgid(-1, 1000, -1) ||
		    setresuid(-1, 1000, -1))
			_exit(1);
		v->w[2] = regs_withheld(&nl, self->t[T_U1001].pid);
		v->w[3] = regs_withheld(&nl, self->t[T_U1000].pid);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(REGS, v->w[0]);
	EXPECT_EQ(0U, v->w[1]);
	EXPECT_EQ(REGS, v->w[2]);
	EXPECT_EQ(0U, v->w[3]);
	munmap(v, sizeof(*v));
}

#define MAX_PIDS	4096

struct seen {
	int err;
	unsigned int n_proc, n_ts, ts_not_in_proc;
	bool proc[N_FIXED + 2], ts[N_FIXED + 2];	/* + pid 1, + self */
	int get1_error;
};

static bool in_list(const pid_t *list, unsigned int n, pid_t pid)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] == pid)
			return true;
	return false;
}

static unsigned int list_proc(const char *dir, pid_t *list)
{
	struct dirent *de;
	unsigned int n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < MAX_PIDS)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			list[n++] = atoi(de->d_name);
	closedir(d);
	return n;
}

/* As @c: which processes do /proc at @dir and a threadstat dump show? */
static void look(FIXTURE_DATA(targets) *self, int c, const char *dir,
		 struct seen *s)
{
	static pid_t proc[MAX_PIDS], more[MAX_PIDS];
	pid_t fixed[N_FIXED + 2];
	unsigned int i, j, n, n2;
	struct tsnl_reply r;
	struct tsnl nl;

	if (priv_become(&callers[c]) || tsnl_open(&nl) ||
	    tsnl_dump_threads(&nl, 0, &r) || r.error) {
		s->err = 1;
		return;
	}
	n = list_proc(dir, proc);
	n2 = list_proc(dir, more);	/* a process may start meanwhile */
	for (i = 0; i < N_FIXED; i++)
		fixed[i] = self->t[i].pid;
	fixed[N_FIXED] = 1;
	fixed[N_FIXED + 1] = getpid();
	for (i = 0; i < N_FIXED + 2; i++) {
		s->proc[i] = in_list(proc, n, fixed[i]);
		for (j = 0; j < r.n; j++)
			s->ts[i] |= r.threads[j].tgid == (uint32_t)fixed[i];
	}
	s->n_proc = n;
	s->n_ts = r.n;
	for (j = 0; j < r.n; j++)
		s->ts_not_in_proc += !in_list(proc, n, r.threads[j].tgid) &&
				     !in_list(more, n2, r.threads[j].tgid);
	tsnl_reply_free(&r);
	tsnl_get_thread(&nl, 1, &r);
	s->get1_error = r.error;
	tsnl_reply_free(&r);
	tsnl_close(&nl);
}

TEST_F(targets, hidepid_parameter_hides_as_proc_does)
{
	static const int modes[] = { 2, 4, 0 };
	char dir[] = "/tmp/ts_hidepid_XXXXXX", opt[16], val[4];
	struct seen *s;
	unsigned int m, i;
	pid_t pid;
	int c;

	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s);
	ASSERT_NE(NULL, mkdtemp(dir));
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		snprintf(opt, sizeof(opt), "hidepid=%d", modes[m]);
		snprintf(val, sizeof(val), "%d", modes[m]);
		ASSERT_EQ(0, mount("proc", dir, "proc", 0, opt));
		ASSERT_EQ(0, priv_write(HIDEPID_PARAM, val));
		for (c = C_U1000; c <= C_ROOT; c++) {
			memset(s, 0, sizeof(*s));
			pid = fork();
			ASSERT_GE(pid, 0);
			if (pid == 0) {
				look(self, c, dir, s);
				_exit(0);
			}
			ASSERT_EQ(pid, waitpid(pid, NULL, 0));
			ASSERT_EQ(0, s->err);
			TH_LOG("%s as %s: /proc lists %u processes, threadstat %u threads, %u of them not in /proc; get pid 1: %d",
			       opt, callers[c].name, s->n_proc, s->n_ts,
			       s->ts_not_in_proc, s->get1_error);
			for (i = 0; i < N_FIXED + 2; i++) {
				bool proc = s->proc[i], ts = s->ts[i];

				if (proc != ts)
					TH_LOG("%s as %s: process %u: /proc %d threadstat %d",
					       opt, callers[c].name, i, proc, ts);
				EXPECT_EQ(proc, ts);
			}
			EXPECT_EQ(0U, s->ts_not_in_proc);
			EXPECT_EQ(modes[m] && c != C_ROOT ? -ENOENT : 0,
				  s->get1_error);
			/* Not vacuous: others' processes hidden, or not. */
			EXPECT_EQ(!modes[m] || c == C_ROOT,
				  s->ts[T_U1001] && s->ts[N_FIXED]);
		}
		ASSERT_EQ(0, umount(dir));
	}
	rmdir(dir);
	munmap(s, sizeof(*s));
}

/*
 * delayacct: block I/O delay for everyone (as /proc/PID/stat); the other
 * delays only with CAP_NET_ADMIN (as taskstats), "withheld" saying so.
 */
TEST(delayacct_details_need_net_admin)
{
	struct { bool has_blkio, has_swapin, has_count; uint32_t w; } *v;
	static const struct priv_caller who[3] = {
		{ PRIV_ROOT, 0, "root" },
		{ PRIV_UID, 1000, "uid 1000" },
		{ PRIV_ROOT_NOPTRACE, 0, "root without CAP_SYS_PTRACE" },
	};
	struct tsnl_reply r;
	struct tsnl nl;
	int saved, i;
	pid_t pid;

	ASSERT_EQ(0, priv_read_int("/proc/sys/kernel/task_delayacct", &saved));
	ASSERT_EQ(0, priv_write("/proc/sys/kernel/task_delayacct", "1"));
	v = mmap(NULL, sizeof(*v) * 3, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, v);
	for (i = 0; i < 3; i++) {
		pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			if (priv_become(&who[i]) || tsnl_open(&nl) ||
			    tsnl_get_fields(&nl, getpid(),
					    THREADSTAT_FIELDS_DELAYACCT, &r) ||
			    r.error || r.n != 1)
				_exit(1);
			v[i].has_blkio = r.threads[0].has[THREADSTAT_A_THREAD_DELAY_BLKIO];
			v[i].has_swapin = r.threads[0].has[THREADSTAT_A_THREAD_DELAY_SWAPIN];
			v[i].has_count = r.threads[0].has[THREADSTAT_A_THREAD_DELAY_BLKIO_COUNT];
			v[i].w = r.threads[0].v[THREADSTAT_A_THREAD_WITHHELD];
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	}
	priv_write("/proc/sys/kernel/task_delayacct", saved ? "1" : "0");
	EXPECT_TRUE(v[0].has_blkio);
	EXPECT_TRUE(v[0].has_swapin);
	EXPECT_TRUE(v[0].has_count);
	EXPECT_EQ(0U, v[0].w);
	EXPECT_TRUE(v[1].has_blkio);
	EXPECT_FALSE(v[1].has_swapin);
	EXPECT_FALSE(v[1].has_count);
	EXPECT_EQ(THREADSTAT_FIELDS_DELAYACCT, v[1].w);
	/* root keeps CAP_NET_ADMIN when it drops CAP_SYS_PTRACE */
	EXPECT_TRUE(v[2].has_swapin);
	munmap(v, sizeof(*v) * 3);
}

/* What one caller saw of CPU 1 while a spinner ran there. */
struct curr_seen {
	unsigned int samples;
	unsigned int get_named;		/* do requests naming the spinner */
	unsigned int dump_named;	/* dumps naming it */
	unsigned int counted;		/* do requests with nr-running >= 1 */
	char error[300];
};

#define CURR_CPU	1
#define CURR_SAMPLES	100

/*
 * As @who, pinned to CPU 0: ask CPU_GET about CPU_CURR_CPU (a do request
 * and a dump each time) CURR_SAMPLES times, or until both named @spinner
 * when @until_named.
 */
static void sample_curr(const struct priv_caller *who, pid_t spinner,
			bool until_named, struct curr_seen *s)
{
	const struct tsnl_rec *c;
	struct tsnl_reply r;
	struct tsnl nl;
	cpu_set_t set;
	const char *why;
	unsigned int j;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	why = sched_setaffinity(0, sizeof(set), &set) ? "affinity" :
	      priv_become(who);
	if (!why && tsnl_open(&nl))
		why = "tsnl_open";
	if (why) {
		snprintf(s->error, sizeof(s->error), "%s", why);
		return;
	}
	while (s->samples < CURR_SAMPLES &&
	       !(until_named && s->get_named && s->dump_named)) {
		s->samples++;
		if (tsnl_get_cpu(&nl, CURR_CPU, &r) || r.error ||
		    r.n_recs != 1) {
			snprintf(s->error, sizeof(s->error),
				 "CPU_GET do: %d %s", r.error, r.extack);
			tsnl_reply_free(&r);
			break;
		}
		c = &r.recs[0];
		s->get_named += c->has[THREADSTAT_A_CPU_CURR_TID] &&
				c->v[THREADSTAT_A_CPU_CURR_TID] == spinner;
		s->counted += c->v[THREADSTAT_A_CPU_NR_RUNNING] >= 1;
		tsnl_reply_free(&r);
		if (tsnl_dump_cpus(&nl, &r) || r.error) {
			snprintf(s->error, sizeof(s->error),
				 "CPU_GET dump: %d %s", r.error, r.extack);
			tsnl_reply_free(&r);
			break;
		}
		for (j = 0; j < r.n_recs; j++) {
			c = &r.recs[j];
			s->dump_named += c->v[THREADSTAT_A_CPU_CPU] == CURR_CPU &&
					 c->has[THREADSTAT_A_CPU_CURR_TID] &&
					 c->v[THREADSTAT_A_CPU_CURR_TID] == spinner;
		}
		tsnl_reply_free(&r);
		usleep(10000);
	}
	tsnl_close(&nl);
}

/*
 * CPU_GET's thread running on a CPU honours the hidepid parameter: a
 * process of uid 1001 spins on CPU 1; uid 1000 is shown it with hidepid
 * 0 and never with hidepid 2 (yet it is counted in nr-running, as
 * /proc/loadavg counts threads a hidepid=2 /proc hides), while root is
 * still shown it then: the spinner did run there.
 */
TEST(hidepid_hides_the_thread_running_on_a_cpu)
{
	static const struct priv_caller u1000 = { PRIV_UID, 1000, "uid 1000" };
	static const struct priv_caller u1001 = { PRIV_UID, 1001, "uid 1001" };
	static const struct priv_caller root = { PRIV_ROOT, 0, "root" };
	static const struct { const char *hidepid; const struct priv_caller *who;
			      bool named; } runs[] = {
		{ "0", &u1000, true }, { "2", &u1000, false },
		{ "2", &root, true },
	};
	struct curr_seen *s;
	cpu_set_t set;
	unsigned int i;
	pid_t spinner, pid, parent = getpid();
	char saved_text[16];
	int saved;

	if (sysconf(_SC_NPROCESSORS_ONLN) <= CURR_CPU)
		SKIP(return, "needs CPU %d online", CURR_CPU);
	ASSERT_EQ(0, priv_read_int(HIDEPID_PARAM, &saved));
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s);
	spinner = fork();
	ASSERT_GE(spinner, 0);
	if (spinner == 0) {
		CPU_ZERO(&set);
		CPU_SET(CURR_CPU, &set);
		/* After the id change, which clears it: gone with us. */
		if (sched_setaffinity(0, sizeof(set), &set) ||
		    priv_become(&u1001) ||
		    prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
		for (;;)
			;
	}
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		ASSERT_EQ(0, priv_write(HIDEPID_PARAM, runs[i].hidepid));
		memset(s, 0, sizeof(*s));
		pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			sample_curr(runs[i].who, spinner, runs[i].named, s);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
		TH_LOG("hidepid=%s, %s: the spinner named by %u do requests and %u dumps of %u, CPU %d counted running in %u",
		       runs[i].hidepid, runs[i].who->name, s->get_named,
		       s->dump_named, s->samples, CURR_CPU, s->counted);
		EXPECT_STREQ("", s->error);
		if (runs[i].named) {
			EXPECT_LT(0U, s->get_named);
			EXPECT_LT(0U, s->dump_named);
		} else {
			EXPECT_EQ(CURR_SAMPLES, s->samples);
			EXPECT_EQ(0U, s->get_named);
			EXPECT_EQ(0U, s->dump_named);
			/* Counted, not named; the spinner is running. */
			EXPECT_LT(CURR_SAMPLES / 2, s->counted);
		}
	}
	kill(spinner, SIGKILL);
	waitpid(spinner, NULL, 0);
	snprintf(saved_text, sizeof(saved_text), "%d", saved);
	priv_write(HIDEPID_PARAM, saved_text);
	munmap(s, sizeof(*s));
}

TEST_HARNESS_MAIN
