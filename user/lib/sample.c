// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * One sample = SYSTEM_GET + CPU_GET dump + THREAD_GET dump (+ one full
 * THREAD_GET for a thread under detail), staged into the model through
 * the library's streaming calls. While recording, the client's capture
 * hook writes every reply payload as received, so a replay decodes the
 * very bytes the live run decoded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "internal.h"
#include "sample.h"

uint64_t ts_clock_ns(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct capture {
	struct ts_rec_writer *w;
	uint16_t kind;		/* of the request being answered */
	uint32_t threads;	/* THREAD frames written */
};

static void capture(uint8_t cmd, const void *attrs, size_t len, void *arg)
{
	struct capture *cap = arg;

	(void)cmd;	/* the kind set before each request says more */
	ts_rec_write(cap->w, cap->kind, ts_clock_ns(CLOCK_MONOTONIC), attrs,
		     len);
	cap->threads += cap->kind == TS_REC_THREAD;
}

struct adder {
	struct ts_model *m;
	struct capture *cap;
	struct ts_cmdlines *cmdlines;	/* recording: NULL otherwise */
	struct ts_thread_list *keep;	/* the wait graph's: NULL otherwise */
};

/* A process's command line into the recording, at its leader's row. */
static void record_cmdline(struct adder *a, const struct ts_thread *t)
{
	const struct ts_cmdline *cl;
	struct ts_attrbuf b = { .len = 0 };

	cl = ts_cmdline_get(a->cmdlines, t->tgid, t->start_time);
	if (!cl || !cl->text)
		return;		/* none: a replay shows comm, as live */
	ts_attr_u32(&b, TS_REC_A_CMDLINE_TGID, t->tgid);
	ts_attr_u64(&b, TS_REC_A_CMDLINE_START_TIME, t->start_time);
	ts_attr_str(&b, TS_REC_A_CMDLINE_TEXT, cl->text);
	ts_attr_u32(&b, TS_REC_A_CMDLINE_PROG_OFF, cl->prog_off);
	ts_attr_u32(&b, TS_REC_A_CMDLINE_PROG_LEN, cl->prog_len);
	ts_rec_write(a->cap->w, TS_REC_CMDLINE, ts_clock_ns(CLOCK_MONOTONIC),
		     b.buf, b.len);
}

/* What the library found about each lock waiter, for a replay to build
 * the same graph (the thread frames carry what the module said).
 */
static void record_waiters(struct ts_rec_writer *w, const struct ts_waits *ws)
{
	struct ts_attrbuf b;
	size_t i;

	for (i = 0; i < ws->g.n; i++) {
		const struct ts_waiter *x = &ws->g.w[i];
		const struct ts_lock *l;

		if (x->lock == SIZE_MAX)
			continue;
		l = &ws->g.locks[x->lock];
		b.len = 0;
		ts_attr_u32(&b, TS_REC_A_WAITER_TID, x->tid);
		ts_attr_u32(&b, TS_REC_A_WAITER_TGID, x->tgid);
		ts_attr_u64(&b, TS_REC_A_WAITER_ADDR, x->addr);
		ts_attr_u32(&b, TS_REC_A_WAITER_KIND, x->kind);
		ts_attr_u32(&b, TS_REC_A_WAITER_OWNER_HOW, x->owner_how);
		if (x->owner_tid)
			ts_attr_u32(&b, TS_REC_A_WAITER_OWNER_TID, x->owner_tid);
		ts_attr_str(&b, TS_REC_A_WAITER_LOCK_NAME, l->name);
		if (l->ino) {
			ts_attr_u64(&b, TS_REC_A_WAITER_DEV, l->dev);
			ts_attr_u64(&b, TS_REC_A_WAITER_INO, l->ino);
			ts_attr_u64(&b, TS_REC_A_WAITER_OFFSET, l->offset);
		}
		ts_rec_write(w, TS_REC_WAITER, ts_clock_ns(CLOCK_MONOTONIC),
			     b.buf, b.len);
	}
}

static int add_thread(const struct ts_thread *t, void *arg)
{
	struct adder *a = arg;

	if (ts_model_add_thread(a->m, t))
		return -1;
	if (a->keep) {
		struct ts_thread copy = *t;

		/* the groups kept here never carry the kernel stack */
		copy.kernel_stack = NULL;
		copy.n_kernel_stack = 0;
		if (ts_vec_push((void **)&a->keep->v, &a->keep->n,
				&a->keep->cap, sizeof(copy), &copy))
			return -1;
	}
	if (a->cmdlines && t->tid == t->tgid && !t->kthread)
		record_cmdline(a, t);
	return 0;
}

/* The optional parts of a sample: absent from an older module. */
static bool unsupported(const struct ts_error *err)
{
	return err->code == EOPNOTSUPP;
}

static int take(struct ts_client *c, const struct ts_sample_opts *o,
		struct ts_model *m, struct capture *cap, bool *complete,
		struct ts_error *err)
{
	struct ts_thread_query q = { o->tgid,
				     o->fields ? o->fields :
						 THREADSTAT_FIELDS_SCHED };
	struct ts_dump_info info;
	struct ts_cpu_list cpus;
	struct ts_system sys;
	struct ts_thread detail;
	int rc;
	struct adder add = { m, cap, cap->w ? o->cmdlines : NULL,
			     o->waits ? &o->waits->list : NULL };
	size_t i;

	cap->kind = TS_REC_SYSTEM;
	if (!ts_system_get(c, &sys, err))
		ts_model_set_system(m, &sys);
	else if (!unsupported(err))
		return -1;

	cap->kind = TS_REC_THREAD;
	err->msg[0] = '\0';
	if (ts_thread_dump(c, &q, add_thread, &add, &info, err)) {
		if (!err->msg[0])
			ts_fail(err, ENOMEM, "out of memory");
		return -1;
	}
	*complete = !info.interrupted;
	if (o->waits) {
		o->waits->list.interrupted = info.interrupted;
		if (ts_waits_build(o->waits, &ts_wait_source_live, err))
			return -1;
		/*
		 * The confirming dump is the library's second look, not
		 * part of the sample: a replay would count its threads
		 * twice. The WAITER frames below carry what it decided.
		 */
		ts_set_capture(c, NULL, NULL);
		rc = ts_waits_confirm_live(c, o->tgid, o->waits, err);
		if (cap->w)
			ts_set_capture(c, capture, cap);
		if (rc)
			return -1;
		if (cap->w)
			record_waiters(cap->w, o->waits);
	}

	/*
	 * The CPUs after the threads (a walk of every thread per request):
	 * between the sample's clock and the thread dump only SYSTEM_GET,
	 * whose uptime dates births, so a process's rate is its counters'
	 * growth over little more than the time between two dumps.
	 */
	cap->kind = TS_REC_CPU;
	if (!ts_cpu_list_dump(c, &cpus, err)) {
		for (i = 0; i < cpus.n; i++)
			if (ts_model_add_cpu(m, &cpus.v[i])) {
				ts_cpu_list_free(&cpus);
				return ts_fail(err, ENOMEM, "out of memory");
			}
		ts_cpu_list_free(&cpus);
	} else if (!unsupported(err)) {
		return -1;
	}

	/* The thread under detail may be gone: that is no error. */
	cap->kind = TS_REC_DETAIL;
	if (o->detail_tid &&
	    !ts_thread_get(c, o->detail_tid, THREADSTAT_FIELDS_ALL, &detail,
			   err))
		ts_model_set_detail(m, &detail);
	return 0;
}

int ts_sample_take(struct ts_client *c, const struct ts_sample_opts *o,
		   struct ts_model *m, struct ts_rec_writer *w, bool *complete,
		   struct ts_error *err)
{
	uint64_t mono = ts_clock_ns(CLOCK_MONOTONIC);
	uint64_t real = ts_clock_ns(CLOCK_REALTIME);
	struct capture cap = { w, 0, 0 };
	struct ts_meminfo mi;
	struct ts_error scratch;
	struct ts_attrbuf b = { .len = 0 };
	int rc;

	if (!err)
		err = &scratch;
	*complete = true;
	if (ts_model_begin(m, mono, real))
		return ts_fail(err, ENOMEM, "out of memory");
	if (w) {
		ts_attr_u64(&b, TS_REC_A_BEGIN_REALTIME, real);
		ts_rec_write(w, TS_REC_SAMPLE_BEGIN, mono, b.buf, b.len);
		ts_set_capture(c, capture, &cap);
	}
	rc = take(c, o, m, &cap, complete, err);
	/* Recorded too: a replay shows the meters and MEM% as live. */
	if (!rc && !ts_meminfo_read(&mi)) {
		ts_model_set_meminfo(m, &mi);
		if (w) {
			b.len = 0;
			ts_attr_u64(&b, TS_REC_A_MEM_TOTAL, mi.mem_total);
			ts_attr_u64(&b, TS_REC_A_MEM_AVAILABLE,
				    mi.mem_available);
			ts_attr_u64(&b, TS_REC_A_MEM_SWAP_TOTAL, mi.swap_total);
			ts_attr_u64(&b, TS_REC_A_MEM_SWAP_FREE, mi.swap_free);
			ts_rec_write(w, TS_REC_MEMINFO, mono, b.buf, b.len);
		}
	}
	if (!rc && o->exits) {
		/* Each notification drained is recorded, as received. */
		cap.kind = TS_REC_EXIT;
		if (w)
			ts_exit_feed_capture(o->exits, capture, &cap);
		rc = ts_exit_feed_drain(o->exits, m, err);
		if (w)
			ts_exit_feed_capture(o->exits, NULL, NULL);
	}
	if (rc)
		ts_model_abort(m);
	if (w) {
		ts_set_capture(c, NULL, NULL);
		b.len = 0;
		ts_attr_u32(&b, TS_REC_A_END_FLAGS,
			    (rc ? TS_REC_END_FAILED : 0) |
			    (*complete ? 0 : TS_REC_END_INTERRUPTED) |
			    (o->exits ? TS_REC_END_EXITS : 0));
		ts_attr_u32(&b, TS_REC_A_END_THREADS, cap.threads);
		ts_rec_write(w, TS_REC_SAMPLE_END,
			     ts_clock_ns(CLOCK_MONOTONIC), b.buf, b.len);
		if (!rc && ts_rec_flush(w, err))
			rc = -1;
	}
	return rc;
}

/* A replay's wait data: the sample's threads and its WAITER frames. */
struct replay_waits {
	struct ts_waits *waits;
	struct ts_rec_waiter *v;
	size_t n, cap;
};

static const struct ts_rec_waiter *recorded(const struct replay_waits *rw,
					    uint32_t tid, uint32_t tgid,
					    uint64_t addr)
{
	size_t i;

	for (i = 0; i < rw->n; i++)
		if (tid ? rw->v[i].tid == tid :
			  rw->v[i].tgid == tgid && rw->v[i].addr == addr)
			return &rw->v[i];
	return NULL;
}

/* The recorded source: owners and names as the recorder found them. */
static void recorded_owner(const struct ts_thread *t, struct ts_waiter *w,
			   struct ts_wait_graph *g, void *arg)
{
	const struct ts_rec_waiter *r = recorded(arg, t->tid, 0, 0);

	(void)g;
	w->kind = r ? (uint8_t)r->kind : TS_LOCK_FUTEX;
	w->owner_how = r ? (uint8_t)r->owner_how : TS_OWNER_UNKNOWN;
	w->owner_tid = r ? r->owner_tid : 0;
	if (r)
		w->addr = r->addr;
}

static void recorded_name(uint32_t tgid, uint64_t addr, struct ts_lock *l,
			  void *arg)
{
	const struct ts_rec_waiter *r = recorded(arg, 0, tgid, addr);

	if (!r) {
		snprintf(l->name, sizeof(l->name), "0x%llx",
			 (unsigned long long)addr);
		return;
	}
	snprintf(l->name, sizeof(l->name), "%s", r->name);
	l->dev = r->dev;
	l->ino = r->ino;
	l->offset = r->offset;
}

static int replay_waits_msg(struct replay_waits *rw,
			    const struct ts_rec_frame *f,
			    const struct ts_thread *t, struct ts_error *err)
{
	struct ts_thread_list *l = &rw->waits->list;
	struct ts_rec_waiter x;

	if (t) {
		struct ts_thread copy = *t;

		copy.kernel_stack = NULL;
		copy.n_kernel_stack = 0;
		return ts_vec_push((void **)&l->v, &l->n, &l->cap,
				   sizeof(copy), &copy) ?
		       ts_fail(err, ENOMEM, "out of memory") : 0;
	}
	if (ts_rec_decode_waiter(f->data, f->len, &x, err))
		return -1;
	return ts_vec_push((void **)&rw->v, &rw->n, &rw->cap, sizeof(x), &x) ?
	       ts_fail(err, ENOMEM, "out of memory") : 0;
}

/* Feed one recorded message of a sample to the model. */
static int replay_msg(struct ts_model *m, struct ts_cmdlines *cmdlines,
		      struct replay_waits *rw, const struct ts_rec_frame *f,
		      struct ts_error *err)
{
	struct ts_rec_cmdline cl;
	struct ts_rec_mem mem;
	struct ts_event ev;
	struct ts_meminfo mi;
	struct ts_system sys;
	struct ts_thread t;
	struct ts_cpu cpu;
	int rc = 0;

	switch (f->kind) {
	case TS_REC_SYSTEM:
		if (ts_system_decode(f->data, f->len, &sys, err))
			return -1;
		ts_model_set_system(m, &sys);
		return 0;
	case TS_REC_CPU:
		if (ts_cpu_decode(f->data, f->len, &cpu, err))
			return -1;
		return ts_model_add_cpu(m, &cpu) ?
		       ts_fail(err, ENOMEM, "out of memory") : 0;
	case TS_REC_THREAD:
		if (ts_thread_decode(f->data, f->len, &t, err))
			return -1;
		if (ts_model_add_thread(m, &t))
			rc = ts_fail(err, ENOMEM, "out of memory");
		else if (rw)
			rc = replay_waits_msg(rw, f, &t, err);
		ts_thread_release(&t);
		return rc;
	case TS_REC_WAITER:
		return rw ? replay_waits_msg(rw, f, NULL, err) : 0;
	case TS_REC_EXIT:
		if (ts_rec_decode_exit(f->data, f->len, &ev, err))
			return -1;
		return ts_model_add_event(m, &ev) ?
		       ts_fail(err, ENOMEM, "out of memory") : 0;
	case TS_REC_DETAIL:
		if (ts_thread_decode(f->data, f->len, &t, err))
			return -1;
		ts_model_set_detail(m, &t);
		return 0;
	case TS_REC_MEMINFO:
		if (ts_rec_decode_mem(f->data, f->len, &mem, err))
			return -1;
		mi = (struct ts_meminfo){ mem.mem_total, mem.mem_available,
					  mem.swap_total, mem.swap_free };
		ts_model_set_meminfo(m, &mi);
		return 0;
	case TS_REC_CMDLINE:
		if (!cmdlines)
			return 0;
		if (ts_rec_decode_cmdline(f->data, f->len, &cl, err))
			return -1;
		return ts_cmdline_put(cmdlines, cl.tgid, cl.start_time, cl.text,
				      cl.prog_off, cl.prog_len) ?
		       ts_fail(err, ENOMEM, "out of memory") : 0;
	default:
		return 0;	/* a kind from a newer writer */
	}
}

static int replay_fail(struct ts_model *m, const struct ts_rec_frame *f,
		       struct ts_error *err)
{
	char why[sizeof(err->msg)];

	ts_model_abort(m);
	snprintf(why, sizeof(why), "%s", err->msg);
	return ts_fail(err, EBADMSG, "corrupt recording at byte %llu: %s",
		       (unsigned long long)f->offset, why);
}

static void replay_waits_reset(struct replay_waits *rw)
{
	ts_waits_free(rw->waits);
	free(rw->v);
	rw->v = NULL;
	rw->n = rw->cap = 0;
}

static int replay_fail_waits(struct ts_model *m, struct replay_waits *rw,
			     const struct ts_rec_frame *f,
			     struct ts_error *err)
{
	if (rw)
		replay_waits_reset(rw);
	return replay_fail(m, f, err);
}

int ts_sample_replay(struct ts_rec_reader *r, struct ts_model *m,
		     struct ts_cmdlines *cmdlines, bool *complete,
		     struct ts_error *err)
{
	return ts_sample_replay_waits(r, m, cmdlines, NULL, complete, err);
}

/* The sample's graph from its threads and WAITER frames (then dropped). */
static int replay_waits_build(struct replay_waits *rw, struct ts_error *err)
{
	const struct ts_wait_source src = { recorded_owner, recorded_name, rw };
	int rc = ts_waits_build(rw->waits, &src, err);

	free(rw->v);
	rw->v = NULL;
	rw->n = rw->cap = 0;
	return rc;
}

int ts_sample_replay_waits(struct ts_rec_reader *r, struct ts_model *m,
			   struct ts_cmdlines *cmdlines,
			   struct ts_waits *waits, bool *complete,
			   struct ts_error *err)
{
	struct replay_waits rws = { .waits = waits };
	struct replay_waits *rw = waits ? &rws : NULL;
	struct ts_rec_frame f;
	struct ts_rec_begin begin;
	struct ts_rec_end end;
	bool in_sample = false;
	int rc;

	while ((rc = ts_rec_next(r, &f, err)) > 0) {
		if (f.kind == TS_REC_SAMPLE_BEGIN) {
			if (ts_rec_decode_begin(f.data, f.len, &begin, err))
				return replay_fail_waits(m, rw, &f, err);
			if (ts_model_begin(m, f.mono_ns, begin.real_ns))
				return ts_fail(err, ENOMEM, "out of memory");
			if (rw)		/* a sample the live run skipped */
				replay_waits_reset(rw);
			in_sample = true;
		} else if (f.kind == TS_REC_SAMPLE_END && in_sample) {
			if (ts_rec_decode_end(f.data, f.len, &end, err))
				return replay_fail_waits(m, rw, &f, err);
			in_sample = false;
			if (end.flags & TS_REC_END_FAILED) {
				ts_model_abort(m);
				continue;	/* the live run skipped it too */
			}
			*complete = !(end.flags & TS_REC_END_INTERRUPTED);
			if ((end.flags & TS_REC_END_EXITS) &&
			    ts_exit_feed_mark(m)) {
				ts_model_abort(m);
				return ts_fail(err, ENOMEM, "out of memory");
			}
			if (rw && replay_waits_build(rw, err)) {
				ts_model_abort(m);
				return -1;
			}
			return 1;
		} else if (in_sample && replay_msg(m, cmdlines, rw, &f, err)) {
			return replay_fail_waits(m, rw, &f, err);
		}
	}
	if (in_sample)
		ts_model_abort(m);
	if (rw)
		replay_waits_reset(rw);
	return rc;
}

int ts_sample_record_open(struct ts_rec_writer **w, const char *path,
			  const char *writer, uint32_t fields,
			  struct ts_error *err)
{
	struct ts_rec_info info = { .family_version = THREADSTAT_FAMILY_VERSION,
				    .fields = fields };
	struct utsname u;
	FILE *f;

	*w = NULL;
	f = fopen(path, "wb");
	if (!f)
		return ts_fail(err, errno, "cannot create %s: %s", path,
			       strerror(errno));
	snprintf(info.writer, sizeof(info.writer), "%s", writer);
	if (!uname(&u)) {
		snprintf(info.hostname, sizeof(info.hostname), "%s", u.nodename);
		snprintf(info.kernel, sizeof(info.kernel), "%s", u.release);
	}
	info.real_ns = ts_clock_ns(CLOCK_REALTIME);
	return ts_rec_create(w, f, &info, err);
}
