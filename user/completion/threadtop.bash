# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# bash completion for threadtop(1): options (asked of `threadtop --help`),
# views, sources, columns, users, pids from /proc and recordings.

_threadtop_columns="tid uid state cpu policy prio nice cpu-pct run-delay-pct
nvcsw-rate nivcsw-rate nr-migrations-rate threads sum-exec-runtime vm-size
rss shared mem-pct comm max-wait wait-p99"

# Complete the last item of a comma-separated list from the words in $2.
_threadtop_list()
{
	local cur=$1 prefix=''
	[[ $cur == *,* ]] && prefix=${cur%,*},
	# shellcheck disable=SC2207 # words without blanks
	COMPREPLY=($(compgen -P "$prefix" -W "$2" -- "${cur##*,}"))
	[[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace 2>/dev/null
	return 0
}

_threadtop()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local opts pids

	case $prev in
	--view)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "processes cores waits" -- "$cur"))
		return 0 ;;
	--source)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "auto module proc" -- "$cur"))
		return 0 ;;
	-p | --pid)
		pids=$(for d in /proc/[1-9]*; do printf '%s\n' "${d##*/}"; done)
		_threadtop_list "$cur" "$pids"
		return 0 ;;
	-u | --user)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -u -- "$cur"))
		return 0 ;;
	-s | --sort)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$_threadtop_columns" -- "$cur"))
		return 0 ;;
	-o | --columns)
		_threadtop_list "$cur" "$_threadtop_columns"
		return 0 ;;
	-w | --write | -r | --read)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0 ;;
	-d | --delay | -n | --frames)
		return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		opts=$("${COMP_WORDS[0]}" --help 2>/dev/null |
			grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' | tr -d ' ,' | sort -u)
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
	return 0
}
complete -F _threadtop threadtop
