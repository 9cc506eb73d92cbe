import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadTokenCounter} from '../../src/core/context/tokenizer.js'
import {lineHash} from '../../src/core/tools/anchors.js'
import {turn, type ScriptedServer} from '../support/model-server.js'
import {runCliAsync, sh} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

const SRC = 'export function greet(name: string) {\n  return `hi ${name}`\n}\n'

const env = (server: ScriptedServer) => ({PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test-key'})
type Msg = {role: string; content: string}
const toolMessages = (server: ScriptedServer, i: number): string[] => (server.chatRequests()[i]!.body.messages as Msg[]).filter((m) => m.role === 'tool').map((m) => m.content)

describe('git pare run', () => {
  it('completes search, read, anchored edit and answers; --json carries the figures', async () => {
    const root = scopedRepo({'src/greet.ts': SRC})
    const server = await scopedServer([
      turn.tools([{name: 'search', args: {pattern: 'greet'}}]),
      turn.tools([{name: 'read_file', args: {path: 'src/greet.ts'}}]),
      turn.tools([{name: 'edit_file', args: {path: 'src/greet.ts', old_str: '  return `hi ${name}`', new_str: '  return `hello ${name}`', anchor: `2#${lineHash('  return `hi ${name}`')}`}}]),
      turn.text('Changed the greeting to hello.'),
    ])
    const res = await runCliAsync(['run', 'say hello instead of hi', '--json', '--no-hooks'], {cwd: root, env: env(server)})
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout)
    // One envelope: {status, result, warnings}, nothing of the result repeated at the top level.
    expect(Object.keys(out).sort()).toEqual(['result', 'status', 'warnings'])
    expect(out.status).toBe(0)
    expect(out.result.answer).toBe('Changed the greeting to hello.')
    expect(out.result.tool_calls).toBe(3)
    expect(out.result.files_changed).toEqual(['src/greet.ts'])
    expect(out.result.tokens.input).toBeGreaterThan(0)
    expect(out.result).toMatchObject({stop: 'done', stop_reason: null, model: 'scripted-model', checkpoint: {seq: 1}, hooks: []})
    expect(readFileSync(path.join(root, 'src/greet.ts'), 'utf8')).toBe(SRC.replace('hi ', 'hello '))
    // the API key never reaches the model's tools, and nothing of ours is left in the work tree
    expect(sh(root, ['status', '--porcelain'])).toBe('M src/greet.ts')
    // undo brings the file back
    const undo = await runCliAsync(['undo'], {cwd: root})
    expect(undo.code, undo.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'src/greet.ts'), 'utf8')).toBe(SRC)
  })

  it('a stale anchor gets the mismatch message, and the retry after a re-read succeeds', async () => {
    const root = scopedRepo({'src/greet.ts': SRC})
    const stale = `2#${lineHash('  return `hey ${name}`')}`
    const server = await scopedServer([
      turn.tools([{name: 'edit_file', args: {path: 'src/greet.ts', old_str: '  return `hi ${name}`', new_str: '  return `hello ${name}`', anchor: stale}}]),
      turn.tools([{name: 'read_file', args: {path: 'src/greet.ts'}}]),
      turn.tools([{name: 'edit_file', args: {path: 'src/greet.ts', old_str: '  return `hi ${name}`', new_str: '  return `hello ${name}`', anchor: `2#${lineHash('  return `hi ${name}`')}`}}]),
      turn.text('done'),
    ])
    const res = await runCliAsync(['run', 'say hello', '--no-hooks'], {cwd: root, env: env(server)})
    expect(res.code, res.stderr).toBe(0)
    expect(toolMessages(server, 1)[0]).toMatch(/Anchor mismatch at line 2: the file changed since it was read; read it again/)
    expect(readFileSync(path.join(root, 'src/greet.ts'), 'utf8')).toBe(SRC.replace('hi ', 'hello '))
    expect(res.stdout.trim()).toBe('done')
    expect(res.stderr).toMatch(/✗ edit_file/)
  })

  it('the whole first request of `git pare run "say hi"` is at most 1,200 tokens (o200k)', async () => {
    const root = scopedRepo({'README.md': '# x\n'})
    const server = await scopedServer([turn.text('hi')])
    const res = await runCliAsync(['run', 'say hi', '--no-hooks'], {cwd: root, env: env(server)})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout.trim()).toBe('hi')
    const body = server.chatRequests()[0]!.body
    const counter = await loadTokenCounter('o200k_base')
    const tokens = counter.countMessages(body.messages, body.tools)
    expect(tokens).toBeLessThanOrEqual(1200)
    expect(body.tools).toHaveLength(8)
  })

  it('--continue resumes the session and understands a short "yes"', async () => {
    const root = scopedRepo({'src/greet.ts': SRC})
    const server = await scopedServer([turn.text('Shall I rename greet to hello?'), turn.text('Renamed.')])
    expect((await runCliAsync(['run', 'should greet be renamed?', '--no-hooks'], {cwd: root, env: env(server)})).code).toBe(0)
    const second = await runCliAsync(['run', '--continue', 'yes', '--no-hooks', '--json'], {cwd: root, env: env(server)})
    expect(second.code, second.stderr).toBe(0)
    const msgs = server.chatRequests()[1]!.body.messages as Msg[]
    const user = msgs.find((m) => m.role === 'user')!.content
    expect(user).toContain('should greet be renamed?')
    expect(user).toContain('proceed with what you proposed')
    expect(user).toContain('Shall I rename greet to hello?')
    const out = JSON.parse(second.stdout)
    expect(out.result.session.turn).toBe(2)
    const list = JSON.parse((await runCliAsync(['session', 'list', '--json'], {cwd: root})).stdout).result
    expect(list).toHaveLength(1)
    expect(list[0].turns).toBe(2)
  })

  it('bad input: empty task, and a model that is not configured', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const empty = await runCliAsync(['run', '  '], {cwd: root, env: {PARECODE_BASE_URL: 'http://127.0.0.1:9/v1', PARECODE_MODEL: 'm'}})
    expect(empty.code).toBe(2)
    expect(empty.stderr).toMatch(/^error: the task is empty/m)
    const none = await runCliAsync(['run', 'do it'], {cwd: root})
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/no model endpoint is configured/)
    expect(sh(root, ['for-each-ref', 'refs/parecode/'])).toBe('')
  })

  it('a connection refused is one line with the URL, and the work tree is untouched', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    writeFileSync(path.join(root, 'a.txt'), 'changed\n')
    const res = await runCliAsync(['run', 'do it', '--no-hooks'], {cwd: root, env: {PARECODE_BASE_URL: 'http://127.0.0.1:9/v1', PARECODE_MODEL: 'm'}})
    expect(res.code).toBe(4)
    expect(res.stderr).toMatch(/127\.0\.0\.1:9/)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('changed\n')
  })
})

describe('git pare run: Ctrl+C', () => {
  it('aborts the request at once, exits 130, and leaves a repository undo can restore', async () => {
    const root = scopedRepo({'src/greet.ts': SRC})
    writeFileSync(path.join(root, 'src/greet.ts'), SRC.replace('hi', 'hey'))
    const server = await scopedServer([{...turn.text('too late'), delayMs: 30_000}])
    const started = Date.now()
    const res = await runCliAsync(['run', 'say hello', '--no-hooks'], {
      cwd: root,
      env: env(server),
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (server.chatRequests().length > 0) {
            clearInterval(poll)
            child.kill('SIGINT')
          }
        }, 50)
      },
    })
    expect(res.code).toBe(130)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(res.stderr).toMatch(/interrupt/i)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    expect(readFileSync(path.join(root, 'src/greet.ts'), 'utf8')).toBe(SRC.replace('hi', 'hey'))
    expect(sh(root, ['fsck', '--strict'])).not.toMatch(/error/)
    expect(sh(root, ['for-each-ref', '--format=%(refname)', 'refs/parecode/checkpoints/'])).toMatch(/checkpoints\/\d{8}/)
  })
})
