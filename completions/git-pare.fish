# fish completion for git pare and git-pare: commands, flags, plan ids, checkpoints and session ids.
# Install: copy to ~/.config/fish/completions/git-pare.fish (git's own fish completion is left alone:
# `git pare …` is completed through the condition below). The candidates come from `git pare __complete`.
function __git_pare_complete
    set -l tokens (commandline -opc)
    set -l i (contains -i -- pare $tokens; or contains -i -- git-pare $tokens)
    test -n "$i"; or return
    set -l cur (commandline -ct)
    git pare __complete -- $tokens[(math $i + 1)..-1] "$cur" 2>/dev/null
end
complete -c git-pare -f -a '(__git_pare_complete)'
complete -c git -n '__fish_seen_subcommand_from pare' -f -a '(__git_pare_complete)'
