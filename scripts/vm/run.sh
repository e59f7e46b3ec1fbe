#!/bin/bash
# run.sh -- run a command inside a throw-away qemu VM booting a Debian kernel.
#
# usage: scripts/vm/run.sh [--kernel KVER] [--smp N] [--mem MB] [--timeout SEC]
#                          [--interactive] [--out DIR] -- COMMAND...
#
# Why: threadstat.ko cannot be loaded on this machine (no module loading, no
# KVM), and it must be tested on two kernels (6.1 and 6.12).  This boots the
# chosen /boot/vmlinuz-KVER (or the debug kernel scripts/debug-kernel/build.sh
# cached, see scripts/kernels.sh --boot) under qemu TCG with a tiny initramfs
# (mkinitramfs.sh) that mounts the host's / read-only over 9p with a tmpfs
# overlay, so the guest sees this very tree, the built module and tools, and
# the host's python3/kmod/tmux.  guest-init.sh runs COMMAND (as root, in $PWD)
# and powers off.
#
# COMMAND: one word is a bash script text ('uname -r; lsmod'); several words
# are a command line, shell-quoted as given.
#
# Output: the command's stdout+stderr is printed after the VM exits; the boot
# log goes to RUNDIR/console.log.  Afterwards the guest's kernel log is
# scanned for oopses, WARNINGs, lockups, KASAN/UBSAN reports etc.
#
# Exit status: 3 if the kernel log shows a problem (the lines are printed,
# prefixed "vm: kernel log problem:"); else the command's exit status if the
# guest recorded one; else 124 if the run timed out; else 125: the guest never
# ran or never finished the command (boot failure or crash; the end of
# console.log is printed).  The run dir is removed on success (unless --out),
# kept and named on failure.
#
# Defaults: --kernel = first line of scripts/kernels.sh, --smp 4, --mem 2048,
# --timeout 600 (ignored with --interactive).  --interactive gives the
# command the terminal (serial line, sized like this terminal); Ctrl-A X kills
# the VM.  Env: TS_CACHE (default /var/cache/threadstat) holds the initramfs;
# TS_VM_APPEND adds kernel command-line words ("loglevel=7" shows the boot,
# "ts.debug" traces guest-init.sh, both into RUNDIR/console.log);
# TS_KVER is the default --kernel; TS_VM_CPU overrides -cpu max;
# TS_VM_ACCEL overrides -accel tcg,thread=single; TS_VM_ICOUNT adds
# -icount with its value (e.g. "shift=0,sleep=on", see below).
#
# Why thread=single: measured on this 2-core host, one TCG thread running all
# 4 vCPUs boots and runs faster than multi-threaded TCG (MTTCG: 4 host threads
# fighting over 2 cores, plus cross-vCPU TLB-flush syncs), and it avoids an
# MTTCG cross-modifying-code race seen once as a boot-time "Oops: int3" in
# sched_clock_cpu (a static key being patched) on 6.12.  The guest still has
# 4 CPUs and preempts between them; TS_VM_ACCEL=tcg gives true parallelism.
set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
scripts=$(dirname "$here")

usage() {
	sed -n '4,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

kver=${TS_KVER:-}
smp=4
mem=2048
timeout=600
interactive=0
out=
while [[ $# -gt 0 ]]; do
	case $1 in
	--kernel) kver=${2:?--kernel needs KVER}; shift 2 ;;
	--kernel=*) kver=${1#*=}; shift ;;
	--smp) smp=${2:?--smp needs N}; shift 2 ;;
	--smp=*) smp=${1#*=}; shift ;;
	--mem) mem=${2:?--mem needs MB}; shift 2 ;;
	--mem=*) mem=${1#*=}; shift ;;
	--timeout) timeout=${2:?--timeout needs SECONDS}; shift 2 ;;
	--timeout=*) timeout=${1#*=}; shift ;;
	--interactive) interactive=1; shift ;;
	--out) out=${2:?--out needs DIR}; shift 2 ;;
	--out=*) out=${1#*=}; shift ;;
	--) shift; break ;;
	-h | --help) usage ;;
	*) echo "run.sh: unknown option: $1" >&2; usage ;;
	esac
done
[[ $# -gt 0 ]] || { echo "run.sh: no COMMAND given" >&2; usage; }
for v in "$smp" "$mem" "$timeout"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: not a positive number: $v" >&2; exit 2; }
done

if [[ -z $kver ]]; then
	kver=$("$scripts/kernels.sh" | head -n 1 | cut -f 1) || true
	[[ -n $kver ]] || { echo "run.sh: no kernel found (scripts/kernels.sh)" >&2; exit 125; }
fi
# /boot/vmlinuz-KVER, or the cached debug kernel (make check-debug).
boot=$("$scripts/kernels.sh" --boot "$kver") || exit 125
vmlinuz=${boot%%$'\t'*}
moddir=${boot#*$'\t'}
[[ -r $vmlinuz ]] || { echo "run.sh: $vmlinuz not readable" >&2; exit 125; }

cache=${TS_CACHE:-/var/cache/threadstat}
initrd=$cache/initramfs-$kver.cpio.gz
"$here/mkinitramfs.sh" "$kver" "$initrd" "$moddir" ||
	{ echo "run.sh: building the initramfs failed" >&2; exit 125; }

if [[ -n $out ]]; then
	mkdir -p "$out"
	rundir=$(readlink -f "$out")
	rm -f "$rundir"/{cmd.sh,cwd,winsize,term,interactive,started,rc,output.txt,dmesg.txt,console.log}
else
	rundir=$(mktemp -d "${TMPDIR:-/tmp}/threadstat-vm.XXXXXX")
fi

if [[ $# -eq 1 ]]; then
	printf '%s\n' "$1" >"$rundir/cmd.sh"
else
	printf '%q ' "$@" >"$rundir/cmd.sh"
	echo >>"$rundir/cmd.sh"
fi
printf '%s\n' "$PWD" >"$rundir/cwd"
size=
if [[ -t 0 ]]; then size=$(stty size 2>/dev/null) || size=; fi
[[ $size =~ ^[0-9]+\ [0-9]+$ && $size != "0 0" ]] || size="24 80"
echo "$size" >"$rundir/winsize"
printf '%s\n' "${TERM:-vt100}" >"$rundir/term"
[[ $interactive -eq 0 ]] || : >"$rundir/interactive"

# no_timer_check: the kernel's boot-time check that the timer interrupt
# arrives through the IO-APIC counts ticks against a delay loop; when the
# host is overloaded (load 18 on 2 cores, seen here) TCG falls behind and
# both the stock 6.12 and the debug kernel panicked with "IO-APIC + timer
# doesn't work". The emulated timer does work: skip the check, as KVM
# guests do (kvm_guest_init() sets no_timer_check).
qemu=(qemu-system-x86_64 -accel "${TS_VM_ACCEL:-tcg,thread=single}" -cpu "${TS_VM_CPU:-max}" -smp "$smp" -m "$mem"
	-nographic -no-reboot
	-kernel "$vmlinuz" -initrd "$initrd"
	-nic none
	-append "console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check ts.init=$here/guest-init.sh${TS_VM_APPEND:+ $TS_VM_APPEND}"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$rundir,mount_tag=runout,security_model=none")

# TS_VM_ICOUNT: the guest's clock counts executed instructions (shift=0: one
# per ns, a 1 GIPS CPU, slower than real hardware) instead of following the
# host's clock, so a time measured in the guest no longer grows while the
# host deschedules qemu: benchmarks compare instruction budgets, not luck.
# Needs single-threaded TCG.
[[ -z ${TS_VM_ICOUNT:-} ]] || qemu+=(-icount "$TS_VM_ICOUNT")

start=$(date +%s.%N)
timed_out=0
if [[ $interactive -eq 1 ]]; then
	"${qemu[@]}" -serial mon:stdio || echo "run.sh: qemu exited with status $?" >&2
else
	qrc=0
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null >"$rundir/console.log" 2>&1 || qrc=$?
	if [[ $qrc -eq 124 || $qrc -eq 137 ]]; then
		timed_out=1
	elif [[ $qrc -ne 0 ]]; then
		echo "run.sh: qemu exited with status $qrc" >&2
	fi
	[[ ! -f $rundir/output.txt ]] || cat "$rundir/output.txt"
fi
elapsed=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')

# Kernel problems: prefer the guest's full dmesg (console.log only has what
# passed loglevel=4 and also holds the command's output).
log=$rundir/dmesg.txt
[[ -s $log ]] || log=$rundir/console.log
# What in it fails the run, and what is set aside: kernel-log.sh.
problems=$("$here/kernel-log.sh" "$log" "$rundir/dmesg.checked") || problems=

status=
keep=0
if [[ -n $problems ]]; then
	while IFS= read -r line; do
		echo "vm: kernel log problem: $line" >&2
	done <<<"$problems"
	status=3
elif [[ -s $rundir/rc ]]; then
	status=$(<"$rundir/rc")
	[[ $status =~ ^[0-9]+$ ]] || status=125
	if [[ $timed_out -eq 1 ]]; then
		echo "vm: note: the command finished but the VM did not power off in time" >&2
		keep=1
	fi
elif [[ $timed_out -eq 1 ]]; then
	echo "vm: timed out after ${timeout}s (kernel $kver)" >&2
	status=124
else
	status=125
fi
if [[ ! -s $rundir/rc ]]; then
	if [[ $timed_out -eq 1 ]]; then
		what="the command did not finish"
	elif [[ -f $rundir/started ]]; then
		what="the guest died while running the command"
	else
		what="the guest never ran the command"
	fi
	echo "vm: $what (kernel $kver); end of console.log:" >&2
	tail -n 40 "$rundir/console.log" 2>/dev/null | tr -d '\r' |
		sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1b[a-zA-Z]//g' -e 's/^/vm| /' >&2 || true
fi

if [[ $status -ne 0 || $keep -eq 1 ]]; then
	echo "vm: kernel $kver, exit status $status after ${elapsed}s; run dir kept: $rundir" >&2
elif [[ -z $out ]]; then
	rm -rf "$rundir"
fi
exit "$status"
