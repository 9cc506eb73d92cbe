import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type ScriptedServer} from '../support/model-server.js'
import {removeDir, runCliAsync, sh, tempDir, trustRepo} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

const USER = 'export interface User {\n  name: string\n}\n\nexport function getUser(id: number): User {\n  return {name: `user ${id}`}\n}\n'
const FILES = {
  'src/user.ts': USER,
  'src/api.ts': "import {getUser} from './user.js'\n\nexport function handle(id: number) {\n  return getUser(id).name\n}\n",
  'notes.txt': 'notes\n',
  'README.md': '# shop\n',
}
const DEF = 'export function getUser(id: number): User {'

/** Renames the definition in src/user.ts only (leaving src/api.ts behind), then answers. */
const renamer = (r: RecordedRequest) =>
  (r.body.messages as {role: string}[]).some((m) => m.role === 'tool')
    ? turn.text('Renamed.')
    : turn.tools([{name: 'edit_file', args: {path: 'src/user.ts', old_str: DEF, new_str: DEF.replace('getUser', 'fetchUser')}}])

const env = (server: ScriptedServer, home: string) => ({HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test-key'})

function home(): string {
  const h = tempDir('pare-home-')
  onTestFinished(() => removeDir(h))
  return h
}

describe('git pare run --commit', () => {
  it("commits only the run's change on the branch, with a message from the task and symbols and a Pare-Session trailer; the user's other work stays uncommitted", async () => {
    const root = scopedRepo(FILES)
    const server = await scopedServer(renamer)
    // The user's own work: an unstaged edit, a staged edit, an untracked file, and a hunk of their own in the file the run edits.
    writeFileSync(path.join(root, 'notes.txt'), 'notes\nmine\n')
    writeFileSync(path.join(root, 'README.md'), '# shop, staged\n')
    sh(root, ['add', 'README.md'])
    writeFileSync(path.join(root, 'scratch.txt'), 'untracked\n')
    writeFileSync(path.join(root, 'src/user.ts'), `${USER}// my own note\n`)
    const before = sh(root, ['rev-parse', 'main'])
    const res = await runCliAsync(['run', 'rename getUser to fetchUser', '--commit', '--no-hooks', '--json'], {cwd: root, env: env(server, home())})
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout).result
    const head = sh(root, ['rev-parse', 'main'])
    expect(out.commit).toEqual({commit: head, branch: 'main', parent: before, subject: 'Rename getUser to fetchUser', files: ['src/user.ts']})
    expect(sh(root, ['rev-parse', 'main^'])).toBe(before)
    const message = sh(root, ['log', '-1', '--format=%B', 'main'])
    expect(message).toContain('- src/user.ts: getUser -> fetchUser')
    expect(sh(root, ['interpret-trailers', '--parse'], message + '\n')).toBe(`Pare-Session: ${out.session.id}`)
    // The commit holds the run's hunk and nothing of the user's.
    expect(sh(root, ['show', '--name-only', '--format=', 'main'])).toBe('src/user.ts')
    expect(sh(root, ['show', 'main:src/user.ts']) + '\n').toBe(USER.replace('getUser', 'fetchUser'))
    expect(sh(root, ['show', 'main:README.md'])).toBe('# shop')
    // Still dirty, exactly as the user left it: staged stays staged, the own hunk stays unstaged.
    expect(sh(root, ['status', '--porcelain']).split('\n').sort()).toEqual(['M  README.md', ' M notes.txt', ' M src/user.ts', '?? scratch.txt'].sort())
    expect(sh(root, ['diff', 'src/user.ts'])).toMatch(/^\+\/\/ my own note$/m)
    expect(readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe('notes\nmine\n')
    sh(root, ['fsck', '--no-progress', '--strict'])
    // The sweep: src/api.ts still names the old function.
    expect(out.sweep.references).toEqual([{name: 'getUser', how: 'renamed', renamed_to: 'fetchUser', file: 'src/user.ts', refs: ['src/api.ts:1', 'src/api.ts:4'], more: 0}])
  })

  it('text mode prints the left references and the commit line', async () => {
    const root = scopedRepo(FILES)
    const server = await scopedServer(renamer)
    const res = await runCliAsync(['run', 'rename getUser to fetchUser', '--commit', '--no-hooks'], {cwd: root, env: env(server, home())})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toContain('⚠ getUser was renamed to fetchUser in src/user.ts, but is still used:\n  src/api.ts:1\n  src/api.ts:4\n')
    expect(res.stderr).toMatch(new RegExp(`committed ${sh(root, ['rev-parse', '--short=7', 'main'])} on main: Rename getUser to fetchUser \\(1 file\\)`))
    expect(sh(root, ['status', '--porcelain'])).toBe('')
  })

  it('refuses on a detached HEAD before any model call, and when the user staged changes to the same file', async () => {
    const root = scopedRepo(FILES)
    const server = await scopedServer(renamer)
    const e = env(server, home())
    sh(root, ['checkout', '-q', '--detach'])
    const detached = await runCliAsync(['run', 'rename getUser', '--commit', '--no-hooks'], {cwd: root, env: e})
    expect(detached.code).toBe(3)
    expect(detached.stderr).toMatch(/^error: run --commit needs a branch, but HEAD is detached$/m)
    expect(server.chatRequests()).toHaveLength(0)
    sh(root, ['checkout', '-q', 'main'])
    writeFileSync(path.join(root, 'src/user.ts'), `// staged by me\n${USER}`)
    sh(root, ['add', 'src/user.ts'])
    const before = sh(root, ['rev-parse', 'main'])
    const clash = await runCliAsync(['run', 'rename getUser to fetchUser', '--commit', '--no-hooks', '--json'], {cwd: root, env: e})
    expect(clash.code).toBe(3)
    expect(JSON.parse(clash.stdout).error.code).toBe('staged_conflict')
    expect(sh(root, ['rev-parse', 'main'])).toBe(before)
    expect(sh(root, ['diff', '--cached', '--name-only'])).toBe('src/user.ts')
  })
})

describe('post-task sweep', () => {
  it('runs an on_task_done hook from the repository only once the user approved it', async () => {
    const root = scopedRepo({...FILES, '.parecode/config.yaml': 'hooks:\n  on_task_done: echo swept > hook-ran.txt\n'})
    const server = await scopedServer(() => turn.text('nothing to do'))
    const h = home()
    const first = await runCliAsync(['run', 'look around', '--json'], {cwd: root, env: env(server, h)})
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout).result.sweep).toEqual({hooks: [], references: []})
    expect(existsSync(path.join(root, 'hook-ran.txt'))).toBe(false)
    trustRepo(root, h)
    const second = await runCliAsync(['run', 'look around', '--json'], {cwd: root, env: env(server, h)})
    expect(second.code, second.stderr).toBe(0)
    expect(JSON.parse(second.stdout).result.sweep.hooks).toMatchObject([{event: 'on_task_done', command: 'echo swept > hook-ran.txt', ok: true, code: 0}])
    expect(readFileSync(path.join(root, 'hook-ran.txt'), 'utf8')).toBe('swept\n')
  })
})
