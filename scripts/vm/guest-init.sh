#!/bin/bash
# guest-init.sh -- PID 1 of the test VM started by scripts/vm/run.sh.
#
# Why: the VM runs on the host's Debian userland (9p root + tmpfs overlay, see
# mkinitramfs.sh) without systemd.  This script does the minimum a test needs
# (proc, sys, dev, devpts, tmpfs /tmp /run /dev/shm, debugfs, tracefs,
# cgroup2, hostname, PATH, lo up), runs the command that run.sh put into the
# per-run share /run/threadstat-vm, records its exit status and the kernel
# log there, and powers the VM off.
#
# Files in /run/threadstat-vm (the host's run dir, 9p tag "runout"):
#   in:  cmd.sh  (run with bash), cwd (directory to run in), winsize ("ROWS
#        COLS"), term (TERM), interactive (present = interactive mode)
#   out: started (the command was started), output.txt (its stdout+stderr;
#        not in interactive mode), rc (its exit status), dmesg.txt
#
# As PID 1 this script must never exit (that panics the kernel): every exit
# path, including a failure under set -e, ends in the power-off trap below.
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

# Note: the 9p root export crosses the HOST's mount points, so /proc, /sys,
# /run ... of the lower root are the host's own files (read-only).  mountpoint(1)
# cannot tell them from guest mounts; only the guest's mount table can.
mounted() { # DIR: is DIR a mount point in this (guest) mount namespace?
	awk -v d="$1" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo
}
mnt() { # TYPE DIR [OPTIONS]: mount once, creating DIR
	local type=$1 dir=$2 opts=${3:-}
	mounted "$dir" && return 0
	mkdir -p "$dir"
	mount -t "$type" ${opts:+-o "$opts"} "$type" "$dir"
}

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
export LANG=C.UTF-8
cd /

mount -t proc proc /proc # unconditionally: the lower /proc is the host's
# ts.debug on the kernel command line (TS_VM_APPEND=ts.debug): trace this script.
if [[ " $(</proc/cmdline) " == *" ts.debug "* ]]; then
	PS4='+ ${EPOCHREALTIME} guest-init:${LINENO}: '
	set -x
fi
mnt sysfs /sys
mnt devtmpfs /dev mode=0755
mnt devpts /dev/pts gid=5,mode=620,ptmxmode=666
mnt tmpfs /dev/shm mode=1777,nosuid,nodev
mnt tmpfs /tmp mode=1777,nosuid,nodev

# A tmpfs on /run would hide the share mounted at /run/threadstat-vm: park the
# share elsewhere, mount /run, and move it back.
if ! mounted /run; then
	park=/.threadstat-vm-share
	mkdir -p "$park"
	mount --move "$share" "$park"
	mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
	mkdir -p "$share"
	mount --move "$park" "$share"
	rmdir "$park"
fi
mkdir -p /run/lock /run/user

mnt debugfs /sys/kernel/debug
if grep -qw tracefs /proc/filesystems; then
	mnt tracefs /sys/kernel/tracing
fi
mnt cgroup2 /sys/fs/cgroup nsdelegate

hostname threadstat-vm
ip link set lo up

rm -f "$share/started" "$share/rc" "$share/output.txt" "$share/dmesg.txt"
cwd=/
[[ ! -s $share/cwd ]] || cwd=$(<"$share/cwd")
if ! cd "$cwd" 2>/dev/null; then
	echo "guest-init: cannot cd to $cwd (tmpfs in the guest hides it?); running in /" >&2
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
	# setsid -c makes ttyS0 the controlling terminal; a serial line reports a
	# 0x0 window, so set the host terminal's size.
	# shellcheck disable=SC2016 # expanded by the inner sh
	setsid -c sh -c 'stty rows "$1" cols "$2"; exec bash "$3"' sh "$rows" "$cols" "$share/cmd.sh" \
		<>/dev/ttyS0 >&0 2>&1 || rc=$?
else
	bash "$share/cmd.sh" </dev/null 2>&1 | tee "$share/output.txt" || rc=${PIPESTATUS[0]}
fi
echo "$rc" >"$share/rc"

dmesg >"$share/dmesg.txt" 2>&1 || true
sync
exit 0 # -> poweroff_now
