#!/bin/bash
# guest-init.sh -- PID 1 of the test VM started by scripts/vm/run.sh.
#
# Why: the VM runs on the host's Debian userland (9p root + tmpfs overlay, see
# mkinitramfs.sh) without systemd.  This script makes sure the minimum a test
# needs is there (proc, sysfs, devtmpfs, devpts, tmpfs on /tmp /run /dev/shm,
# debugfs, tracefs, cgroup2, hostname, PATH, HOME, lo up), runs the command
# that run.sh put into the per-run share /run/threadstat-vm, records its exit
# status and the kernel log there, and powers the VM off.
#
# The initramfs normally mounts all of the above already (with static
# busybox: under TCG every exec of a dynamically linked program from the 9p
# root costs ~0.2 s), so this script mostly checks, using bash builtins only.
#
# Files in /run/threadstat-vm (the host's run dir, 9p tag "runout"):
#   in:  cmd.sh  (run with bash), cwd (directory to run in), winsize ("ROWS
#        COLS"), term (TERM), interactive (present = interactive mode)
#   out: started (the command was started), output.txt (its stdout+stderr;
#        not in interactive mode), rc (its exit status), dmesg.txt
#
# As PID 1 this script must never exit (that panics the kernel): every exit
# path, including a failure under set -e, ends in the power-off trap below.
# Bash as PID 1 reaps orphaned children whenever it waits.
#
# Debugging: TS_VM_APPEND=ts.debug scripts/vm/run.sh ... traces this script
# on the console (RUNDIR/console.log), with timestamps.
set -euo pipefail

share=/run/threadstat-vm

# shellcheck disable=SC2317 # invoked via trap
poweroff_now() {
	trap - EXIT
	set +e
	sync
	echo o >/proc/sysrq-trigger
	# sysrq power-off is asynchronous; keep PID 1 alive (and reaping) until then.
	while :; do sleep 1; done
}
trap poweroff_now EXIT

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
export LANG=C.UTF-8
cd /

# Note: the 9p root export crosses the HOST's mount points, so /proc, /sys,
# /run ... of the lower root are the host's own files (read-only).
# mountpoint(1) cannot tell them from guest mounts; only the guest's mount
# table can.  /proc itself must therefore be checked by file system type.
if [[ $(stat -f -c %T /proc 2>/dev/null) != proc ]]; then
	mount -t proc proc /proc
fi
if [[ " $(</proc/cmdline) " == *" ts.debug "* ]]; then
	PS4='+ ${EPOCHREALTIME} guest-init:${LINENO}: '
	set -x
fi

declare -A mounted=()
read_mounts() {
	local _id _parent _devno _root mp _rest
	mounted=()
	while read -r _id _parent _devno _root mp _rest; do
		mounted[$mp]=1
	done </proc/self/mountinfo
}
mnt() { # TYPE DIR [OPTIONS]: mount unless DIR is a mount point already
	local type=$1 dir=$2 opts=${3:-}
	[[ -z ${mounted[$dir]:-} ]] || return 0
	[[ -d $dir ]] || mkdir -p "$dir"
	mount -t "$type" ${opts:+-o "$opts"} "$type" "$dir"
	mounted[$dir]=1
}
read_mounts

mnt sysfs /sys
mnt devtmpfs /dev mode=0755
mnt devpts /dev/pts gid=5,mode=620,ptmxmode=666
mnt tmpfs /dev/shm mode=1777,nosuid,nodev
# devtmpfs lacks the links udev would make; bash process substitution needs /dev/fd.
[[ -e /dev/fd ]] || ln -s /proc/self/fd /dev/fd
for i in 0:stdin 1:stdout 2:stderr; do
	[[ -e /dev/${i#*:} ]] || ln -s "/proc/self/fd/${i%%:*}" "/dev/${i#*:}"
done
# /tmp is left as the overlay gives it (writable, host /tmp visible beneath).

# /run must be a tmpfs, but mounting one over /run would hide the share at
# /run/threadstat-vm: park the share, mount /run, move the share back.
if [[ -z ${mounted[/run]:-} ]]; then
	park=/.threadstat-vm-share
	mkdir -p "$park"
	mount --move "$share" "$park"
	mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
	mkdir -p "$share"
	mount --move "$park" "$share"
	rmdir "$park"
	mkdir -p /run/lock /run/user
fi

mnt debugfs /sys/kernel/debug
[[ ! -d /sys/kernel/tracing ]] || mnt tracefs /sys/kernel/tracing
mnt cgroup2 /sys/fs/cgroup nsdelegate

if [[ $(</proc/sys/kernel/hostname) != threadstat-vm ]]; then
	echo threadstat-vm >/proc/sys/kernel/hostname
fi
if ((($(</sys/class/net/lo/flags) & 1) == 0)); then
	ip link set lo up
fi

cwd=/
[[ ! -s $share/cwd ]] || cwd=$(<"$share/cwd")
if ! cd "$cwd" 2>/dev/null; then
	echo "guest-init: cannot cd to $cwd (hidden by a guest tmpfs?); running in /" >&2
	cd /
fi
if [[ -s $share/term ]]; then
	TERM=$(<"$share/term")
	export TERM
fi

: >"$share/started"
rc=0
if [[ -e $share/interactive ]]; then
	rows=24 cols=80
	if [[ -s $share/winsize ]]; then
		read -r rows cols <"$share/winsize" || true
	fi
	# setsid -c makes ttyS0 the controlling terminal (job control, ^C work);
	# a serial line reports a 0x0 window, so set the host terminal's size.
	# shellcheck disable=SC2016 # expanded by the inner sh
	setsid -c sh -c 'stty rows "$1" cols "$2"; exec bash "$3"' sh "$rows" "$cols" "$share/cmd.sh" \
		<>/dev/ttyS0 >&0 2>&1 || rc=$?
else
	bash "$share/cmd.sh" </dev/null 2>&1 | tee "$share/output.txt" || rc=${PIPESTATUS[0]}
fi
echo "$rc" >"$share/rc"

dmesg >"$share/dmesg.txt" 2>&1 || true
exit 0 # -> poweroff_now (syncs)
