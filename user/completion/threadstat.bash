# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bash completion for threadstat(8): commands and options (asked of
# `threadstat --help` so that new commands complete too), field groups,
# sources, and pids and tids from /proc.

# The field groups of --fields: the spec's "fields" flags, and all.
_threadstat_groups="sched schedstats delayacct stack kstack regs wait latency all"

# Every pid (or, with "task", every tid) /proc lists.
_threadstat_ids()
{
	local d
	if [[ $1 == task ]]; then
		for d in /proc/[1-9]*/task/[1-9]*; do
			printf '%s\n' "${d##*/}"
		done
	else
		for d in /proc/[1-9]*; do
			printf '%s\n' "${d##*/}"
		done
	fi
}

# Complete the last item of a comma-separated list from the words in $2.
_threadstat_list()
{
	local cur=$1 prefix=''
	[[ $cur == *,* ]] && prefix=${cur%,*},
	# shellcheck disable=SC2207 # words without blanks
	COMPREPLY=($(compgen -P "$prefix" -W "$2" -- "${cur##*,}"))
	[[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace 2>/dev/null
	return 0
}

_threadstat()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local bin=${COMP_WORDS[0]} cmd='' i w opts

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		[[ $w == --source ]] && { ((i++)); continue; }
		[[ $w == -* ]] && continue
		cmd=$w
		break
	done

	case $prev in
	--source)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "auto module proc" -- "$cur"))
		return 0 ;;
	--fields)
		_threadstat_list "$cur" "$_threadstat_groups"
		return 0 ;;
	--pid)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$(_threadstat_ids)" -- "$cur"))
		return 0 ;;
	--tid)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$(_threadstat_ids task)" -- "$cur"))
		return 0 ;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			opts="--source --help --version"
		else
			opts=$("$bin" --help 2>/dev/null |
				sed -n '/^commands:/,/^options:/s/^  \([a-z][a-z0-9-]*\).*/\1/p')
			[[ -n $opts ]] || opts="threads thread cpus system"
		fi
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	if [[ $cur == -* ]]; then
		opts=$("$bin" "$cmd" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$opts --source --help" -- "$cur"))
		return 0
	fi
	# thread TID: the one positional argument there is
	if [[ $cmd == thread ]]; then
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$(_threadstat_ids task)" -- "$cur"))
	fi
	# latency on|off|status
	if [[ $cmd == latency && $prev == latency ]]; then
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "on off status" -- "$cur"))
	fi
	return 0
}
complete -F _threadstat threadstat
