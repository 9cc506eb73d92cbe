import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, sh, tempDir, writeFiles} from '../support/repo.js'
import {withStore} from '../core/store/dist-store.js'
import {fsck, repoWithBareRemote} from '../core/store/helpers.js'
import {fake, leaked} from '../core/secrets/fakes.js'

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
    expect(JSON.parse(pushed.stdout).result).toEqual({remote: 'origin', pushed: ['refs/parecode/plans/add-auth', 'refs/parecode/sessions/chat-1'], up_to_date: 0, rejected: []})
    expect(sh(root, ['--git-dir', bare, 'for-each-ref', '--format=%(refname)', 'refs/parecode/'])).not.toContain('checkpoints')

    const second = path.join(root, 'second')
    sh(root, ['clone', '-q', bare, second])
    const pulled = runCli(['pull'], {cwd: second})
    expect(pulled.code).toBe(0)
    expect(pulled.stdout).toBe('new plans/add-auth\nnew sessions/chat-1\n')
    const log = runCli(['log'], {cwd: second})
    expect(log.code).toBe(0)
    expect(log.stdout).toMatch(/^plan add-auth {2}add JWT auth {2}\[running, 1\/2 steps\] {2}\d+[sm] ago, 1\.2k tok$/m)
    expect(log.stdout).toContain('  ✓ 1. write middleware  1.2k tok')
    expect(log.stdout).toContain('  · 2. wire routes')
    expect(log.stdout).toMatch(/^session chat-1 {2}first talk {2}\[1 turn\]/m)
    const json = JSON.parse(runCli(['log', '--json'], {cwd: second}).stdout)
    expect(json.result.entries.map((e: {kind: string; id: string}) => `${e.kind}:${e.id}`).sort()).toEqual(['plan:add-auth', 'session:chat-1'])
    fsck(second)
   }, 240_000)

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

  describe('secrets', () => {
    // Several CLI runs and pushes each: generous on a busy 2-core machine.
    const SLOW = 240_000
    const remoteRefs = (root: string, bare: string) => sh(root, ['--git-dir', bare, 'for-each-ref', '--format=%(refname)', 'refs/parecode/'])

    // A plan written before redaction existed (or by another tool): built with plumbing, so nothing redacts it.
    const legacyPlan = (dir: string, yaml: string) => {
      const blob = sh(dir, ['hash-object', '-w', '--stdin'], yaml)
      const tree = sh(dir, ['mktree'], `100644 blob ${blob}\tplan.yaml\n`)
      const commit = sh(dir, ['commit-tree', tree, '-m', 'plan: created'])
      sh(dir, ['update-ref', 'refs/parecode/plans/legacy', commit])
    }

    it('refuses a push whose objects hold a key, naming each finding; nothing reaches the remote; --allow-secrets pushes', () => {
      const {first, root, bare} = repoWithBareRemote(dirs)
      sh(first, ['push', '-q', 'origin', 'main'])
      legacyPlan(first, `id: legacy\ntask: deploy\nsteps:\n  - description: run with ${fake.github()}\n`)
      // A tracked file with a key, committed but never pushed, rides along in the session's work tree.
      writeFiles(first, {'deploy/settings.py': `X = 1\n${fake.awsSecretLine()}\n`})
      sh(first, ['add', 'deploy/settings.py'])
      sh(first, ['commit', '-q', '-m', 'settings'])
      withStore(first, `await store.appendTurn('s1', {chat: '{"role":"user","content":"hi"}\\n', meta: 'title: t\\n', workTree: true})`)

      const refused = runCli(['push'], {cwd: first})
      expect(refused.code).toBe(3)
      expect(refused.stdout).toBe('')
      expect(refused.stderr).toMatch(/^error: refusing to push to origin: 2 secrets in what would be sent: /)
      expect(refused.stderr).toContain('refs/parecode/plans/legacy: plan.yaml line 4 (github)')
      expect(refused.stderr).toContain('refs/parecode/sessions/s1: work/deploy/settings.py line 2 (')
      expect(refused.stderr).toMatch(/\nhint: .*git pare push --allow-secrets/)
      expect(leaked(refused.stderr)).toBeNull()
      expect(remoteRefs(root, bare)).toBe('')

      const json = runCli(['push', '--json'], {cwd: first})
      expect(json.code).toBe(3)
      const err = JSON.parse(json.stdout)
      expect(err.error.code).toBe('secrets_found')
      expect(err.error.findings).toEqual(expect.arrayContaining([
        {ref: 'refs/parecode/plans/legacy', path: 'plan.yaml', line: 4, rule: 'github'},
        expect.objectContaining({ref: 'refs/parecode/sessions/s1', path: 'work/deploy/settings.py', line: 2}),
      ]))
      expect(remoteRefs(root, bare)).toBe('')

      const allowed = runCli(['push', '--allow-secrets', '--json'], {cwd: first})
      expect(allowed.code).toBe(0)
      const res = JSON.parse(allowed.stdout)
      expect(res.result.pushed).toEqual(['refs/parecode/plans/legacy', 'refs/parecode/sessions/s1'])
      expect(res.result.secrets).toHaveLength(2)
      expect(res.warnings[0]).toMatch(/^pushed 2 secrets anyway \(--allow-secrets\): /)
      expect(remoteRefs(root, bare).split('\n')).toEqual(['refs/parecode/plans/legacy', 'refs/parecode/sessions/s1'])
      // Once the remote has them, a later push scans only what is new: clean again.
      withStore(first, `await store.appendTurn('s1', {chat: '{"role":"user","content":"again"}\\n', meta: 'title: t\\n', workTree: true})`)
      const next = runCli(['push'], {cwd: first})
      expect([next.code, next.stderr]).toEqual([0, ''])
      expect(next.stdout).toBe('pushed sessions/s1\n1 already up to date\n')
    }, SLOW)

    it('pushes a session whose work tree holds a key the remote already has (the user pushed that file themselves)', () => {
      const {first, root, bare} = repoWithBareRemote(dirs)
      writeFiles(first, {'conf/old.env.sample': `${fake.awsSecretLine()}\n`})
      sh(first, ['add', '-A'])
      sh(first, ['commit', '-q', '-m', 'sample'])
      sh(first, ['push', '-q', 'origin', 'main'])
      withStore(first, `await store.appendTurn('s1', {chat: '{"role":"user","content":"hi"}\\n', meta: 'title: t\\n', workTree: true})`)
      const res = runCli(['push'], {cwd: first})
      expect([res.code, res.stdout, res.stderr]).toEqual([0, 'pushed sessions/s1\n', ''])
      expect(remoteRefs(root, bare)).toBe('refs/parecode/sessions/s1')
    }, SLOW)

    it('a session turn with a key in its tool output and an untracked .env.local pushes clean: the key was redacted, the file left out', () => {
      const {first, root, bare} = repoWithBareRemote(dirs)
      sh(first, ['push', '-q', 'origin', 'main'])
      writeFiles(first, {'.env.local': `${fake.awsSecretLine()}\n`, 'notes.md': 'plain\n'})
      const chat = JSON.stringify(JSON.stringify({role: 'tool', tool_call_id: 'c1', content: `${fake.github()}\n${fake.pem()}`}) + '\n')
      withStore(first, `await store.appendTurn('s1', {chat: ${chat}, meta: 'title: t\\n', workTree: true})`)
      const res = runCli(['push', '--json'], {cwd: first})
      expect(res.code).toBe(0)
      expect(JSON.parse(res.stdout).result).toEqual({remote: 'origin', pushed: ['refs/parecode/sessions/s1'], up_to_date: 0, rejected: []})
      const second = path.join(root, 'second')
      sh(root, ['clone', '-q', bare, second])
      sh(second, ['fetch', '-q', 'origin', 'refs/parecode/sessions/*:refs/parecode/sessions/*'])
      expect(sh(second, ['ls-tree', '-r', '--name-only', 'refs/parecode/sessions/s1:work']).split('\n')).toEqual(['a.txt', 'notes.md'])
      expect(leaked(sh(second, ['cat-file', '-p', 'refs/parecode/sessions/s1:chat.jsonl']))).toBeNull()
    }, SLOW)

    it('names a key in a commit message it would send, and notes large blobs it did not scan', () => {
      const {first, root, bare} = repoWithBareRemote(dirs)
      sh(first, ['push', '-q', 'origin', 'main'])
      const blob = sh(first, ['hash-object', '-w', '--stdin'], 'id: m\n')
      const big = sh(first, ['hash-object', '-w', '--stdin'], 'x'.repeat((1 << 20) + 10))
      const tree = sh(first, ['mktree'], `100644 blob ${blob}\tplan.yaml\n100644 blob ${big}\tbig.txt\n`)
      sh(first, ['update-ref', 'refs/parecode/plans/m', sh(first, ['commit-tree', tree, '-m', `plan: use ${fake.openai()}`])])
      const refused = runCli(['push'], {cwd: first})
      expect(refused.code).toBe(3)
      expect(refused.stderr).toMatch(/refs\/parecode\/plans\/m: commit [0-9a-f]{12} message line 1 \(sk-api-key\)/)
      expect(remoteRefs(root, bare)).toBe('')
      const allowed = runCli(['push', '--allow-secrets'], {cwd: first})
      expect(allowed.code).toBe(0)
      expect(allowed.stderr).toContain('warning: not scanned for secrets (over 1 MiB): big.txt')
    }, SLOW)
  })
})
