// SPDX-License-Identifier: GPL-2.0
/* The threadstat kselftests' netlink client; see threadstat_nl.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "threadstat_nl.h"

static int family_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    !mnl_attr_validate(a, MNL_TYPE_U16))
		*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, family_attr, data);
}

struct nlmsghdr *tsnl_getfamily_msg(void *buf, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, THREADSTAT_FAMILY_NAME);
	return nlh;
}

int tsnl_open(struct tsnl *t)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int one = 1, n;

	memset(t, 0, sizeof(*t));
	t->recv_size = 32768;	/* libmnl's MNL_SOCKET_DUMP_SIZE */
	t->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!t->nl)
		return -errno;
	mnl_socket_setsockopt(t->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(t->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(t->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;

	nlh = tsnl_getfamily_msg(buf, ++t->seq);
	if (mnl_socket_sendto(t->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(t->nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		n = mnl_cb_run(buf, n, t->seq, mnl_socket_get_portid(t->nl),
			       family_cb, &t->family);
	} while (n > 0);
	if (n < 0)
		return -errno;
	return t->family ? 0 : -ENOENT;
}

void tsnl_close(struct tsnl *t)
{
	if (t->nl)
		mnl_socket_close(t->nl);
	t->nl = NULL;
}

struct nlmsghdr *tsnl_msg(struct tsnl *t, void *buf, uint8_t cmd,
			  uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = t->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++t->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = THREADSTAT_FAMILY_VERSION;
	return nlh;
}

static void put_u64(bool *has, uint64_t *v, unsigned int max,
		    const struct nlattr *a)
{
	uint16_t type = mnl_attr_get_type(a);

	if (type > max || mnl_attr_get_payload_len(a) != 8)
		return;
	has[type] = true;
	v[type] = mnl_attr_get_u64(a);
}

static int stack_attr(const struct nlattr *a, void *data)
{
	struct tsnl_thread *th = data;

	put_u64(th->stack_has, th->stack, THREADSTAT_A_STACK_MAX, a);
	return MNL_CB_OK;
}

static int regs_attr(const struct nlattr *a, void *data)
{
	struct tsnl_thread *th = data;

	if (mnl_attr_get_type(a) == THREADSTAT_A_REGS_STABLE) {
		th->regs_has[THREADSTAT_A_REGS_STABLE] = true;
		th->regs[THREADSTAT_A_REGS_STABLE] = mnl_attr_get_u8(a);
	}
	put_u64(th->regs_has, th->regs, THREADSTAT_A_REGS_MAX, a);
	return MNL_CB_OK;
}

static int wait_attr(const struct nlattr *a, void *data)
{
	struct tsnl_thread *th = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > THREADSTAT_A_WAIT_MAX)
		return MNL_CB_OK;
	th->wait_has[type] = true;
	switch (mnl_attr_get_payload_len(a)) {
	case 0:
		th->wait[type] = 1;
		break;
	case 1:
		th->wait[type] = mnl_attr_get_u8(a);
		break;
	case 4:		/* the s32 ones (syscall, fd) are never negative here */
		th->wait[type] = mnl_attr_get_u32(a);
		break;
	case 8:
		th->wait[type] = (int64_t)mnl_attr_get_u64(a);
		break;
	}
	return MNL_CB_OK;
}

static int syscall_attr(const struct nlattr *a, void *data)
{
	struct tsnl_thread *th = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > THREADSTAT_A_SYSCALL_MAX)
		return MNL_CB_OK;
	th->syscall_has[type] = true;
	if (type == THREADSTAT_A_SYSCALL_NR)
		th->syscall_nr = (int32_t)mnl_attr_get_u32(a);
	else if (mnl_attr_get_payload_len(a) == sizeof(th->syscall_args))
		memcpy(th->syscall_args, mnl_attr_get_payload(a),
		       sizeof(th->syscall_args));
	return MNL_CB_OK;
}

/* Process attributes are u32 or u64; other lengths are not numbers. */
static int process_attr(const struct nlattr *a, void *data)
{
	struct tsnl_thread *th = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > THREADSTAT_A_PROCESS_MAX)
		return MNL_CB_OK;	/* newer than this test */
	if (mnl_attr_get_payload_len(a) == 8)
		th->proc[type] = mnl_attr_get_u64(a);
	else if (mnl_attr_get_payload_len(a) == 4)
		th->proc[type] = mnl_attr_get_u32(a);
	else
		return MNL_CB_OK;
	th->proc_has[type] = true;
	return MNL_CB_OK;
}

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	size_t len = strnlen(mnl_attr_get_payload(a),
			     mnl_attr_get_payload_len(a));

	if (len >= size)
		len = size - 1;
	memcpy(dst, mnl_attr_get_payload(a), len);
	dst[len] = '\0';
}

/* A fixed-size attribute as a number (4 bytes sign-extended, for s32). */
static int64_t attr_number(const struct nlattr *a)
{
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 4:
		return (int32_t)mnl_attr_get_u32(a);
	case 8:
		return (int64_t)mnl_attr_get_u64(a);
	}
	return 0;
}

static int latency_attr(const struct nlattr *a, void *data)
{
	struct tsnl_thread *th = data;
	uint16_t type = mnl_attr_get_type(a);
	size_t len = mnl_attr_get_payload_len(a);

	if (type == THREADSTAT_A_LATENCY_HIST)
		memcpy(th->lat_hist, mnl_attr_get_payload(a),
		       len < sizeof(th->lat_hist) ? len : sizeof(th->lat_hist));
	else if (type <= THREADSTAT_A_LATENCY_MAX)
		th->lat[type] = attr_number(a);
	return MNL_CB_OK;
}

static int thread_attr(const struct nlattr *a, void *data)
{
	struct tsnl_thread *th = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type < 64)
		th->present |= 1ULL << type;
	if (type <= THREADSTAT_A_THREAD_MAX) {
		th->has[type] = true;
		th->v[type] = attr_number(a);
	}
	switch (type) {
	case THREADSTAT_A_THREAD_CPUS_ALLOWED:
		memcpy(th->cpus, mnl_attr_get_payload(a),
		       mnl_attr_get_payload_len(a) < sizeof(th->cpus) ?
		       mnl_attr_get_payload_len(a) : sizeof(th->cpus));
		break;
	case THREADSTAT_A_THREAD_TID:
		th->tid = mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_TGID:
		th->tgid = mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_PPID:
		th->ppid = mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_CPU:
		th->cpu = mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_POLICY:
		th->policy = mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_RT_PRIORITY:
		th->rt_priority = mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_NICE:
		th->nice = (int32_t)mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_PRIO:
		th->prio = (int32_t)mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_STATIC_PRIO:
		th->static_prio = (int32_t)mnl_attr_get_u32(a);
		break;
	case THREADSTAT_A_THREAD_COMM:
		strncpy(th->comm, mnl_attr_get_str(a), sizeof(th->comm) - 1);
		break;
	case THREADSTAT_A_THREAD_STATE:
		th->state = (char)mnl_attr_get_u8(a);
		break;
	case THREADSTAT_A_THREAD_SUM_EXEC_RUNTIME:
		th->sum_exec_runtime = mnl_attr_get_u64(a);
		break;
	case THREADSTAT_A_THREAD_NVCSW:
		th->nvcsw = mnl_attr_get_u64(a);
		break;
	case THREADSTAT_A_THREAD_NIVCSW:
		th->nivcsw = mnl_attr_get_u64(a);
		break;
	case THREADSTAT_A_THREAD_STACK:
		mnl_attr_parse_nested(a, stack_attr, th);
		break;
	case THREADSTAT_A_THREAD_REGS:
		mnl_attr_parse_nested(a, regs_attr, th);
		break;
	case THREADSTAT_A_THREAD_SYSCALL:
		mnl_attr_parse_nested(a, syscall_attr, th);
		break;
	case THREADSTAT_A_THREAD_KERNEL_STACK:
		if (th->n_frames < TSNL_FRAMES)
			copy_str(th->frames[th->n_frames], sizeof(th->frames[0]),
				 a);
		th->n_frames++;
		break;
	case THREADSTAT_A_THREAD_WCHAN:
		copy_str(th->wchan, sizeof(th->wchan), a);
		break;
	case THREADSTAT_A_THREAD_WAIT:
		th->has_wait = true;
		mnl_attr_parse_nested(a, wait_attr, th);
		break;
	case THREADSTAT_A_THREAD_PROCESS:
		th->has_process = true;
		mnl_attr_parse_nested(a, process_attr, th);
		break;
	case THREADSTAT_A_THREAD_LATENCY:
		th->has_latency = true;
		mnl_attr_parse_nested(a, latency_attr, th);
		break;
	}
	return MNL_CB_OK;
}

void tsnl_parse_thread(const struct nlmsghdr *nlh, struct tsnl_thread *th)
{
	memset(th, 0, sizeof(*th));
	mnl_attr_parse(nlh, GENL_HDRLEN, thread_attr, th);
}

static int rec_attr(const struct nlattr *a, void *data)
{
	struct tsnl_rec *rec = data;
	uint16_t type = mnl_attr_get_type(a);
	size_t len = mnl_attr_get_payload_len(a);

	if (type > TSNL_REC_MAX)
		return MNL_CB_OK;
	rec->has[type] = true;
	rec->v[type] = attr_number(a);
	if (rec->cmd != THREADSTAT_CMD_CPU_GET)
		return MNL_CB_OK;
	if (type == THREADSTAT_A_CPU_SIBLINGS)
		memcpy(rec->cpus, mnl_attr_get_payload(a),
		       len < sizeof(rec->cpus) ? len : sizeof(rec->cpus));
	if (type == THREADSTAT_A_CPU_CURR_COMM)
		copy_str(rec->comm, sizeof(rec->comm), a);
	return MNL_CB_OK;
}

/* Keep a CPU_GET or SYSTEM_GET reply in r->recs. */
static int add_rec(struct tsnl_reply *r, const struct nlmsghdr *nlh,
		   uint8_t cmd)
{
	struct tsnl_rec *recs;

	_Static_assert((int)THREADSTAT_A_SYSTEM_MAX <= (int)TSNL_REC_MAX,
		       "tsnl_rec holds both sets");
	recs = realloc(r->recs, (r->n_recs + 1) * sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	r->recs = recs;
	memset(&recs[r->n_recs], 0, sizeof(*recs));
	recs[r->n_recs].cmd = cmd;
	mnl_attr_parse(nlh, GENL_HDRLEN, rec_attr, &recs[r->n_recs]);
	r->n_recs++;
	return 0;
}

static void extack_text(const struct nlmsghdr *nlh, size_t off,
			struct tsnl_reply *r)
{
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			strncpy(r->extack, mnl_attr_get_str(a),
				sizeof(r->extack) - 1);
}

static int keep_raw(struct tsnl_reply *r, const struct nlmsghdr *nlh)
{
	size_t len = MNL_ALIGN(nlh->nlmsg_len);
	unsigned char *raw = realloc(r->raw, r->raw_len + len);

	if (!raw)
		return -1;
	memcpy(raw + r->raw_len, nlh, nlh->nlmsg_len);
	memset(raw + r->raw_len + nlh->nlmsg_len, 0, len - nlh->nlmsg_len);
	r->raw = raw;
	r->raw_len += len;
	return 0;
}

int tsnl_send(struct tsnl *t, struct nlmsghdr *nlh, struct tsnl_reply *r)
{
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	char *buf = malloc(t->recv_size);
	unsigned int cap = 0;
	uint8_t cmd;
	int n;

	memset(r, 0, sizeof(*r));
	if (!buf)
		return -ENOMEM;
	if (mnl_socket_sendto(t->nl, nlh, nlh->nlmsg_len) < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		n = mnl_socket_recvfrom(t->nl, buf, t->recv_size);
		if (n < 0) {
			free(buf);
			return -errno;
		}
		r->recvs++;
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				r->dump_intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				r->error = e->error;
				extack_text(nlh, sizeof(*e), r);
				if (e->error || !dump)
					goto out;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				r->error = *(int *)mnl_nlmsg_get_payload(nlh);
				extack_text(nlh, sizeof(int), r);
				goto out;
			}
			if (nlh->nlmsg_type != t->family)
				continue;
			cmd = ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
			if (cmd != THREADSTAT_CMD_THREAD_GET) {
				if (add_rec(r, nlh, cmd)) {
					free(buf);
					return -ENOMEM;
				}
				continue;
			}
			if (r->n == cap) {
				cap = cap ? cap * 2 : 64;
				r->threads = realloc(r->threads,
						     cap * sizeof(*r->threads));
				if (!r->threads) {
					free(buf);
					return -ENOMEM;
				}
			}
			if (keep_raw(r, nlh)) {
				free(buf);
				return -ENOMEM;
			}
			tsnl_parse_thread(nlh, &r->threads[r->n++]);
		}
	}
out:
	free(buf);
	return 0;
}

void tsnl_reply_free(struct tsnl_reply *r)
{
	free(r->threads);
	r->threads = NULL;
	r->n = 0;
	free(r->raw);
	r->raw = NULL;
	r->raw_len = 0;
	free(r->recs);
	r->recs = NULL;
	r->n_recs = 0;
}

struct nlmsghdr *tsnl_dump_msg(struct tsnl *t, void *buf, uint32_t tgid,
			       uint32_t fields)
{
	struct nlmsghdr *nlh;

	nlh = tsnl_msg(t, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_DUMP);
	if (tgid)
		mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TGID, tgid);
	if (fields)
		mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, fields);
	return nlh;
}

int tsnl_dump_fields(struct tsnl *t, uint32_t tgid, uint32_t fields,
		     struct tsnl_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return tsnl_send(t, tsnl_dump_msg(t, buf, tgid, fields), r);
}

int tsnl_get_fields(struct tsnl *t, uint32_t tid, uint32_t fields,
		    struct tsnl_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = tsnl_msg(t, buf, THREADSTAT_CMD_THREAD_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_TID, tid);
	if (fields)
		mnl_attr_put_u32(nlh, THREADSTAT_A_THREAD_FIELDS, fields);
	return tsnl_send(t, nlh, r);
}

int tsnl_dump_threads(struct tsnl *t, uint32_t tgid, struct tsnl_reply *r)
{
	return tsnl_dump_fields(t, tgid, 0, r);
}

int tsnl_get_thread(struct tsnl *t, uint32_t tid, struct tsnl_reply *r)
{
	return tsnl_get_fields(t, tid, 0, r);
}

int tsnl_get_cpu(struct tsnl *t, uint32_t cpu, struct tsnl_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = tsnl_msg(t, buf, THREADSTAT_CMD_CPU_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, THREADSTAT_A_CPU_CPU, cpu);
	return tsnl_send(t, nlh, r);
}

int tsnl_dump_cpus(struct tsnl *t, struct tsnl_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return tsnl_send(t, tsnl_msg(t, buf, THREADSTAT_CMD_CPU_GET,
				     NLM_F_DUMP), r);
}

int tsnl_get_system(struct tsnl *t, struct tsnl_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return tsnl_send(t, tsnl_msg(t, buf, THREADSTAT_CMD_SYSTEM_GET,
				     NLM_F_ACK), r);
}

int tsnl_sum_cpus(struct tsnl *t, uint64_t *threads, uint64_t *running)
{
	struct tsnl_reply r;
	unsigned int i;
	int err;

	*threads = *running = 0;
	err = tsnl_dump_cpus(t, &r);
	if (!err && r.error)
		err = r.error;
	if (!err && !r.n_recs)
		err = -ENODATA;
	for (i = 0; !err && i < r.n_recs; i++) {
		*threads += r.recs[i].v[THREADSTAT_A_CPU_NR_THREADS];
		*running += r.recs[i].v[THREADSTAT_A_CPU_NR_RUNNING];
	}
	tsnl_reply_free(&r);
	return err;
}
