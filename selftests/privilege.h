/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the privilege tests: callers with a chosen identity, target
 * processes with a chosen owner and dumpability, and the comparison of
 * what threadstat grants against what /proc grants the same caller.
 */
#ifndef THREADSTAT_SELFTEST_PRIVILEGE_H
#define THREADSTAT_SELFTEST_PRIVILEGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "threadstat_nl.h"

#define PRIV_NOBODY	65534

/* Who asks. */
enum priv_kind {
	PRIV_UID,		/* uid/gid @id, no capabilities */
	PRIV_ROOT,		/* root, every capability */
	PRIV_ROOT_NOPTRACE,	/* root without CAP_SYS_PTRACE */
	PRIV_USERNS,		/* uid @id, then root of a new user namespace */
};

struct priv_caller {
	enum priv_kind kind;
	uid_t id;
	const char *name;
};

/* A process that sleeps in read(2) until priv_target_stop(). */
struct priv_target {
	pid_t pid;
	int release;		/* write end of the pipe it reads */
	const char *name;
};

/*
 * Start a target owned by @uid (gid too; 0 stays root) that made itself
 * dumpable or not with prctl(PR_SET_DUMPABLE). Returns 0 or -1.
 */
int priv_target_start(struct priv_target *t, const char *name, uid_t uid,
		      bool dumpable);
void priv_target_stop(struct priv_target *t);

/* Turn the calling process into @c (it stays dumpable). NULL or why not. */
const char *priv_become(const struct priv_caller *c);

/* What each side granted about one thread, for one caller. */
struct priv_grant {
	char what[96];		/* "caller -> target" */
	uint32_t get_withheld;	/* "withheld" of a do request */
	uint32_t dump_withheld;	/* "withheld" of a tgid dump */
	bool get_attrs[3];	/* regs, stack, kstack attributes present */
	bool proc[3];		/* /proc/T/syscall, /proc/T/mem, /proc/T/stack */
	int error;		/* a request failed: negative errno */
};

/* The groups in the order of the arrays above. */
extern const uint32_t priv_groups[3];

/*
 * As the calling process: ask threadstat (a do request and a dump of the
 * process) and /proc about thread @tid of process @tgid.
 */
void priv_probe(struct tsnl *nl, pid_t tgid, pid_t tid, const char *what,
		struct priv_grant *g);

/*
 * Whether threadstat granted exactly what /proc did, group by group, in
 * both request kinds, attributes matching "withheld". Writes what differs
 * to @buf. Returns true when they agree.
 */
bool priv_agrees(const struct priv_grant *g, char *buf, size_t len);

/* Write @val to a sysctl or sysfs file; read an int from one. */
int priv_write(const char *path, const char *val);
int priv_read_int(const char *path, int *val);

#define YAMA_SCOPE	"/proc/sys/kernel/yama/ptrace_scope"
#define HIDEPID_PARAM	"/sys/module/threadstat/parameters/hidepid"

#endif
