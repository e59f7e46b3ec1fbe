// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * deadlock_prog SCENARIO: real programs that hang the way wait-chain
 * analysis must see them, for waits_test.py. Prints one JSON line when
 * every thread is in place ({"pid": P, "tids": {"name": tid, ...}}) and
 * then blocks until killed. Tids are gettid()'s, in this process's pid
 * namespace.
 *
 *   abba-normal, abba-recursive, abba-errorcheck, abba-pi, abba-robust
 *        t1 holds lock_a and wants lock_b, t2 holds lock_b and wants lock_a
 *   pi-cycle  t1 holds lock_a (PI) and wants lock_b (normal), t2 holds
 *             lock_b and wants lock_a: a cycle with a kernel-defined edge
 *             that the kernel's own PI deadlock check cannot see (it
 *             follows PI waits only, and t1 waits in FUTEX_WAIT)
 *   cycle3    t1 a->b, t2 b->c, t3 c->a
 *   self      t1 locks lock_a (normal) twice
 *   rwlock    "writer" holds rw_lock for writing; r1, r2 want to read
 *   pshared   two processes, two process-shared mutexes in one shm file:
 *             parent's t1 holds m0 wants m1, the child's t2 the reverse
 *   contend   N threads (argv[2], default 1000) contend hot_lock, which
 *             "holder" takes and releases in a loop; "condw" waits on a
 *             condition variable, "semw" on a semaphore: no cycle
 */
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t lock_a, lock_b, lock_c, hot_lock;
pthread_rwlock_t rw_lock = PTHREAD_RWLOCK_INITIALIZER;
pthread_cond_t cond_var = PTHREAD_COND_INITIALIZER;
pthread_mutex_t cond_lock = PTHREAD_MUTEX_INITIALIZER;
sem_t sem_var;

static pthread_barrier_t ready;
static pid_t tids[8];
static const char *names[8];
static int n_named;

static void named(int i, const char *name)
{
	tids[i] = gettid();
	names[i] = name;
}

static void report(void)
{
	int i;

	printf("{\"pid\": %d, \"tids\": {", getpid());
	for (i = 0; i < n_named; i++)
		printf("%s\"%s\": %d", i ? ", " : "", names[i], tids[i]);
	printf("}}\n");
	fflush(stdout);
}

static void init_mutex(pthread_mutex_t *m, const char *kind)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	if (!strcmp(kind, "recursive"))
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	else if (!strcmp(kind, "errorcheck"))
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	else if (!strcmp(kind, "pi"))
		pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	else if (!strcmp(kind, "robust"))
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	else if (!strcmp(kind, "pshared"))
		pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

struct pair {
	int idx;
	const char *name;
	pthread_mutex_t *first, *second;
};

/* Take @first, meet the others, then block on @second for ever. */
static void *take_two(void *arg)
{
	struct pair *p = arg;

	named(p->idx, p->name);
	pthread_mutex_lock(p->first);
	pthread_barrier_wait(&ready);
	pthread_mutex_lock(p->second);
	return NULL;
}

static void cycle(int n, pthread_mutex_t **locks)
{
	static const char *const tn[] = { "t1", "t2", "t3" };
	struct pair p[3];
	pthread_t th;
	int i;

	pthread_barrier_init(&ready, NULL, n + 1);
	n_named = n;
	for (i = 0; i < n; i++) {
		p[i] = (struct pair){ i, tn[i], locks[i], locks[(i + 1) % n] };
		pthread_create(&th, NULL, take_two, &p[i]);
	}
	pthread_barrier_wait(&ready);
	report();
	pause();
}

static void *relock(void *arg)
{
	(void)arg;
	named(0, "t1");
	pthread_mutex_lock(&lock_a);
	pthread_barrier_wait(&ready);
	pthread_mutex_lock(&lock_a);
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	named(0, "writer");
	pthread_rwlock_wrlock(&rw_lock);
	pthread_barrier_wait(&ready);
	pause();
	return NULL;
}

static void *reader(void *arg)
{
	named((int)(long)arg, (long)arg == 1 ? "r1" : "r2");
	pthread_barrier_wait(&ready);
	pthread_rwlock_rdlock(&rw_lock);
	return NULL;
}

static void *hot_holder(void *arg)
{
	(void)arg;
	named(0, "holder");
	pthread_barrier_wait(&ready);
	for (;;) {
		pthread_mutex_lock(&hot_lock);
		usleep(2000);
		pthread_mutex_unlock(&hot_lock);
	}
	return NULL;
}

static void *hot_waiter(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&ready);
	for (;;) {
		pthread_mutex_lock(&hot_lock);
		pthread_mutex_unlock(&hot_lock);
		usleep(100);
	}
	return NULL;
}

static void *cond_waiter(void *arg)
{
	(void)arg;
	named(1, "condw");
	pthread_barrier_wait(&ready);
	pthread_mutex_lock(&cond_lock);
	for (;;)
		pthread_cond_wait(&cond_var, &cond_lock);
	return NULL;
}

static void *sem_waiter(void *arg)
{
	(void)arg;
	named(2, "semw");
	pthread_barrier_wait(&ready);
	sem_wait(&sem_var);
	return NULL;
}

static void contend(int n)
{
	pthread_attr_t attr;
	pthread_t th;
	int i;

	init_mutex(&hot_lock, "normal");
	sem_init(&sem_var, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	pthread_barrier_init(&ready, NULL, n + 4);
	n_named = 3;
	pthread_create(&th, &attr, hot_holder, NULL);
	pthread_create(&th, &attr, cond_waiter, NULL);
	pthread_create(&th, &attr, sem_waiter, NULL);
	for (i = 0; i < n; i++)
		if (pthread_create(&th, &attr, hot_waiter, NULL)) {
			perror("pthread_create");
			exit(1);
		}
	pthread_barrier_wait(&ready);
	report();
	pause();
}

/* The child's half of pshared: t2 holds m[1], then wants m[0]. */
static void pshared(void)
{
	pthread_barrierattr_t ba;
	pthread_barrier_t *meet;
	pthread_mutex_t *m;
	struct pair p;
	pthread_t th;
	void *shm;
	int fd;

	fd = shm_open("/ts_waits_test", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096))
		exit(1);
	shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shm == MAP_FAILED)
		exit(1);
	shm_unlink("/ts_waits_test");
	m = shm;
	meet = (pthread_barrier_t *)((char *)shm + 1024);
	init_mutex(&m[0], "pshared");
	init_mutex(&m[1], "pshared");
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(meet, &ba, 2);
	pthread_barrier_init(&ready, NULL, 2);
	if (fork() == 0) {
		/* the child: its own t2, reported by the parent */
		pthread_mutex_lock(&m[1]);
		pid_t *slot = (pid_t *)((char *)shm + 2048);

		*slot = gettid();
		pthread_barrier_wait(meet);
		pthread_mutex_lock(&m[0]);
		_exit(0);
	}
	n_named = 2;
	p = (struct pair){ 0, "t1", &m[0], &m[1] };
	/* t1 takes m0; after both hold one, each wants the other's */
	pthread_create(&th, NULL, take_two, &p);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(meet);
	tids[1] = *(pid_t *)((char *)shm + 2048);
	names[1] = "t2";
	report();
	pause();
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "";
	pthread_t th;
	long i;

	if (!strncmp(s, "abba-", 5)) {
		pthread_mutex_t *l[2] = { &lock_a, &lock_b };

		init_mutex(&lock_a, s + 5);
		init_mutex(&lock_b, s + 5);
		cycle(2, l);
	} else if (!strcmp(s, "pi-cycle")) {
		pthread_mutex_t *l[2] = { &lock_a, &lock_b };

		init_mutex(&lock_a, "pi");
		init_mutex(&lock_b, "normal");
		cycle(2, l);
	} else if (!strcmp(s, "cycle3")) {
		pthread_mutex_t *l[3] = { &lock_a, &lock_b, &lock_c };

		init_mutex(&lock_a, "normal");
		init_mutex(&lock_b, "normal");
		init_mutex(&lock_c, "normal");
		cycle(3, l);
	} else if (!strcmp(s, "self")) {
		init_mutex(&lock_a, "normal");
		pthread_barrier_init(&ready, NULL, 2);
		n_named = 1;
		pthread_create(&th, NULL, relock, NULL);
		pthread_barrier_wait(&ready);
		report();
		pause();
	} else if (!strcmp(s, "rwlock")) {
		pthread_barrier_init(&ready, NULL, 4);
		n_named = 3;
		pthread_create(&th, NULL, writer, NULL);
		for (i = 1; i <= 2; i++)
			pthread_create(&th, NULL, reader, (void *)i);
		pthread_barrier_wait(&ready);
		report();
		pause();
	} else if (!strcmp(s, "pshared")) {
		pshared();
	} else if (!strcmp(s, "contend")) {
		contend(argc > 2 ? atoi(argv[2]) : 1000);
	}
	fprintf(stderr, "usage: deadlock_prog SCENARIO\n");
	return 2;
}
