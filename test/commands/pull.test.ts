import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {removeDir, runCli, sh} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {fsck, repoWithBareRemote} from '../core/store/helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare pull', () => {
  it('pull fast-forwards, and reports a plan changed on both sides without clobbering it', () => {
    const {first, root, bare} = repoWithBareRemote(dirs)
    withStore(first, `await store.writePlan('p', 'v: 1\\n', 'one'); await store.writePlan('q', 'v: 1\\n', 'one')`)
    expect(runCli(['push'], {cwd: first}).code).toBe(0)
    const second = path.join(root, 'second')
    sh(root, ['clone', '-q', bare, second])
    expect(runCli(['pull', 'origin'], {cwd: second}).code).toBe(0)

    withStore(first, `await store.writePlan('p', 'v: 2 from first\\n', 'two'); await store.writePlan('q', 'v: 2\\n', 'two')`)
    expect(runCli(['push'], {cwd: first}).code).toBe(0)
    withStore(second, `await store.writePlan('p', 'v: 2 from second\\n', 'two')`)
    const mine = sh(second, ['rev-parse', 'refs/parecode/plans/p'])

    const res = runCli(['pull', '--json'], {cwd: second})
    expect(res.code).toBe(1)
    const out = JSON.parse(res.stdout)
    expect(out.result.updated).toEqual(['refs/parecode/plans/q'])
    expect(out.result.conflicts).toEqual([{ref: 'refs/parecode/plans/p', local: mine, remote: expect.any(String), remote_ref: 'refs/parecode-remote/origin/plans/p'}])
    expect(out.warnings[0]).toMatch(/plans\/p changed on both sides: kept yours/)
    expect(sh(second, ['cat-file', '-p', 'refs/parecode/plans/p:plan.yaml'])).toBe('v: 2 from second')
    expect(sh(second, ['cat-file', '-p', 'refs/parecode/plans/q:plan.yaml'])).toBe('v: 2')

    // Pushing the diverged plan is rejected, never forced.
    const push = runCli(['push'], {cwd: second})
    expect(push.code).toBe(1)
    expect(push.stderr).toMatch(/refs\/parecode\/plans\/p rejected/)
    expect(sh(root, ['--git-dir', bare, 'cat-file', '-p', 'refs/parecode/plans/p:plan.yaml'])).toBe('v: 2 from first')
  })
})
