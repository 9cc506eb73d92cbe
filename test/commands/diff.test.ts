import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {indexBytes} from '../core/store/helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare diff', () => {
  it('diffs the newest checkpoint (or a named one) against the work tree, untracked files included', () => {
    const dir = makeRepo({'a.txt': '0\n', '.gitignore': '*.log\n'})
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('one')`)
    writeFileSync(path.join(dir, 'a.txt'), '1\n')
    withStore(dir, `await store.checkpoint('two')`)
    writeFileSync(path.join(dir, 'new.txt'), 'untracked\n')
    writeFileSync(path.join(dir, 'x.log'), 'ignored\n')
    const index = indexBytes(dir)
    const res = runCli(['diff'], {cwd: dir})
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('+++ b/new.txt')
    expect(res.stdout).not.toContain('a.txt')
    expect(res.stdout).not.toContain('x.log')
    const json = JSON.parse(runCli(['diff', '1', '--stat', '--json'], {cwd: dir}).stdout)
    expect(json.result.files).toEqual([{status: 'M', path: 'a.txt'}, {status: 'A', path: 'new.txt'}])
    expect(indexBytes(dir)).toBe(index)
  })

  it('says when nothing changed, and when there are no checkpoints', () => {
    const dir = makeRepo()
    dirs.push(dir)
    expect(runCli(['diff'], {cwd: dir}).stderr).toMatch(/^error: there are no checkpoints yet/)
    withStore(dir, `await store.checkpoint('cp')`)
    expect(runCli(['diff'], {cwd: dir}).stdout).toBe('no changes since checkpoint 1: cp\n')
  })
})
