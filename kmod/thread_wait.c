// SPDX-License-Identifier: GPL-2.0
/*
 * The wait group: what a blocked thread waits on. From its saved user
 * registers (thread_regs.c, the same read as the regs group) the system
 * call and its arguments; for futex and futex_waitv the futex address,
 * command, private flag and the futex word as it is now (read from the
 * thread's memory, as /proc/PID/mem would: the caller has ptrace ATTACH
 * rights, access.c checked); for PI futexes the owner the kernel defines
 * (the word's tid), in the requester's pid namespace; for fd-based calls
 * the fd. And how long the thread has been off CPU.
 *
 * Only blocked threads pay for more than a state test: running and
 * runnable ones get wait-missing. Everything here is a snapshot read while
 * the thread stayed off CPU; a thread that ran meanwhile is reported as
 * runnable rather than with values from two different moments.
 */
#include <uapi/linux/futex.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/deadline.h>
#include <linux/sched/rt.h>
#include <asm/unistd.h>

#include "threadstat.h"
#include "task_stack_access.h"

/* System calls that block on the file descriptor in their first argument. */
static bool ts_fd_syscall(int nr)
{
	switch (nr) {
	case __NR_read: case __NR_write: case __NR_readv: case __NR_writev:
	case __NR_pread64: case __NR_pwrite64: case __NR_preadv:
	case __NR_pwritev: case __NR_preadv2: case __NR_pwritev2:
	case __NR_recvfrom: case __NR_recvmsg: case __NR_recvmmsg:
	case __NR_sendto: case __NR_sendmsg: case __NR_sendmmsg:
	case __NR_accept: case __NR_accept4: case __NR_connect:
	case __NR_epoll_wait: case __NR_epoll_pwait: case __NR_epoll_pwait2:
	case __NR_flock: case __NR_fcntl: case __NR_ioctl:
	case __NR_fsync: case __NR_fdatasync: case __NR_sync_file_range:
	case __NR_splice: case __NR_tee: case __NR_sendfile:
	case __NR_copy_file_range: case __NR_io_uring_enter:
		return true;
	}
	return false;
}

/* Futex commands that put the caller to sleep on the futex at uaddr. */
static bool ts_futex_blocks(unsigned int cmd)
{
	switch (cmd) {
	case FUTEX_WAIT: case FUTEX_WAIT_BITSET: case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2: case FUTEX_WAIT_REQUEUE_PI:
		return true;
	}
	return false;
}

/*
 * The owner of a PI futex is the tid in its word, as the waiter's pid
 * namespace numbers it (attach_to_pi_owner() looks it up there). Give it
 * in the requester's namespace, or 0 when it is not visible there or the
 * thread is gone.
 */
static u32 ts_pi_owner(struct task_struct *task, u32 word,
		       const struct ts_view *view)
{
	struct pid_namespace *ns;
	struct pid *pid;
	u32 tid = word & FUTEX_TID_MASK, owner = 0;

	if (!tid)
		return 0;
	rcu_read_lock();
	ns = task_active_pid_ns(task);
	pid = ns ? find_pid_ns(tid, ns) : NULL;
	if (pid && pid_task(pid, PIDTYPE_PID))
		owner = pid_nr_ns(pid, view->pid_ns);
	rcu_read_unlock();
	return owner;
}

/* The futex word now, read from @task's memory; -EFAULT when unreadable. */
static int ts_read_user_u32(struct task_struct *task, u64 addr, u32 *val)
{
	if (addr & 3 || addr > TASK_SIZE_MAX - sizeof(*val))
		return -EFAULT;
	if (access_process_vm(task, addr, val, sizeof(*val), 0) !=
	    sizeof(*val))
		return -EFAULT;
	return 0;
}

struct ts_futex_wait {
	u64 addr;
	u32 cmd;
	u32 val;
	u32 count;	/* futex_waitv: the number of futexes, else 0 */
	bool private;
};

/* What futex / futex_waitv @nr with @args waits on; false: nothing. */
static bool ts_futex_of(struct task_struct *task, int nr, const u64 *args,
			struct ts_futex_wait *f)
{
	struct futex_waitv w;

	memset(f, 0, sizeof(*f));
	if (nr == __NR_futex) {
		f->cmd = args[1] & FUTEX_CMD_MASK;
		if (!ts_futex_blocks(f->cmd))
			return false;
		f->addr = args[0];
		f->private = args[1] & FUTEX_PRIVATE_FLAG;
		f->val = args[2];
		return true;
	}
	if (nr != __NR_futex_waitv || !args[1])
		return false;
	/* The vector is in user memory: report its first futex. */
	if (access_process_vm(task, args[0], &w, sizeof(w), 0) != sizeof(w))
		return false;
	f->cmd = FUTEX_WAIT_BITSET;
	f->addr = w.uaddr;
	f->private = w.flags & FUTEX_PRIVATE_FLAG;
	f->val = w.val;
	f->count = args[1];
	return true;
}

static int ts_put_futex(struct sk_buff *skb, struct task_struct *task,
			const struct ts_futex_wait *f,
			const struct ts_view *view)
{
	u32 word, owner;

	if (ts_put_u64(skb, THREADSTAT_A_WAIT_FUTEX_ADDR, f->addr) ||
	    nla_put_u32(skb, THREADSTAT_A_WAIT_FUTEX_OP, f->cmd) ||
	    nla_put_u8(skb, THREADSTAT_A_WAIT_FUTEX_PRIVATE, f->private) ||
	    nla_put_u32(skb, THREADSTAT_A_WAIT_FUTEX_VAL, f->val))
		return -EMSGSIZE;
	if (f->count &&
	    nla_put_u32(skb, THREADSTAT_A_WAIT_FUTEX_COUNT, f->count))
		return -EMSGSIZE;
	if (ts_read_user_u32(task, f->addr, &word))
		return nla_put_flag(skb, THREADSTAT_A_WAIT_FUTEX_WORD_FAULT);
	if (nla_put_u32(skb, THREADSTAT_A_WAIT_FUTEX_WORD, word))
		return -EMSGSIZE;
	if (f->cmd != FUTEX_LOCK_PI && f->cmd != FUTEX_LOCK_PI2)
		return 0;
	owner = ts_pi_owner(task, word, view);
	if (owner && nla_put_u32(skb, THREADSTAT_A_WAIT_OWNER_TID, owner))
		return -EMSGSIZE;
	if ((word & FUTEX_OWNER_DIED) &&
	    nla_put_flag(skb, THREADSTAT_A_WAIT_OWNER_DIED))
		return -EMSGSIZE;
	return 0;
}

/*
 * ns since @task last left a CPU, in the clock of its run queue: it
 * arrived at sched_info.last_arrival and, for a fair thread, ran
 * sum_exec_runtime - prev_sum_exec_runtime since that pick. For RT and
 * deadline threads the last run's length is not kept: an upper bound.
 */
static u64 ts_blocked_ns(struct task_struct *task)
{
	u64 now = sched_clock_cpu(task_cpu(task));
	u64 since = READ_ONCE(task->sched_info.last_arrival);

	if (!rt_prio(task->prio) && !dl_prio(task->prio))
		since += READ_ONCE(task->se.sum_exec_runtime) -
			 READ_ONCE(task->se.prev_sum_exec_runtime);
	return now > since ? now - since : 0;
}

/**
 * ts_fill_wait() - put the wait group of one thread
 * @skb: message being built
 * @task: the thread (referenced by the caller)
 * @view: requester (the caller checked the privilege)
 *
 * Context: process context, may sleep (reads the thread's memory).
 * Return: 0 or -EMSGSIZE.
 */
int ts_fill_wait(struct sk_buff *skb, struct task_struct *task,
		 const struct ts_view *view)
{
	struct ts_futex_wait f;
	struct pt_regs regs;
	struct nlattr *nest;
	unsigned long ncsw;
	u64 args[6], blocked;
	bool stable;
	int nr;

	if (task->flags & PF_KTHREAD)
		return 0;
	if (task_is_running(task))
		return nla_put_u32(skb, THREADSTAT_A_THREAD_WAIT_MISSING,
				   READ_ONCE(task->on_cpu) ?
				   THREADSTAT_KSTACK_MISSING_RUNNING :
				   THREADSTAT_KSTACK_MISSING_RUNNABLE);
	if (ts_read_user_regs(task, &regs, &stable, &ncsw))
		return nla_put_u32(skb, THREADSTAT_A_THREAD_WAIT_MISSING,
				   THREADSTAT_KSTACK_MISSING_EXITED);
	nr = stable ? ts_syscall_of(task, &regs, args) : -1;
	blocked = ts_blocked_ns(task);
	/* Woken meanwhile: the values above may belong to two moments. */
	if (!stable || !ts_off_cpu_end(task, ncsw) || task_is_running(task))
		return nla_put_u32(skb, THREADSTAT_A_THREAD_WAIT_MISSING,
				   THREADSTAT_KSTACK_MISSING_RUNNABLE);

	nest = nla_nest_start(skb, THREADSTAT_A_THREAD_WAIT);
	if (!nest || nla_put_s32(skb, THREADSTAT_A_WAIT_SYSCALL, nr) ||
	    ts_put_u64(skb, THREADSTAT_A_WAIT_BLOCKED_NS, blocked))
		return -EMSGSIZE;
	/* The numbers below are the 64-bit ABI's. */
	if (nr >= 0 && user_64bit_mode(&regs)) {
		if (ts_fd_syscall(nr) &&
		    nla_put_s32(skb, THREADSTAT_A_WAIT_FD, (int)args[0]))
			return -EMSGSIZE;
		if (ts_futex_of(task, nr, args, &f) &&
		    ts_put_futex(skb, task, &f, view))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
