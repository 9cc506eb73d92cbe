# PowerShell completion for git pare and git-pare: commands, flags, plan ids, checkpoints and session ids.
# Install: add `. /path/to/git-pare.ps1` to your $PROFILE. For `git` it answers only after `git pare` and
# otherwise leaves the line to whatever else completes git (posh-git, file names).
Register-ArgumentCompleter -Native -CommandName git, git-pare -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
    if ($wordToComplete -eq '') { $words += '' }
    $start = if ($words[0] -match 'git-pare') { 0 } else { [array]::IndexOf($words, 'pare') }
    if ($start -lt 0) { return }
    $rest = @($words | Select-Object -Skip ($start + 1))
    git pare __complete -- @rest 2>$null | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
