// SPDX-License-Identifier: GPL-2.0
/*
 * ts_dump_loop: a client that keeps dumping every thread, slowly, while
 * lifecycle_test.sh loads and unloads the module under it.
 *
 * ts_dump_loop --hold: start one dump of every thread with every group,
 * read none of it, say "holding" and keep it open until SIGTERM: a dump
 * that is surely open while lifecycle_test.sh tries rmmod.
 *
 * Each dump reads its answers with a short pause each, so that a dump is
 * open most of the time. When the family is missing (module unloaded) it
 * retries every 10 ms. Any malformed reply, or a dump that does not end
 * within 10 s, ends it with status 1; SIGTERM ends it with status 0. It
 * prints what it saw.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "nl_strict.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

static const char *linger(const struct nlmsghdr *nlh, void *arg)
{
	usleep(300);
	return NULL;
}

static int hold(void)
{
	struct nlmsghdr *nlh;
	char buf[256];
	struct nls s;
	int err = nls_open(&s, 10000);

	if (err) {
		printf("ts_dump_loop: no threadstat family: %s\n", strerror(-err));
		return 1;
	}
	nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
	nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, THREADSTAT_FIELDS_ALL);
	if (send(s.fd, nlh, nlh->nlmsg_len, 0) < 0) {
		printf("ts_dump_loop: send: %s\n", strerror(errno));
		return 1;
	}
	printf("holding\n");
	while (!stop)
		pause();
	nls_close(&s);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long dumps = 0, absent = 0, gone = 0;
	struct nls_result r;
	struct nlmsghdr *nlh;
	char buf[256];
	struct nls s;
	int err;

	signal(SIGTERM, on_term);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "--hold"))
		return hold();
	if (argc != 1) {
		fprintf(stderr, "usage: ts_dump_loop [--hold]\n");
		return 2;
	}
	while (!stop) {
		err = nls_open(&s, 10000);
		if (err) {
			absent++;
			usleep(10000);
			continue;
		}
		while (!stop) {
			nlh = nls_msg(&s, buf, THREADSTAT_CMD_THREAD_GET,
				      NLM_F_DUMP);
			nls_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS,
				    THREADSTAT_FIELDS_ALL);
			err = nls_request(&s, nlh, linger, NULL, &r);
			if (err || r.bad[0]) {
				printf("ts_dump_loop: dump %lu: %s %s\n", dumps,
				       err == -EAGAIN ? "no end within 10 s" :
				       strerror(-err), r.bad);
				return 1;
			}
			if (r.error) {
				/* The family went away under our cached id. */
				gone++;
				break;
			}
			dumps++;
		}
		nls_close(&s);
	}
	printf("ts_dump_loop: %lu dumps, %lu refused as the family went, %lu tries while it was absent\n",
	       dumps, gone, absent);
	return 0;
}
