import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli} from '../support/repo.js'
import {rustCrate} from '../core/hooks/fixtures.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach(removeDir))
const repo = (files: Record<string, string>) => {
  const root = makeRepo(files)
  dirs.push(root)
  return root
}

describe('git pare hooks', () => {
  it('shows detected hooks when none are configured, without writing anything', () => {
    const root = repo(rustCrate)
    const res = runCli(['hooks'], {cwd: root})
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^No hooks configured; detected for this repository/)
    expect(res.stdout).toMatch(/\non_edit {12}cargo check -q\n/)
    expect(res.stdout).toMatch(/\non_task_done {7}cargo test -q 2>&1 \| tail -5\n/)
    const json = JSON.parse(runCli(['hooks', '--json'], {cwd: root}).stdout)
    expect(json.result.source).toBe('detected')
    expect(json.result.events.map((e: {event: string}) => e.event)).toEqual(['on_edit', 'on_task_done', 'on_plan_step_done', 'on_session_start', 'on_session_end'])
    expect(json.result.reasons).toEqual(['Cargo.toml -> on_edit: cargo check -q', 'Cargo.toml -> on_task_done: cargo test -q 2>&1 | tail -5'])
  })

  it('shows configured hooks per profile with where they came from, and the kill switch', () => {
    const root = repo({...rustCrate})
    mkdirSync(path.join(root, '.parecode'))
    writeFileSync(path.join(root, '.parecode/config.yaml'), 'hooks:\n  on_edit: make check\nprofiles:\n  quiet:\n    hooks_disabled: true\n  strict:\n    hooks:\n      on_task_done: [make test, make lint]\n')
    const json = JSON.parse(runCli(['hooks', '--json'], {cwd: root}).stdout)
    expect(json.result).toMatchObject({enabled: true, source: 'config', disabledBy: null})
    expect(json.result.events[0]).toMatchObject({event: 'on_edit', commands: ['make check'], from: 'repo:.parecode/config.yaml'})
    const strict = JSON.parse(runCli(['hooks', '--json', '--profile', 'strict'], {cwd: root}).stdout)
    expect(strict.result.events[1].commands).toEqual(['make test', 'make lint'])
    const quiet = runCli(['hooks', '--profile', 'quiet'], {cwd: root})
    expect(quiet.stdout).toMatch(/^hooks are off \(hooks_disabled\)/)
  })

  it('commands from the committed config wait for --trust', () => {
    const root = repo({...rustCrate, '.parecode/config.yaml': 'hooks:\n  on_edit: make check\n'})
    const before = runCli(['hooks'], {cwd: root})
    expect(before.stdout).toContain('not approved, so not run: `make check`')
    expect(JSON.parse(runCli(['hooks', '--json'], {cwd: root}).stdout).result.untrusted).toEqual(['make check'])
    const trust = JSON.parse(runCli(['hooks', '--trust', '--json'], {cwd: root}).stdout).result
    expect(trust).toMatchObject({trusted: ['make check'], untrusted: []})
    expect(runCli(['hooks'], {cwd: root}).stdout).not.toContain('not approved')
  })
})
