import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {removeDir, runCli, sh} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {fsck, repoWithBareRemote} from '../core/store/helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare pull --configure', () => {
  it('makes plain git fetch bring plans into the remote namespace, never over local ones, once', () => {
    const {first, root, bare} = repoWithBareRemote(dirs)
    withStore(first, `await store.writePlan('p', 'v: 1\\n', 'one')`)
    expect(runCli(['push'], {cwd: first}).code).toBe(0)
    const second = path.join(root, 'second')
    sh(root, ['clone', '-q', bare, second])
    // Before: a plain fetch brings nothing of git-pare's.
    sh(second, ['fetch', '-q'])
    expect(sh(second, ['for-each-ref', 'refs/parecode-remote', 'refs/parecode'])).toBe('')

    const res = runCli(['pull', '--configure', '--json'], {cwd: second})
    expect(res.code).toBe(0)
    const out = JSON.parse(res.stdout).result
    expect(out.created).toEqual(['refs/parecode/plans/p'])
    expect(out.configured.added).toContain('+refs/parecode/plans/*:refs/parecode-remote/origin/plans/*')
    expect(sh(second, ['config', '--get-all', 'remote.origin.fetch']).split('\n')).toContain('+refs/heads/*:refs/remotes/origin/*')

    // Again: nothing added twice.
    const again = JSON.parse(runCli(['pull', '--configure', '--json'], {cwd: second}).stdout).result
    expect(again.configured.added).toEqual([])
    expect(sh(second, ['config', '--get-all', 'remote.origin.fetch']).split('\n').filter((l) => l.includes('parecode/plans')).length).toBe(1)

    // A teammate's new version arrives with plain `git fetch`, and a local change of the plan is never overwritten.
    withStore(first, `await store.writePlan('p', 'v: 2 from first\\n', 'two')`)
    expect(runCli(['push'], {cwd: first}).code).toBe(0)
    withStore(second, `await store.writePlan('p', 'v: 2 from second\\n', 'two')`)
    sh(second, ['fetch', '-q'])
    expect(sh(second, ['cat-file', '-p', 'refs/parecode-remote/origin/plans/p:plan.yaml'])).toBe('v: 2 from first')
    expect(sh(second, ['cat-file', '-p', 'refs/parecode/plans/p:plan.yaml'])).toBe('v: 2 from second')
    fsck(second)
  })

  it('refuses a URL or an unknown remote, writing nothing', () => {
    const {first} = repoWithBareRemote(dirs)
    const before = sh(first, ['config', '--get-all', 'remote.origin.fetch'])
    const r = runCli(['pull', 'nope', '--configure'], {cwd: first})
    expect(r.code).not.toBe(0)
    expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2)
    expect(sh(first, ['config', '--get-all', 'remote.origin.fetch'])).toBe(before)
  })
})
