import {existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import bash from '../../../src/core/tools/bash.js'
import type {ToolContext} from '../../../src/core/tools/types.js'
import {makeRepo, removeDir, sh, tempDir, writeFiles} from '../../support/repo.js'
import {makeCtx} from '../tools/helpers.js'
import {bwrapUsable, NO_BWRAP} from './usable.js'

// The bash tool inside real bubblewrap: each attack attempted and failing, and ordinary work still working.
const usable = await bwrapUsable()
if (!usable) console.warn(`skipping the bwrap sandbox tests: ${NO_BWRAP}`)

let home: string
let root: string
let outside: string
const SECRET_KEY = ['-----BEGIN OPENSSH', 'PRIVATE KEY-----', 'fake', 'x'.repeat(20)].join(' ')

beforeAll(() => {
  home = tempDir('pare-home-')
  writeFiles(home, {'.ssh/id_ed25519': SECRET_KEY, '.ssh/authorized_keys': 'ssh-ed25519 AAAA user\n', '.config/parecode/config.yaml': 'approval: ask\n'})
  outside = tempDir('pare-outside-')
  // A work tree under the user's home, as most are: the home is hidden, the work tree shown again.
  root = path.join(home, 'src', 'proj')
  mkdirSync(root, {recursive: true})
  sh(root, ['init', '-q', '-b', 'main'])
  writeFiles(root, {'README.md': '# demo\n'})
})
afterAll(() => {
  removeDir(home)
  removeDir(outside)
})

const ctx = (over: Partial<ToolContext> = {}): ToolContext =>
  makeCtx(root, {
    env: {PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', DATABASE_URL: 'postgres://admin:hunter2@db/prod', SSH_AUTH_SOCK: path.join(home, 'agent.sock')},
    bash: {approval: 'auto'},
    ...over,
  })
const run = (command: string, over: Partial<ToolContext> = {}, timeout?: number) => bash.run({command, ...(timeout ? {timeout} : {})}, ctx(over))

describe.skipIf(!usable)('bash in the bubblewrap sandbox', () => {
  it('writes inside the work tree; nothing outside it reaches the disk', async () => {
    const r = await run('echo ok > made.txt && mkdir -p sub && echo deep > sub/f && cat made.txt sub/f')
    expect(r.content).toBe('ok\ndeep\n[exit code 0]')
    expect(readFileSync(path.join(root, 'sub/f'), 'utf8')).toBe('deep\n')

    const attempts = [
      `echo x > ${outside}/escaped`,
      `echo x > ${home}/escaped`,
      `echo x >> ${home}/.ssh/authorized_keys`,
      'mkdir -p ~/.ssh && echo x >> ~/.ssh/authorized_keys; echo x > /tmp/escaped',
      `echo x > ${path.dirname(root)}/sibling`,
      'echo x > /etc/escaped; echo x > /var/tmp/escaped; echo x > /usr/escaped',
      `ln ${home}/.ssh/id_ed25519 stolen-link`,
    ]
    for (const c of attempts) await run(c)
    expect(existsSync(path.join(outside, 'escaped'))).toBe(false)
    expect(existsSync(path.join(home, 'escaped'))).toBe(false)
    expect(readFileSync(path.join(home, '.ssh/authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA user\n')
    expect(existsSync(path.join(path.dirname(root), 'sibling'))).toBe(false)
    expect(existsSync('/tmp/escaped') || existsSync('/etc/escaped') || existsSync('/var/tmp/escaped')).toBe(false)
    expect(existsSync(path.join(root, 'stolen-link'))).toBe(false)

    const ro = await run(`echo x > ${home}/escaped`)
    expect(ro.ok).toBe(false)
    expect(ro.content).toMatch(/Read-only file system/)
    // Only a failure that looks like the sandbox gets the note.
    expect(ro.content).toMatch(/sandboxed: writes only inside the work tree, \.git read-only, no network\]$/)
    expect((await run('exit 3')).content).toBe('(no output)\n[exit code 3]')
  })

  it('hides the home outside the work tree: ~/.ssh and the user config are not visible', async () => {
    const r = await run(`ls -a ${home}; cat ${home}/.ssh/id_ed25519; ls ${home}/.ssh; cat ${home}/.config/parecode/config.yaml; ls ~/.ssh; echo "HOME=$HOME"`)
    expect(r.content).not.toContain('PRIVATE KEY')
    expect(r.content).not.toContain('id_ed25519\n')
    expect(r.content).not.toContain('approval: ask')
    expect(r.content).toMatch(/No such file or directory/)
    expect(r.content).toMatch(/^HOME=\/tmp\/home$/m)
  })

  it('makes .git read-only: no hooks, no core.fsmonitor, no config; git itself still reads', async () => {
    const before = readFileSync(path.join(root, '.git/config'), 'utf8')
    const attempts = [
      'echo "#!/bin/sh" > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit',
      'mkdir -p .git/hooks && echo x > .git/hooks/x',
      'git config core.fsmonitor "touch /tmp/fsmonitor-ran"',
      'git config core.hooksPath .',
      'rm -rf .git',
      'mv .git .git-moved',
      'echo "[core]" >> .git/config',
    ]
    for (const c of attempts) expect((await run(c)).ok, c).toBe(false)
    expect(existsSync(path.join(root, '.git/hooks/x'))).toBe(false)
    expect(existsSync(path.join(root, '.git/hooks/pre-commit'))).toBe(false)
    expect(readFileSync(path.join(root, '.git/config'), 'utf8')).toBe(before)
    const st = await run('git status --short; git log --oneline | wc -l')
    expect(st.ok).toBe(true)
    expect(st.content).toContain('README.md')
  })

  it("cannot read the parent's /proc environ, nor see other processes", async () => {
    const own = readFileSync(`/proc/${process.pid}/environ`, 'utf8').split('\0').filter((l) => l && !l.startsWith('PATH='))
    const r = await run(`cat /proc/${process.pid}/environ; cat /proc/$PPID/environ | tr '\\0' '\\n'; ls /proc | grep -E '^[0-9]+$' | wc -l`)
    for (const line of own.slice(0, 20)) expect(r.content).not.toContain(line)
    expect(r.content).not.toContain('hunter2')
    const count = Number(r.content.split('\n').filter((l) => /^\d+$/.test(l)).pop())
    expect(count).toBeLessThan(10)
  })

  it('gets only the allowlisted environment', async () => {
    const r = await run('env')
    expect(r.content).not.toMatch(/DATABASE_URL|hunter2|SSH_AUTH_SOCK/)
    expect(r.content).toMatch(/^LANG=C\.UTF-8$/m)
    expect(r.content).toMatch(/^TMPDIR=\/tmp$/m)
  })

  describe('network', () => {
    let server: Server
    let port: number
    let connections = 0
    beforeAll(async () => {
      server = createServer((s) => {
        connections++
        s.end('hello from the host\n')
      })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      port = (server.address() as {port: number}).port
    })
    afterAll(() => new Promise<void>((r) => server.close(() => r())))

    const connect = () => `node -e "require('net').connect(${port}, '127.0.0.1').on('data', (d) => process.stdout.write(d)).on('error', (e) => { console.log('failed: ' + e.code); process.exit(1) })"`

    it('is off: a connection to a listener on the host fails', async () => {
      const r = await run(`${connect()}; exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`)
      expect(r.content).not.toContain('hello from the host')
      expect(r.content).not.toContain('connected')
      expect(connections).toBe(0)
    })

    it('is on when the user allows it', async () => {
      const r = await run(connect(), {bash: {approval: 'auto', network: true}})
      expect(r.content).toContain('hello from the host')
      expect(connections).toBe(1)
    })
  })

  it('runs an ordinary `npm test` of a package in the work tree', async () => {
    writeFiles(root, {
      'package.json': JSON.stringify({name: 'demo', version: '1.0.0', private: true, scripts: {test: 'node --test test/', pretest: 'node -e "require(\'fs\').writeFileSync(\'pretest.out\', \'ran\')"'}}),
      'test/add.test.js': "const test = require('node:test'); const assert = require('node:assert'); test('adds', () => assert.strictEqual(1 + 1, 2))\n",
    })
    const r = await run('npm test', {}, 120)
    expect(r.content, r.content).toMatch(/\[exit code 0\]$/)
    expect(r.content).toMatch(/pass 1/)
    expect(readFileSync(path.join(root, 'pretest.out'), 'utf8')).toBe('ran')
  })

  it('kills what a timed-out command left running inside the sandbox', async () => {
    const r = await run('(sleep 3; echo late > late.txt) & sleep 60', {}, 1)
    expect(r.content).toContain('timed out after 1s')
    await new Promise((res) => setTimeout(res, 5000))
    expect(existsSync(path.join(root, 'late.txt'))).toBe(false)
  }, 30_000)

  it("keeps a linked worktree's git dirs read-only and git usable", async () => {
    const main = makeRepo()
    const linked = realpathSync(tempDir('pare-wt-'))
    try {
      removeDir(linked)
      sh(main, ['worktree', 'add', '-q', linked])
      const c = (command: string) => bash.run({command}, makeCtx(linked, {env: {PATH: process.env.PATH, HOME: home}, bash: {approval: 'auto'}}))
      expect((await c(`echo x > ${main}/.git/hooks/x`)).ok).toBe(false)
      expect((await c('echo x > "$(git rev-parse --git-dir)/x"')).ok).toBe(false)
      expect((await c('git config core.fsmonitor evil')).ok).toBe(false)
      expect(existsSync(path.join(main, '.git/hooks/x'))).toBe(false)
      const ok = await c('echo hi > new.txt && git status --short')
      expect(ok.content).toBe('?? new.txt\n[exit code 0]')
    } finally {
      removeDir(main)
      removeDir(linked)
    }
  })
})

describe('bash with the sandbox turned off by the user', () => {
  it('runs unsandboxed under approval auto (the user chose it), still with the allowlisted environment', async () => {
    const dir = makeRepo()
    try {
      const target = path.join(outside, 'unsandboxed.txt')
      const r = await bash.run({command: `echo x > ${target}; env`}, makeCtx(dir, {env: {PATH: process.env.PATH, HOME: dir, DATABASE_URL: 'postgres://x'}, bash: {approval: 'auto', sandbox: false}}))
      expect(r.ok).toBe(true)
      expect(existsSync(target)).toBe(true)
      expect(r.content).not.toContain('DATABASE_URL')
      expect(r.content).not.toContain('sandboxed')
    } finally {
      removeDir(dir)
    }
  })

  it('asks by default when the sandbox is off, and without anyone to ask refuses', async () => {
    const dir = makeRepo()
    try {
      writeFileSync(path.join(dir, 'keep.txt'), 'x')
      const r = await bash.run({command: 'rm keep.txt'}, makeCtx(dir, {bash: {sandbox: false}}))
      expect(r.ok).toBe(false)
      expect(r.content).toMatch(/^Error: not run: this command needs the user's approval and there is no terminal to ask/)
      expect(existsSync(path.join(dir, 'keep.txt'))).toBe(true)
      expect((await bash.run({command: 'ls'}, makeCtx(dir, {bash: {sandbox: false}}))).content).toContain('keep.txt')
    } finally {
      removeDir(dir)
    }
  })
})
