// SPDX-License-Identifier: GPL-2.0
/*
 * Callers, targets and the threadstat-versus-/proc comparison for the
 * privilege tests (privilege.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "privilege.h"
#include "text_file.h"

const uint32_t priv_groups[3] = {
	THREADSTAT_FIELDS_REGS, THREADSTAT_FIELDS_STACK, THREADSTAT_FIELDS_KSTACK,
};

static const char *const proc_files[3] = { "syscall", "mem", "stack" };

static char why[256];

#define WHY(...) (snprintf(why, sizeof(why), __VA_ARGS__), why)

static int set_ids(uid_t id)
{
	if (setgroups(0, NULL) || setresgid(id, id, id) ||
	    setresuid(id, id, id))
		return -1;
	/* Changing ids made us non-dumpable; a target chooses for itself. */
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

int priv_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

int priv_read_int(const char *path, int *val)
{
	char buf[32];

	if (text_file_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	*val = atoi(buf);
	return 0;
}

int priv_target_start(struct priv_target *t, const char *name, uid_t uid,
		      bool dumpable)
{
	int ready[2], hold[2];
	char c;

	t->name = name;
	if (pipe(ready) || pipe(hold))
		return -1;
	t->pid = fork();
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		close(ready[0]);
		close(hold[1]);
		if ((uid && set_ids(uid)) ||
		    prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0))
			_exit(1);
		c = 'r';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		/* Blocks in read(2) until the test closes its end. */
		_exit(read(hold[0], &c, 1) < 0);
	}
	close(ready[1]);
	close(hold[0]);
	t->release = hold[1];
	if (read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	usleep(20000);		/* let it reach the read */
	return 0;
}

void priv_target_stop(struct priv_target *t)
{
	if (t->pid <= 0)
		return;
	close(t->release);
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
	t->pid = 0;
}

static const char *drop_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return WHY("capget: %s", strerror(errno));
	d[cap / 32].effective &= ~(1U << (cap % 32));
	d[cap / 32].permitted &= ~(1U << (cap % 32));
	d[cap / 32].inheritable &= ~(1U << (cap % 32));
	if (syscall(SYS_capset, &h, d))
		return WHY("capset: %s", strerror(errno));
	return NULL;
}

static const char *map_root_to(uid_t id)
{
	char map[64];

	if (unshare(CLONE_NEWUSER))
		return WHY("unshare(CLONE_NEWUSER): %s", strerror(errno));
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)id);
	if (priv_write("/proc/self/uid_map", map) ||
	    priv_write("/proc/self/setgroups", "deny") ||
	    priv_write("/proc/self/gid_map", map))
		return WHY("mapping root to %u: %s", id, strerror(errno));
	return NULL;
}

const char *priv_become(const struct priv_caller *c)
{
	switch (c->kind) {
	case PRIV_ROOT:
		return NULL;
	case PRIV_ROOT_NOPTRACE:
		return drop_cap(CAP_SYS_PTRACE);
	case PRIV_UID:
		return set_ids(c->id) ? WHY("ids %u: %s", c->id,
					    strerror(errno)) : NULL;
	case PRIV_USERNS:
		if (set_ids(c->id))
			return WHY("ids %u: %s", c->id, strerror(errno));
		return map_root_to(c->id);
	}
	return "unknown caller kind";
}

/* Does /proc/TGID/task/TID/@file let the calling process read it? */
static bool proc_grants(pid_t tgid, pid_t tid, const char *file)
{
	char path[96], buf[512];
	bool ok;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", tgid, tid, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	/* mem is checked at open; reading address 0 would fail anyway. */
	ok = !strcmp(file, "mem") || read(fd, buf, sizeof(buf)) > 0;
	close(fd);
	return ok;
}

static const struct tsnl_thread *find_tid(const struct tsnl_reply *r,
					  pid_t tid)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (r->threads[i].tid == (uint32_t)tid)
			return &r->threads[i];
	return NULL;
}

void priv_probe(struct tsnl *nl, pid_t tgid, pid_t tid, const char *what,
		struct priv_grant *g)
{
	const uint32_t all = THREADSTAT_FIELDS_SCHED | THREADSTAT_FIELDS_STACK |
			     THREADSTAT_FIELDS_KSTACK | THREADSTAT_FIELDS_REGS;
	const struct tsnl_thread *t;
	struct tsnl_reply r;
	int i, err;

	memset(g, 0, sizeof(*g));
	snprintf(g->what, sizeof(g->what), "%s", what);
	for (i = 0; i < 3; i++)
		g->proc[i] = proc_grants(tgid, tid, proc_files[i]);

	err = tsnl_get_fields(nl, tid, all, &r);
	if (err || r.error || r.n != 1) {
		g->error = err ?: r.error ?: -EPROTO;
		tsnl_reply_free(&r);
		return;
	}
	t = &r.threads[0];
	g->get_withheld = t->has[THREADSTAT_A_THREAD_WITHHELD] ?
			  t->v[THREADSTAT_A_THREAD_WITHHELD] : 0;
	/* A running thread's regs are absent with a reason: still granted. */
	g->get_attrs[0] = t->has[THREADSTAT_A_THREAD_REGS] ||
			  t->has[THREADSTAT_A_THREAD_SYSCALL] ||
			  t->has[THREADSTAT_A_THREAD_REGS_MISSING];
	g->get_attrs[1] = t->has[THREADSTAT_A_THREAD_STACK];
	g->get_attrs[2] = t->has[THREADSTAT_A_THREAD_KERNEL_STACK] ||
			  t->has[THREADSTAT_A_THREAD_WCHAN] ||
			  t->has[THREADSTAT_A_THREAD_KERNEL_STACK_MISSING];
	tsnl_reply_free(&r);

	err = tsnl_dump_fields(nl, tgid, all, &r);
	t = err || r.error ? NULL : find_tid(&r, tid);
	if (!t)
		g->error = err ?: r.error ?: -ESRCH;
	else
		g->dump_withheld = t->has[THREADSTAT_A_THREAD_WITHHELD] ?
				   t->v[THREADSTAT_A_THREAD_WITHHELD] : 0;
	tsnl_reply_free(&r);
}

bool priv_agrees(const struct priv_grant *g, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	if (g->error) {
		snprintf(buf, len, "%s: request failed: %s", g->what,
			 strerror(-g->error));
		return false;
	}
	for (i = 0; i < 3; i++) {
		bool get = !(g->get_withheld & priv_groups[i]);
		bool dump = !(g->dump_withheld & priv_groups[i]);

		if (get == g->proc[i] && dump == g->proc[i] &&
		    get == g->get_attrs[i])
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s: /proc/T/%s %s, threadstat get %s (attrs %s) dump %s; ",
				 g->what, proc_files[i],
				 g->proc[i] ? "readable" : "refused",
				 get ? "grants" : "withholds",
				 g->get_attrs[i] ? "sent" : "absent",
				 dump ? "grants" : "withholds");
	}
	return !buf[0];
}
