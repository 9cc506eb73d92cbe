# bash completion for git pare: commands, flags, plan ids, checkpoints and session ids.
# git's own completion calls _git_pare for `git pare …`; `complete … git-pare` covers the binary itself.
# Install: source this file after git's completion (e.g. from ~/.bashrc), or copy it to
# ~/.local/share/bash-completion/completions/git-pare. The candidates come from `git pare __complete`.

__git_pare_reply () {
	local IFS=$'\n'
	COMPREPLY=($(git pare __complete -- "$@" 2>/dev/null))
}

# Called by git's completion with words/cword set; everything after "pare" up to the cursor is passed on.
_git_pare () {
	local i start=-1
	for ((i = 1; i < cword; i++)); do
		if [[ ${words[i]} == pare ]]; then start=$i; break; fi
	done
	((start < 0)) && return 0
	__git_pare_reply "${words[@]:start+1:cword-start}"
}

_git_pare_direct () {
	__git_pare_reply "${COMP_WORDS[@]:1:COMP_CWORD}"
}
complete -o default -F _git_pare_direct git-pare
