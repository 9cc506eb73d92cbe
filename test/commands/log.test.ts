import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare log', () => {
  it('lists checkpoints newest first with their plan step and tokens, and filters by kind', () => {
    const dir = makeRepo({'a.txt': '0\n'})
    dirs.push(dir)
    withStore(dir, `await store.checkpoint('before step 1', {plan: 'p1', step: 1}); await store.checkpoint('before step 2', {plan: 'p1', step: 2, tokens: 5400})`)
    writeFileSync(path.join(dir, 'a.txt'), '1\n')
    const res = runCli(['log'], {cwd: dir})
    expect(res.code).toBe(0)
    const lines = res.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^checkpoint 2 {2}before step 2 {2}\(plan p1, step 2\) {2}\d+s ago, 5\.4k tok$/)
    expect(lines[1]).toMatch(/^checkpoint 1 {2}before step 1 {2}\(plan p1, step 1\) {2}\d+s ago$/)
    const json = JSON.parse(runCli(['log', '--json', '--kind', 'checkpoint', '-n', '1'], {cwd: dir}).stdout)
    expect(json.result.entries).toHaveLength(1)
    expect(json.result.entries[0]).toMatchObject({kind: 'checkpoint', id: '2', title: 'before step 2', tokens: 5400, meta: {plan: 'p1', step: '2', tokens: '5400'}})
  })

  it('says so when there is nothing yet', () => {
    const dir = makeRepo()
    dirs.push(dir)
    const res = runCli(['log'], {cwd: dir})
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^nothing yet/)
  })
})
