#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-bench.sh -- the in-VM half of `make bench`: what one full snapshot of
# every thread costs through threadstat and through its peers.
#
# usage (as root, in the VM, from the repository): bench/run-bench.sh
#
# For each thread count N (BENCH_THREADS, default "1000 10000 50000") it
# starts bench spawn_threads (N blocked threads + 2 part-time spinners) and
# measures, with the programs built into build/bench by `make bench-tools`:
#   (a) threadstat dump, default field group       threadstat_snapshot
#   (b) threadstat dump, all field groups (root)    threadstat_snapshot --fields all
#   (c) procfs stat+status+schedstat, htop's way    procfs_snapshot
#   (d) taskstats, one TASKSTATS_CMD_GET per tid    taskstats_snapshot
#   (e) ps -eLf >/dev/null                          command_snapshot -- ps -eLf
#   (f) BPF task iterator, same fields as (a)       task_iter_snapshot
# and a threadstat dump with each field group alone; then what users run,
# end to end, output to /dev/null (command_snapshot: the child's CPU time):
#   threadstat threads, --json, --csv               build/release/threadstat
#   threadtop -b and -b -H, per refresh             build/release/threadtop
# threadtop's per-refresh cost is the difference between a run of 3 frames
# and one of 1 frame, halved (start-up and the first sample cancel out);
# its wall time holds the 0.1 s sleeps between samples, so only its CPU
# time is shown. At N > BENCH_FULL_MAX (default 10000) only (a), (f) and
# the end-to-end rows run: (b)-(e) and the groups take minutes per round
# there under TCG, and the goals at 50k and 100k are about (a), threadtop
# and the CLI (BENCH_FULL_MAX=100000 runs everything everywhere).
#
# Then, for each N in BENCH_CPU_THREADS (default "1000 10000 100000"), the
# cost of the requests that walk every thread once per request
# (cpu_system_snapshot): a CPU_GET dump of all CPUs, a CPU_GET do request
# and a SYSTEM_GET, interleaved likewise, per request and per thread
# walked. Then (section "exporter") bench/exporter_bench.py: threadstat
# exporter against prometheus-process-exporter (threads on) scraping the
# same threads, for N in BENCH_EXPORTER_THREADS (default "1000 10000
# 50000"). Then (section "events") bench/events_bench.sh: the cost of the
# lifecycle events and latency histograms on hackbench beside runqlat.bt,
# and an exit storm to one events listener. Then (section "waits")
# bench/wait_cost.c: at BENCH_WAIT_THREADS (default 10000) threads, 1000 of
# them contending one held mutex, the default dump against the dump with
# the wait group (the group's cost per thread) and the wait graph's build
# time. BENCH_SECTIONS (default "snapshot cpu-system exporter events
# waits") picks the parts.
#
# Runs are interleaved: round r runs every method once, so a burst of load
# from elsewhere on the host hits all methods alike and the ratios stay
# meaningful. The first round is preceded by one untimed warm-up snapshot of
# (a)-(d) (dentries, caches: the steady state of a tool refreshing every
# second). Reported per method: the best (lowest) wall time of BENCH_RUNS
# rounds (default 10 at 1k, 7 at 10k, 3 at 50k; ps -eLf, ~7 ms per thread
# under TCG, in two rounds at 1k, one at 10k, none at 50k unless
# BENCH_PS_ALL=1), as total ms and µs per
# thread, the median and the spread ((worst - best) / best), and the CPU
# time (user+sys, getrusage) of the best-CPU run. Schedstats and delay
# accounting are switched on for the whole run, so their groups carry data.
set -euo pipefail

repo=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
cd "$repo"
bin=build/bench
kver=$(uname -r)
counts=${BENCH_THREADS:-1000 10000 50000 100000}
cpu_counts=${BENCH_CPU_THREADS:-1000 10000 100000}
sections=${BENCH_SECTIONS:-snapshot cpu-system exporter events waits}
full_max=${BENCH_FULL_MAX:-10000}
[[ " $sections " == *" snapshot "* ]] || counts=
[[ " $sections " == *" cpu-system "* ]] || cpu_counts=
tmp=$(mktemp -d)
spawner=

cleanup() {
	if [[ -n $spawner ]]; then
		kill "$spawner" 2>/dev/null || true
		wait "$spawner" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

for p in spawn_threads threadstat_snapshot procfs_snapshot taskstats_snapshot command_snapshot \
	cpu_system_snapshot task_iter_snapshot ../release/threadstat ../release/threadtop; do
	[[ -x $bin/$p ]] || { echo "run-bench: $bin/$p missing (make bench-tools)" >&2; exit 1; }
done
if [[ ! -d /sys/module/threadstat ]]; then
	insmod "build/kmod/$kver/threadstat.ko"
fi

# Room for 50k threads: each takes a pid, a slot under threads-max, and two
# mappings (stack and guard page) under max_map_count. Spawners of earlier N
# used up pids too (pids are handed out cyclically).
max=0
exporter_counts=
[[ " $sections " != *" exporter "* ]] || exporter_counts=${BENCH_EXPORTER_THREADS:-1000 10000 50000}
for n in $counts $cpu_counts $exporter_counts; do ((n > max)) && max=$n; done
want_threads=$((max + 10000))
(($(</proc/sys/kernel/threads-max) >= want_threads)) || echo "$want_threads" >/proc/sys/kernel/threads-max
(($(</proc/sys/kernel/pid_max) >= 4 * want_threads)) || echo $((4 * want_threads)) >/proc/sys/kernel/pid_max
(($(</proc/sys/vm/max_map_count) >= 2 * want_threads + 65536)) ||
	echo $((2 * want_threads + 65536)) >/proc/sys/vm/max_map_count
# bench-vm.sh switches these on from the kernel command line: turning a
# static key on at run time patches kernel text, and under qemu TCG with
# several vCPUs that sometimes ends in an "Oops: int3" in __schedule.
for f in kernel/sched_schedstats kernel/task_delayacct; do
	[[ $(</proc/sys/$f) == 1 ]] || echo 1 >/proc/sys/$f
done

echo "run-bench: kernel $kver, $(nproc) vCPUs, $(awk '/MemTotal/ {printf "%d MiB", $2 / 1024}' /proc/meminfo) RAM;" \
	"threads-max $(</proc/sys/kernel/threads-max), pid_max $(</proc/sys/kernel/pid_max)," \
	"max_map_count $(</proc/sys/vm/max_map_count); schedstats on, delayacct on; $(ps -V | tr -d '\n')"

# name | label | program and arguments
methods=(
	"a|(a) threadstat dump, default group|threadstat_snapshot"
	"b|(b) threadstat dump, all groups|threadstat_snapshot --fields all"
	"c|(c) procfs stat+status+schedstat|procfs_snapshot"
	"d|(d) taskstats, 1 request per tid|taskstats_snapshot"
	"e|(e) ps -eLf >/dev/null|command_snapshot -- ps -eLf"
	"f|(f) BPF task iterator (libbpf)|task_iter_snapshot"
)
cli=build/release/threadstat
top=build/release/threadtop
e2e=(
	"t|threadstat threads (table)|command_snapshot -- $cli threads"
	"j|threadstat threads --json|command_snapshot -- $cli threads --json"
	"v|threadstat threads --csv|command_snapshot -- $cli threads --csv"
	"p1|threadtop -b, 1 frame|command_snapshot -- $top -b -d 1 -n 1"
	"p3|threadtop -b, 3 frames|command_snapshot -- $top -b -d 1 -n 3"
	"h1|threadtop -b -H, 1 frame|command_snapshot -- $top -b -H -d 1 -n 1"
	"h3|threadtop -b -H, 3 frames|command_snapshot -- $top -b -H -d 1 -n 3"
)
groups=(sched schedstats delayacct stack kstack regs)
for g in "${groups[@]}"; do
	methods+=("g_$g|$g alone|threadstat_snapshot --fields $g")
done
methods+=("${e2e[@]}")

# stats FILE: "best_wall median_wall worst_wall best_cpu threads" of its runs
# (threads: what the best run saw)
stats() {
	local walls cpus
	walls=$(sed -n 's/.*wall_us=\([0-9.]*\).*/\1/p' "$1" | sort -g | tr '\n' ' ')
	cpus=$(sed -n 's/.*cpu_us=\([0-9.]*\).*/\1/p' "$1" | sort -g | tr '\n' ' ')
	awk -v walls="$walls" -v cpus="$cpus" '{
		split($0, kv, /[ =]/)
		for (i = 1; i < length(kv); i += 2) v[kv[i]] = kv[i + 1]
		if (NR == 1 || v["wall_us"] + 0 < best) { best = v["wall_us"] + 0; t = v["threads"] }
	} END {
		n = split(walls, w, " "); split(cpus, c, " ")
		if (n == 0) { print "0 0 0 0 0"; exit }
		med = n % 2 ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2
		printf "%.1f %.1f %.1f %.1f %d\n", w[1], med, w[n], c[1], t
	}' "$1"
}

# start_spawner N [ARGS]: N blocked threads + 2 spinners, running in the
# background as $spawner; sets spawned (threads it made) and tgid.
# The head of a request table; $1 names its first column.
table_head() {
	printf '%-36s %10s %10s %10s %10s %8s %10s\n' "$1" "µs/thread" "total ms" "median ms" "worst ms" spread "CPU ms"
}

# One row of it: LABEL RUNS-FILE THREADS DECIMALS (of the µs/thread column;
# the ms columns get one fewer). THREADS empty: the file's own count. Sets
# best and cpu (µs) for the caller.
table_row() {
	local med worst threads
	read -r best med worst cpu threads <<<"$(stats "$2")"
	awk -v l="$1" -v b="$best" -v m="$med" -v w="$worst" -v c="$cpu" -v t="${3:-$threads}" -v p="$4" 'BEGIN {
		u = "%10." p "f"; q = "%10." (p - 1) "f"
		printf "%-36s " u " " q " " q " " q " %7.0f%% " q "\n",
			l, b / t, b / 1000, m / 1000, w / 1000, 100 * (w - b) / b, c / 1000 }'
}

start_spawner() {
	local word
	coproc SPAWN { exec "$bin/spawn_threads" "$@"; }
	spawner=$SPAWN_PID
	if ! read -r word tgid spawned <&"${SPAWN[0]}" || [[ $word != ready ]]; then
		echo "run-bench: spawn_threads $* failed" >&2
		exit 1
	fi
	sleep 1	# let the new threads reach pause()
}

stop_spawner() {
	kill "$spawner"
	wait "$spawner" 2>/dev/null || true
	spawner=
}

# median_per_thread KEY RUNS-FILE: the median of KEY / threads over its runs
median_per_thread() {
	sed -n "s/.*$1=\\([0-9.]*\\).*threads=\\([0-9]*\\).*/\\1 \\2/p" "$2" |
		awk '{ print $1 / $2 }' | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# per_refresh KEY1 KEY3: "cpu_ms_per_refresh" from the best-CPU runs of
# 1 and 3 frames.
per_refresh() {
	local c1 c3
	read -r _ _ _ c1 _ <<<"$(stats "$tmp/$1.runs")"
	read -r _ _ _ c3 _ <<<"$(stats "$tmp/$2.runs")"
	awk -v a="$c1" -v b="$c3" 'BEGIN { printf "%.1f\n", (b - a) / 2 / 1000 }'
}

declare -A a_us ratio_c cli_us
for n in $counts; do
	# Rounds: the 2 part-time spinners share the host's one TCG thread
	# with the measuring vCPU, so single runs spread by 50-130%; the best
	# of many is the run they left alone.
	case $n in
	1000) runs=10 ;;
	10000) runs=7 ;;
	*) runs=3 ;;
	esac
	runs=${BENCH_RUNS:-$runs}
	ps_rounds=2
	((n <= 1000)) || ps_rounds=1
	((n <= 10000)) || [[ -n ${BENCH_PS_ALL:-} ]] || ps_rounds=0
	((ps_rounds <= runs)) || ps_rounds=$runs

	stack=()
	((n <= 50000)) || stack=(--stack 16)	# 100k user stacks fit in the VM
	start_spawner "$n" "${stack[@]}"

	for m in "${methods[@]}"; do : >"$tmp/${m%%|*}.runs"; done
	start=$(date +%s)
	for ((r = 0; r < runs; r++)); do
		for m in "${methods[@]}"; do
			IFS='|' read -r key _ cmd <<<"$m"
			read -r -a argv <<<"$cmd"
			warmup=0
			[[ $r -ne 0 || $key != [a-df] ]] || warmup=1
			if [[ $key == e ]] && ((r >= ps_rounds)); then
				continue
			fi
			if ((n > full_max)) && [[ $key == [b-e] || $key == g_* ]]; then
				continue
			fi
			if ! "$bin/${argv[0]}" "${argv[@]:1}" --runs 1 --warmup $warmup \
				>>"$tmp/$key.runs" 2>>"$tmp/$key.err"; then
				echo "run-bench: $cmd failed:" >&2
				cat "$tmp/$key.err" >&2
				exit 1
			fi
		done
	done
	stop_spawner

	read -r _ _ _ _ a_threads <<<"$(stats "$tmp/a.runs")"
	echo
	echo "== $kver: N = $n blocked threads + 2 spinners (spawner pid $tgid, $spawned threads);" \
		"$a_threads threads in the system; best of $runs rounds, $(($(date +%s) - start)) s"
	table_head method
	for m in "${methods[@]}"; do
		IFS='|' read -r key label _ <<<"$m"
		[[ $key == [a-f] ]] || continue
		if [[ ! -s $tmp/$key.runs ]]; then
			printf '%-36s %10s   (skipped)\n' "$label" -
			continue
		fi
		table_row "$label" "$tmp/$key.runs" "" 2
		declare "best_$key=$best" "cpu_$key=$cpu"
	done
	# End to end: per thread of (a)'s count (the programs print other
	# lines too).
	for m in "${e2e[@]}"; do
		IFS='|' read -r key label _ <<<"$m"
		[[ $key == [tjv] ]] || continue
		table_row "$label" "$tmp/$key.runs" "$a_threads" 2
		declare "best_$key=$best" "cpu_$key=$cpu"
	done
	top_b=$(per_refresh p1 p3)
	top_h=$(per_refresh h1 h3)
	printf '%-36s CPU per refresh: -b %s ms (%.2f µs/thread), -b -H %s ms (%.2f µs/thread)\n' \
		"threadtop (3 frames - 1 frame) / 2" "$top_b" "$(awk -v c="$top_b" -v t="$a_threads" 'BEGIN { print c * 1000 / t }')" \
		"$top_h" "$(awk -v c="$top_h" -v t="$a_threads" 'BEGIN { print c * 1000 / t }')"
	# shellcheck disable=SC2154 # best_*/cpu_* are declared in the loops above
	awk -v a="$best_a" -v f="$best_f" -v t="$best_t" -v j="$best_j" -v v="$best_v" -v ca="$cpu_a" -v h="$top_h" 'BEGIN {
		printf "ratios (wall): (a)/(f) = %.2f   table/(a) = %.2f   json/(a) = %.2f   csv/(a) = %.2f   (threadtop -b -H CPU/refresh)/(a CPU) = %.2f\n",
			a / f, t / a, j / a, v / a, h * 1000 / ca }'
	# Where (a)'s and (f)'s CPU goes: user (decoding) and system (walking
	# and encoding), µs per thread, medians.
	for k in a f; do
		printf '(%s) CPU per thread, medians: user %s µs, system %s µs\n' "$k" \
			"$(median_per_thread user_us "$tmp/$k.runs")" "$(median_per_thread sys_us "$tmp/$k.runs")"
	done
	# The goals' inputs, for every N: above full_max the rest of the
	# loop is skipped, and the threadtop goal is at 50k.
	a_us[$n]=$(awk -v b="$best_a" -v t="$a_threads" 'BEGIN { printf "%.3f", b / t }')
	cli_us[$n]=$(awk -v b="$best_t" -v t="$a_threads" 'BEGIN { printf "%.3f", b / t }')
	declare "goal_af_$n=$(awk -v a="$best_a" -v f="$best_f" 'BEGIN { printf "%.2f", a / f }')"
	declare "goal_j_$n=$(awk -v a="$best_a" -v j="$best_j" 'BEGIN { printf "%.2f", j / a }')"
	declare "goal_t_$n=$(awk -v a="$best_a" -v t="$best_t" 'BEGIN { printf "%.2f", t / a }')"
	declare "goal_h_$n=$(awk -v c="$cpu_a" -v h="$top_h" 'BEGIN { printf "%.2f", h * 1000 / c }')"
	((n <= full_max)) || continue
	# shellcheck disable=SC2154 # best_*/cpu_* are declared in the loop above
	awk -v a="$best_a" -v c="$best_c" -v d="$best_d" -v ca="$cpu_a" -v cc="$cpu_c" -v cd="$cpu_d" 'BEGIN {
		printf "ratios (wall): (c)/(a) = %.1f   (d)/(a) = %.1f      (CPU time: (c)/(a) = %.1f   (d)/(a) = %.1f)\n",
			c / a, d / a, cc / ca, cd / ca }'

	echo "field groups: dump with only that group (identity fields always come along)"
	printf '%-12s %10s %10s %8s\n' group "µs/thread" "total ms" spread
	for g in "${groups[@]}"; do
		read -r best _ worst _ t <<<"$(stats "$tmp/g_$g.runs")"
		awk -v g="$g" -v b="$best" -v w="$worst" -v t="$t" 'BEGIN {
			printf "%-12s %10.2f %10.1f %7.0f%%\n", g, b / t, b / 1000, 100 * (w - b) / b }'
	done
	grep -h 'interrupted dumps' "$tmp"/*.err | awk '{ s += $(NF - 2) } END { if (s) printf "note: %d dumps were flagged interrupted (thread set changed)\n", s }' || true
	rm -f "$tmp"/*.err

	ratio_c[$n]=$(awk -v a="$best_a" -v c="$best_c" 'BEGIN { printf "%.1f", c / a }')
done

# CPU_GET and SYSTEM_GET: each request walks the caller's threads once.
cs_methods=(
	"cpus|CPU_GET dump, all CPUs|cpus"
	"cpu|CPU_GET do, CPU 0|cpu"
	"system|SYSTEM_GET|system"
)
for n in $cpu_counts; do
	case $n in
	1000 | 10000) runs=10 ;;
	*) runs=5 ;;
	esac
	runs=${BENCH_RUNS:-$runs}
	# 16 KiB stacks: 100k threads' user stacks stay within the VM's memory.
	start_spawner "$n" --stack 16
	for m in "${cs_methods[@]}"; do : >"$tmp/cs_${m%%|*}.runs"; done
	start=$(date +%s)
	for ((r = 0; r < runs; r++)); do
		for m in "${cs_methods[@]}"; do
			IFS='|' read -r key _ what <<<"$m"
			if ! "$bin/cpu_system_snapshot" "$what" --runs 1 --warmup $((r == 0)) \
				>>"$tmp/cs_$key.runs" 2>>"$tmp/cs_$key.err"; then
				echo "run-bench: cpu_system_snapshot $what failed:" >&2
				cat "$tmp/cs_$key.err" >&2
				exit 1
			fi
		done
	done
	stop_spawner
	# Per thread walked: SYSTEM_GET's count is every thread in the namespace.
	read -r _ _ _ _ walked <<<"$(stats "$tmp/cs_system.runs")"
	echo
	echo "== $kver: CPU_GET and SYSTEM_GET, N = $n blocked threads + 2 spinners ($spawned threads);" \
		"$walked threads walked per request; best of $runs rounds, $(($(date +%s) - start)) s"
	table_head request
	for m in "${cs_methods[@]}"; do
		IFS='|' read -r key label _ <<<"$m"
		table_row "$label" "$tmp/cs_$key.runs" "$walked" 3
	done
	rm -f "$tmp"/cs_*.err
done

echo
echo "== goals ($kver)"
if [[ -n ${ratio_c[10000]:-} ]]; then
	awk -v r="${ratio_c[10000]}" 'BEGIN {
		printf "(c)/(a) >= 30 at 10k threads: %.1f -> %s\n", r, (r >= 30 ? "met" : "NOT met") }'
fi
# goal LABEL VALUE LIMIT: "LABEL: VALUE -> met" when VALUE <= LIMIT
goal() {
	[[ -n $2 ]] || return 0
	awk -v l="$1" -v v="$2" -v m="$3" 'BEGIN { printf "%s: %.2f -> %s\n", l, v, (v <= m ? "met" : "NOT met") }'
}
goal "(a)/(f) <= 2 at 10k threads" "${goal_af_10000:-}" 2
goal "--json/(a) <= 1.5 at 10k threads (wall)" "${goal_j_10000:-}" 1.5
goal "table/(a) <= 2 at 10k threads (wall)" "${goal_t_10000:-}" 2
goal "threadtop -b -H CPU per refresh / (a) CPU <= 2 at 50k threads" "${goal_h_50000:-}" 2
big=
for n in $counts; do ((n <= 1000)) || big=$n; done
if [[ -n ${a_us[1000]:-} && -n $big ]]; then
	# shellcheck disable=SC2154 # a_us/cli_us are filled in the loop above
	goal "(a) per thread at $big / at 1k <= 1.5" \
		"$(awk -v s="${a_us[1000]}" -v l="${a_us[$big]}" 'BEGIN { print l / s }')" 1.5
	goal "table per thread at $big / at 1k <= 1.5" \
		"$(awk -v s="${cli_us[1000]}" -v l="${cli_us[$big]}" 'BEGIN { print l / s }')" 1.5
fi

if [[ -n $exporter_counts ]]; then
	echo
	echo "== $kver: threadstat exporter vs prometheus-process-exporter"
	BENCH_EXPORTER_THREADS=$exporter_counts python3 bench/exporter_bench.py build/release/threadstat ||
		echo "run-bench: exporter_bench.py failed" >&2
fi

if [[ " $sections " == *" events "* ]]; then
	echo
	bench/events_bench.sh || echo "run-bench: events_bench.sh failed" >&2
fi

if [[ " $sections " == *" waits "* ]]; then
	echo
	echo "== $kver: wait chains (bench/wait_cost.c)"
	"$bin/wait_cost" "${BENCH_WAIT_THREADS:-10000}" 1000 7 ||
		echo "run-bench: wait_cost failed" >&2
fi
