/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run of netlink attributes written after one room check.
 *
 * nla_put() checks the room, reserves and zeroes the padding for every
 * attribute, through three calls. A thread's default reply is 26
 * attributes, and those calls were 2.2 of the 5.8 us a thread cost the
 * dump (bench/format, make bench-format, 10k threads). The writer checks
 * the room for the whole run once, then stores each header and value in
 * place: the bytes are the ones nla_put_*() would write, padding
 * attributes included, so the ABI and its readers do not change.
 */
#ifndef _THREADSTAT_ATTR_WRITER_H
#define _THREADSTAT_ATTR_WRITER_H

#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/netlink.h>

/**
 * struct ts_attr_writer - where the next attribute of a run goes
 * @skb: message being built
 * @pos: the next attribute's header, inside the room checked by
 *	ts_attr_begin()
 */
struct ts_attr_writer {
	struct sk_buff *skb;
	char *pos;
};

/* Room for one attribute of each kind, as the writer lays it out. */
#define TS_ATTR_ROOM_U32	nla_total_size(sizeof(u32))
#define TS_ATTR_ROOM_U64	nla_total_size_64bit(sizeof(u64))
#define TS_ATTR_ROOM_FLAG	nla_total_size(0)

/**
 * ts_attr_begin() - start a run of attributes
 * @w: the writer
 * @skb: message being built
 * @room: bytes the whole run may take (the TS_ATTR_ROOM_* of each
 *	attribute, nla_total_size() of each variable-length one)
 *
 * Return: 0, or -EMSGSIZE when @skb has less than @room left; then
 * nothing is written.
 */
static inline int ts_attr_begin(struct ts_attr_writer *w, struct sk_buff *skb,
				int room)
{
	if (unlikely(skb_tailroom(skb) < room))
		return -EMSGSIZE;
	w->skb = skb;
	w->pos = skb_tail_pointer(skb);
	return 0;
}

/**
 * ts_attr_end() - add the run to the message
 * @w: the writer, after the run's last attribute
 */
static inline void ts_attr_end(struct ts_attr_writer *w)
{
	__skb_put(w->skb, w->pos - (char *)skb_tail_pointer(w->skb));
}

/* Header, @len bytes of @data, zeroed padding: what __nla_put() writes. */
static __always_inline void ts_attr_put(struct ts_attr_writer *w, int type,
					const void *data, int len)
{
	struct nlattr *nla = (struct nlattr *)w->pos;

	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	if (len)
		memcpy(nla_data(nla), data, len);
	memset((char *)nla_data(nla) + len, 0, nla_padlen(len));
	w->pos += nla_total_size(len);
}

static __always_inline void ts_attr_u32(struct ts_attr_writer *w, int type,
					u32 value)
{
	ts_attr_put(w, type, &value, sizeof(value));
}

static __always_inline void ts_attr_s32(struct ts_attr_writer *w, int type,
					s32 value)
{
	ts_attr_put(w, type, &value, sizeof(value));
}

static __always_inline void ts_attr_u8(struct ts_attr_writer *w, int type,
				       u8 value)
{
	ts_attr_put(w, type, &value, sizeof(value));
}

static __always_inline void ts_attr_flag(struct ts_attr_writer *w, int type)
{
	ts_attr_put(w, type, NULL, 0);
}

/* @str is NUL-terminated within @size bytes, as a task's comm is. */
static __always_inline void ts_attr_string(struct ts_attr_writer *w, int type,
					   const char *str, size_t size)
{
	ts_attr_put(w, type, str, strnlen(str, size - 1) + 1);
}

/*
 * As nla_put_64bit(): where an unaligned u64 is slow, a @padtype
 * attribute first, so that the value is 8-byte aligned.
 */
static __always_inline void ts_attr_u64(struct ts_attr_writer *w, int type,
					u64 value, int padtype)
{
#ifndef CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS
	if (IS_ALIGNED((unsigned long)w->pos, 8))
		ts_attr_put(w, padtype, NULL, 0);
#endif
	ts_attr_put(w, type, &value, sizeof(value));
}

#endif /* _THREADSTAT_ATTR_WRITER_H */
