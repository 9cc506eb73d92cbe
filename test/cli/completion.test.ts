import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {complete, type ManifestCommand} from '../../src/core/completion/engine.js'
import {makeRepo, projectRoot, removeDir, runCli, sh, tempDir} from '../support/repo.js'

const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
const gitCompletion = ['/usr/share/bash-completion/completions/git', '/etc/bash_completion.d/git'].find((f) => existsSync(f))

describe('completion engine', () => {
  const values = (kind: string) => ({plans: ['20260101-120000-abcd'], checkpoints: ['3', '2', '1'], sessions: ['s1'], remotes: ['origin']})[kind] ?? []
  const c = (...typed: string[]) => complete(manifest.commands, typed, values as never)

  it('commands, topics, subcommands and flags', () => {
    expect(c('st')).toEqual(['stats', 'step'])
    expect(c('')).toContain('plan')
    expect(c('')).not.toContain('__complete')
    expect(c('plan', 'sh')).toEqual(['show'])
    expect(c('run', '--qu')).toEqual(['--quick'])
    expect(c('plan', 'show', '--')).toContain('--plan')
  })

  it('plan ids, checkpoints, sessions, remotes and flag options from the store', () => {
    expect(c('step', '--plan', '')).toEqual(['20260101-120000-abcd'])
    expect(c('show', '')).toEqual(['3', '2', '1'])
    expect(c('diff', '--stat', '2')).toEqual(['2'])
    expect(c('session', 'show', '')).toEqual(['s1'])
    expect(c('push', '')).toEqual(['origin'])
    expect(c('stats', '--kind', '')).toEqual(['run', 'step', 'plan'])
    // A task is free text: nothing to offer.
    expect(c('run', 'fix th')).toEqual([])
  })
})

describe.skipIf(!gitCompletion)('bash: git\'s own completion calls ours for `git pare`', {timeout: 180_000}, () => {
  const repo = makeRepo()
  const bin = tempDir('pare-bin-')
  afterAll(() => {
    removeDir(repo)
    removeDir(bin)
  })
  mkdirSync(bin, {recursive: true})
  writeFileSync(path.join(bin, 'git-pare'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(projectRoot, 'bin/run.js')}" "$@"\n`)
  chmodSync(path.join(bin, 'git-pare'), 0o755)
  const head = sh(repo, ['rev-parse', 'HEAD'])
  sh(repo, ['update-ref', 'refs/parecode/plans/20260102-093000-beef', head])

  /** COMPREPLY for a command line completed at its end, through git's completion entry point. */
  function tab(line: string, entry = '__git_wrap__git_main'): string[] {
    const script = `source ${JSON.stringify(gitCompletion)}; source ${JSON.stringify(path.join(projectRoot, 'completions/git-pare.bash'))}
read -r -a COMP_WORDS <<< "$LINE"; [[ $LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMP_LINE=$LINE; COMP_POINT=\${#LINE}
${entry}; printf '%s\\n' "\${COMPREPLY[@]}"`
    const r = spawnSync('bash', ['--norc', '-c', script], {cwd: repo, encoding: 'utf8', env: {...process.env, LINE: line, PATH: `${bin}:${process.env.PATH}`}, timeout: 60_000})
    expect(r.stderr).toBe('')
    return r.stdout.split('\n').filter(Boolean)
  }

  it('`git pare st<Tab>` and a plan id', () => {
    expect(tab('git pare st')).toEqual(['stats', 'step'])
    expect(tab('git pare step --plan ')).toEqual(['20260102-093000-beef'])
    expect(tab('git pare plan show --plan 2026')).toEqual(['20260102-093000-beef'])
    expect(tab('git-pare pl', '_git_pare_direct')).toEqual(['plan', 'pull', 'push'].filter((w) => w.startsWith('pl')))
  })
})

describe('git pare completion <shell>', () => {
  it('prints each shipped script, and refuses an unknown shell', () => {
    const cwd = tempDir('pare-comp-')
    for (const [shell, file] of [['bash', 'git-pare.bash'], ['zsh', '_git-pare'], ['fish', 'git-pare.fish'], ['powershell', 'git-pare.ps1']]) {
      const r = runCli(['completion', shell!], {cwd})
      expect(r.code).toBe(0)
      expect(r.stdout).toBe(readFileSync(path.join(projectRoot, 'completions', file!), 'utf8'))
    }
    expect(runCli(['completion', 'tcsh'], {cwd}).code).toBe(2)
    removeDir(cwd)
  })
})
