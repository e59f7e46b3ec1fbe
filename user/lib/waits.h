/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Wait chains: who waits for whom, built from a dump with the wait group.
 *
 * The module says what each blocked thread waits on (system call, futex
 * address, futex word, PI owner). The library adds what user space
 * defines (the owner of a glibc mutex or the writer of a glibc rwlock,
 * read from the target's memory with the caller's own ptrace right), names
 * lock addresses (ELF symbols, else the mapping), builds the wait-for graph
 * and finds every cycle. Tools only render the result.
 */
#ifndef THREADSTAT_LIB_WAITS_H
#define THREADSTAT_LIB_WAITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "threadstat.h"

/* How a waiter's owner was found. */
enum ts_owner_how {
	TS_OWNER_NONE,		/* not waiting on a lock (no owner to have) */
	TS_OWNER_KERNEL,	/* the kernel defines it (PI futex word) */
	TS_OWNER_LAYOUT,	/* glibc's mutex / rwlock layout, verified */
	TS_OWNER_UNKNOWN,	/* a futex with no owner record we can trust */
};

/* What kind of lock a futex address was recognised as. */
enum ts_lock_kind {
	TS_LOCK_NONE,		/* not a futex wait */
	TS_LOCK_FUTEX,		/* a futex with no known layout */
	TS_LOCK_PI_FUTEX,	/* kernel PI futex (a PI pthread mutex too) */
	TS_LOCK_MUTEX,		/* glibc pthread_mutex_t */
	TS_LOCK_RWLOCK,		/* glibc pthread_rwlock_t, writer-owned */
};

#define TS_LOCK_NAME_LEN	160

/* One blocked thread. */
struct ts_waiter {
	size_t thread;		/* index in the thread list */
	uint32_t tid, tgid;
	int32_t syscall;
	int32_t fd;		/* -1: none */
	uint64_t blocked_ns;
	uint64_t addr;		/* the lock's address in the waiter's process:
				 * an rwlock's start, else the futex's */
	uint32_t futex_op;
	uint32_t owner_tid;	/* caller's pid namespace; 0: unknown */
	uint8_t owner_how;	/* enum ts_owner_how */
	uint8_t kind;		/* enum ts_lock_kind */
	size_t lock;		/* index in the graph's locks; SIZE_MAX: none */
	size_t owner_thread;	/* owner's index in the thread list; SIZE_MAX */
	size_t next;		/* owner's waiter index when it waits; SIZE_MAX */
};

/* One lock (futex) waited on, with its waiters. */
struct ts_lock {
	uint32_t tgid;		/* process of the first waiter */
	uint64_t addr;
	bool shared;		/* not FUTEX_PRIVATE: may span processes */
	uint64_t dev, ino, offset; /* shared: the mapping it lies in */
	uint8_t kind, owner_how;
	uint32_t owner_tid;
	size_t n_waiters;
	uint64_t longest_ns;
	char name[TS_LOCK_NAME_LEN];	/* symbol, else mapping + offset */
};

/* A cycle: waiter indices, each waiting for the next, the last for the first. */
struct ts_cycle {
	size_t *w;
	size_t n;
};

/* What the live source learnt about one process during one build. */
struct ts_wait_proc {
	uint32_t tgid;
	bool libc_known;	/* it runs the glibc whose layouts we know */
	bool same_ns;		/* its pid namespace is ours */
};

struct ts_wait_graph {
	struct ts_waiter *w;
	size_t n, cap;
	struct ts_lock *locks;
	size_t n_locks, locks_cap;
	struct ts_cycle *cycles;
	size_t n_cycles, cycles_cap;
	/* the live source's per-process cache, valid during one build */
	struct ts_wait_proc *procs;
	size_t n_procs, procs_cap;
};

/*
 * What the graph needs from outside: resolving owners and names by reading
 * /proc and the targets' memory (wait_owner.c, wait_names.c). Replaceable
 * in tests.
 */
struct ts_wait_source {
	/* Fill @w->owner_tid/owner_how/kind for a futex waiter of @t. */
	void (*owner)(const struct ts_thread *t, struct ts_waiter *w,
		      struct ts_wait_graph *g, void *arg);
	/* Name the lock at @addr in process @tgid; fill dev/ino/offset. */
	void (*name)(uint32_t tgid, uint64_t addr, struct ts_lock *l,
		     void *arg);
	void *arg;
};

/* The real source: process_vm_readv, /proc/PID/maps, libelf. */
extern const struct ts_wait_source ts_wait_source_live;

/*
 * Build the graph of the threads in @list that carry a wait nest. Locks
 * are sorted by waiters (most first), waiters by blocked time (longest
 * first); cycles found. Return 0 or -1 (out of memory, @err says).
 */
int ts_wait_graph_build(const struct ts_thread_list *list,
			const struct ts_wait_source *src,
			struct ts_wait_graph *g, struct ts_error *err);
void ts_wait_graph_free(struct ts_wait_graph *g);

/* Find the cycles among @g's waiters (done by ts_wait_graph_build()). */
int ts_wait_cycles(struct ts_wait_graph *g);

/*
 * Keep only the cycles that last (wait_confirm.c): a dump reads owners one
 * after another, and a contended lock changing hands between two reads can
 * close a cycle that never was. A cycle is kept when a dump begun after
 * @list's ended shows every member blocked on the same address for the
 * same owner, not having run in between (switch counts unchanged).
 */
size_t ts_wait_cycles_confirm(struct ts_wait_graph *g,
			      const struct ts_thread_list *list,
			      const struct ts_wait_graph *later,
			      const struct ts_thread_list *later_list);
/* The same with a second dump, taken only when @g has a cycle. */
int ts_wait_graph_confirm_live(struct ts_client *c, uint32_t tgid,
			       const struct ts_thread_list *list,
			       struct ts_wait_graph *g, struct ts_error *err);

/* Owner, how found, kind of lock: names for output. */
const char *ts_owner_how_name(uint8_t how);
const char *ts_lock_kind_name(uint8_t kind);
/* "futex_wait", "futex_lock_pi", ...; "read" etc. for other calls. */
const char *ts_wait_op_name(const struct ts_waiter *w);

/*
 * @t (with the wait group) in a sentence for a detail page, names raw:
 * "blocked 12.3 s in futex_wait on lock_a (mutex) held by 1234 (worker)
 * [layout]". Return 1 with @buf filled, 0 when @t is not blocked.
 */
int ts_wait_sentence(const struct ts_thread *t, char *buf, size_t len);

/* "futex_wait", ..., else "syscall N" or "syscall N fd F" in @buf. */
const char *ts_wait_op_text(const struct ts_waiter *w, char *buf, size_t len);

/* The wait view (wait_tree.c): the graph as a tree, owners first. */
enum ts_wait_row_kind {
	TS_WROW_THREAD,		/* a thread: an owner, a waiter, or both */
	TS_WROW_LOCK,		/* a lock with no owner in the dump: its
				 * waiters follow, one level deeper */
	TS_WROW_BACK,		/* a thread already shown above: the edge
				 * that closes a cycle */
};

struct ts_wait_row {
	uint8_t kind;		/* enum ts_wait_row_kind */
	bool in_cycle;		/* a waiter in a deadlock */
	unsigned int depth;	/* 0: a root */
	size_t thread;		/* index in the thread list; SIZE_MAX */
	size_t waiter;		/* index in the graph's waiters; SIZE_MAX */
	size_t lock;		/* TS_WROW_LOCK: index in the graph's locks */
};

struct ts_wait_tree {
	struct ts_wait_row *v;
	size_t n, cap;
};

int ts_wait_tree_build(const struct ts_thread_list *list,
		       const struct ts_wait_graph *g, struct ts_wait_tree *tree);
void ts_wait_tree_free(struct ts_wait_tree *tree);
void ts_wait_row_text(const struct ts_thread_list *list,
		      const struct ts_wait_graph *g,
		      const struct ts_wait_row *r, char *buf, size_t len);

/*
 * Everything a view of the waits needs from one sample, owned together:
 * the threads (each with the wait group when it was sent), their graph
 * and tree. threadtop builds one per sample.
 */
struct ts_waits {
	struct ts_thread_list list;
	struct ts_wait_graph g;
	struct ts_wait_tree tree;
	size_t withheld;	/* threads whose wait group was withheld */
	bool valid;		/* built from a sample with the wait group */
};

/* Build @w's graph and tree from @w->list: 0, or -1 (@err says). */
int ts_waits_build(struct ts_waits *w, const struct ts_wait_source *src,
		   struct ts_error *err);
void ts_waits_free(struct ts_waits *w);
/* ts_wait_graph_confirm_live() for @w, its tree rebuilt if a cycle went. */
int ts_waits_confirm_live(struct ts_client *c, uint32_t tgid,
			  struct ts_waits *w, struct ts_error *err);

/* glibc layouts (wait_owner.c); exposed for the unit test. */
enum ts_owner_how ts_glibc_mutex_owner(const int32_t mutex[5],
				       uint32_t futex_op, uint32_t *owner);
enum ts_owner_how ts_glibc_rwlock_owner(const uint32_t rw[13],
					unsigned int futex_index,
					uint32_t *owner);

#endif /* THREADSTAT_LIB_WAITS_H */
