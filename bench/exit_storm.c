// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * exit_storm -- as many thread exits per second as this machine makes, for
 * the events benchmark (bench/events_bench.sh).
 *
 * usage: exit_storm [EXITS [BATCH]]
 *
 * Creates EXITS (default 20000) threads named "storm-w", BATCH (default
 * 16) at a time, each returning at once, joins them, and prints
 *
 *   exits=N seconds=S rate=R
 *
 * (R: exits per second of wall time).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static void *worker(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "storm-w");
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	long batch = argc > 2 ? atol(argv[2]) : 16;
	pthread_t *th;
	long done = 0, i, k;
	double t0, t;

	if (n < 1 || batch < 1 || batch > 4096) {
		fprintf(stderr, "usage: exit_storm [EXITS [BATCH]]\n");
		return 2;
	}
	th = calloc((size_t)batch, sizeof(*th));
	if (!th)
		return 1;
	t0 = now_s();
	while (done < n) {
		k = n - done < batch ? n - done : batch;
		for (i = 0; i < k; i++)
			if (pthread_create(&th[i], NULL, worker, NULL)) {
				perror("pthread_create");
				return 1;
			}
		for (i = 0; i < k; i++)
			pthread_join(th[i], NULL);
		done += k;
	}
	t = now_s() - t0;
	printf("exits=%ld seconds=%.3f rate=%.0f\n", n, t, n / t);
	free(th);
	return 0;
}
