// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Recordings: a recorded sample replays into the same model as the live
 * one; frames and attributes a reader does not know are skipped; a cut or
 * damaged recording replays its complete samples and says where it was
 * cut; a pipe works.
 * All in memory (open_memstream / fmemopen), on synthetic samples.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sample.h"
#include "synth.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const struct synth threads[] = {
	{ .tid = 1, .comm = "init", .state = 'S', .cpu = 0 },
	{ .tid = 50, .ppid = 1, .comm = "app", .state = 'R', .cpu = 1,
	  .start = 5, .on_cpu = true },
	{ .tid = 51, .tgid = 50, .comm = "app-io", .state = 'D', .cpu = 0,
	  .start = 6 },
};

struct rec {
	char *buf;
	size_t len;
	FILE *f;
	struct ts_rec_writer *w;
	size_t boundaries[8];	/* file length after each sample */
	size_t n_boundaries;
	size_t mark;		/* offset of the last EXIT frame written */
};

static int rec_start(struct rec *r)
{
	struct ts_rec_info info = { .family_version = 1, .fields = 1,
				    .real_ns = 42 };

	memset(r, 0, sizeof(*r));
	strcpy(info.writer, "record_test");
	strcpy(info.hostname, "testhost");
	strcpy(info.kernel, "6.12-test");
	r->f = open_memstream(&r->buf, &r->len);
	if (!r->f || ts_rec_create(&r->w, r->f, &info, NULL))
		return -1;
	return 0;
}

static void rec_msg(struct rec *r, uint16_t kind, uint64_t t,
		    struct synth_msg *m)
{
	size_t len;
	const void *p = synth_payload(m, &len);

	ts_rec_write(r->w, kind, t, p, len);
}

/* The frames ts_sample_take() writes for a sample of @s at @t. */
static void rec_sample(struct rec *r, uint64_t t, const struct synth *s,
		       size_t n, uint32_t flags, uint32_t unknown_attr,
		       bool unknown_frames)
{
	struct ts_attrbuf b = { .len = 0 };
	struct synth_msg m;
	struct synth x;
	size_t i;

	ts_attr_u64(&b, TS_REC_A_BEGIN_REALTIME, 1700000000 * SEC + t);
	ts_rec_write(r->w, TS_REC_SAMPLE_BEGIN, t, b.buf, b.len);
	synth_system_msg(&m, 2, (uint32_t)n, t);
	rec_msg(r, TS_REC_SYSTEM, t, &m);
	synth_cpu_msg(&m, 0, t / 2, t / 4, 0, 0, t / 4, 1);
	rec_msg(r, TS_REC_CPU, t, &m);
	synth_cpu_msg(&m, 1, t / 4, t / 4, t / 8, 0, 3 * t / 8, 50);
	rec_msg(r, TS_REC_CPU, t, &m);
	if (unknown_frames)
		ts_rec_write(r->w, 99, t, "future", 6);
	for (i = 0; i < n; i++) {
		x = s[i];
		x.unknown = unknown_attr;
		synth_thread_msg(&m, &x);
		rec_msg(r, TS_REC_THREAD, t, &m);
	}
	x = s[n - 1];
	synth_thread_msg(&m, &x);
	rec_msg(r, TS_REC_DETAIL, t, &m);
	b.len = 0;
	ts_attr_u32(&b, TS_REC_A_END_FLAGS, flags);
	ts_attr_u32(&b, TS_REC_A_END_THREADS, (uint32_t)n);
	ts_rec_write(r->w, TS_REC_SAMPLE_END, t, b.buf, b.len);
	if (unknown_frames)
		ts_rec_write(r->w, 1000, t, NULL, 0);
	ts_rec_flush(r->w, NULL);
	r->boundaries[r->n_boundaries++] = r->len;
}

static int rec_finish(struct rec *r)
{
	struct ts_rec_writer *w = r->w;

	r->w = NULL;
	return ts_rec_close(w, NULL);	/* closes the memstream */
}

/* The same samples, staged straight into a model. */
static void live_sample(struct ts_model *m, uint64_t t,
			const struct synth *s, size_t n)
{
	struct synth_msg msg;
	struct ts_system sys;
	struct ts_thread detail;
	size_t len, i;
	const void *p;

	ts_model_begin(m, t, 1700000000 * SEC + t);
	synth_system_msg(&msg, 2, (uint32_t)n, t);
	p = synth_payload(&msg, &len);
	ts_system_decode(p, len, &sys, NULL);
	ts_model_set_system(m, &sys);
	synth_add_cpu(m, 0, t / 2, t / 4, 0, 0, t / 4, 1);
	synth_add_cpu(m, 1, t / 4, t / 4, t / 8, 0, 3 * t / 8, 50);
	for (i = 0; i < n; i++)
		synth_add(m, &s[i]);
	synth_thread_msg(&msg, &s[n - 1]);
	p = synth_payload(&msg, &len);
	if (!ts_thread_decode(p, len, &detail, NULL))
		ts_model_set_detail(m, &detail);
	ts_model_commit(m, true);
}

static int open_mem(struct ts_rec_reader **r, const char *buf, size_t len,
		    struct ts_error *err)
{
	FILE *f = fmemopen((void *)buf, len, "rb");

	if (!f)	/* glibc: a zero-size buffer is no stream */
		f = fopen("/dev/null", "rb");
	return ts_rec_open(r, f, err);
}

/* @len bytes of @buf through a pipe (they fit its 64 KiB buffer). */
static int open_pipe(struct ts_rec_reader **r, const char *buf, size_t len,
		     struct ts_error *err)
{
	int fds[2];
	FILE *f;

	if (len >= 65536 || pipe(fds))
		return -1;
	if (len && write(fds[1], buf, len) != (ssize_t)len)
		return -1;
	close(fds[1]);
	f = fdopen(fds[0], "rb");
	return f ? ts_rec_open(r, f, err) : -1;
}

/* The thread counters that a model keeps, side by side. */
static bool same_model(const struct ts_model *a, const struct ts_model *b)
{
	size_t i;

	if (a->n_threads != b->n_threads || a->n_cpus != b->n_cpus ||
	    a->mono_ns != b->mono_ns || a->real_ns != b->real_ns ||
	    a->totals.threads != b->totals.threads ||
	    a->has_detail != b->has_detail)
		return false;
	for (i = 0; i < a->n_threads; i++) {
		const struct ts_mstat *x = &a->threads[i].s;
		const struct ts_mstat *y = &b->threads[i].s;

		if (x->id != y->id || strcmp(x->comm, y->comm) ||
		    x->runtime != y->runtime || x->state != y->state ||
		    milli(x->cpu_pct) != milli(y->cpu_pct) ||
		    milli(x->vcsw_rate) != milli(y->vcsw_rate))
			return false;
	}
	if (a->n_processes != b->n_processes)
		return false;
	for (i = 0; i < a->n_processes; i++)
		if (a->processes[i].s.runtime != b->processes[i].s.runtime ||
		    milli(a->processes[i].s.cpu_pct) !=
		    milli(b->processes[i].s.cpu_pct) ||
		    a->processes[i].has_process != b->processes[i].has_process)
			return false;
	for (i = 0; i < a->n_cpus; i++)
		if (milli(a->cpus[i].user_pct) != milli(b->cpus[i].user_pct) ||
		    a->cpus[i].running_tid != b->cpus[i].running_tid)
			return false;
	return true;
}

FIXTURE(rec) {
	struct rec r;
	struct synth s[N(threads)];
	struct ts_model replayed, live;
	struct ts_rec_reader *reader;
	struct ts_error err;
};

FIXTURE_SETUP(rec)
{
	memcpy(self->s, threads, sizeof(threads));
	ts_model_init(&self->replayed);
	ts_model_init(&self->live);
	self->reader = NULL;
	memset(&self->err, 0, sizeof(self->err));
	ASSERT_EQ(0, rec_start(&self->r));
}

FIXTURE_TEARDOWN(rec)
{
	rec_finish(&self->r);
	ts_rec_close_reader(self->reader);
	ts_model_free(&self->replayed);
	ts_model_free(&self->live);
	free(self->r.buf);
}

/* Three samples, recorded and staged live; their counters advance. */
static void three_samples(struct rec *r, struct ts_model *live,
			  struct synth *s, uint32_t unknown_attr,
			  bool unknown_frames)
{
	uint64_t t;

	for (t = 1; t <= 3; t++) {
		s[1].runtime = t * t * 100 * MS;
		s[1].nvcsw = t * 7;
		s[2].runtime = t * 10 * MS;
		rec_sample(r, t * SEC, s, N(threads), 0, unknown_attr,
			   unknown_frames);
		if (live)
			live_sample(live, t * SEC, s, N(threads));
	}
}

TEST_F(rec, replay_gives_the_live_model)
{
	const struct ts_rec_info *info;
	bool complete = false;
	int i;

	three_samples(&self->r, NULL, self->s, 0, false);
	ASSERT_EQ(0, rec_finish(&self->r));
	memcpy(self->s, threads, sizeof(threads));

	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	info = ts_rec_info(self->reader);
	EXPECT_STREQ("record_test", info->writer);
	EXPECT_STREQ("testhost", info->hostname);
	EXPECT_STREQ("6.12-test", info->kernel);
	EXPECT_EQ(1U, info->family_version);
	EXPECT_EQ(42U, info->real_ns);
	EXPECT_EQ(TS_REC_MAJOR, info->major);
	EXPECT_EQ(3U, ts_rec_samples(self->reader));

	for (i = 1; i <= 3; i++) {
		self->s[1].runtime = (uint64_t)i * i * 100 * MS;
		self->s[1].nvcsw = (uint64_t)i * 7;
		self->s[2].runtime = (uint64_t)i * 10 * MS;
		live_sample(&self->live, i * SEC, self->s, N(threads));
		ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
					      &complete, &self->err))
			TH_LOG("%s", self->err.msg);
		EXPECT_TRUE(complete);
		ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
		EXPECT_TRUE(same_model(&self->live, &self->replayed));
	}
	/* Sample 3 against 2: app ran 900-400 ms of a second. */
	EXPECT_EQ(50000, milli(ts_model_thread(&self->replayed, 50)->s.cpu_pct));
	EXPECT_EQ(7000, milli(ts_model_thread(&self->replayed, 50)->s.vcsw_rate));
	EXPECT_TRUE(self->replayed.has_system);
	EXPECT_TRUE(self->replayed.has_cpus);
	EXPECT_EQ(50U, self->replayed.cpus[1].running_tid);
	ASSERT_TRUE(self->replayed.has_detail);
	EXPECT_EQ(51U, self->replayed.detail.tid);
	EXPECT_EQ(0, ts_sample_replay(self->reader, &self->replayed, NULL, &complete,
				      &self->err));
}

/*
 * The process set travels inside the thread messages as received, so a
 * recording carries it without a format change; a recording made before
 * the module sent it (the samples above) still replays, with processes
 * summing their live threads.
 */
TEST_F(rec, process_set_is_recorded_and_replayed)
{
	bool complete = false;
	const struct ts_mprocess *p;
	uint64_t t;

	self->s[1].proc = true;
	for (t = 1; t <= 3; t++) {
		/* app's workers that exited used 300 ms more each second. */
		self->s[1].exited_runtime = t * 300 * MS;
		self->s[1].runtime = t * 100 * MS;
		self->s[1].rss_anon = t << 20;
		rec_sample(&self->r, t * SEC, self->s, N(threads), 0, 0, false);
		live_sample(&self->live, t * SEC, self->s, N(threads));
	}
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err));
	for (t = 1; t <= 3; t++) {
		ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
					      &complete, &self->err))
			TH_LOG("%s", self->err.msg);
		ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	}
	EXPECT_TRUE(same_model(&self->live, &self->replayed));
	p = ts_model_process(&self->replayed, 50);
	ASSERT_NE(NULL, p);
	EXPECT_TRUE(p->has_process);
	EXPECT_EQ(3U << 20, p->proc.rss_anon);
	/* TIME: app 300 ms + app-io 0 + exited 900 ms; 400 ms a second. */
	EXPECT_EQ(1200 * MS, p->s.runtime);
	EXPECT_EQ(40000, milli(p->s.cpu_pct));
}

TEST_F(rec, recording_without_process_set_sums_live_threads)
{
	bool complete = false;
	const struct ts_mprocess *p;
	int i;

	three_samples(&self->r, &self->live, self->s, 0, false);
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
					      &complete, &self->err));
		ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	}
	EXPECT_TRUE(same_model(&self->live, &self->replayed));
	p = ts_model_process(&self->replayed, 50);
	ASSERT_NE(NULL, p);
	EXPECT_FALSE(p->has_process);
	/* 900 - 400 ms and 30 - 20 ms in a second. */
	EXPECT_EQ(51000, milli(p->s.cpu_pct));
	EXPECT_EQ(930 * MS, p->s.runtime);
}

TEST_F(rec, unknown_frames_and_attributes_are_skipped)
{
	bool complete;
	int i;

	three_samples(&self->r, &self->live, self->s, 250, true);
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(3U, ts_rec_samples(self->reader));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
					      &complete, &self->err))
			TH_LOG("%s", self->err.msg);
		ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	}
	EXPECT_TRUE(same_model(&self->live, &self->replayed));
	EXPECT_EQ(0, ts_sample_replay(self->reader, &self->replayed, NULL, &complete,
				      &self->err));
}

/* Append a frame by hand: a header longer than today's, as a newer
 * writer might make it.
 */
static void raw_frame(struct rec *r, uint16_t kind, uint16_t hdr_len,
		      const void *data, uint32_t len)
{
	unsigned char hdr[64] = { 0 };
	uint32_t u32 = htole32(len), crc;
	uint16_t u16;
	uint64_t u64 = htole64(7);

	memcpy(hdr, &u32, 4);
	u16 = htole16(kind);
	memcpy(hdr + 4, &u16, 2);
	u16 = htole16(hdr_len);
	memcpy(hdr + 6, &u16, 2);
	memcpy(hdr + 8, &u64, 8);
	memset(hdr + 24, 0xab, hdr_len - 24);	/* newer header fields */
	crc = ts_crc32(0, hdr, 16);
	crc = ts_crc32(crc, hdr + 20, hdr_len - 20);
	crc = htole32(ts_crc32(crc, data, len));
	memcpy(hdr + 16, &crc, 4);
	fwrite(hdr, hdr_len, 1, r->f);
	fwrite(data, len, 1, r->f);
	fflush(r->f);
}

/* A CMDLINE frame's payload. */
static void cmdline_frame(struct rec *r, uint32_t tgid, uint64_t start,
			  const char *text, uint32_t off, uint32_t len)
{
	struct ts_attrbuf b = { .len = 0 };

	ts_attr_u32(&b, TS_REC_A_CMDLINE_TGID, tgid);
	ts_attr_u64(&b, TS_REC_A_CMDLINE_START_TIME, start);
	ts_attr_str(&b, TS_REC_A_CMDLINE_TEXT, text);
	ts_attr_u32(&b, TS_REC_A_CMDLINE_PROG_OFF, off);
	ts_attr_u32(&b, TS_REC_A_CMDLINE_PROG_LEN, len);
	ts_rec_write(r->w, TS_REC_CMDLINE, 1, b.buf, b.len);
}

/* One sample of threads[] with the meminfo and command lines threadtop
 * records beside them; @off: argv[0]'s offset in app's command line. */
static void sample_with_text(struct rec *r, uint32_t off)
{
	struct ts_attrbuf b = { .len = 0 };
	struct synth_msg m;
	size_t i;

	ts_attr_u64(&b, TS_REC_A_BEGIN_REALTIME, 1);
	ts_rec_write(r->w, TS_REC_SAMPLE_BEGIN, SEC, b.buf, b.len);
	b.len = 0;
	ts_attr_u64(&b, TS_REC_A_MEM_TOTAL, 1000 << 20);
	ts_attr_u64(&b, TS_REC_A_MEM_AVAILABLE, 600 << 20);
	ts_attr_u64(&b, TS_REC_A_MEM_SWAP_TOTAL, 100 << 20);
	ts_attr_u64(&b, TS_REC_A_MEM_SWAP_FREE, 25 << 20);
	ts_rec_write(r->w, TS_REC_MEMINFO, SEC, b.buf, b.len);
	for (i = 0; i < N(threads); i++) {
		synth_thread_msg(&m, &threads[i]);
		rec_msg(r, TS_REC_THREAD, SEC, &m);
	}
	/* hostile bytes stay raw: the tools escape them when shown */
	cmdline_frame(r, 50, 5, "/usr/bin/app --name \x1b]0;x\a", off, 3);
	b.len = 0;
	ts_attr_u32(&b, TS_REC_A_END_THREADS, N(threads));
	ts_rec_write(r->w, TS_REC_SAMPLE_END, SEC, b.buf, b.len);
}

TEST_F(rec, meminfo_and_command_lines_replay)
{
	struct ts_cmdlines cl = { .recorded = true };
	const struct ts_cmdline *e;
	bool complete;

	sample_with_text(&self->r, 9);
	sample_with_text(&self->r, 40);	/* argv[0] outside the text */
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, &cl,
				      &complete, &self->err))
		TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	ASSERT_TRUE(self->replayed.has_meminfo);
	EXPECT_EQ(1000ull << 20, self->replayed.meminfo.mem_total);
	EXPECT_EQ(600ull << 20, self->replayed.meminfo.mem_available);
	EXPECT_EQ(100ull << 20, self->replayed.meminfo.swap_total);
	EXPECT_EQ(25ull << 20, self->replayed.meminfo.swap_free);
	/* The store has app's line; a recorded store never reads /proc. */
	e = ts_cmdline_get(&cl, 50, 5);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("/usr/bin/app --name \x1b]0;x\a", e->text);
	EXPECT_EQ(9U, e->prog_off);
	EXPECT_EQ(3U, e->prog_len);
	e = ts_cmdline_get(&cl, 1, 0);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(NULL, e->text);
	EXPECT_EQ(0U, cl.reads);
	/* The same pid, another process: not the recorded line. */
	EXPECT_EQ(NULL, ts_cmdline_get(&cl, 50, 6)->text);
	/* A program's name outside its line is corrupt. */
	EXPECT_EQ(-1, ts_sample_replay(self->reader, &self->replayed, &cl,
				       &complete, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "outside")) TH_LOG("%s",
								 self->err.msg);
	ts_cmdlines_free(&cl);
}

/* Moving a replayed sample's lines into the screen's store. */
TEST(cmdlines_move_replaces_and_empties)
{
	struct ts_cmdlines a = { .recorded = true }, b = { .recorded = true };

	ASSERT_EQ(0, ts_cmdline_put(&a, 7, 1, "old", 0, 3));
	ASSERT_EQ(0, ts_cmdline_put(&a, 8, 1, "eight", 0, 5));
	ASSERT_EQ(0, ts_cmdline_put(&b, 7, 2, "new one", 0, 3));
	ASSERT_EQ(0, ts_cmdlines_move(&a, &b));
	EXPECT_EQ(0U, b.n);
	EXPECT_STREQ("new one", ts_cmdline_get(&a, 7, 2)->text);
	EXPECT_STREQ("eight", ts_cmdline_get(&a, 8, 1)->text);
	EXPECT_EQ(NULL, ts_cmdline_get(&b, 7, 2)->text);
	ts_cmdlines_free(&a);
	ts_cmdlines_free(&b);
}

TEST_F(rec, newer_minor_version_and_longer_headers_are_read)
{
	struct synth_msg m;
	struct ts_attrbuf b = { .len = 0 };
	unsigned char *h;
	uint32_t crc;
	bool complete;
	size_t len;
	const void *p;

	ts_attr_u64(&b, TS_REC_A_BEGIN_REALTIME, 1);
	raw_frame(&self->r, TS_REC_SAMPLE_BEGIN, 40, b.buf, (uint32_t)b.len);
	synth_thread_msg(&m, &self->s[1]);
	p = synth_payload(&m, &len);
	raw_frame(&self->r, TS_REC_THREAD, 32, p, (uint32_t)len);
	b.len = 0;
	ts_attr_u32(&b, TS_REC_A_END_THREADS, 1);
	ts_attr_u32(&b, 77, 5);		/* an attribute from the future */
	raw_frame(&self->r, TS_REC_SAMPLE_END, 24, b.buf, (uint32_t)b.len);
	ASSERT_EQ(0, rec_finish(&self->r));
	/* Minor version 9 of format 1. */
	h = (unsigned char *)self->r.buf;
	h[10] = 9;
	crc = htole32(ts_crc32(0, h, 16));
	memcpy(h + 16, &crc, 4);

	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(9, ts_rec_info(self->reader)->minor);
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL, &complete,
				      &self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	ASSERT_EQ(1U, self->replayed.n_threads);
	EXPECT_STREQ("app", self->replayed.threads[0].s.comm);
}

TEST_F(rec, newer_major_version_is_rejected_by_name)
{
	char want[32];
	unsigned char *h;
	uint32_t crc;

	three_samples(&self->r, NULL, self->s, 0, false);
	ASSERT_EQ(0, rec_finish(&self->r));
	h = (unsigned char *)self->r.buf;
	h[8] = 2;
	crc = htole32(ts_crc32(0, h, 16));
	memcpy(h + 16, &crc, 4);
	ASSERT_EQ(-1, open_mem(&self->reader, self->r.buf, self->r.len,
			       &self->err));
	EXPECT_EQ(EPROTONOSUPPORT, self->err.code);
	snprintf(want, sizeof(want), "format 2.%d", TS_REC_MINOR);
	EXPECT_NE(NULL, strstr(self->err.msg, want)) TH_LOG("%s",
							    self->err.msg);
}

/* Replay to the end: how many samples replayed; the last model in @m. */
static size_t replay_all(struct ts_rec_reader *r, struct ts_model *m,
			 struct ts_error *err)
{
	size_t n = 0;
	bool complete;

	while (ts_sample_replay(r, m, NULL, &complete, err) > 0) {
		ts_model_commit(m, complete);
		n++;
	}
	return n;
}

/* Complete samples in the first @len bytes of the recording. */
static size_t samples_before(const struct rec *r, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_boundaries; i++)
		n += r->boundaries[i] <= len;
	return n;
}

static size_t info_end(const struct rec *r)
{
	uint32_t k;

	memcpy(&k, r->buf + TS_REC_FILE_HDR, 4);
	return TS_REC_FILE_HDR + TS_REC_FRAME_HDR + le32toh(k);
}

/* "it replays its N complete samples" in the warning */
static bool warns(const struct ts_rec_reader *r, size_t samples)
{
	char want[64];

	snprintf(want, sizeof(want), "its %zu complete samples", samples);
	return ts_rec_warning(r) && strstr(ts_rec_warning(r), want) &&
	       strstr(ts_rec_warning(r), "cut at byte");
}

/*
 * Cut anywhere (SIGKILL or a power loss during -w): before the end of the
 * description the file is rejected as truncated; after it, the complete
 * samples before the cut replay, and unless the cut falls exactly between
 * samples a warning says where it was cut. Files and pipes alike.
 */
/* Two opens per byte: room for valgrind on a loaded machine. */
TEST_F_TIMEOUT(rec, every_cut_replays_its_complete_samples, 300)
{
	size_t len, cut = 0, whole = 0, piped = 0;

	three_samples(&self->r, NULL, self->s, 0, false);
	ASSERT_EQ(0, rec_finish(&self->r));
	for (len = 0; len <= self->r.len; len++) {
		size_t samples = samples_before(&self->r, len), i;
		bool boundary = len == info_end(&self->r);
		int via;

		for (i = 0; i < self->r.n_boundaries; i++)
			boundary |= self->r.boundaries[i] == len;
		for (via = 0; via < 2; via++) {
			struct ts_rec_reader *r = NULL;
			struct ts_model m;
			int rc;

			memset(&self->err, 0, sizeof(self->err));
			rc = via ? open_pipe(&r, self->r.buf, len, &self->err) :
				   open_mem(&r, self->r.buf, len, &self->err);
			if (len < info_end(&self->r)) {
				ASSERT_EQ(-1, rc) TH_LOG("length %zu opened",
							 len);
				ASSERT_EQ(EBADMSG, self->err.code);
				ASSERT_TRUE(strstr(self->err.msg, "truncated") ||
					    (!len && strstr(self->err.msg,
							    "empty")))
					TH_LOG("length %zu: %s", len,
					       self->err.msg);
				continue;
			}
			ASSERT_EQ(0, rc) TH_LOG("length %zu: %s", len,
						self->err.msg);
			if (!via)	/* a file is indexed at open */
				ASSERT_EQ(samples, ts_rec_samples(r));
			ts_model_init(&m);
			ASSERT_EQ(samples, replay_all(r, &m, &self->err))
				TH_LOG("length %zu (%s)", len, via ? "pipe" :
				       "file");
			ASSERT_EQ(samples, ts_rec_samples(r));
			ASSERT_EQ(samples * SEC, m.mono_ns);
			if (boundary) {
				ASSERT_EQ(NULL, ts_rec_warning(r))
					TH_LOG("length %zu: %s", len,
					       ts_rec_warning(r));
				whole++;
			} else {
				ASSERT_TRUE(warns(r, samples))
					TH_LOG("length %zu: %s", len,
					       ts_rec_warning(r));
				cut++;
			}
			piped += via;
			ts_model_free(&m);
			ts_rec_close_reader(r);
		}
	}
	/* After the description and after each of the three samples. */
	EXPECT_EQ(2 * 4U, whole);
	EXPECT_EQ(2 * (self->r.len + 1 - info_end(&self->r) - 4), cut);
	EXPECT_EQ(self->r.len + 1 - info_end(&self->r), piped);
}

/*
 * A damaged byte in the header or description rejects the file; anywhere
 * after, the samples that end before it replay and the warning names the
 * cut. 300 s, not the harness's 30: one replay per byte of the file is
 * minutes under valgrind on a loaded host (it timed out at 30 s there).
 */
TEST_F_TIMEOUT(rec, every_damaged_byte_ends_the_replay_there, 300)
{
	size_t i;

	three_samples(&self->r, NULL, self->s, 0, false);
	ASSERT_EQ(0, rec_finish(&self->r));
	for (i = 0; i < self->r.len; i++) {
		struct ts_rec_reader *r = NULL;
		struct ts_model m;
		size_t samples = samples_before(&self->r, i);

		self->r.buf[i] ^= 0x5a;
		memset(&self->err, 0, sizeof(self->err));
		if (i < info_end(&self->r)) {
			ASSERT_EQ(-1, open_mem(&r, self->r.buf, self->r.len,
					       &self->err))
				TH_LOG("byte %zu damaged, the file opened", i);
			ASSERT_TRUE(self->err.code == EBADMSG ||
				    self->err.code == EPROTONOSUPPORT);
			ASSERT_NE(0, self->err.msg[0]);
		} else {
			ASSERT_EQ(0, open_mem(&r, self->r.buf, self->r.len,
					      &self->err));
			ts_model_init(&m);
			ASSERT_EQ(samples, replay_all(r, &m, &self->err))
				TH_LOG("byte %zu", i);
			ASSERT_TRUE(warns(r, samples))
				TH_LOG("byte %zu: %s", i, ts_rec_warning(r));
			ts_model_free(&m);
			ts_rec_close_reader(r);
		}
		self->r.buf[i] ^= 0x5a;
	}
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err));
	EXPECT_EQ(NULL, ts_rec_warning(self->reader));
}

/* From a pipe: sequential reading, and still back to an earlier sample. */
TEST_F(rec, pipe_replays_and_steps_back)
{
	struct ts_model m;
	uint64_t real;
	bool complete;

	three_samples(&self->r, &self->live, self->s, 0, false);
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_pipe(&self->reader, self->r.buf, self->r.len,
			       &self->err)) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(0U, ts_rec_samples(self->reader));
	EXPECT_FALSE(ts_rec_samples_known(self->reader));
	/* Sample 2 (the third) before reading anything: found by reading. */
	ASSERT_EQ(0, ts_rec_sample_real(self->reader, 2, &real, &self->err));
	EXPECT_EQ(1700000000 * SEC + 3 * SEC, real);
	EXPECT_EQ(3U, replay_all(self->reader, &self->replayed, &self->err));
	EXPECT_TRUE(same_model(&self->live, &self->replayed));
	EXPECT_TRUE(ts_rec_samples_known(self->reader));
	/* Back to the second sample, with the first for its rates. */
	ts_model_init(&m);
	ASSERT_EQ(0, ts_rec_seek_sample(self->reader, 0, &self->err));
	ASSERT_EQ(1, ts_sample_replay(self->reader, &m, NULL, &complete,
				      &self->err));
	ts_model_commit(&m, complete);
	ASSERT_EQ(1, ts_sample_replay(self->reader, &m, NULL, &complete,
				      &self->err));
	ts_model_commit(&m, complete);
	EXPECT_EQ(2 * SEC, m.mono_ns);
	EXPECT_EQ(SEC, m.interval_ns);
	EXPECT_EQ(-1, ts_rec_seek_sample(self->reader, 3, &self->err));
	EXPECT_EQ(ERANGE, self->err.code);
	self->err.code = 0;
	EXPECT_EQ(-1, ts_rec_sample_real(self->reader, 3, &real, &self->err));
	EXPECT_EQ(ERANGE, self->err.code);
	ts_model_free(&m);
}

TEST_F(rec, valid_frame_with_malformed_attribute_fails_replay_cleanly)
{
	struct ts_attrbuf b = { .len = 0 };
	uint16_t tid_short = 7;
	bool complete;

	rec_sample(&self->r, SEC, self->s, N(threads), 0, 0, false);
	ts_attr_u64(&b, TS_REC_A_BEGIN_REALTIME, 1);
	ts_rec_write(self->r.w, TS_REC_SAMPLE_BEGIN, 2 * SEC, b.buf, b.len);
	b.len = 0;
	/* A tid of two bytes: the checksum is right, the content is not. */
	{
		char a[8] = { 0 };
		uint16_t alen = 6, type = THREADSTAT_A_THREAD_TID;

		memcpy(a, &alen, 2);
		memcpy(a + 2, &type, 2);
		memcpy(a + 4, &tid_short, 2);
		ts_rec_write(self->r.w, TS_REC_THREAD, 2 * SEC, a, sizeof(a));
	}
	ts_attr_u32(&b, TS_REC_A_END_THREADS, 1);
	ts_rec_write(self->r.w, TS_REC_SAMPLE_END, 2 * SEC, b.buf, b.len);
	ASSERT_EQ(0, rec_finish(&self->r));

	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL, &complete,
				      &self->err));
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	ASSERT_EQ(-1, ts_sample_replay(self->reader, &self->replayed, NULL,
				       &complete, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "corrupt recording at byte"));
	EXPECT_NE(NULL, strstr(self->err.msg, "thread.tid")) TH_LOG("%s",
								    self->err.msg);
	/* The published sample is untouched. */
	EXPECT_EQ(3U, self->replayed.n_threads);
}

TEST_F(rec, failed_and_interrupted_samples)
{
	bool complete = true;

	rec_sample(&self->r, SEC, self->s, N(threads), TS_REC_END_FAILED, 0,
		   false);
	rec_sample(&self->r, 2 * SEC, self->s, N(threads),
		   TS_REC_END_INTERRUPTED, 0, false);
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err));
	/* The failed sample is skipped; the interrupted one says so. */
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL, &complete,
				      &self->err));
	EXPECT_FALSE(complete);
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	EXPECT_EQ(2 * SEC, self->replayed.mono_ns);
	EXPECT_EQ(0, ts_sample_replay(self->reader, &self->replayed, NULL, &complete,
				      &self->err));
}

/* Frames in an order no writer makes end the recording there. */
TEST_F(rec, broken_sample_structure_is_rejected)
{
	static const struct {
		uint16_t kinds[4];
		uint32_t end_threads;
		const char *why;
	} cases[] = {
		{ { TS_REC_SAMPLE_END }, 0, "never began" },
		{ { TS_REC_THREAD }, 0, "outside any sample" },
		{ { TS_REC_SAMPLE_BEGIN, TS_REC_SAMPLE_BEGIN }, 0,
		  "inside another" },
		{ { TS_REC_SAMPLE_BEGIN, TS_REC_THREAD, TS_REC_SAMPLE_END }, 2,
		  "lost thread messages" },
	};
	size_t c, k;

	for (c = 0; c < N(cases); c++) {
		struct ts_rec_reader *r = NULL;
		struct rec rr;
		struct synth_msg m;
		size_t len;
		const void *p;

		ASSERT_EQ(0, rec_start(&rr));
		synth_thread_msg(&m, &self->s[0]);
		p = synth_payload(&m, &len);
		for (k = 0; k < 4 && cases[c].kinds[k]; k++) {
			struct ts_attrbuf b = { .len = 0 };

			if (cases[c].kinds[k] == TS_REC_THREAD) {
				ts_rec_write(rr.w, TS_REC_THREAD, 1, p, len);
				continue;
			}
			ts_attr_u32(&b, TS_REC_A_END_THREADS,
				    cases[c].end_threads);
			ts_rec_write(rr.w, cases[c].kinds[k], 1, b.buf, b.len);
		}
		ASSERT_EQ(0, rec_finish(&rr));
		ASSERT_EQ(0, open_mem(&r, rr.buf, rr.len, &self->err));
		EXPECT_EQ(0U, ts_rec_samples(r));
		ASSERT_NE(NULL, ts_rec_warning(r));
		EXPECT_NE(NULL, strstr(ts_rec_warning(r), cases[c].why))
			TH_LOG("case %zu: %s", c, ts_rec_warning(r));
		ts_rec_close_reader(r);
		free(rr.buf);
	}
}

TEST_F(rec, not_a_recording)
{
	static const char text[] = "hello, this is not a recording at all";

	ASSERT_EQ(-1, open_mem(&self->reader, text, sizeof(text),
			       &self->err));
	EXPECT_STREQ("not a threadtop recording", self->err.msg);
}

/* ---- wait chains: the threads' wait nests and the WAITER frames ---- */

static const struct synth hung[] = {
	{ .tid = 60, .comm = "hung", .state = 'S' },
	{ .tid = 61, .tgid = 60, .comm = "t1", .state = 'S',
	  .wait_futex = 0x40b0, .wait_ns = 7 * SEC },
	{ .tid = 62, .tgid = 60, .comm = "t2", .state = 'S',
	  .wait_futex = 0x40a0, .wait_ns = 5 * SEC },
};

/* A WAITER frame as the recorder writes it (@name NULL: left out). */
static void waiter_frame(struct rec *r, uint32_t tid, uint64_t addr,
			 uint32_t kind, uint32_t how, uint32_t owner,
			 const char *name)
{
	struct ts_attrbuf b = { .len = 0 };

	ts_attr_u32(&b, TS_REC_A_WAITER_TID, tid);
	ts_attr_u32(&b, TS_REC_A_WAITER_TGID, 60);
	ts_attr_u64(&b, TS_REC_A_WAITER_ADDR, addr);
	ts_attr_u32(&b, TS_REC_A_WAITER_KIND, kind);
	ts_attr_u32(&b, TS_REC_A_WAITER_OWNER_HOW, how);
	if (owner)
		ts_attr_u32(&b, TS_REC_A_WAITER_OWNER_TID, owner);
	if (name)
		ts_attr_str(&b, TS_REC_A_WAITER_LOCK_NAME, name);
	ts_rec_write(r->w, TS_REC_WAITER, SEC, b.buf, b.len);
}

/* A hung AB-BA sample, then @bad (if any) as a WAITER frame's payload. */
static void hung_sample(struct rec *r, const void *bad, size_t bad_len)
{
	struct ts_attrbuf b = { .len = 0 };
	struct synth_msg m;
	size_t i;

	ts_attr_u64(&b, TS_REC_A_BEGIN_REALTIME, 1700000000 * SEC);
	ts_rec_write(r->w, TS_REC_SAMPLE_BEGIN, SEC, b.buf, b.len);
	for (i = 0; i < N(hung); i++) {
		synth_thread_msg(&m, &hung[i]);
		rec_msg(r, TS_REC_THREAD, SEC, &m);
	}
	waiter_frame(r, 61, 0x40b0, TS_LOCK_MUTEX, TS_OWNER_LAYOUT, 62,
		     "lock_b");
	waiter_frame(r, 62, 0x40a0, TS_LOCK_MUTEX, TS_OWNER_LAYOUT, 61,
		     "lock_a");
	if (bad)
		ts_rec_write(r->w, TS_REC_WAITER, SEC, bad, bad_len);
	b.len = 0;
	ts_attr_u32(&b, TS_REC_A_END_THREADS, N(hung));
	ts_rec_write(r->w, TS_REC_SAMPLE_END, SEC, b.buf, b.len);
}

TEST_F(rec, a_recorded_deadlock_replays_as_the_same_graph)
{
	struct ts_waits w = { 0 };
	bool complete;

	hung_sample(&self->r, NULL, 0);
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(1, ts_sample_replay_waits(self->reader, &self->replayed,
					    NULL, &w, &complete, &self->err))
		TH_LOG("%s", self->err.msg);
	ASSERT_TRUE(w.valid);
	EXPECT_EQ(3U, w.list.n);
	ASSERT_EQ(2U, w.g.n);
	ASSERT_EQ(1U, w.g.n_cycles);
	ASSERT_EQ(2U, w.g.cycles[0].n);
	EXPECT_EQ(61U, w.g.w[w.g.cycles[0].w[0]].tid);
	EXPECT_EQ(62U, w.g.w[w.g.cycles[0].w[0]].owner_tid);
	EXPECT_EQ(TS_OWNER_LAYOUT, w.g.w[w.g.cycles[0].w[0]].owner_how);
	EXPECT_STREQ("lock_b", w.g.locks[w.g.w[w.g.cycles[0].w[0]].lock].name);
	EXPECT_STREQ("lock_a", w.g.locks[w.g.w[w.g.cycles[0].w[1]].lock].name);
	/* the tree: t1, t2 beneath, and the edge back to t1 */
	ASSERT_EQ(3U, w.tree.n);
	EXPECT_EQ(TS_WROW_BACK, w.tree.v[2].kind);
	EXPECT_EQ(0, ts_model_commit(&self->replayed, complete));
	ts_waits_free(&w);
	/* a reader that does not ask for waits replays it as before */
	ts_rec_close_reader(self->reader);
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err));
	EXPECT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
				      &complete, &self->err))
		TH_LOG("%s", self->err.msg);
}

TEST_F(rec, hostile_waiter_frames_are_refused_and_say_where)
{
	static const struct {
		uint32_t kind, how, owner, tid;
		const char *name, *why;
	} bad[] = {
		{ 99, TS_OWNER_LAYOUT, 62, 61, "x", "kind 99" },
		{ TS_LOCK_MUTEX, 7, 62, 61, "x", "found as 7" },
		{ TS_LOCK_MUTEX, TS_OWNER_LAYOUT, 0, 61, "x", "does not fit" },
		{ TS_LOCK_MUTEX, TS_OWNER_UNKNOWN, 5, 61, "x", "does not fit" },
		{ TS_LOCK_MUTEX, TS_OWNER_LAYOUT, 62, 0, "x", "tid or tgid 0" },
		{ TS_LOCK_MUTEX, TS_OWNER_LAYOUT, 62, 61, NULL, "lock-name" },
	};
	struct ts_waits w = { 0 };
	struct ts_attrbuf b;
	bool complete;
	size_t i;

	for (i = 0; i < N(bad); i++) {
		b.len = 0;
		ts_attr_u32(&b, TS_REC_A_WAITER_TID, bad[i].tid);
		ts_attr_u32(&b, TS_REC_A_WAITER_TGID, 60);
		ts_attr_u32(&b, TS_REC_A_WAITER_KIND, bad[i].kind);
		ts_attr_u32(&b, TS_REC_A_WAITER_OWNER_HOW, bad[i].how);
		if (bad[i].owner)
			ts_attr_u32(&b, TS_REC_A_WAITER_OWNER_TID,
				    bad[i].owner);
		if (bad[i].name)
			ts_attr_str(&b, TS_REC_A_WAITER_LOCK_NAME,
				    bad[i].name);
		hung_sample(&self->r, b.buf, b.len);
	}
	/* a name that is not a string: no NUL in the attribute */
	b.len = 0;
	ts_attr_u32(&b, TS_REC_A_WAITER_TID, 61);
	memcpy(b.buf + b.len, "\x08\x00\x08\x00" "abcd", 8);
	b.len += 8;
	hung_sample(&self->r, b.buf, b.len);
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	for (i = 0; i <= N(bad); i++) {
		EXPECT_EQ(-1, ts_sample_replay_waits(self->reader,
						     &self->replayed, NULL, &w,
						     &complete, &self->err));
		EXPECT_NE(NULL, strstr(self->err.msg, "corrupt recording at "
				       "byte ")) TH_LOG("%s", self->err.msg);
		if (i < N(bad))
			EXPECT_NE(NULL, strstr(self->err.msg, bad[i].why))
				TH_LOG("%zu: %s", i, self->err.msg);
		EXPECT_FALSE(w.valid);
		EXPECT_EQ(0U, w.list.n);
	}
	ts_waits_free(&w);
}

/* ---- exit events: EXIT frames replay as the live drain's tombs ---- */

/* An attribute of @len raw bytes (no padding check: hostile input). */
static void raw_attr(struct ts_attrbuf *b, uint16_t type, const void *v,
		     uint16_t len)
{
	uint16_t alen = (uint16_t)(4 + len);

	memcpy(b->buf + b->len, &alen, 2);
	memcpy(b->buf + b->len + 2, &type, 2);
	memset(b->buf + b->len + 4, 0, (len + 3u) & ~3u);
	memcpy(b->buf + b->len + 4, v, len);
	b->len += 4 + ((len + 3u) & ~3u);
}

/* An exit event's attributes, as the module sends them. */
static void exit_payload(struct ts_attrbuf *b, uint32_t tid, const char *comm,
			 uint32_t cpu, uint64_t lifetime, uint64_t runtime)
{
	b->len = 0;
	ts_attr_u32(b, THREADSTAT_A_EVENT_TYPE, THREADSTAT_EVENT_TYPE_EXIT);
	ts_attr_u32(b, THREADSTAT_A_EVENT_TID, tid);
	ts_attr_u32(b, THREADSTAT_A_EVENT_TGID, 50);
	ts_attr_u32(b, THREADSTAT_A_EVENT_PPID, 1);
	ts_attr_str(b, THREADSTAT_A_EVENT_COMM, comm);
	ts_attr_u64(b, THREADSTAT_A_EVENT_TIME, 1900 * MS);
	ts_attr_u32(b, THREADSTAT_A_EVENT_CPU, cpu);
	ts_attr_u64(b, THREADSTAT_A_EVENT_LIFETIME, lifetime);
	ts_attr_u64(b, THREADSTAT_A_EVENT_SUM_EXEC_RUNTIME, runtime);
	ts_attr_u64(b, THREADSTAT_A_EVENT_NVCSW, 3);
}

/*
 * A sample at 2 s of the first two threads (app-io is gone), then @n_ev
 * event payloads as EXIT frames, recorded and (if @live) staged straight
 * into it the way the live drain does.
 */
static void exit_sample(struct rec *r, struct ts_model *live,
			const struct ts_attrbuf *ev, size_t n_ev,
			uint32_t flags)
{
	struct ts_attrbuf b = { .len = 0 };
	struct synth_msg m;
	struct ts_event e;
	size_t i;

	ts_attr_u64(&b, TS_REC_A_BEGIN_REALTIME, 1700000000 * SEC + 2 * SEC);
	ts_rec_write(r->w, TS_REC_SAMPLE_BEGIN, 2 * SEC, b.buf, b.len);
	if (live)
		ts_model_begin(live, 2 * SEC, 1700000000 * SEC + 2 * SEC);
	for (i = 0; i < 2; i++) {
		synth_thread_msg(&m, &threads[i]);
		rec_msg(r, TS_REC_THREAD, 2 * SEC, &m);
		if (live)
			synth_add(live, &threads[i]);
	}
	for (i = 0; i < n_ev; i++) {
		ts_rec_flush(r->w, NULL);
		r->mark = r->len;
		ts_rec_write(r->w, TS_REC_EXIT, 2 * SEC, ev[i].buf, ev[i].len);
		if (live && ts_event_decode(ev[i].buf, ev[i].len, &e, NULL) > 0)
			ts_model_add_event(live, &e);
	}
	if (live && (flags & TS_REC_END_EXITS))
		ts_exit_feed_mark(live);
	b.len = 0;
	ts_attr_u32(&b, TS_REC_A_END_FLAGS, flags);
	ts_attr_u32(&b, TS_REC_A_END_THREADS, 2);
	ts_rec_write(r->w, TS_REC_SAMPLE_END, 2 * SEC, b.buf, b.len);
	if (live)
		ts_model_commit(live, true);
}

static void same_tomb(struct __test_metadata *_metadata,
		      const struct ts_model *a, const struct ts_model *b,
		      uint32_t tid)
{
	const struct ts_mthread *x = ts_model_thread(a, tid);
	const struct ts_mthread *y = ts_model_thread(b, tid);

	ASSERT_NE(NULL, x);
	ASSERT_NE(NULL, y);
	EXPECT_EQ(x->s.flags, y->s.flags);
	EXPECT_STREQ(x->s.comm, y->s.comm);
	EXPECT_EQ(x->lifetime, y->lifetime);
	EXPECT_EQ(x->s.cpu, y->s.cpu);
	EXPECT_EQ(x->s.runtime, y->s.runtime);
	EXPECT_EQ(x->s.start_time, y->s.start_time);
	EXPECT_EQ(x->nvcsw, y->nvcsw);
}

TEST_F(rec, recorded_exit_events_replay_as_the_same_final_tombs)
{
	struct ts_attrbuf ev[2];
	const struct ts_mthread *t;
	bool complete;

	/* app-io was seen and is gone; "brief" came and went between. */
	exit_payload(&ev[0], 51, "app-io", 0, 1800 * MS, 400 * MS);
	exit_payload(&ev[1], 52, "brief", 1, 30 * MS, 20 * MS);
	rec_sample(&self->r, SEC, self->s, N(threads), 0, 0, false);
	live_sample(&self->live, SEC, self->s, N(threads));
	exit_sample(&self->r, &self->live, ev, 2, TS_REC_END_EXITS);
	ASSERT_EQ(0, rec_finish(&self->r));

	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(3, ts_rec_info(self->reader)->minor);
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
				      &complete, &self->err));
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	EXPECT_FALSE(self->replayed.has_exits);
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
				      &complete, &self->err))
		TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));

	EXPECT_TRUE(self->replayed.has_exits);
	EXPECT_EQ(2U, self->replayed.n_exited);
	EXPECT_EQ(self->live.n_exited, self->replayed.n_exited);
	same_tomb(_metadata, &self->live, &self->replayed, 51);
	same_tomb(_metadata, &self->live, &self->replayed, 52);
	t = ts_model_thread(&self->replayed, 52);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_FINAL);
	EXPECT_EQ('X', t->s.state);
	EXPECT_STREQ("brief", t->s.comm);
	EXPECT_EQ(30 * MS, t->lifetime);
	EXPECT_EQ(1U, t->s.cpu);
	EXPECT_EQ(20 * MS, t->s.runtime);
	t = ts_model_thread(&self->replayed, 51);
	ASSERT_NE(NULL, t);
	EXPECT_TRUE(t->s.flags & TS_MF_FINAL);
	EXPECT_EQ(1800 * MS, t->lifetime);
	EXPECT_EQ(400 * MS, t->s.runtime);
	EXPECT_EQ(0, ts_sample_replay(self->reader, &self->replayed, NULL,
				      &complete, &self->err));
}

TEST_F(rec, a_drained_sample_without_exits_still_has_complete_tombs)
{
	bool complete;

	rec_sample(&self->r, SEC, self->s, N(threads), 0, 0, false);
	exit_sample(&self->r, NULL, NULL, 0, TS_REC_END_EXITS);
	exit_sample(&self->r, NULL, NULL, 0, 0);
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err));
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
				      &complete, &self->err));
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
				      &complete, &self->err));
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	EXPECT_TRUE(self->replayed.has_exits);
	EXPECT_EQ(0U, self->replayed.n_exited);
	/* app-io vanished without an event: a tomb, not a final one */
	ASSERT_NE(NULL, ts_model_thread(&self->replayed, 51));
	EXPECT_FALSE(ts_model_thread(&self->replayed, 51)->s.flags &
		     TS_MF_FINAL);
	/* without the flag (a recording made with no feed): as before */
	ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed, NULL,
				      &complete, &self->err));
	ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
	EXPECT_FALSE(self->replayed.has_exits);
}

TEST_F(rec, hostile_exit_frames_are_refused_and_say_where)
{
	static const char *const why[] = {
		"without a type", "tid or tgid 0", "tid or tgid 0",
		"event.tid", "event.comm",
	};
	struct ts_attrbuf bad[N(why)], ok;
	uint64_t at[N(why)];
	char want[64];
	bool complete;
	size_t i;

	/* no type */
	bad[0].len = 0;
	ts_attr_u32(&bad[0], THREADSTAT_A_EVENT_TID, 52);
	/* tid 0, tgid 0 */
	exit_payload(&bad[1], 0, "x", 0, MS, MS);
	bad[2].len = 0;
	ts_attr_u32(&bad[2], THREADSTAT_A_EVENT_TYPE,
		    THREADSTAT_EVENT_TYPE_EXIT);
	ts_attr_u32(&bad[2], THREADSTAT_A_EVENT_TID, 52);
	/* a tid of two bytes */
	bad[3].len = 0;
	ts_attr_u32(&bad[3], THREADSTAT_A_EVENT_TYPE,
		    THREADSTAT_EVENT_TYPE_EXIT);
	raw_attr(&bad[3], THREADSTAT_A_EVENT_TID, "\x34\x00", 2);
	/* a name that is not a string: no NUL in the attribute */
	exit_payload(&bad[4], 52, "x", 0, MS, MS);
	raw_attr(&bad[4], THREADSTAT_A_EVENT_COMM, "abcd", 4);
	for (i = 0; i < N(why); i++) {
		struct ts_attrbuf two[2];

		/* a good one before (a new thread each time), then the bad */
		exit_payload(&ok, 100 + (uint32_t)i, "brief", 1, 30 * MS,
			     20 * MS);
		two[0] = ok;
		two[1] = bad[i];
		exit_sample(&self->r, NULL, two, 1, TS_REC_END_EXITS);
		exit_sample(&self->r, NULL, two, 2, TS_REC_END_EXITS);
		at[i] = self->r.mark;	/* of the bad frame */
	}
	ASSERT_EQ(0, rec_finish(&self->r));
	ASSERT_EQ(0, open_mem(&self->reader, self->r.buf, self->r.len,
			      &self->err)) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(2 * N(why), ts_rec_samples(self->reader));
	for (i = 0; i < N(why); i++) {
		ASSERT_EQ(1, ts_sample_replay(self->reader, &self->replayed,
					      NULL, &complete, &self->err))
			TH_LOG("%zu: %s", i, self->err.msg);
		ASSERT_EQ(0, ts_model_commit(&self->replayed, complete));
		EXPECT_EQ(-1, ts_sample_replay(self->reader, &self->replayed,
					       NULL, &complete, &self->err));
		EXPECT_NE(NULL, strstr(self->err.msg, why[i]))
			TH_LOG("%zu: %s", i, self->err.msg);
		snprintf(want, sizeof(want), "corrupt recording at byte %llu:",
			 (unsigned long long)at[i]);
		EXPECT_NE(NULL, strstr(self->err.msg, want))
			TH_LOG("%zu: %s (want %s)", i, self->err.msg, want);
		/* the published sample is untouched: 2 threads, 1 tomb */
		EXPECT_EQ(3U, self->replayed.n_threads);
		EXPECT_EQ(1U, self->replayed.n_exited);
	}
}

TEST_HARNESS_MAIN
