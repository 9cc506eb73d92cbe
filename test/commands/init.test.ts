import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, tempDir} from '../support/repo.js'
import {pyPytestRuff, tsVitest} from '../core/hooks/fixtures.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach(removeDir))
const repo = (files: Record<string, string>) => {
  const root = makeRepo(files)
  dirs.push(root)
  return root
}

describe('git pare init', () => {
  it('writes conventions and hooks; --json result is a stable contract', () => {
    const root = repo(tsVitest)
    const res = runCli(['init', '--json'], {cwd: root, env: {PATH: path.dirname(process.execPath) + ':/usr/bin:/bin'}})
    expect(res.code).toBe(0)
    const out = JSON.parse(res.stdout)
    expect(out.status).toBe(0)
    expect(Object.keys(out.result).sort()).toEqual(['conventions', 'hooks', 'project'])
    expect(out.result.conventions).toMatchObject({path: '.parecode/conventions.md', action: 'created'})
    expect(out.result.project).toMatchObject({languages: ['TypeScript'], test: [{command: 'npm test', tool: 'vitest'}], lint: [{command: 'npm run lint', tool: 'eslint'}]})
    expect(out.result.hooks).toMatchObject({source: 'detected', wrote: true, path: '.parecode/config.yaml'})
    expect(out.result.hooks.commands.on_edit).toEqual(['npx --no-install tsc --noEmit'])
    expect(readFileSync(path.join(root, '.parecode/conventions.md'), 'utf8')).toContain('Test: `npm test` (vitest)')
    expect(readFileSync(path.join(root, '.parecode/config.yaml'), 'utf8')).toContain('hooks:\n  on_edit: npx --no-install tsc --noEmit')
  })

  it('second run keeps the section; --force rewrites it; text output is short', () => {
    const root = repo(pyPytestRuff)
    // One user across the runs: what init wrote is approved for them.
    const env = {HOME: tempDir('pare-home-')}
    dirs.push(env.HOME)
    expect(runCli(['init'], {cwd: root, env}).stdout).toMatch(/^wrote \.parecode\/conventions\.md\n {2}language: Python\n {2}test: {5}pytest\n {2}lint: {5}ruff check \./)
    const file = path.join(root, '.parecode/conventions.md')
    writeFileSync(file, readFileSync(file, 'utf8').replace('Lint: `ruff check .`', 'Lint: hand edited') + '\nOur own rule.\n')
    const again = runCli(['init'], {cwd: root, env})
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('kept (use --force to regenerate) .parecode/conventions.md')
    expect(again.stdout).toContain('hooks already configured')
    const forced = runCli(['init', '--force'], {cwd: root, env})
    expect(forced.stdout).toMatch(/^updated \.parecode\/conventions\.md/)
    expect(readFileSync(file, 'utf8')).toContain('Our own rule.')
    expect(readFileSync(file, 'utf8')).toContain('Lint: `ruff check .`')
    expect(runCli(['init', '--force'], {cwd: root, env}).stdout).toMatch(/^\.parecode\/conventions\.md is up to date/)
  })

  it('outside a repository: one-line error, exit 3', () => {
    const dir = tempDir()
    dirs.push(dir)
    const res = runCli(['init'], {cwd: dir})
    expect(res.code).toBe(3)
    expect(res.stderr).toMatch(/^error: .+\n/)
    expect(res.stderr).not.toMatch(/\n\s+at /)
  })
})
