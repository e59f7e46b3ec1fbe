/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* libthreadstat internals shared between its source files. */
#ifndef THREADSTAT_LIB_INTERNAL_H
#define THREADSTAT_LIB_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <linux/netlink.h>

#include "threadstat.h"

/*
 * Field-table entries: attribute THREADSTAT_A_<SET>_<TYPE> of kind <KIND>
 * stored in member @member of struct @rec.
 */
#define TS_FIELD(set_, rec, type_, kind_, group_, name_, member)	\
	{ .type = THREADSTAT_A_##set_##_##type_, .kind = TS_KIND_##kind_,	\
	  .group = group_, .name = name_,					\
	  .offset = offsetof(struct rec, member),			\
	  .size = sizeof(((struct rec *)0)->member) }

#define TS_SET(name_, rec, fields_, max_)				\
	{ .name = name_, .fields = fields_,				\
	  .n_fields = sizeof(fields_) / sizeof(fields_[0]),		\
	  .max_type = max_, .present_offset = offsetof(struct rec, present), \
	  .by_type = (uint8_t[(max_) + 1]){ 0 } }

/* A u32 request attribute; all of the family's request attributes are. */
struct ts_req_attr {
	uint16_t type;	/* | TS_REQ_FLAG: a flag attribute, value unused */
	uint32_t value;
};

/* In ts_req_attr.type: send an empty (flag) attribute, not a u32. */
#define TS_REQ_FLAG	0x4000

/* Called with the attributes of each reply message (after genlmsghdr). */
typedef int (*ts_msg_cb)(const void *attrs, size_t len, void *arg);

/*
 * Send one request and walk its replies until the ACK (do) or NLMSG_DONE
 * (dump), calling @cb for each reply. Kernel errors come back as -1 with
 * @err filled from the errno and extack message.
 */
int ts_request(struct ts_client *c, uint8_t cmd, bool dump,
	       const struct ts_req_attr *attrs, size_t n_attrs,
	       ts_msg_cb cb, void *arg, struct ts_dump_info *info,
	       struct ts_error *err);

/*
 * Wait up to @timeout_ms for a datagram, then read it and any others
 * already queued (up to 64), and call @cb for each notification in them
 * (a family message that answers no request: seq 0).
 * Returns 0 (also on timeout), @cb's non-zero value, or -1 with @err.
 */
int ts_recv_notifications(struct ts_client *c, int timeout_ms, ts_msg_cb cb,
			  void *arg, struct ts_error *err);
/* Lost notifications are counted by the kernel: no ENOBUFS errors. */
void ts_set_no_enobufs(struct ts_client *c);
/* Ask for a socket receive buffer of @bytes (forced if privileged). */
void ts_set_rcvbuf(struct ts_client *c, int bytes);

/* Decode attributes of @set into @rec; unknown types are skipped. */
int ts_decode_set(const struct ts_set *set, void *rec, const void *data,
		  size_t len, struct ts_error *err);

/* The payload length attributes of @kind (enum ts_kind) must have, or -1
 * for variable-length kinds: decode.c's rule, also thread_fastpath.c's.
 */
int ts_kind_fixed_len(unsigned int kind);

/*
 * thread_fastpath.c: decode a THREAD_GET reply carrying exactly the
 * default group's attributes in this module version's order into @out,
 * as ts_thread_decode() would. -1 for any other message, @out then holding
 * nothing worth keeping: the caller hands the message to
 * ts_thread_decode().
 */
int ts_thread_decode_fast(const void *attrs, size_t len,
			  struct ts_thread *out);

/* Append a copy of @item (@size bytes) to the array *@v of *@n items. */
int ts_vec_push(void **v, size_t *n, size_t *cap, size_t size,
		const void *item);

/* Fill @err (code and printf-style message); always returns -1. */
int ts_fail(struct ts_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* wait_names.c, for wait_owner.c */
struct ts_lock;
void ts_wait_name_lock(uint32_t tgid, uint64_t addr, struct ts_lock *l,
		       void *arg);
bool ts_wait_libc_known(uint32_t tgid);

#endif /* THREADSTAT_LIB_INTERNAL_H */
