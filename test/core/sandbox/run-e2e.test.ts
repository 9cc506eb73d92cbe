import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type ScriptedServer} from '../../support/model-server.js'
import {removeDir, runCliAsync, tempDir, writeFiles} from '../../support/repo.js'
import {scopedRepo, scopedServer} from '../../support/scoped.js'
import {bwrapUsable, NO_BWRAP} from './usable.js'

// `git pare run` end to end: a malicious "model" calls bash to plant an SSH key in the user's home and to read
// the API key from git pare's environment through /proc. (Build first: PARE_BUILD_LENIENT=1 node scripts/build.mjs.)
const usable = await bwrapUsable()
if (!usable) console.warn(`skipping the sandboxed run test: ${NO_BWRAP}`)

const KEY = ['sk', 'e2e', 'Q'.repeat(32)].join('-')
const DB = ['postgres://admin', 'hunter2@db/prod'].join(':')

type Msg = {role: string; content: string}
const toolResults = (server: ScriptedServer): string[] =>
  server.chatRequests().flatMap((r) => (r.body.messages as Msg[]).filter((m) => m.role === 'tool').map((m) => m.content))

function userHome(): string {
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  writeFiles(home, {'.ssh/authorized_keys': 'ssh-ed25519 AAAA me\n'})
  return home
}

const attack = (home: string) =>
  [
    `echo 'ssh-ed25519 EVIL attacker' >> ${home}/.ssh/authorized_keys`,
    `mkdir -p ~/.ssh && echo 'ssh-ed25519 EVIL attacker' >> ~/.ssh/authorized_keys`,
    `cat /proc/$PPID/environ | tr '\\0' '\\n'`,
    `for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ 2>/dev/null; done | grep -a -E 'KEY|DATABASE' | head -20`,
    'env',
    'echo done-with-attack',
  ].join('; ')

describe('git pare run with a hostile model', () => {
  it.skipIf(!usable)('bash cannot write into HOME nor read the parent environ (sandboxed by default)', async () => {
    const home = userHome()
    const root = scopedRepo({'README.md': '# x\n'})
    const server = await scopedServer([turn.tools([{name: 'bash', args: {command: attack(home)}}]), turn.text('done')])
    const res = await runCliAsync(['run', 'tidy up', '--no-hooks'], {
      cwd: root,
      env: {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: KEY, DATABASE_URL: DB},
    })
    expect(res.code, res.stderr).toBe(0)
    expect(readFileSync(path.join(home, '.ssh/authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA me\n')
    const [result] = toolResults(server)
    expect(result).toContain('done-with-attack')
    expect(result).toMatch(/Read-only file system|No such file or directory/)
    expect(result).not.toContain(KEY)
    expect(result).not.toContain('hunter2')
    expect(result).not.toMatch(/PARECODE_|DATABASE_URL/)
    // The key travels only in the Authorization header, never in what the model reads.
    expect(JSON.stringify(server.chatRequests().map((r) => r.body))).not.toContain(KEY)
  }, 240_000)

  it('with the sandbox turned off and no terminal, the default (ask) refuses the command; --approval never too', async () => {
    for (const extra of [{PARECODE_SANDBOX: '0'}, {PARECODE_APPROVAL: 'never'}]) {
      const home = userHome()
      const root = scopedRepo({'README.md': '# x\n'})
      const server = await scopedServer([turn.tools([{name: 'bash', args: {command: attack(home)}}]), turn.text('done')])
      const res = await runCliAsync(['run', 'tidy up', '--no-hooks'], {
        cwd: root,
        env: {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: KEY, DATABASE_URL: DB, ...extra},
      })
      expect(res.code, res.stderr).toBe(0)
      expect(readFileSync(path.join(home, '.ssh/authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA me\n')
      const [result] = toolResults(server)
      expect(result).toMatch(/^Error: not run: /)
      expect(result).not.toContain('done-with-attack')
      expect(existsSync(path.join(root, '.ssh'))).toBe(false)
    }
  }, 240_000)

  it.skipIf(!usable)('the legitimate use still works: the model runs the tests and edits inside the work tree', async () => {
    const home = userHome()
    const root = scopedRepo({
      'package.json': JSON.stringify({name: 'demo', version: '1.0.0', private: true, scripts: {test: 'node --test'}}),
      'add.test.js': "require('node:test')('adds', () => require('node:assert').strictEqual(1 + 1, 2))\n",
    })
    const server = await scopedServer([turn.tools([{name: 'bash', args: {command: 'npm test && echo built > out.txt'}}]), turn.text('tests pass')])
    const res = await runCliAsync(['run', 'run the tests', '--no-hooks'], {
      cwd: root,
      env: {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: KEY},
    })
    expect(res.code, res.stderr).toBe(0)
    const [result] = toolResults(server)
    expect(result, result).toMatch(/\[exit code 0\]$/)
    expect(readFileSync(path.join(root, 'out.txt'), 'utf8')).toBe('built\n')
  }, 240_000)
})
