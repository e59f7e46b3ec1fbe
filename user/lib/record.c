// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The recording file format (see record.h): writing frames, and reading
 * them back after checking the whole file, so that replay never meets a
 * half-written or damaged frame.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>

#include "internal.h"
#include "record.h"

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

uint32_t ts_crc32(uint32_t crc, const void *data, size_t len)
{
	static uint32_t table[256];
	const unsigned char *p = data;
	size_t i;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			uint32_t c = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	for (i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
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

struct ts_rec_reader {
	FILE *f;
	uint64_t pos;		/* offset of the next frame */
	unsigned char *buf;
	size_t cap;
	struct ts_rec_info info;
	size_t samples;
};

static int corrupt(struct ts_error *err, uint64_t off, const char *what)
{
	return ts_fail(err, EBADMSG, "corrupt recording at byte %" PRIu64
		       ": %s", off, what);
}

/* A frame whose payload would not decode: keep the decoder's words. */
static int corrupt_payload(struct ts_error *err, uint64_t off)
{
	char why[sizeof(err->msg)];

	snprintf(why, sizeof(why), "%s", err ? err->msg : "bad payload");
	return corrupt(err, off, why);
}

static int truncated(struct ts_error *err, uint64_t off, const char *what)
{
	return ts_fail(err, EBADMSG, "truncated recording: %s at byte %"
		       PRIu64, what, off);
}

/* Read exactly @len bytes: 1, or 0 at a clean end (nothing read), or -1
 * (a short read: @what is truncated).
 */
static int read_exact(struct ts_rec_reader *r, void *p, size_t len,
		      bool eof_ok, uint64_t off, const char *what,
		      struct ts_error *err)
{
	size_t got = len ? fread(p, 1, len, r->f) : 0;

	if (got == len)
		return 1;
	if (ferror(r->f))
		return ts_fail(err, EIO, "reading the recording: %s",
			       strerror(errno ? errno : EIO));
	if (!got && eof_ok)
		return 0;
	return truncated(err, off, what);
}

/* One frame, checked: 1, 0 at the end, -1 on any problem. */
static int read_frame(struct ts_rec_reader *r, struct ts_rec_frame *f,
		      struct ts_error *err)
{
	unsigned char hdr[TS_REC_MAX_HDR];
	struct frame_hdr h;
	int rc;

	rc = read_exact(r, hdr, TS_REC_FRAME_HDR, true, r->pos, "frame header",
			err);
	if (rc <= 0)
		return rc;
	get_frame_hdr(hdr, &h);
	if (h.hdr_len < TS_REC_FRAME_HDR || h.hdr_len > TS_REC_MAX_HDR)
		return corrupt(err, r->pos, "impossible frame header length");
	if (h.len > TS_REC_MAX_FRAME)
		return corrupt(err, r->pos, "impossible frame length");
	if (read_exact(r, hdr + TS_REC_FRAME_HDR, h.hdr_len - TS_REC_FRAME_HDR,
		       false, r->pos, "frame header", err) < 0)
		return -1;
	if (h.len > r->cap) {
		unsigned char *nb = realloc(r->buf, h.len);

		if (!nb)
			return ts_fail(err, ENOMEM, "out of memory");
		r->buf = nb;
		r->cap = h.len;
	}
	if (read_exact(r, r->buf, h.len, false, r->pos, "frame", err) < 0)
		return -1;
	if (frame_crc(hdr, h.hdr_len, r->buf, h.len) != h.crc)
		return corrupt(err, r->pos, "checksum mismatch");
	f->kind = h.kind;
	f->mono_ns = h.mono_ns;
	f->data = r->buf;
	f->len = h.len;
	f->offset = r->pos;
	r->pos += h.hdr_len + (uint64_t)h.len;
	return 1;
}

static int read_file_header(struct ts_rec_reader *r, struct ts_error *err)
{
	unsigned char hdr[TS_REC_FILE_HDR];
	uint16_t major, minor;
	uint32_t crc;
	size_t got = fread(hdr, 1, sizeof(hdr), r->f);

	if (!got)
		return ts_fail(err, EBADMSG, "the recording is empty");
	if (memcmp(hdr, TS_REC_MAGIC, got < 8 ? got : 8))
		return ts_fail(err, EBADMSG, "not a threadtop recording");
	if (got < sizeof(hdr))
		return truncated(err, got, "file header");
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
	r->pos = sizeof(hdr);
	return 0;
}

/* The first frame describes the recording (the header gave the version). */
static int read_info(struct ts_rec_reader *r, const struct ts_rec_frame *f,
		     struct ts_error *err)
{
	uint16_t major = r->info.major, minor = r->info.minor;

	if (f->kind != TS_REC_INFO)
		return corrupt(err, f->offset,
			       "the first frame is not the recording's "
			       "description");
	if (ts_rec_decode_info(f->data, f->len, &r->info, err))
		return corrupt_payload(err, f->offset);
	r->info.major = major;
	r->info.minor = minor;
	return 0;
}

/* Walk every frame once: checksums, lengths, and the sample structure. */
static int check_all(struct ts_rec_reader *r, struct ts_error *err)
{
	struct ts_rec_frame f;
	struct ts_rec_end end;
	uint64_t begin_at = 0;
	uint32_t threads = 0;
	bool in_sample = false, have_info = false;
	int rc;

	while ((rc = read_frame(r, &f, err)) > 0) {
		if (!have_info) {
			if (read_info(r, &f, err))
				return -1;
			have_info = true;
			continue;
		}
		switch (f.kind) {
		case TS_REC_SAMPLE_BEGIN:
			if (in_sample)
				return corrupt(err, f.offset,
					       "a sample begins inside another");
			in_sample = true;
			begin_at = f.offset;
			threads = 0;
			break;
		case TS_REC_SYSTEM:
		case TS_REC_CPU:
		case TS_REC_THREAD:
		case TS_REC_DETAIL:
			if (!in_sample)
				return corrupt(err, f.offset,
					       "a message outside any sample");
			threads += f.kind == TS_REC_THREAD;
			break;
		case TS_REC_SAMPLE_END:
			if (!in_sample)
				return corrupt(err, f.offset,
					       "a sample ends that never began");
			if (ts_rec_decode_end(f.data, f.len, &end, err))
				return corrupt_payload(err, f.offset);
			if (end.threads != threads)
				return corrupt(err, f.offset,
					       "a sample lost thread messages");
			in_sample = false;
			r->samples++;
			break;
		default:
			break;	/* a kind from a newer writer */
		}
	}
	if (rc < 0)
		return -1;
	if (!have_info)
		return truncated(err, r->pos, "no recording description");
	if (in_sample)
		return truncated(err, begin_at, "the last sample is incomplete; "
				 "it begins");
	return 0;
}

int ts_rec_open(struct ts_rec_reader **out, FILE *f, struct ts_error *err)
{
	struct ts_rec_reader *r = calloc(1, sizeof(*r));
	struct ts_rec_frame first;

	*out = NULL;
	if (!r) {
		fclose(f);
		return ts_fail(err, ENOMEM, "out of memory");
	}
	r->f = f;
	if (read_file_header(r, err) || check_all(r, err))
		goto fail;
	if (fseek(f, TS_REC_FILE_HDR, SEEK_SET)) {
		ts_fail(err, errno, "cannot rewind the recording: %s",
			strerror(errno));
		goto fail;
	}
	r->pos = TS_REC_FILE_HDR;
	if (read_frame(r, &first, err) <= 0)	/* the INFO frame */
		goto fail;
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
	return r->samples;
}

int ts_rec_next(struct ts_rec_reader *r, struct ts_rec_frame *f,
		struct ts_error *err)
{
	return read_frame(r, f, err);
}

void ts_rec_close_reader(struct ts_rec_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	free(r->buf);
	free(r);
}
