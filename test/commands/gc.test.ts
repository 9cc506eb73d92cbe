import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, sh} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {fsck} from '../core/store/helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare gc', () => {
  it('keeps the newest N and those a plan needs', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `
      await store.writePlan('p', 'task: x\\n', 'plan')
      await store.checkpoint('plan step', {plan: 'p', step: 1})
      for (let i = 0; i < 3; i++) await store.checkpoint('cp ' + i)`)
    writeFileSync(path.join(dir, 'a.txt'), '1\n')
    const res = runCli(['gc', '--keep', '1'], {cwd: dir})
    expect(res.code).toBe(0)
    expect(res.stdout).toBe('deleted 2 refs, kept 2\n1 older ones kept because a plan or session still needs them\n')
    expect(sh(dir, ['for-each-ref', '--format=%(refname)', 'refs/parecode/checkpoints/'])).toBe('refs/parecode/checkpoints/00000001\nrefs/parecode/checkpoints/00000004')
    expect(JSON.parse(runCli(['gc', '--json'], {cwd: dir}).stdout).result).toEqual({deleted: [], protected: [], kept: 2})
    fsck(dir)
  })

  it('rejects a negative keep as a usage error', () => {
    const dir = makeRepo()
    dirs.push(dir)
    expect(runCli(['gc', '--keep', '-1'], {cwd: dir}).code).toBe(2)
  })
})
