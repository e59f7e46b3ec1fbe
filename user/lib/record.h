/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * threadtop recordings: the netlink attribute streams of each sample, as
 * received, framed with a timestamp and a message kind.
 *
 * File layout (frame and file headers little-endian; netlink payloads in
 * the byte order of the recording machine, named in the file header):
 *
 *   file header, 20 bytes:
 *     0  "TSTATREC"      magic
 *     8  u16 major       incompatible changes only (never so far)
 *    10  u16 minor       additions a reader may ignore
 *    12  u8  byte order  1 little, 2 big (of the payloads)
 *    13  u8  pad[3]
 *    16  u32 crc32       of bytes 0..15
 *   frames, each:
 *     0  u32 len         payload bytes
 *     4  u16 kind        enum ts_rec_kind
 *     6  u16 hdr_len     24 now; a newer writer may extend the header
 *     8  u64 mono_ns     CLOCK_MONOTONIC when the frame was received
 *    16  u32 crc32       of the header (without this field) and payload
 *    20  u32 reserved
 *    hdr_len: payload    netlink attributes
 *
 * The first frame is TS_REC_INFO; then each sample is SAMPLE_BEGIN, its
 * messages, SAMPLE_END. Since minor 3 a sample taken with the exit feed
 * (ts_sample_opts.exits) holds an EXIT frame for each event notification
 * drained into it, and its SAMPLE_END says TS_REC_END_EXITS. A reader skips frames of kinds it does not know,
 * and attributes it does not know inside known frames (the decoder does),
 * so files stay readable in both directions as the format grows.
 *
 * A file whose header or description frame is cut or damaged is rejected
 * at open, with the byte offset. After that, the first frame that is cut
 * short, fails its checksum or breaks the sample structure ends the
 * recording (what SIGKILL or a power loss during -w leaves): the complete
 * samples before it replay, and ts_rec_warning() says where it was cut.
 * The reader never seeks backwards in its input, so a pipe works; what it
 * read of a pipe it keeps in an anonymous temporary file for stepping back.
 */
#ifndef THREADSTAT_RECORD_H
#define THREADSTAT_RECORD_H

#include <stdbool.h>
#include <stdio.h>

#include "threadstat.h"

#define TS_REC_MAGIC		"TSTATREC"
#define TS_REC_MAJOR		1
#define TS_REC_MINOR		3	/* 1: MEMINFO and CMDLINE frames;
					 * 2: WAITER frames;
					 * 3: EXIT frames, END_EXITS */
#define TS_REC_FILE_HDR		20
#define TS_REC_FRAME_HDR	24
#define TS_REC_MAX_HDR		4096
#define TS_REC_MAX_FRAME	(16u << 20)	/* no reply is near this */

enum ts_rec_kind {
	TS_REC_INFO = 1,	/* TS_REC_A_INFO_*: who recorded what, where */
	TS_REC_SAMPLE_BEGIN,	/* TS_REC_A_BEGIN_* */
	TS_REC_SYSTEM,		/* a SYSTEM_GET reply */
	TS_REC_CPU,		/* a CPU_GET dump message */
	TS_REC_THREAD,		/* a THREAD_GET dump message */
	TS_REC_DETAIL,		/* a THREAD_GET do reply: one thread, in full */
	TS_REC_SAMPLE_END,	/* TS_REC_A_END_* */
	TS_REC_MEMINFO,		/* TS_REC_A_MEM_*: /proc/meminfo's totals */
	TS_REC_CMDLINE,		/* TS_REC_A_CMDLINE_*: one process's */
	TS_REC_WAITER,		/* TS_REC_A_WAITER_*: what the library
				 * found out about one lock waiter (its
				 * owner, the lock's name) */
	TS_REC_EXIT,		/* an event notification of the exit feed
				 * (THREADSTAT_A_EVENT_*), as received */
};

enum {
	TS_REC_A_INFO_PAD = 1,
	TS_REC_A_INFO_WRITER,		/* string: "threadtop 0.1.0" */
	TS_REC_A_INFO_FAMILY_VERSION,	/* u32: THREADSTAT_FAMILY_VERSION */
	TS_REC_A_INFO_HOSTNAME,		/* string */
	TS_REC_A_INFO_KERNEL,		/* string: uname -r */
	TS_REC_A_INFO_FIELDS,		/* u32: groups requested per thread */
	TS_REC_A_INFO_REALTIME,		/* u64: CLOCK_REALTIME at the start */
	__TS_REC_A_INFO_MAX,
};

enum {
	TS_REC_A_BEGIN_PAD = 1,
	TS_REC_A_BEGIN_REALTIME,	/* u64: CLOCK_REALTIME of the sample */
	__TS_REC_A_BEGIN_MAX,
};

enum {
	TS_REC_A_END_PAD = 1,
	TS_REC_A_END_FLAGS,		/* u32: TS_REC_END_* */
	TS_REC_A_END_THREADS,		/* u32: THREAD frames in the sample */
	__TS_REC_A_END_MAX,
};

/*
 * What threadtop shows beside the module's data, in each sample (minor 1):
 * the Mem and Swp meters' totals, and the command line of every process
 * of the sample (read once per process lifetime by the recorder, written
 * in each sample so that any sample replays on its own, after a seek or
 * a cut). A recording without them replays with no meters and comm.
 */
enum {
	TS_REC_A_MEM_PAD = 1,
	TS_REC_A_MEM_TOTAL,		/* u64 bytes: MemTotal */
	TS_REC_A_MEM_AVAILABLE,		/* u64 bytes: MemAvailable */
	TS_REC_A_MEM_SWAP_TOTAL,	/* u64 bytes */
	TS_REC_A_MEM_SWAP_FREE,		/* u64 bytes */
	__TS_REC_A_MEM_MAX,
};

enum {
	TS_REC_A_CMDLINE_PAD = 1,
	TS_REC_A_CMDLINE_TGID,		/* u32 */
	TS_REC_A_CMDLINE_START_TIME,	/* u64: tells a reused pid apart */
	TS_REC_A_CMDLINE_TEXT,		/* string: NULs as spaces, raw */
	TS_REC_A_CMDLINE_PROG_OFF,	/* u32: argv[0]'s basename in TEXT */
	TS_REC_A_CMDLINE_PROG_LEN,	/* u32 */
	__TS_REC_A_CMDLINE_MAX,
};

enum {
	TS_REC_A_WAITER_PAD = 1,
	TS_REC_A_WAITER_TID,		/* u32: the waiter */
	TS_REC_A_WAITER_TGID,		/* u32: its process */
	TS_REC_A_WAITER_ADDR,		/* u64: the lock (an rwlock's start) */
	TS_REC_A_WAITER_KIND,		/* u32: enum ts_lock_kind */
	TS_REC_A_WAITER_OWNER_HOW,	/* u32: enum ts_owner_how */
	TS_REC_A_WAITER_OWNER_TID,	/* u32: the recorder's pid namespace */
	TS_REC_A_WAITER_LOCK_NAME,	/* string: symbol, else mapping+off */
	TS_REC_A_WAITER_DEV,		/* u64: a shared lock's file ... */
	TS_REC_A_WAITER_INO,		/* u64 */
	TS_REC_A_WAITER_OFFSET,		/* u64: ... and offset in it */
	__TS_REC_A_WAITER_MAX,
};

#define TS_REC_END_INTERRUPTED	1	/* the thread set changed mid-dump */
#define TS_REC_END_FAILED	2	/* the sample failed; skip it */
#define TS_REC_END_EXITS	4	/* the exit feed was drained into it:
					 * its tombs are complete */

struct ts_rec_info {
	uint64_t present[2];
	uint16_t major, minor;
	char writer[64];
	uint32_t family_version;
	char hostname[65];
	char kernel[65];
	uint32_t fields;
	uint64_t real_ns;
};

struct ts_rec_begin {
	uint64_t present[2];
	uint64_t real_ns;
};

struct ts_rec_end {
	uint64_t present[2];
	uint32_t flags;
	uint32_t threads;
};

struct ts_rec_mem {
	uint64_t present[2];
	uint64_t mem_total, mem_available, swap_total, swap_free;
};

#define TS_REC_CMDLINE_MAX	4096	/* bytes of a command line kept */

struct ts_rec_cmdline {
	uint64_t present[2];
	uint32_t tgid;
	uint64_t start_time;
	char text[TS_REC_CMDLINE_MAX + 1];
	uint32_t prog_off, prog_len;
};

#define TS_REC_LOCK_NAME_LEN	160	/* = TS_LOCK_NAME_LEN (waits.h) */

struct ts_rec_waiter {
	uint64_t present[2];
	uint32_t tid, tgid;
	uint64_t addr;
	uint32_t kind, owner_how, owner_tid;
	char name[TS_REC_LOCK_NAME_LEN];
	uint64_t dev, ino, offset;
};

/* Decode the payload of an INFO, SAMPLE_BEGIN or SAMPLE_END frame. */
int ts_rec_decode_info(const void *data, size_t len, struct ts_rec_info *out,
		       struct ts_error *err);
int ts_rec_decode_begin(const void *data, size_t len,
			struct ts_rec_begin *out, struct ts_error *err);
int ts_rec_decode_end(const void *data, size_t len, struct ts_rec_end *out,
		      struct ts_error *err);
/* ... of a MEMINFO frame (MemTotal required) */
int ts_rec_decode_mem(const void *data, size_t len, struct ts_rec_mem *out,
		      struct ts_error *err);
/* ... of a CMDLINE frame (TGID and START_TIME required; prog in text) */
int ts_rec_decode_cmdline(const void *data, size_t len,
			  struct ts_rec_cmdline *out, struct ts_error *err);

/* ... of a WAITER frame (tid, tgid, kind, owner-how and name required,
 * kind and owner-how known, an owner when owner-how says there is one) */
int ts_rec_decode_waiter(const void *data, size_t len,
			 struct ts_rec_waiter *out, struct ts_error *err);

/* ... of an EXIT frame (a type; an exit with its tid and tgid, not 0) */
int ts_rec_decode_exit(const void *data, size_t len, struct ts_event *out,
		       struct ts_error *err);

/* A buffer of attributes, for the payloads the recorder itself makes. */
struct ts_attrbuf {
	char buf[TS_REC_CMDLINE_MAX + 256];	/* a command line fits */
	size_t len;
};

void ts_attr_u32(struct ts_attrbuf *b, uint16_t type, uint32_t v);
void ts_attr_u64(struct ts_attrbuf *b, uint16_t type, uint64_t v);
void ts_attr_str(struct ts_attrbuf *b, uint16_t type, const char *s);

/* ---- writing ---- */

struct ts_rec_writer;

/* Start a recording on @f (the writer closes it): file header and INFO. */
int ts_rec_create(struct ts_rec_writer **out, FILE *f,
		  const struct ts_rec_info *info, struct ts_error *err);
/* Append a frame. A write error sticks and is reported by ts_rec_close(). */
void ts_rec_write(struct ts_rec_writer *w, uint16_t kind, uint64_t mono_ns,
		  const void *data, size_t len);
/* Push what is buffered to the file (after each sample). */
int ts_rec_flush(struct ts_rec_writer *w, struct ts_error *err);
int ts_rec_close(struct ts_rec_writer *w, struct ts_error *err);

/* ---- reading ---- */

struct ts_rec_frame {
	uint16_t kind;
	uint64_t mono_ns;
	const void *data;	/* valid until the next ts_rec_next() */
	size_t len;
	uint64_t offset;	/* of the frame in the file */
};

struct ts_rec_reader;

/*
 * Read the header and description of @f (the reader closes it), and stand
 * before the first sample. A file (not a pipe) is indexed now, so its
 * sample count and any cut are known at once.
 */
int ts_rec_open(struct ts_rec_reader **out, FILE *f, struct ts_error *err);
const struct ts_rec_info *ts_rec_info(const struct ts_rec_reader *r);
/* Complete samples seen so far; all of them once samples_known. */
size_t ts_rec_samples(const struct ts_rec_reader *r);
bool ts_rec_samples_known(const struct ts_rec_reader *r);
/* Where and why the recording was cut short; NULL if it was not (yet). */
const char *ts_rec_warning(const struct ts_rec_reader *r);
/* The next frame: 1, or 0 at the end (or the cut), or -1 on a read error. */
int ts_rec_next(struct ts_rec_reader *r, struct ts_rec_frame *f,
		struct ts_error *err);
/* Stand before complete sample @k (from 0); ERANGE past the last one. */
int ts_rec_seek_sample(struct ts_rec_reader *r, size_t k,
		       struct ts_error *err);
/* The CLOCK_REALTIME of sample @k. */
int ts_rec_sample_real(struct ts_rec_reader *r, size_t k, uint64_t *real_ns,
		       struct ts_error *err);
void ts_rec_close_reader(struct ts_rec_reader *r);

uint32_t ts_crc32(uint32_t crc, const void *data, size_t len);

#endif /* THREADSTAT_RECORD_H */
