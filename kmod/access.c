// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see what: the privilege model of THREAD_GET, never wider than
 * /proc for the same caller and the same target.
 *
 *   group      /proc for the same data              threadstat
 *   stack      /proc/PID/mem: ptrace ATTACH         ptrace ATTACH
 *   kstack     /proc/PID/stack: CAP_SYS_ADMIN in    the same
 *              init_user_ns + ptrace ATTACH
 *   regs       /proc/PID/syscall: ptrace ATTACH     ptrace ATTACH
 *   delayacct  blkio delay in /proc/PID/stat for    blkio delay for all; the
 *   (details)  all; the others only by taskstats,   other delays and counts
 *              CAP_NET_ADMIN in init_user_ns        need CAP_NET_ADMIN there
 *   (hidepid)  hidepid=2/4 mount option of /proc    module parameter hidepid
 *
 * ptrace_may_access() and the LSM hook behind it are not exported, so
 * ts_ptrace_allowed() rebuilds __ptrace_may_access() (kernel/ptrace.c), the
 * capability LSM's rule (security/commoncap.c) and Yama's ptrace_scope
 * rules (security/yama/yama_lsm.c) from exported pieces.
 * Other LSMs (AppArmor, SELinux) cannot be asked from a module: a policy
 * of theirs that denies ptrace is not applied here. This is documented as
 * a gap in the README and the UAPI header.
 *
 * Whose credentials: netlink_ns_capable() checks both the socket's opener
 * (file->f_cred) and the task that is running the request, so that a
 * socket handed to a privileged program (or opened by one and handed out)
 * grants nothing by itself. We do the same: every rule must hold for both.
 * A dump's later callbacks run in whoever reads the socket; their current
 * credentials are checked then, as /proc checks at read().
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/mm_types.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <net/sock.h>

#include "threadstat.h"

/* Yama's values of kernel.yama.ptrace_scope (YAMA_SCOPE_* are private). */
enum {
	TS_YAMA_DISABLED = 0,
	TS_YAMA_RELATIONAL = 1,
	TS_YAMA_CAPABILITY = 2,
	TS_YAMA_NO_ATTACH = 3,
};

/*
 * hidepid: what the administrator mounted /proc with. A module cannot read
 * the caller's /proc mount options: a caller may have several /proc mounts
 * (or none) with different options, they live in struct proc_fs_info,
 * which is private to fs/proc, and which mount applies to a netlink socket
 * is not defined. So the administrator states it here.
 *   0  nothing hidden (hidepid=0, "off")
 *   1  taken as 2: /proc lists the pid but refuses every file under it,
 *      which leaves nothing a thread reply could carry
 *   2  threads of processes the caller could not ptrace-read are left out
 *      ("invisible"); 4 the same ("ptraceable"). The gid= exemption of
 *      /proc is not mirrored (narrower).
 */
static int ts_hidepid;

static int ts_hidepid_set(const char *val, const struct kernel_param *kp)
{
	int n, err;

	err = kstrtoint(val, 0, &n);
	if (err)
		return err;
	if (n != 0 && n != 1 && n != 2 && n != 4)
		return -EINVAL;
	WRITE_ONCE(ts_hidepid, n);
	return 0;
}

static const struct kernel_param_ops ts_hidepid_ops = {
	.set = ts_hidepid_set,
	.get = param_get_int,
};

module_param_cb(hidepid, &ts_hidepid_ops, &ts_hidepid, 0644);
MODULE_PARM_DESC(hidepid,
		 "as /proc's hidepid= (0, 1, 2, 4): hide threads of processes the caller may not ptrace-read");

/*
 * kernel.yama.ptrace_scope is not exported; its sysctl file is opened once
 * at load, in the loader's namespaces, for the reasons accounting_state.c
 * gives, and read once per request.
 */
static struct file *ts_yama_file;
static bool ts_yama_absent;

/**
 * ts_access_init() - open Yama's ptrace_scope sysctl
 *
 * Without the file, Yama is taken to be absent when /proc/sys/kernel is
 * there (a kernel without Yama), and at its strictest otherwise.
 */
void ts_access_init(void)
{
	struct file *probe;

	ts_yama_file = ts_sysctl_open("/proc/sys/kernel/yama/ptrace_scope");
	if (ts_yama_file)
		return;
	probe = filp_open("/proc/sys/kernel/osrelease", O_RDONLY, 0);
	if (!IS_ERR(probe)) {
		ts_yama_absent = true;
		fput(probe);
	}
}

/**
 * ts_access_exit() - close what ts_access_init() opened
 */
void ts_access_exit(void)
{
	if (ts_yama_file)
		fput(ts_yama_file);
}

static u8 ts_yama_scope(void)
{
	int scope;

	if (ts_yama_absent)
		return TS_YAMA_DISABLED;
	/* Unreadable or nonsense: the strictest, never a guess. */
	if (ts_sysctl_read(ts_yama_file, &scope) ||
	    scope < TS_YAMA_DISABLED || scope > TS_YAMA_NO_ATTACH)
		return TS_YAMA_NO_ATTACH;
	return scope;
}

/* The socket's file while a request or dump callback runs on it. */
static const struct file *ts_sock_file(const struct sk_buff *skb)
{
	struct sock *sk = NETLINK_CB(skb).sk;

	if (!sk || !sk->sk_socket)
		return NULL;
	return sk->sk_socket->file;
}

/**
 * ts_access_view_init() - the request-wide part of the privilege model
 * @view: the view being set up; @view->fields holds the requested groups
 * @skb: the request
 *
 * Takes out of @view->fields the groups this caller may not see about any
 * thread (kstack without CAP_SYS_ADMIN), names them in @view->withheld,
 * and names delayacct there too when its administrator-only delays will
 * be left out. Records what the per-thread checks need.
 */
void ts_access_view_init(struct ts_view *view, const struct sk_buff *skb)
{
	view->sock_file = ts_sock_file(skb);
	view->yama_scope = ts_yama_scope();
	view->hidepid = READ_ONCE(ts_hidepid);
	view->withheld = 0;

	/* Like proc_pid_stack(), plus the current task like netlink. */
	if ((view->fields & THREADSTAT_FIELDS_KSTACK) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN))
		view->withheld |= THREADSTAT_FIELDS_KSTACK;
	/* Like taskstats (GENL_ADMIN_PERM: CAP_NET_ADMIN, init_user_ns). */
	if ((view->fields & THREADSTAT_FIELDS_DELAYACCT) &&
	    !netlink_capable(skb, CAP_NET_ADMIN))
		view->withheld |= THREADSTAT_FIELDS_DELAYACCT;

	view->fields &= ~(view->withheld & THREADSTAT_FIELDS_PRIVILEGED);
	if (!view->sock_file) {
		/* No opener to check: nothing privileged. */
		view->withheld |= view->fields & THREADSTAT_FIELDS_PRIVILEGED;
		view->fields &= ~THREADSTAT_FIELDS_PRIVILEGED;
	}
}

/**
 * ts_access_delay_details() - may the caller see every delay?
 * @view: the requester
 *
 * Return: true when the delays taskstats keeps for administrators (all but
 * the block I/O delay, which /proc/PID/stat shows to anyone) may be sent.
 */
bool ts_access_delay_details(const struct ts_view *view)
{
	return !(view->withheld & THREADSTAT_FIELDS_DELAYACCT);
}

/* One caller identity: the current task (no file) or the socket opener. */
struct ts_caller {
	const struct cred *cred;
	const struct file *file;
};

static bool ts_caller_capable(const struct ts_caller *c,
			      struct user_namespace *ns)
{
	if (c->file)
		return file_ns_capable(c->file, ns, CAP_SYS_PTRACE);
	/* Checked for every thread of a dump: do not audit each refusal. */
	return ns_capable_noaudit(ns, CAP_SYS_PTRACE);
}

/* The uid/gid rule of __ptrace_may_access(), with fs ids (FSCREDS). */
static bool ts_ids_match(const struct cred *c, const struct cred *t)
{
	return uid_eq(c->fsuid, t->euid) && uid_eq(c->fsuid, t->suid) &&
	       uid_eq(c->fsuid, t->uid) && gid_eq(c->fsgid, t->egid) &&
	       gid_eq(c->fsgid, t->sgid) && gid_eq(c->fsgid, t->gid);
}

/* Yama's task_is_descendant(): is @task in a process below current's? */
static bool ts_current_is_ancestor(struct task_struct *task)
{
	struct task_struct *me, *walker = task;
	bool found = false;

	rcu_read_lock();
	me = READ_ONCE(current->group_leader);
	while (walker->pid > 0) {
		if (!thread_group_leader(walker))
			walker = READ_ONCE(walker->group_leader);
		if (walker == me) {
			found = true;
			break;
		}
		walker = rcu_dereference(walker->real_parent);
	}
	rcu_read_unlock();
	return found;
}

/*
 * Yama's yama_ptrace_access_check() for PTRACE_MODE_ATTACH. Exceptions
 * granted with prctl(PR_SET_PTRACER) are kept in a list private to Yama:
 * we cannot see them, so they are refused (narrower than /proc).
 */
static bool ts_yama_allows(const struct ts_caller *c, struct task_struct *task,
			   u8 scope)
{
	struct user_namespace *ns;
	bool ok;

	switch (scope) {
	case TS_YAMA_DISABLED:
		return true;
	case TS_YAMA_RELATIONAL:
		if (!pid_alive(task))
			return false;
		if (ts_current_is_ancestor(task))
			return true;
		fallthrough;
	case TS_YAMA_CAPABILITY:
		rcu_read_lock();
		ns = __task_cred(task)->user_ns;
		ok = ts_caller_capable(c, ns);
		rcu_read_unlock();
		return ok;
	default:
		return false;
	}
}

/*
 * The capability LSM's cap_ptrace_access_check(), which always runs: in
 * the same user namespace the caller's effective capabilities (FSCREDS)
 * must include all the target may use, else it needs CAP_SYS_PTRACE over
 * the target's namespace. This is what keeps root without CAP_SYS_PTRACE
 * off a root process, and a user-namespace root off its own uid outside.
 */
static bool ts_commoncap_allows(const struct ts_caller *c,
				struct task_struct *task)
{
	const struct cred *tcred;
	bool ok;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (c->cred->user_ns == tcred->user_ns &&
	      cap_issubset(tcred->cap_permitted, c->cred->cap_effective)) ||
	     ts_caller_capable(c, tcred->user_ns);
	rcu_read_unlock();
	return ok;
}

/*
 * __ptrace_may_access() for one caller identity, without the same thread
 * group shortcut (the callers take it first). Called with task_lock held,
 * as ptrace_may_access() does, so task->mm cannot change under us.
 */
static bool ts_ptrace_allowed(const struct ts_caller *c,
			      struct task_struct *task, bool attach, u8 yama)
{
	const struct cred *tcred;
	struct mm_struct *mm;
	bool ok;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = ts_ids_match(c->cred, tcred) ||
	     ts_caller_capable(c, tcred->user_ns);
	rcu_read_unlock();
	if (!ok)
		return false;

	/*
	 * Read dumpability after the credentials: a task that drops
	 * privileges becomes non-dumpable after its new creds are visible.
	 * Pairs with the write barrier in commit_creds(), as in ptrace.c.
	 */
	smp_rmb();
	mm = task->mm;
	if (mm && get_dumpable(mm) != SUID_DUMP_USER &&
	    !ts_caller_capable(c, mm->user_ns))
		return false;

	return ts_commoncap_allows(c, task) &&
	       (!attach || ts_yama_allows(c, task, yama));
}

/* Both the current task and the socket's opener must pass. */
static bool ts_may_ptrace(struct task_struct *task, const struct ts_view *view,
			  bool attach)
{
	struct ts_caller me = { .cred = current_cred() };
	struct ts_caller opener;
	bool ok;

	/* "Don't let security modules deny introspection" (ptrace.c). */
	if (same_thread_group(task, current))
		return true;
	if (!view->sock_file)
		return false;
	opener.cred = view->sock_file->f_cred;
	opener.file = view->sock_file;

	task_lock(task);
	ok = ts_ptrace_allowed(&me, task, attach, view->yama_scope) &&
	     ts_ptrace_allowed(&opener, task, attach, view->yama_scope);
	task_unlock(task);
	return ok;
}

/**
 * ts_access_withheld() - privileged groups this caller may not see of @task
 * @task: the target thread (referenced by the caller)
 * @view: the requester
 *
 * stack (user stack memory, as /proc/PID/mem), kstack (as /proc/PID/stack,
 * whose CAP_SYS_ADMIN part ts_access_view_init() checked) and regs (as
 * /proc/PID/syscall) all need ptrace ATTACH rights over @task.
 *
 * Return: the requested privileged groups to leave out for @task.
 */
u32 ts_access_withheld(struct task_struct *task, const struct ts_view *view)
{
	u32 want = view->fields & THREADSTAT_FIELDS_PRIVILEGED;

	if (!want || ts_may_ptrace(task, view, true))
		return 0;
	return want;
}

/**
 * ts_access_visible() - may the caller know about @task at all?
 * @task: the target thread (referenced by the caller)
 * @view: the requester
 *
 * With the hidepid parameter set, a thread is visible only to callers that
 * could ptrace-read it (PTRACE_MODE_READ: Yama does not apply), as /proc's
 * has_pid_permissions() decides for hidepid=2 and 4.
 *
 * Return: true when @task may be reported.
 */
bool ts_access_visible(struct task_struct *task, const struct ts_view *view)
{
	if (!view->hidepid)
		return true;
	return ts_may_ptrace(task, view, false);
}
