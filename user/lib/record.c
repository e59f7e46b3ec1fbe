// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The recording file format (see record.h): writing frames, and reading
 * them back, checked frame by frame: replay never meets a half-written or
 * damaged frame, and a recording cut short replays up to the cut.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <zlib.h>

#include "internal.h"
#include "record.h"
#include "waits.h"

/* ---- payload attributes ---- */

/* TS_FIELD() for the recorder's own attributes (TS_REC_A_<SET>_<TYPE>). */
#define FIELD(rec, set_, type_, kind_, name_, member)			\
	{ .type = TS_REC_A_##set_##_##type_, .kind = TS_KIND_##kind_,	\
	  .name = name_, .offset = offsetof(struct rec, member),	\
	  .size = sizeof(((struct rec *)0)->member) }

static const struct ts_field info_fields[] = {
	FIELD(ts_rec_info, INFO, WRITER, STRING, "writer", writer),
	FIELD(ts_rec_info, INFO, FAMILY_VERSION, U32, "family-version",
	      family_version),
	FIELD(ts_rec_info, INFO, HOSTNAME, STRING, "hostname", hostname),
	FIELD(ts_rec_info, INFO, KERNEL, STRING, "kernel", kernel),
	FIELD(ts_rec_info, INFO, FIELDS, GROUPS, "fields", fields),
	FIELD(ts_rec_info, INFO, REALTIME, U64, "realtime", real_ns),
};

static const struct ts_field begin_fields[] = {
	FIELD(ts_rec_begin, BEGIN, REALTIME, U64, "realtime", real_ns),
};

static const struct ts_field end_fields[] = {
	FIELD(ts_rec_end, END, FLAGS, U32, "flags", flags),
	FIELD(ts_rec_end, END, THREADS, U32, "threads", threads),
};

static const struct ts_field mem_fields[] = {
	FIELD(ts_rec_mem, MEM, TOTAL, U64, "mem-total", mem_total),
	FIELD(ts_rec_mem, MEM, AVAILABLE, U64, "mem-available",
	      mem_available),
	FIELD(ts_rec_mem, MEM, SWAP_TOTAL, U64, "swap-total", swap_total),
	FIELD(ts_rec_mem, MEM, SWAP_FREE, U64, "swap-free", swap_free),
};

static const struct ts_field cmdline_fields[] = {
	FIELD(ts_rec_cmdline, CMDLINE, TGID, U32, "tgid", tgid),
	FIELD(ts_rec_cmdline, CMDLINE, START_TIME, U64, "start-time",
	      start_time),
	FIELD(ts_rec_cmdline, CMDLINE, TEXT, STRING, "text", text),
	FIELD(ts_rec_cmdline, CMDLINE, PROG_OFF, U32, "prog-off", prog_off),
	FIELD(ts_rec_cmdline, CMDLINE, PROG_LEN, U32, "prog-len", prog_len),
};

static const struct ts_field waiter_fields[] = {
	FIELD(ts_rec_waiter, WAITER, TID, U32, "tid", tid),
	FIELD(ts_rec_waiter, WAITER, TGID, U32, "tgid", tgid),
	FIELD(ts_rec_waiter, WAITER, ADDR, U64, "addr", addr),
	FIELD(ts_rec_waiter, WAITER, KIND, U32, "kind", kind),
	FIELD(ts_rec_waiter, WAITER, OWNER_HOW, U32, "owner-how", owner_how),
	FIELD(ts_rec_waiter, WAITER, OWNER_TID, U32, "owner-tid", owner_tid),
	FIELD(ts_rec_waiter, WAITER, LOCK_NAME, STRING, "lock-name", name),
	FIELD(ts_rec_waiter, WAITER, DEV, U64, "dev", dev),
	FIELD(ts_rec_waiter, WAITER, INO, U64, "ino", ino),
	FIELD(ts_rec_waiter, WAITER, OFFSET, U64, "offset", offset),
};

_Static_assert(TS_REC_LOCK_NAME_LEN == TS_LOCK_NAME_LEN,
	       "a recorded lock name holds a graph's");

static const struct ts_set waiter_set = TS_SET("waiter", ts_rec_waiter,
					      waiter_fields,
					      __TS_REC_A_WAITER_MAX - 1);
static const struct ts_set mem_set = TS_SET("meminfo", ts_rec_mem,
					   mem_fields, __TS_REC_A_MEM_MAX - 1);
static const struct ts_set cmdline_set = TS_SET("cmdline", ts_rec_cmdline,
					       cmdline_fields,
					       __TS_REC_A_CMDLINE_MAX - 1);
static const struct ts_set info_set = TS_SET("recording-info", ts_rec_info,
					    info_fields,
					    __TS_REC_A_INFO_MAX - 1);
static const struct ts_set begin_set = TS_SET("sample-begin", ts_rec_begin,
					     begin_fields,
					     __TS_REC_A_BEGIN_MAX - 1);
static const struct ts_set end_set = TS_SET("sample-end", ts_rec_end,
					   end_fields, __TS_REC_A_END_MAX - 1);

int ts_rec_decode_info(const void *data, size_t len, struct ts_rec_info *out,
		       struct ts_error *err)
{
	memset(out, 0, sizeof(*out));
	return ts_decode_set(&info_set, out, data, len, err);
}

int ts_rec_decode_begin(const void *data, size_t len,
			struct ts_rec_begin *out, struct ts_error *err)
{
	memset(out, 0, sizeof(*out));
	return ts_decode_set(&begin_set, out, data, len, err);
}

int ts_rec_decode_end(const void *data, size_t len, struct ts_rec_end *out,
		      struct ts_error *err)
{
	memset(out, 0, sizeof(*out));
	if (ts_decode_set(&end_set, out, data, len, err))
		return -1;
	if (!ts_present(&end_set, out, TS_REC_A_END_THREADS))
		return ts_fail(err, EPROTO, "sample end without a thread count");
	return 0;
}

static void attr_put(struct ts_attrbuf *b, uint16_t type, const void *v,
		     size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			    .nla_type = type };
	size_t total = NLA_HDRLEN + NLA_ALIGN(len);

	if (b->len + total > sizeof(b->buf))
		return;		/* recorder payloads are far smaller */
	memcpy(b->buf + b->len, &a, sizeof(a));
	memset(b->buf + b->len + NLA_HDRLEN, 0, NLA_ALIGN(len));
	memcpy(b->buf + b->len + NLA_HDRLEN, v, len);
	b->len += total;
}

int ts_rec_decode_mem(const void *data, size_t len, struct ts_rec_mem *out,
		      struct ts_error *err)
{
	memset(out, 0, sizeof(*out));
	if (ts_decode_set(&mem_set, out, data, len, err))
		return -1;
	if (!ts_present(&mem_set, out, TS_REC_A_MEM_TOTAL) || !out->mem_total)
		return ts_fail(err, EPROTO, "meminfo without a total");
	return 0;
}

int ts_rec_decode_cmdline(const void *data, size_t len,
			  struct ts_rec_cmdline *out, struct ts_error *err)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	if (ts_decode_set(&cmdline_set, out, data, len, err))
		return -1;
	if (!ts_present(&cmdline_set, out, TS_REC_A_CMDLINE_TGID) ||
	    !ts_present(&cmdline_set, out, TS_REC_A_CMDLINE_START_TIME))
		return ts_fail(err, EPROTO, "command line without its process");
	/* The program's name must lie in the text: it is shown from there. */
	n = strlen(out->text);
	if (out->prog_off > n || out->prog_len > n - out->prog_off)
		return ts_fail(err, EPROTO, "command line's program outside it");
	return 0;
}

int ts_rec_decode_waiter(const void *data, size_t len,
			 struct ts_rec_waiter *out, struct ts_error *err)
{
	static const uint16_t need[] = {
		TS_REC_A_WAITER_TID, TS_REC_A_WAITER_TGID,
		TS_REC_A_WAITER_KIND, TS_REC_A_WAITER_OWNER_HOW,
		TS_REC_A_WAITER_LOCK_NAME,
	};
	size_t i;

	memset(out, 0, sizeof(*out));
	if (ts_decode_set(&waiter_set, out, data, len, err))
		return -1;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!ts_present(&waiter_set, out, need[i]))
			return ts_fail(err, EPROTO, "waiter without its %s",
				       waiter_fields[need[i] - 2].name);
	if (!out->tid || !out->tgid)
		return ts_fail(err, EPROTO, "waiter with tid or tgid 0");
	if (out->kind < TS_LOCK_FUTEX || out->kind > TS_LOCK_RWLOCK)
		return ts_fail(err, EPROTO, "waiter on a lock of kind %u",
			       out->kind);
	if (out->owner_how < TS_OWNER_KERNEL ||
	    out->owner_how > TS_OWNER_UNKNOWN)
		return ts_fail(err, EPROTO, "waiter's owner found as %u",
			       out->owner_how);
	if ((out->owner_how == TS_OWNER_UNKNOWN) != !out->owner_tid)
		return ts_fail(err, EPROTO, "waiter's owner %u does not fit "
			       "how it was found", out->owner_tid);
	return 0;
}

int ts_rec_decode_exit(const void *data, size_t len, struct ts_event *out,
		       struct ts_error *err)
{
	int rc = ts_event_decode(data, len, out, err);

	if (rc < 0)
		return -1;
	if (!rc)
		return ts_fail(err, EPROTO, "exit event without a type");
	if (out->type != THREADSTAT_EVENT_TYPE_EXIT)
		return 0;	/* only its lost count matters */
	if (!out->tid || !out->tgid)
		return ts_fail(err, EPROTO, "exit event with tid or tgid 0");
	return 0;
}

void ts_attr_u32(struct ts_attrbuf *b, uint16_t type, uint32_t v)
{
	attr_put(b, type, &v, sizeof(v));
}

void ts_attr_u64(struct ts_attrbuf *b, uint16_t type, uint64_t v)
{
	attr_put(b, type, &v, sizeof(v));
}

void ts_attr_str(struct ts_attrbuf *b, uint16_t type, const char *s)
{
	attr_put(b, type, s, strlen(s) + 1);
}

/* ---- CRC-32 (IEEE 802.3, as zlib) ---- */

/* zlib's CRC-32 (the same polynomial and convention the format has used
 * from the start): a well-kept, table-driven implementation.
 */
uint32_t ts_crc32(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (!len)	/* zlib resets the CRC for a NULL buffer */
		return crc;
	/* zlib takes uInt lengths: feed it in pieces on 64-bit sizes. */
	while (len > 0x40000000) {
		crc = (uint32_t)crc32(crc, p, 0x40000000);
		p += 0x40000000;
		len -= 0x40000000;
	}
	return (uint32_t)crc32(crc, p, (uInt)len);
}

static uint8_t host_byte_order(void)
{
	return __BYTE_ORDER == __LITTLE_ENDIAN ? 1 : 2;
}

/* ---- headers ---- */

struct frame_hdr {
	uint32_t len;
	uint16_t kind;
	uint16_t hdr_len;
	uint64_t mono_ns;
	uint32_t crc;
};

static void put_frame_hdr(unsigned char *b, const struct frame_hdr *h)
{
	uint32_t u32;
	uint16_t u16;
	uint64_t u64;

	u32 = htole32(h->len);
	memcpy(b, &u32, 4);
	u16 = htole16(h->kind);
	memcpy(b + 4, &u16, 2);
	u16 = htole16(h->hdr_len);
	memcpy(b + 6, &u16, 2);
	u64 = htole64(h->mono_ns);
	memcpy(b + 8, &u64, 8);
	u32 = htole32(h->crc);
	memcpy(b + 16, &u32, 4);
	memset(b + 20, 0, 4);
}

static void get_frame_hdr(const unsigned char *b, struct frame_hdr *h)
{
	uint32_t u32;
	uint16_t u16;
	uint64_t u64;

	memcpy(&u32, b, 4);
	h->len = le32toh(u32);
	memcpy(&u16, b + 4, 2);
	h->kind = le16toh(u16);
	memcpy(&u16, b + 6, 2);
	h->hdr_len = le16toh(u16);
	memcpy(&u64, b + 8, 8);
	h->mono_ns = le64toh(u64);
	memcpy(&u32, b + 16, 4);
	h->crc = le32toh(u32);
}

/* The checksum covers the header without its crc field, and the payload. */
static uint32_t frame_crc(const unsigned char *hdr, size_t hdr_len,
			  const void *data, size_t len)
{
	uint32_t crc = ts_crc32(0, hdr, 16);

	crc = ts_crc32(crc, hdr + 20, hdr_len - 20);
	return ts_crc32(crc, data, len);
}

/* ---- writing ---- */

struct ts_rec_writer {
	FILE *f;
	int error;		/* first errno of a failed write */
};

void ts_rec_write(struct ts_rec_writer *w, uint16_t kind, uint64_t mono_ns,
		  const void *data, size_t len)
{
	unsigned char hdr[TS_REC_FRAME_HDR];
	struct frame_hdr h = { (uint32_t)len, kind, TS_REC_FRAME_HDR, mono_ns,
			       0 };

	if (w->error)
		return;
	if (len > TS_REC_MAX_FRAME) {
		w->error = EMSGSIZE;
		return;
	}
	put_frame_hdr(hdr, &h);
	h.crc = frame_crc(hdr, sizeof(hdr), data, len);
	put_frame_hdr(hdr, &h);
	if (fwrite(hdr, sizeof(hdr), 1, w->f) != 1 ||
	    (len && fwrite(data, len, 1, w->f) != 1))
		w->error = errno ? errno : EIO;
}

int ts_rec_create(struct ts_rec_writer **out, FILE *f,
		  const struct ts_rec_info *info, struct ts_error *err)
{
	struct ts_rec_writer *w = calloc(1, sizeof(*w));
	unsigned char hdr[TS_REC_FILE_HDR] = { 0 };
	struct ts_attrbuf b = { .len = 0 };
	uint16_t u16;
	uint32_t crc;

	*out = NULL;
	if (!w) {
		fclose(f);
		return ts_fail(err, ENOMEM, "out of memory");
	}
	w->f = f;
	memcpy(hdr, TS_REC_MAGIC, 8);
	u16 = htole16(TS_REC_MAJOR);
	memcpy(hdr + 8, &u16, 2);
	u16 = htole16(TS_REC_MINOR);
	memcpy(hdr + 10, &u16, 2);
	hdr[12] = host_byte_order();
	crc = htole32(ts_crc32(0, hdr, 16));
	memcpy(hdr + 16, &crc, 4);
	if (fwrite(hdr, sizeof(hdr), 1, f) != 1)
		w->error = errno ? errno : EIO;

	ts_attr_str(&b, TS_REC_A_INFO_WRITER, info->writer);
	ts_attr_u32(&b, TS_REC_A_INFO_FAMILY_VERSION, info->family_version);
	ts_attr_str(&b, TS_REC_A_INFO_HOSTNAME, info->hostname);
	ts_attr_str(&b, TS_REC_A_INFO_KERNEL, info->kernel);
	ts_attr_u32(&b, TS_REC_A_INFO_FIELDS, info->fields);
	ts_attr_u64(&b, TS_REC_A_INFO_REALTIME, info->real_ns);
	ts_rec_write(w, TS_REC_INFO, 0, b.buf, b.len);
	if (ts_rec_flush(w, err)) {
		ts_rec_close(w, NULL);
		return -1;
	}
	*out = w;
	return 0;
}

int ts_rec_flush(struct ts_rec_writer *w, struct ts_error *err)
{
	if (!w->error && fflush(w->f))
		w->error = errno ? errno : EIO;
	if (w->error)
		return ts_fail(err, w->error, "writing the recording: %s",
			       strerror(w->error));
	return 0;
}

int ts_rec_close(struct ts_rec_writer *w, struct ts_error *err)
{
	int rc;

	if (!w)
		return 0;
	rc = ts_rec_flush(w, err);
	if (fclose(w->f) && !rc)
		rc = ts_fail(err, errno, "closing the recording: %s",
			     strerror(errno));
	free(w);
	return rc;
}

/* ---- reading ---- */

/*
 * The reader goes through the file once, front to back, and never needs
 * to seek: a pipe (-r -) works. What it has read of a pipe is kept in an
 * anonymous temporary file, so that replay can still step back. It indexes
 * each complete sample as it passes; the first frame that is cut short,
 * damaged or out of order ends the recording there, with a warning that
 * names the byte and how many samples were complete before it.
 */

struct sample_mark {
	uint64_t offset;	/* of its SAMPLE_BEGIN frame */
	uint64_t real_ns;
};

struct ts_rec_reader {
	FILE *f;
	FILE *spool;		/* a pipe's bytes so far, or NULL */
	uint64_t base;		/* where the recording starts in f */
	uint64_t have;		/* bytes of a pipe read into the spool */
	bool pipe_end;
	uint64_t pos;		/* offset of the next frame */
	unsigned char *buf;
	size_t cap;
	struct ts_rec_info info;

	/* The index, up to @scanned: complete samples. */
	struct sample_mark *marks;
	size_t n_marks, cap_marks;
	uint64_t scanned;
	bool in_sample;
	struct sample_mark open_mark;
	uint32_t threads;
	uint64_t frame_end;	/* of the frame frame_at() read last */
	bool ended;		/* end is known */
	bool cut;		/* the frames end early: see warning */
	uint64_t end;		/* where the usable frames end */
	char warning[200];
};

static int corrupt(struct ts_error *err, uint64_t off, const char *what)
{
	return ts_fail(err, EBADMSG, "corrupt recording at byte %" PRIu64
		       ": %s", off, what);
}

static int truncated(struct ts_error *err, uint64_t off, const char *what)
{
	return ts_fail(err, EBADMSG, "truncated recording: %s at byte %"
		       PRIu64, what, off);
}

/* Copy more of a pipe into the spool, up to @upto bytes in all. */
static int spool_to(struct ts_rec_reader *r, uint64_t upto)
{
	char chunk[65536];
	size_t want, got;

	while (r->have < upto && !r->pipe_end) {
		want = upto - r->have < sizeof(chunk) ? upto - r->have :
							 sizeof(chunk);
		got = fread(chunk, 1, want, r->f);
		if (got < want && ferror(r->f))
			return -1;
		if (got < want)
			r->pipe_end = true;
		if (fseeko(r->spool, (off_t)r->have, SEEK_SET) ||
		    fwrite(chunk, 1, got, r->spool) != got)
			return -1;
		r->have += got;
	}
	return 0;
}

/* Up to @len bytes at @off: how many there were; -1 on an I/O error. */
static ssize_t read_at(struct ts_rec_reader *r, uint64_t off, void *p,
		       size_t len)
{
	FILE *from = r->spool ? r->spool : r->f;
	size_t got;

	if (r->spool && spool_to(r, off + len))
		return -1;
	if (fseeko(from, (off_t)(r->base + off), SEEK_SET))
		return -1;
	got = len ? fread(p, 1, len, from) : 0;
	if (got < len && ferror(from))
		return -1;
	return (ssize_t)got;
}

static int io_error(struct ts_error *err)
{
	return ts_fail(err, EIO, "reading the recording: %s",
		       strerror(errno ? errno : EIO));
}

/*
 * The frame at @off: 1, or 0 with @why set when it is cut short or damaged
 * (@why NULL: a clean end, nothing after the last frame), or -1 on an I/O
 * error.
 */
static int frame_at(struct ts_rec_reader *r, uint64_t off,
		    struct ts_rec_frame *f, const char **why,
		    struct ts_error *err)
{
	unsigned char hdr[TS_REC_MAX_HDR];
	struct frame_hdr h;
	ssize_t got;

	*why = NULL;
	got = read_at(r, off, hdr, TS_REC_FRAME_HDR);
	if (got < 0)
		return io_error(err);
	if (got < TS_REC_FRAME_HDR) {
		if (got)
			*why = "a frame header is cut short";
		return 0;
	}
	get_frame_hdr(hdr, &h);
	if (h.hdr_len < TS_REC_FRAME_HDR || h.hdr_len > TS_REC_MAX_HDR) {
		*why = "impossible frame header length";
		return 0;
	}
	if (h.len > TS_REC_MAX_FRAME) {
		*why = "impossible frame length";
		return 0;
	}
	got = read_at(r, off + TS_REC_FRAME_HDR, hdr + TS_REC_FRAME_HDR,
		      h.hdr_len - TS_REC_FRAME_HDR);
	if (got < 0)
		return io_error(err);
	if ((size_t)got < (size_t)h.hdr_len - TS_REC_FRAME_HDR) {
		*why = "a frame header is cut short";
		return 0;
	}
	if (h.len > r->cap) {
		unsigned char *nb = realloc(r->buf, h.len);

		if (!nb)
			return ts_fail(err, ENOMEM, "out of memory");
		r->buf = nb;
		r->cap = h.len;
	}
	got = read_at(r, off + h.hdr_len, r->buf, h.len);
	if (got < 0)
		return io_error(err);
	if ((size_t)got < h.len) {
		*why = "a frame is cut short";
		return 0;
	}
	if (frame_crc(hdr, h.hdr_len, r->buf, h.len) != h.crc) {
		*why = "checksum mismatch";
		return 0;
	}
	f->kind = h.kind;
	f->mono_ns = h.mono_ns;
	f->data = r->buf;
	f->len = h.len;
	f->offset = off;
	r->frame_end = off + h.hdr_len + h.len;
	return 1;
}

/* The recording's usable part ends at @off: say why, if it is not clean. */
static void stop_at(struct ts_rec_reader *r, uint64_t off, const char *why)
{
	r->ended = true;
	r->end = off;
	if (!why && !r->in_sample)
		return;
	r->cut = true;
	snprintf(r->warning, sizeof(r->warning),
		 "the recording is cut at byte %" PRIu64 " (%s); it replays "
		 "its %zu complete samples", r->in_sample && !why ?
		 r->open_mark.offset : off,
		 why ? why : "the last sample is incomplete", r->n_marks);
}

/* Index frame @f: false when it breaks the sample structure (@why). */
static bool index_frame(struct ts_rec_reader *r, const struct ts_rec_frame *f,
			const char **why)
{
	struct ts_rec_begin begin;
	struct ts_rec_end end;

	switch (f->kind) {
	case TS_REC_SAMPLE_BEGIN:
		if (r->in_sample) {
			*why = "a sample begins inside another";
			return false;
		}
		if (ts_rec_decode_begin(f->data, f->len, &begin, NULL)) {
			*why = "a sample's beginning does not decode";
			return false;
		}
		r->in_sample = true;
		r->open_mark.offset = f->offset;
		r->open_mark.real_ns = begin.real_ns;
		r->threads = 0;
		return true;
	case TS_REC_SYSTEM:
	case TS_REC_CPU:
	case TS_REC_THREAD:
	case TS_REC_DETAIL:
	case TS_REC_EXIT:
		if (!r->in_sample) {
			*why = "a message outside any sample";
			return false;
		}
		r->threads += f->kind == TS_REC_THREAD;
		return true;
	case TS_REC_SAMPLE_END:
		if (!r->in_sample) {
			*why = "a sample ends that never began";
			return false;
		}
		if (ts_rec_decode_end(f->data, f->len, &end, NULL)) {
			*why = "a sample's end does not decode";
			return false;
		}
		if (end.threads != r->threads) {
			*why = "a sample lost thread messages";
			return false;
		}
		r->in_sample = false;
		if (!(end.flags & TS_REC_END_FAILED) &&
		    ts_vec_push((void **)&r->marks, &r->n_marks, &r->cap_marks,
				sizeof(r->open_mark), &r->open_mark)) {
			*why = "out of memory";
			return false;
		}
		return true;
	default:
		return true;	/* a kind from a newer writer */
	}
}

/* The next frame in file order, indexed on the way: 1, 0 at the end. */
static int next_frame(struct ts_rec_reader *r, struct ts_rec_frame *f,
		      struct ts_error *err)
{
	const char *why = NULL;
	int rc;

	if (r->ended && r->pos >= r->end)
		return 0;
	rc = frame_at(r, r->pos, f, &why, err);
	if (rc < 0)
		return -1;
	if (rc && r->pos >= r->scanned) {
		if (index_frame(r, f, &why))
			r->scanned = r->frame_end;
		else
			rc = 0;
	}
	if (!rc) {
		if (!r->ended)
			stop_at(r, r->pos, why);
		return 0;
	}
	r->pos = r->frame_end;
	return 1;
}

static int read_file_header(struct ts_rec_reader *r, struct ts_error *err)
{
	unsigned char hdr[TS_REC_FILE_HDR];
	uint16_t major, minor;
	uint32_t crc;
	ssize_t got = read_at(r, 0, hdr, sizeof(hdr));

	if (got < 0)
		return io_error(err);
	if (!got)
		return ts_fail(err, EBADMSG, "the recording is empty");
	if (memcmp(hdr, TS_REC_MAGIC, got < 8 ? (size_t)got : 8))
		return ts_fail(err, EBADMSG, "not a threadtop recording");
	if ((size_t)got < sizeof(hdr))
		return truncated(err, (uint64_t)got, "file header");
	memcpy(&crc, hdr + 16, 4);
	if (le32toh(crc) != ts_crc32(0, hdr, 16))
		return corrupt(err, 0, "file header checksum mismatch");
	memcpy(&major, hdr + 8, 2);
	memcpy(&minor, hdr + 10, 2);
	r->info.major = le16toh(major);
	r->info.minor = le16toh(minor);
	if (r->info.major != TS_REC_MAJOR)
		return ts_fail(err, EPROTONOSUPPORT,
			       "recording format %u.%u; this threadtop reads "
			       "format %u.x", r->info.major, r->info.minor,
			       TS_REC_MAJOR);
	if (hdr[12] != host_byte_order())
		return ts_fail(err, EPROTONOSUPPORT,
			       "the recording was made on a %s-endian machine; "
			       "it replays on such machines only",
			       hdr[12] == 1 ? "little" : "big");
	r->pos = r->scanned = sizeof(hdr);
	return 0;
}

/* The first frame describes the recording: without it there is nothing. */
static int read_info(struct ts_rec_reader *r, struct ts_error *err)
{
	uint16_t major = r->info.major, minor = r->info.minor;
	struct ts_rec_frame f;
	const char *why;
	int rc;

	rc = frame_at(r, r->pos, &f, &why, err);
	if (rc < 0)
		return -1;
	if (!rc && !why)
		return truncated(err, r->pos, "no recording description");
	if (!rc && strstr(why, "cut short"))
		return truncated(err, r->pos, why);
	if (!rc)
		return corrupt(err, r->pos, why);
	if (f.kind != TS_REC_INFO)
		return corrupt(err, f.offset,
			       "the first frame is not the recording's "
			       "description");
	if (ts_rec_decode_info(f.data, f.len, &r->info, err)) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return corrupt(err, f.offset, msg);
	}
	r->info.major = major;
	r->info.minor = minor;
	r->pos = r->scanned = r->frame_end;
	return 0;
}

int ts_rec_open(struct ts_rec_reader **out, FILE *f, struct ts_error *err)
{
	struct ts_rec_reader *r = calloc(1, sizeof(*r));
	struct ts_rec_frame frame;
	off_t at;
	uint64_t first;
	int rc;

	*out = NULL;
	if (!r) {
		fclose(f);
		return ts_fail(err, ENOMEM, "out of memory");
	}
	r->f = f;
	at = ftello(f);
	if (at < 0 || fseeko(f, at, SEEK_SET)) {
		/* A pipe: read it once, keep what was read to go back. */
		r->spool = tmpfile();
		if (!r->spool) {
			ts_fail(err, errno, "no temporary file to replay a "
				"pipe from: %s", strerror(errno));
			goto fail;
		}
	} else {
		r->base = (uint64_t)at;
	}
	if (read_file_header(r, err) || read_info(r, err))
		goto fail;
	if (!r->spool) {
		/* A file: index it now, so the sample count is known. */
		first = r->pos;
		while ((rc = next_frame(r, &frame, err)) > 0)
			;
		if (rc < 0)
			goto fail;
		r->pos = first;
	}
	*out = r;
	return 0;
fail:
	ts_rec_close_reader(r);
	return -1;
}

const struct ts_rec_info *ts_rec_info(const struct ts_rec_reader *r)
{
	return &r->info;
}

size_t ts_rec_samples(const struct ts_rec_reader *r)
{
	return r->n_marks;
}

bool ts_rec_samples_known(const struct ts_rec_reader *r)
{
	return r->ended;
}

const char *ts_rec_warning(const struct ts_rec_reader *r)
{
	return r->cut ? r->warning : NULL;
}

int ts_rec_next(struct ts_rec_reader *r, struct ts_rec_frame *f,
		struct ts_error *err)
{
	return next_frame(r, f, err);
}

/* Read on until sample @k is indexed or the recording ends. */
static int index_to(struct ts_rec_reader *r, size_t k, struct ts_error *err)
{
	struct ts_rec_frame f;
	uint64_t pos = r->pos;
	int rc = 1;

	if (k < r->n_marks)
		return 0;
	r->pos = r->scanned;
	while (k >= r->n_marks && (rc = next_frame(r, &f, err)) > 0)
		;
	r->pos = pos;
	return rc < 0 ? -1 : 0;
}

/* Sample @k's index entry, reading on to it if need be; NULL if none. */
static const struct sample_mark *mark_at(struct ts_rec_reader *r, size_t k,
					 struct ts_error *err)
{
	if (index_to(r, k, err))
		return NULL;
	if (k >= r->n_marks) {
		ts_fail(err, ERANGE, "the recording has %zu samples",
			r->n_marks);
		return NULL;
	}
	return &r->marks[k];
}

int ts_rec_seek_sample(struct ts_rec_reader *r, size_t k,
		       struct ts_error *err)
{
	const struct sample_mark *m = mark_at(r, k, err);

	if (!m)
		return -1;
	r->pos = m->offset;
	return 0;
}

int ts_rec_sample_real(struct ts_rec_reader *r, size_t k, uint64_t *real_ns,
		       struct ts_error *err)
{
	const struct sample_mark *m = mark_at(r, k, err);

	if (!m)
		return -1;
	*real_ns = m->real_ns;
	return 0;
}

void ts_rec_close_reader(struct ts_rec_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	if (r->spool)
		fclose(r->spool);
	free(r->marks);
	free(r->buf);
	free(r);
}
