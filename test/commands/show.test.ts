import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare show', () => {
  it('without a recorded end, shows what happened after a checkpoint up to the next one (or the work tree)', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('first', {plan: 'p', step: 1})`)
    writeFileSync(path.join(dir, 'a.txt'), '1\n')
    writeFileSync(path.join(dir, 'b.txt'), 'b\n')
    withStore(dir, `await store.checkpoint('second', {plan: 'p', step: 2})`)
    const res = runCli(['show', '1'], {cwd: dir})
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^checkpoint 1: first\n[0-9a-f]{40} {2}\d+s ago {2}plan p, step 1\n\n/)
    expect(res.stdout).toContain(' 2 files changed, 2 insertions(+), 1 deletion(-)')
    expect(res.stdout).toContain('no end recorded: up to the next checkpoint')
    expect(res.stdout).toContain('+++ b/b.txt')
    const json = JSON.parse(runCli(['show', '1', '--stat', '--json'], {cwd: dir}).stdout)
    expect(json.result).toMatchObject({seq: 1, label: 'first', compared_with: 'next', outcome: null, files: [{status: 'M', path: 'a.txt'}, {status: 'A', path: 'b.txt'}]})
    expect(json.result.patch).toBeUndefined()
    // The newest has nothing after it yet: compared with the work tree.
    writeFileSync(path.join(dir, 'c.txt'), 'c\n')
    const top = JSON.parse(runCli(['show', '2', '--stat', '--json'], {cwd: dir}).stdout).result
    expect(top).toMatchObject({seq: 2, compared_with: 'worktree', files: [{status: 'A', path: 'c.txt'}]})
  })

  it('names an unknown checkpoint clearly', () => {
    const dir = makeRepo()
    dirs.push(dir)
    const res = runCli(['show', '7'], {cwd: dir})
    expect(res.code).toBe(2)
    expect(res.stderr).toBe('error: no checkpoint "7"\nhint: see `git pare log` for checkpoints\n')
  })
})
