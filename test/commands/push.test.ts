import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, sh, tempDir} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {fsck, repoWithBareRemote} from '../core/store/helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d)
})

describe('git pare push / pull', () => {
  it('carries plans and sessions through a bare remote to a second clone, where log shows them', () => {
    const {first, root, bare} = repoWithBareRemote(dirs)
    sh(first, ['push', '-q', 'origin', 'main'])
    withStore(first, `
      await store.writePlan('add-auth', 'id: add-auth\\ntask: add JWT auth\\nstatus: running\\nsteps:\\n  - description: write middleware\\n    status: done\\n    tokens: {input: 1000, output: 200}\\n  - description: wire routes\\n    status: pending\\n', 'plan: created')
      await store.appendTurn('chat-1', {chat: '{"role":"user","content":"hi"}\\n', meta: 'title: first talk\\n', workTree: true})
      await store.checkpoint('local only')`)

    const pushed = runCli(['push', '--json'], {cwd: first})
    expect(pushed.code).toBe(0)
    expect(JSON.parse(pushed.stdout).result).toEqual({remote: 'origin', pushed: ['refs/parecode/plans/add-auth', 'refs/parecode/sessions/chat-1'], upToDate: 0, rejected: []})
    expect(sh(root, ['--git-dir', bare, 'for-each-ref', '--format=%(refname)', 'refs/parecode/'])).not.toContain('checkpoints')

    const second = path.join(root, 'second')
    sh(root, ['clone', '-q', bare, second])
    const pulled = runCli(['pull'], {cwd: second})
    expect(pulled.code).toBe(0)
    expect(pulled.stdout).toBe('new plans/add-auth\nnew sessions/chat-1\n')
    const log = runCli(['log'], {cwd: second})
    expect(log.code).toBe(0)
    expect(log.stdout).toMatch(/^plan add-auth {2}add JWT auth {2}\[running, 1\/2 steps\] {2}\d+s ago, 1\.2k tok$/m)
    expect(log.stdout).toContain('  ✓ 1. write middleware  1.2k tok')
    expect(log.stdout).toContain('  · 2. wire routes')
    expect(log.stdout).toMatch(/^session chat-1 {2}first talk {2}\[1 turn\]/m)
    const json = JSON.parse(runCli(['log', '--json'], {cwd: second}).stdout)
    expect(json.result.entries.map((e: {kind: string; id: string}) => `${e.kind}:${e.id}`).sort()).toEqual(['plan:add-auth', 'session:chat-1'])
    fsck(second)
  })

  it('names a missing remote clearly', () => {
    const dir = makeRepo()
    dirs.push(dir)
    const res = runCli(['push', 'nowhere'], {cwd: dir})
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/^error: no remote named "nowhere"\nhint: /)
    expect(runCli(['pull'], {cwd: dir}).stderr).toMatch(/no remote named "origin"/)
  })

  it('has nothing to push or pull before there are plans or sessions', () => {
    const dir = makeRepo()
    const root = tempDir('pare-remote-')
    dirs.push(dir, root)
    sh(root, ['init', '-q', '--bare', 'r.git'])
    sh(dir, ['remote', 'add', 'origin', path.join(root, 'r.git')])
    const push = runCli(['push'], {cwd: dir})
    expect([push.code, push.stdout]).toEqual([0, 'nothing to push: no plans or sessions yet\n'])
    const pull = runCli(['pull'], {cwd: dir})
    expect([pull.code, pull.stdout]).toEqual([0, 'nothing on origin yet\n'])
  })
})
