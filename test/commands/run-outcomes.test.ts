import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {ChildProcess} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {turn, type ScriptedServer} from '../support/model-server.js'
import {runCliAsync, sh, tempDir, writeFiles} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'
import {fsck} from '../core/store/helpers.js'

// Several CLI calls each on a busy machine: generous, and nothing is timed.
const SLOW = 600_000
const env = (server: ScriptedServer, extra: NodeJS.ProcessEnv = {}) => ({PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test-key', ...extra})
const parecodeRefs = (root: string) => sh(root, ['for-each-ref', '--format=%(refname)', 'refs/parecode/'])
const write = (p: string, content: string) => ({name: 'write_file', args: {path: p, content, overwrite: true}})
type Msg = {role: string; content: string | null}

describe('a run that fails before any tool ran leaves nothing behind', () => {
  it('unreachable endpoint, 401, unknown model: exit 4, no checkpoint, no session, no ref at all', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const down = await runCliAsync(['run', 'do it', '--no-hooks'], {cwd: root, env: {PARECODE_BASE_URL: 'http://127.0.0.1:9/v1', PARECODE_MODEL: 'm'}})
    expect(down.code).toBe(4)
    expect(parecodeRefs(root)).toBe('')
    for (const t of [turn.unauthorized(), turn.modelNotFound('scripted-model')]) {
      const server = await scopedServer([t, t, t, t])
      const res = await runCliAsync(['run', 'do it', '--no-hooks', '--json'], {cwd: root, env: env(server)})
      expect(res.code, res.stderr).toBe(4)
      expect(JSON.parse(res.stdout).status).toBe(4)
      expect(parecodeRefs(root)).toBe('')
    }
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('x\n')
    fsck(root)
  }, SLOW)

  it('a failed --continue leaves the session and the redo of an earlier undo as they were', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const ok = await scopedServer([turn.tools([write('a.txt', 'agent\n')]), turn.text('done')])
    expect((await runCliAsync(['run', 'first', '--no-hooks'], {cwd: root, env: env(ok)})).code).toBe(0)
    expect((await runCliAsync(['undo'], {cwd: root})).code).toBe(0)
    const refs = parecodeRefs(root)
    const bad = await scopedServer([turn.unauthorized()])
    const res = await runCliAsync(['run', '--continue', 'again', '--no-hooks'], {cwd: root, env: env(bad)})
    expect(res.code).toBe(4)
    expect(parecodeRefs(root)).toBe(refs)
    const redo = await runCliAsync(['redo'], {cwd: root})
    expect(redo.code, redo.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('agent\n')
  }, SLOW)
})

describe('a run that fails after a tool ran keeps its checkpoint and its session', () => {
  it('a 500 after a write: exit 4, the session holds the call, log says interrupted, undo restores', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const server = await scopedServer((_req, i) => (i === 0 ? turn.tools([write('a.txt', 'half done\n')]) : turn.http(500, {error: {message: 'the GPU caught fire', type: 'server_error'}}, {'retry-after-ms': '0'})))
    const res = await runCliAsync(['run', 'do it', '--no-hooks'], {cwd: root, env: env(server)})
    expect(res.code).toBe(4)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('half done\n')
    const sessions = JSON.parse((await runCliAsync(['session', 'list', '--json'], {cwd: root})).stdout).result
    expect(sessions).toHaveLength(1)
    const shown = JSON.parse((await runCliAsync(['session', 'show', '--json'], {cwd: root})).stdout).result
    expect(shown.messages.map((m: Msg) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    expect(shown.messages.at(-1).content).toMatch(/^\(interrupted: .*GPU caught fire/)
    // the checkpoint names that session, and log says how the run ended
    const log = JSON.parse((await runCliAsync(['log', '--json'], {cwd: root})).stdout).result.entries
    const cp = log.find((e: {kind: string}) => e.kind === 'checkpoint')
    expect(cp.meta.session).toBe(sessions[0].id)
    expect(cp.outcome).toMatch(/^interrupted: .*GPU caught fire/)
    expect((await runCliAsync(['log'], {cwd: root})).stdout).toMatch(/^checkpoint 1 {2}run: do it .*\[interrupted: .*GPU caught fire/m)
    const undo = await runCliAsync(['undo'], {cwd: root})
    expect(undo.code, undo.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('x\n')
    fsck(root)
  }, SLOW)
})

describe('Ctrl+C during a run', () => {
  it('a real SIGINT while the model is slow: exit 130, the session so far is kept, and --continue resumes it', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    let child: ChildProcess | undefined
    const server = await scopedServer((_req, i) => {
      if (i === 0) return turn.tools([write('a.txt', 'step one\n')])
      if (i === 1) {
        child?.kill('SIGINT')
        return {...turn.text('too late'), delayMs: 60_000}
      }
      return turn.text('resumed and finished')
    })
    const res = await runCliAsync(['run', 'two steps please', '--no-hooks'], {cwd: root, env: env(server), onSpawn: (c) => (child = c)})
    expect(res.code).toBe(130)
    expect(res.stderr).toMatch(/interrupt/i)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    fsck(root)
    const log = (await runCliAsync(['log', '--kind', 'checkpoint'], {cwd: root})).stdout
    expect(log).toMatch(/^checkpoint 1 {2}run: two steps please .*\[interrupted: by the user \(Ctrl\+C\)\]/m)

    const again = await runCliAsync(['run', '--continue', 'go on', '--no-hooks', '--json'], {cwd: root, env: env(server)})
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).result.session.turn).toBe(2)
    const sent = (server.chatRequests()[2]!.body.messages as Msg[]).find((m) => m.role === 'user')!.content!
    expect(sent).toContain('two steps please')
    expect(sent).toContain('write_file')
    // both runs undo cleanly back to the start
    expect((await runCliAsync(['undo'], {cwd: root})).code).toBe(0)
    const first = await runCliAsync(['undo'], {cwd: root})
    expect(first.code, first.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('x\n')
    fsck(root)
  }, SLOW)
})

describe('exit codes tell the truth', () => {
  it('the tool budget and the loop guard exit 6 and say why, in text and in --json', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const budget = await scopedServer([turn.tools([write('a.txt', 'one\n')]), turn.text('never asked')])
    const res = await runCliAsync(['run', 'do it', '--no-hooks', '--max-tool-calls', '1'], {cwd: root, env: env(budget)})
    expect(res.code, res.stderr).toBe(6)
    expect(res.stderr).toMatch(/^stopped before done: the tool budget of 1 calls was used up before the task was finished/m)
    const json = await runCliAsync(['run', 'do it', '--no-hooks', '--max-tool-calls', '1', '--json'], {cwd: root, env: env(await scopedServer([turn.tools([write('a.txt', 'two\n')])]))})
    expect(json.code).toBe(6)
    expect(JSON.parse(json.stdout)).toMatchObject({status: 6, result: {stop: 'budget', stop_reason: expect.stringContaining('tool budget of 1')}})

    const loop = await scopedServer(() => turn.tools([{name: 'read_file', args: {path: 'a.txt'}}]))
    const stuck = await runCliAsync(['run', 'read it', '--no-hooks', '--json'], {cwd: root, env: env(loop)})
    expect(stuck.code, stuck.stderr).toBe(6)
    expect(JSON.parse(stuck.stdout)).toMatchObject({status: 6, result: {stop: 'loop', stop_reason: expect.stringContaining('same call')}})
    expect((await runCliAsync(['log', '--kind', 'checkpoint'], {cwd: root})).stdout).toMatch(/\[stopped: the model sent the same call/)
  }, SLOW)

  it('a failing on_task_done hook is shown, is in --json, and makes the exit code 1', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const home = tempDir('pare-home-')
    writeFiles(home, {'.config/parecode/config.yaml': 'hooks:\n  on_task_done: "echo tests failed: 2 of 9; exit 3"\n'})
    const server = await scopedServer([turn.text('done'), turn.text('done')])
    const res = await runCliAsync(['run', 'do it'], {cwd: root, env: env(server, {HOME: home})})
    expect(res.code, res.stderr).toBe(1)
    expect(res.stdout.trim()).toBe('done')
    expect(res.stderr).toContain('… on_task_done: echo tests failed: 2 of 9; exit 3\n')
    expect(res.stderr).toMatch(/✗ on_task_done: echo tests failed: 2 of 9; exit 3 \(exit 3, \d+\.\ds\)\n {2}tests failed: 2 of 9\n/)
    expect(res.stderr).toContain('error: the on_task_done hook `echo tests failed: 2 of 9; exit 3` failed (exit 3)')
    const json = await runCliAsync(['run', 'do it', '--json'], {cwd: root, env: env(server, {HOME: home})})
    expect(json.code).toBe(1)
    const out = JSON.parse(json.stdout)
    expect(out.status).toBe(1)
    expect(out.result.hooks).toEqual([{event: 'on_task_done', command: 'echo tests failed: 2 of 9; exit 3', ok: false, code: 3, timed_out: false, ms: expect.any(Number), output: 'tests failed: 2 of 9'}])
  }, SLOW)

  it('--quick uses model_routes.quick, unless --model names one', async () => {
    const root = scopedRepo({'a.txt': 'x\n'})
    const server = await scopedServer(() => turn.text('ok'))
    const home = tempDir('pare-home-')
    writeFiles(home, {'.config/parecode/config.yaml': `profile: t\nprofiles:\n  t:\n    base_url: ${server.url}\n    model: big-model\n    model_routes: {quick: small-model}\n`})
    const quick = await runCliAsync(['run', '--quick', 'fix the typo', '--json'], {cwd: root, env: {HOME: home}})
    expect(quick.code, quick.stderr).toBe(0)
    expect(JSON.parse(quick.stdout).result.model).toBe('small-model')
    expect((await runCliAsync(['run', 'a real task', '--no-hooks'], {cwd: root, env: {HOME: home}})).code).toBe(0)
    expect((await runCliAsync(['run', '--quick', '--model', 'chosen', 'fix it'], {cwd: root, env: {HOME: home}})).code).toBe(0)
    expect(server.chatRequests().map((r) => r.body.model)).toEqual(['small-model', 'big-model', 'chosen'])
  }, SLOW)
})
