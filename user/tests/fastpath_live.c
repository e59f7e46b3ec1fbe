// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fastpath_live -- in the VM, against the loaded module: the library's
 * fast path (user/lib/thread_fastpath.c) takes every default-group message
 * the module really sends for a thread that is not a group leader, and
 * leaves what ts_thread_decode() gives for the same message, byte for byte.
 *
 * thread_fastpath_test checks the fast path on messages built by hand; this
 * checks the module's half of the contract: its attribute order, lengths
 * and padding (kmod/thread_fill.c, kmod/attr_writer.h). A module that
 * changed them would not be wrong, only slower (every message through the
 * fallback), so no other test would notice. Linked with
 * -Wl,--wrap=ts_thread_decode_fast, it sees each message the library
 * hands to the fast path.
 *
 * usage: fastpath_live   (as root, threadstat.ko loaded)
 * Prints a line per check and "fastpath_live: N passed, N failed".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "threadstat.h"

#define HELPERS	50

int __real_ts_thread_decode_fast(const void *attrs, size_t len,
				 struct ts_thread *out);

/* What the messages of one dump did, seen from the wrapper. */
static struct {
	unsigned int messages;
	unsigned int fast;		/* taken by the fast path */
	unsigned int non_leaders;	/* tid != tgid */
	unsigned int non_leaders_slow;	/* of those, handed to the fallback */
	unsigned int differ;		/* fast path != ts_thread_decode() */
	unsigned int undecodable;	/* ts_thread_decode() failed */
} seen;

int __wrap_ts_thread_decode_fast(const void *attrs, size_t len,
				 struct ts_thread *out)
{
	int rc = __real_ts_thread_decode_fast(attrs, len, out);
	struct ts_thread *lib = malloc(sizeof(*lib));
	struct ts_error err;

	if (!lib)
		abort();
	seen.messages++;
	if (ts_thread_decode(attrs, len, lib, &err)) {
		seen.undecodable++;
		free(lib);
		return rc;
	}
	if (lib->tid != lib->tgid) {
		seen.non_leaders++;
		seen.non_leaders_slow += rc != 0;
	}
	if (!rc) {
		seen.fast++;
		seen.differ += memcmp(lib, out, sizeof(*lib)) != 0;
	}
	ts_thread_release(lib);
	free(lib);
	return rc;
}

static int ignore(const struct ts_thread *t, void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

static void *helper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static int passed, failed;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "not ok", what);
	if (ok)
		passed++;
	else
		failed++;
}

static int dump(struct ts_client *c, uint32_t fields)
{
	struct ts_thread_query q = { .fields = fields };
	struct ts_error err;

	memset(&seen, 0, sizeof(seen));
	if (ts_thread_dump(c, &q, ignore, NULL, NULL, &err)) {
		printf("# dump of fields %#x: %s\n", fields, err.msg);
		return -1;
	}
	printf("# fields %#x: %u messages, %u by the fast path, %u of %u non-leaders by the fallback, %u differ, %u undecodable\n",
	       fields, seen.messages, seen.fast, seen.non_leaders_slow,
	       seen.non_leaders, seen.differ, seen.undecodable);
	return 0;
}

int main(void)
{
	struct ts_client *c;
	struct ts_error err;
	pthread_t t;
	int rc;

	for (int i = 0; i < HELPERS; i++)
		if (pthread_create(&t, NULL, helper, NULL)) {
			perror("pthread_create");
			return 1;
		}
	if (ts_open(&c, &err)) {
		printf("# %s\n", err.msg);
		check(0, "open the threadstat family");
		goto out;
	}

	rc = dump(c, 0);
	check(!rc && seen.non_leaders >= HELPERS && !seen.non_leaders_slow,
	      "default group: every non-leader thread by the fast path");
	check(!rc && seen.fast >= HELPERS && !seen.differ && !seen.undecodable,
	      "default group: the fast path's record is ts_thread_decode()'s");

	/* A message with more than the default group is not the fast path's. */
	rc = dump(c, THREADSTAT_FIELDS_SCHED | THREADSTAT_FIELDS_SCHEDSTATS);
	check(!rc && seen.messages >= HELPERS && !seen.fast &&
	      !seen.undecodable, "sched + schedstats: every message by the fallback");
	ts_close(c);
out:
	printf("fastpath_live: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
