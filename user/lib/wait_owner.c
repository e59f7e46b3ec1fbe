// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Owners that user space defines: glibc keeps a mutex's owner tid beside
 * its futex word and a rwlock's writer in __cur_writer. The kernel cannot
 * know these layouts; we read them from the waiter's memory
 * (process_vm_readv: the caller's own ptrace right, as a debugger would)
 * and accept an owner only when everything we can check agrees with the
 * layout of the glibc we know (Debian 12: glibc 2.36, x86-64; the same
 * layout since glibc 2.28). Anything else is an owner "unknown", never a
 * guess.
 *
 * pthread_mutex_t (struct __pthread_mutex_s), int-sized fields:
 *   [0] __lock (the futex word)  [1] __count  [2] __owner  [3] __nusers
 *   [4] __kind
 * A contended simple mutex (normal, recursive, errorcheck, adaptive)
 * waits in __lll_lock_wait: FUTEX_WAIT on __lock with val 2. A robust
 * one waits with FUTEX_WAIT and val = owner tid | FUTEX_WAITERS. A PI
 * one calls FUTEX_LOCK_PI and the kernel knows its owner.
 *
 * pthread_rwlock_t (struct __pthread_rwlock_arch_t), u32 words:
 *   [0] __readers [1] __writers [2] __wrphase_futex [3] __writers_futex
 *   [4] __pad3 [5] __pad4 [6] __cur_writer [7] __shared
 *   [8..9] __rwelision, __pad1 [10..11] __pad2 [12] __flags
 * Readers blocked by a writer wait (FUTEX_WAIT_BITSET) on
 * __wrphase_futex, writers blocked by a writer on __writers_futex; the
 * writer that holds it is __cur_writer. Readers are not recorded: a
 * writer waiting for readers has owner unknown.
 */
#include <dirent.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"
#include "waits.h"

/* glibc's kind bits (nptl/pthreadP.h, bits/struct_mutex.h) */
#define GL_KIND_MASK		3
#define GL_ROBUST		16
#define GL_PI			32
#define GL_PP			64
#define GL_PSHARED		128
#define GL_ELISION		(256 | 512)
#define GL_KIND_BITS		(GL_KIND_MASK | GL_ROBUST | GL_PI | GL_PP | \
				 GL_PSHARED | GL_ELISION)

/**
 * ts_glibc_mutex_owner() - the owner a glibc 2.36 mutex records
 * @m: the five int fields from the futex word on
 * @futex_op: the waiter's futex command
 * @owner: its tid, in the waiter's pid namespace
 *
 * Return: TS_OWNER_LAYOUT with *@owner set when @m is a locked glibc mutex
 * that fits the wait, else TS_OWNER_UNKNOWN.
 */
enum ts_owner_how ts_glibc_mutex_owner(const int32_t m[5], uint32_t futex_op,
				       uint32_t *owner)
{
	int32_t kind = m[4];

	*owner = 0;
	if (kind < 0 || (kind & ~GL_KIND_BITS) || (kind & GL_PP) || !m[0] ||
	    m[3] <= 0)
		return TS_OWNER_UNKNOWN;
	if (kind & GL_ROBUST) {
		/* The word holds the owner's tid (plus FUTEX_WAITERS). */
		uint32_t tid = (uint32_t)m[0] & FUTEX_TID_MASK;

		if (futex_op != FUTEX_WAIT || !tid ||
		    (m[2] && (uint32_t)m[2] != tid))
			return TS_OWNER_UNKNOWN;
		*owner = tid;
		return TS_OWNER_LAYOUT;
	}
	if (kind & GL_PI)	/* the kernel's word: the module says */
		return TS_OWNER_UNKNOWN;
	/* __lll_lock_wait sets the word to 2 and waits for it to change */
	if (futex_op != FUTEX_WAIT || m[0] != 2 || m[2] <= 0)
		return TS_OWNER_UNKNOWN;
	if ((kind & GL_KIND_MASK) == 1 && m[1] <= 0)	/* recursive */
		return TS_OWNER_UNKNOWN;
	*owner = (uint32_t)m[2];
	return TS_OWNER_LAYOUT;
}

/**
 * ts_glibc_rwlock_owner() - the writer a glibc 2.36 rwlock records
 * @rw: its 13 u32 words
 * @futex_index: which word the thread waits on (2 or 3)
 * @owner: the writer's tid, in the waiter's pid namespace
 *
 * Return: TS_OWNER_LAYOUT with *@owner set when @rw is a writer-held glibc
 * rwlock, else TS_OWNER_UNKNOWN.
 */
enum ts_owner_how ts_glibc_rwlock_owner(const uint32_t rw[13],
					unsigned int futex_index,
					uint32_t *owner)
{
	*owner = 0;
	if (futex_index != 2 && futex_index != 3)
		return TS_OWNER_UNKNOWN;
	/* pads are never written; __shared and __flags are small */
	if (rw[4] || rw[5] || rw[9] || rw[10] || rw[11] || rw[7] > 1 ||
	    rw[12] > 2 || (rw[8] & ~0xffu))
		return TS_OWNER_UNKNOWN;
	if ((int32_t)rw[6] <= 0 || !rw[futex_index])
		return TS_OWNER_UNKNOWN;
	*owner = rw[6];
	return TS_OWNER_LAYOUT;
}

static int ts_read_mem(uint32_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) ==
	       (ssize_t)len ? 0 : -1;
}

/* The pid namespace of @pid, as its /proc link names it. */
static int ts_pidns(const char *pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
	n = readlink(path, buf, len - 1);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* Is @tgid in our pid namespace? */
static bool ts_same_pidns(uint32_t tgid)
{
	char ours[64], theirs[64], dir[16];

	snprintf(dir, sizeof(dir), "%u", tgid);
	return !ts_pidns("self", ours, sizeof(ours)) &&
	       !ts_pidns(dir, theirs, sizeof(theirs)) && !strcmp(ours, theirs);
}

/*
 * @tid as process @tgid's own pid namespace numbers it, in ours: the same
 * number when it is our namespace, else the thread of @tgid whose NSpid
 * ends in @tid (an owner elsewhere is not looked for: 0).
 */
static uint32_t ts_tid_to_ours(const struct ts_wait_proc *p, uint32_t tid)
{
	uint32_t tgid = p->tgid, found = 0;
	char path[96], line[256];
	struct dirent *d;
	DIR *dp;

	if (p->same_ns)
		return tid;
	snprintf(path, sizeof(path), "/proc/%u/task", tgid);
	dp = opendir(path);
	if (!dp)
		return 0;
	while (!found && (d = readdir(dp))) {
		FILE *f;

		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%u/task/%.16s/status",
			 tgid, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *last;

			if (strncmp(line, "NSpid:", 6))
				continue;
			last = strrchr(line, '\t');
			if (last && strtoul(last + 1, NULL, 10) == tid)
				found = strtoul(line + 6, NULL, 10);
			break;
		}
		fclose(f);
	}
	closedir(dp);
	return found;
}

/* What we know of @tgid in this build (NULL: out of memory). */
static const struct ts_wait_proc *ts_proc(struct ts_wait_graph *g,
					  uint32_t tgid)
{
	struct ts_wait_proc p = { .tgid = tgid };
	size_t i;

	for (i = 0; i < g->n_procs; i++)
		if (g->procs[i].tgid == tgid)
			return &g->procs[i];
	p.libc_known = ts_wait_libc_known(tgid);
	p.same_ns = ts_same_pidns(tgid);
	if (ts_vec_push((void **)&g->procs, &g->n_procs, &g->procs_cap,
			sizeof(p), &p))
		return NULL;
	return &g->procs[g->n_procs - 1];
}

static void ts_live_owner(const struct ts_thread *t, struct ts_waiter *w,
			  struct ts_wait_graph *g, void *arg)
{
	const struct ts_wait_proc *proc;
	const struct ts_wait *wt = &t->wait;
	enum ts_owner_how how = TS_OWNER_UNKNOWN;
	uint32_t owner = 0;
	int32_t m[5];
	uint32_t rw[13];

	(void)arg;
	w->kind = TS_LOCK_FUTEX;
	w->owner_how = TS_OWNER_UNKNOWN;
	w->owner_tid = 0;
	if (wt->futex_op == FUTEX_LOCK_PI || wt->futex_op == FUTEX_LOCK_PI2) {
		w->kind = TS_LOCK_PI_FUTEX;
		if (ts_present(&ts_wait_set, wt, THREADSTAT_A_WAIT_OWNER_TID)) {
			w->owner_tid = wt->owner_tid;
			w->owner_how = TS_OWNER_KERNEL;
		}
		return;
	}
	proc = ts_proc(g, t->tgid);
	if (!proc || !proc->libc_known)
		return;
	if (wt->futex_op == FUTEX_WAIT &&
	    !ts_read_mem(t->tgid, wt->futex_addr, m, sizeof(m))) {
		how = ts_glibc_mutex_owner(m, wt->futex_op, &owner);
		if (how == TS_OWNER_LAYOUT)
			w->kind = TS_LOCK_MUTEX;
	} else if (wt->futex_op == FUTEX_WAIT_BITSET) {
		unsigned int i;

		for (i = 3; i >= 2 && how != TS_OWNER_LAYOUT; i--)
			if (wt->futex_addr >= i * 4 &&
			    !ts_read_mem(t->tgid, wt->futex_addr - i * 4, rw,
					 sizeof(rw)))
				how = ts_glibc_rwlock_owner(rw, i, &owner);
		/* the lock is the rwlock, not the word it waits on */
		if (how == TS_OWNER_LAYOUT) {
			w->kind = TS_LOCK_RWLOCK;
			w->addr = wt->futex_addr - (i + 1) * 4;
		}
	}
	if (how != TS_OWNER_LAYOUT)
		return;
	w->owner_tid = ts_tid_to_ours(proc, owner);
	if (w->owner_tid)
		w->owner_how = TS_OWNER_LAYOUT;
}

const char *ts_owner_how_name(uint8_t how)
{
	switch (how) {
	case TS_OWNER_KERNEL:
		return "kernel";
	case TS_OWNER_LAYOUT:
		return "layout";
	case TS_OWNER_UNKNOWN:
		return "unknown";
	}
	return "none";
}

const char *ts_lock_kind_name(uint8_t kind)
{
	switch (kind) {
	case TS_LOCK_FUTEX:
		return "futex";
	case TS_LOCK_PI_FUTEX:
		return "pi-futex";
	case TS_LOCK_MUTEX:
		return "mutex";
	case TS_LOCK_RWLOCK:
		return "rwlock";
	}
	return "none";
}

/* Names of the lock ops; other system calls go by their number. */
const char *ts_wait_op_name(const struct ts_waiter *w)
{
	static const char *const ops[] = {
		[FUTEX_WAIT] = "futex_wait",
		[FUTEX_LOCK_PI] = "futex_lock_pi",
		[FUTEX_WAIT_BITSET] = "futex_wait_bitset",
		[FUTEX_WAIT_REQUEUE_PI] = "futex_wait_requeue_pi",
		[FUTEX_LOCK_PI2] = "futex_lock_pi2",
	};

	if (w->kind == TS_LOCK_NONE)
		return NULL;
	if (w->futex_op < sizeof(ops) / sizeof(ops[0]) && ops[w->futex_op])
		return ops[w->futex_op];
	return "futex";
}

const struct ts_wait_source ts_wait_source_live = {
	.owner = ts_live_owner,
	.name = ts_wait_name_lock,
};
