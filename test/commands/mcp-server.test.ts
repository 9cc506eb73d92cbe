import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type ScriptedServer} from '../support/model-server.js'
import {gitEnv, projectRoot, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'
import {fsck} from '../core/store/helpers.js'

// `git pare mcp` driven by the SDK's own client over stdio, in real temporary repositories, against the loopback
// model. Every call spawns the CLI, on a busy machine: generous limits, nothing timed.
const SLOW = 600_000
const CALL = {timeout: 300_000}

type Msg = {role: string; content: string | null}
const write = (p: string, content: string) => ({name: 'write_file', args: {path: p, content, overwrite: true}})
const parecodeRefs = (root: string) => sh(root, ['for-each-ref', '--format=%(refname)', 'refs/parecode/'])

interface Connected {
  client: Client
  /** The server's HOME: where the user's own approvals live. */
  home: string
  /** Everything the server wrote to stderr so far. */
  stderr: () => string
  /** Resolves once the server's stderr matches. */
  stderrMatching: (re: RegExp) => Promise<void>
}

/** `git pare mcp` in `root`, as an editor starts it: HOME empty, the model from the environment. */
async function connect(root: string, server?: ScriptedServer): Promise<Connected> {
  const home = tempDir('pare-home-')
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({...process.env, ...gitEnv})) if (v !== undefined) env[k] = v
  for (const k of ['OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'PARECODE_API_KEY', 'PARECODE_BASE_URL', 'PARECODE_MODEL']) delete env[k]
  Object.assign(env, {HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, '.local/state'), NO_COLOR: '1', PARECODE_NO_OLLAMA_PROBE: '1'})
  if (server) Object.assign(env, {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test-key'})
  const transport = new StdioClientTransport({command: process.execPath, args: [path.join(projectRoot, 'bin/run.js'), 'mcp'], cwd: root, env, stderr: 'pipe'})
  let err = ''
  const waiters: {re: RegExp; resolve: () => void}[] = []
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
    for (const w of waiters.filter((x) => x.re.test(err))) w.resolve()
  })
  const client = new Client({name: 'test', version: '1.0.0'})
  await client.connect(transport)
  onTestFinished(() => client.close())
  return {
    client,
    home,
    stderr: () => err,
    stderrMatching: (re) => (re.test(err) ? Promise.resolve() : new Promise((resolve) => waiters.push({re, resolve}))),
  }
}

const call = async (c: Client, name: string, args: Record<string, unknown> = {}, opts: Parameters<Client['callTool']>[2] = {}) => (await c.callTool({name, arguments: args}, undefined, {...CALL, ...opts})) as CallToolResult
const text = (r: CallToolResult) => (r.content[0] as {text: string}).text
const envelope = (r: CallToolResult) => r.structuredContent as {status: number; result?: any; error?: {code: string; message: string}; warnings: string[]}

describe('git pare mcp', () => {
  it('outside a repository it fails before the handshake (exit 3); --json is a usage error, since stdout is the protocol', async () => {
    const out = await runCliAsync(['mcp'], {cwd: tempDir('pare-norepo-')})
    expect(out.code).toBe(3)
    expect(out.stdout).toBe('')
    expect(out.stderr).toMatch(/^error: not a git repository/)
    const json = await runCliAsync(['mcp', '--json'], {cwd: scopedRepo()})
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({status: 2, error: {code: 'usage'}})
  }, SLOW)

  it('initializes and lists the ten tools with lean schemas; log and diff work on a real repository', async () => {
    const root = scopedRepo({'a.txt': 'one\n'})
    const {client, stderr} = await connect(root)
    expect(client.getServerVersion()?.name).toBe('git-pare')
    const {tools} = await client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(['diff', 'log', 'plan', 'plan_show', 'redo', 'run', 'session_list', 'status', 'step', 'undo'])
    expect(tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name).sort()).toEqual(['diff', 'log', 'plan_show', 'session_list', 'status'])
    // The calling model reads this listing on every request: no generated noise, and small as a whole.
    const listing = JSON.stringify(tools)
    expect(listing).not.toMatch(/"\$schema"|"title"|"additionalProperties"|"execution"|"outputSchema"/)
    expect(listing.length).toBeLessThan(2200)

    // Nothing yet: the same envelope `git pare log --json` prints.
    const log = await call(client, 'log')
    expect(log.isError).toBeFalsy()
    expect(envelope(log)).toEqual({status: 0, result: {entries: []}, warnings: []})
    expect(JSON.parse(text(log))).toEqual(envelope(log))
    const diff = await call(client, 'diff')
    expect(diff.isError).toBe(true)
    expect(text(diff)).toMatch(/^error: .*checkpoint/)
    expect(envelope(diff).status).toBe(2)

    // The CLI's error, as the CLI words it: one line and its hint, and the envelope itself.
    const cli = JSON.parse((await runCliAsync(['undo', '--json'], {cwd: root})).stdout)
    expect(cli.error.code).toBe('nothing_to_undo')
    const undo = await call(client, 'undo')
    expect(undo.isError).toBe(true)
    expect(text(undo)).toBe(`error: ${cli.error.message}\nhint: ${cli.error.hint}`)
    expect(envelope(undo)).toEqual(cli)
    expect(stderr()).not.toMatch(/\n\s+at /)
  }, SLOW)

  it('run against the loopback model makes a checkpoint, reports progress, and undo/redo through MCP restore the tree', async () => {
    const root = scopedRepo({'a.txt': 'one\n'})
    const server = await scopedServer((r: RecordedRequest) => ((r.body.messages as Msg[]).some((m) => m.role === 'tool') ? turn.text('Wrote two.') : turn.tools([write('a.txt', 'two\n')])))
    const {client} = await connect(root, server)
    const progress: string[] = []
    const run = await call(client, 'run', {task: 'write two into a.txt'}, {onprogress: (p) => progress.push(p.message ?? '')})
    expect(run.isError, text(run)).toBeFalsy()
    const res = envelope(run)
    expect(res.status).toBe(0)
    expect(res.result).toMatchObject({answer: 'Wrote two.', stop: 'done', files_changed: ['a.txt'], checkpoint: {seq: 1}})
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('two\n')
    expect(parecodeRefs(root)).toMatch(/^refs\/parecode\/checkpoints\//m)
    expect(progress[0]).toBe('run: started')
    expect(progress.some((m) => /write_file/.test(m))).toBe(true)

    // The read-only tools see what the run did.
    const diff = envelope(await call(client, 'diff', {stat: true}))
    expect(diff.result).toMatchObject({checkpoint: {seq: 1}, files: [{path: 'a.txt'}]})
    expect(diff.result.patch).toBeUndefined()
    const entries = envelope(await call(client, 'log', {kind: 'checkpoint'})).result.entries
    expect(entries).toHaveLength(1)
    const status = envelope(await call(client, 'status')).result
    expect(status).toMatchObject({plan: null, checkpoints: 1, checkpoint: {id: entries[0].id}, session: {turns: 1}})
    const sessions = envelope(await call(client, 'session_list')).result
    expect(sessions).toEqual([expect.objectContaining({id: res.result.session.id, latest: true})])

    const undo = await call(client, 'undo')
    expect(undo.isError, text(undo)).toBeFalsy()
    expect(envelope(undo).result).toMatchObject({checkpoint: {seq: 1}, changed: [{path: 'a.txt'}]})
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n')
    expect(sh(root, ['status', '--porcelain'])).toBe('')
    const redo = await call(client, 'redo')
    expect(redo.isError, text(redo)).toBeFalsy()
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('two\n')
    fsck(root)
  }, SLOW)

  it('a cancelled run is interrupted like Ctrl+C: the child exits 130, its checkpoint is kept, undo restores the tree', async () => {
    const root = scopedRepo({'a.txt': 'one\n'})
    const ac = new AbortController()
    const server = await scopedServer((_r, i) => {
      if (i === 0) return turn.tools([write('a.txt', 'half done\n')])
      if (i === 1) {
        ac.abort()
        return {...turn.text('too late'), delayMs: 120_000}
      }
      return turn.text('unexpected')
    })
    const {client, stderrMatching} = await connect(root, server)
    await expect(call(client, 'run', {task: 'two steps'}, {signal: ac.signal})).rejects.toThrow(/abort/i)
    // The server waits for its child: the CLI kept its checkpoint and exited 130.
    await stderrMatching(/run: cancelled \(exit 130\)/)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('half done\n')
    const cp = envelope(await call(client, 'log', {kind: 'checkpoint'})).result.entries
    expect(cp).toHaveLength(1)
    expect(cp[0].outcome).toMatch(/^interrupted/)
    const undo = await call(client, 'undo')
    expect(undo.isError, text(undo)).toBeFalsy()
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n')
    expect(server.chatRequests()).toHaveLength(2)
    fsck(root)
  }, SLOW)

  it('a client that goes away mid-run interrupts it the same way: checkpoint kept, `git pare undo` restores the tree', async () => {
    const root = scopedRepo({'a.txt': 'one\n'})
    let slow!: () => void
    const asked = new Promise<void>((r) => (slow = r))
    const server = await scopedServer((_r, i) => {
      if (i === 0) return turn.tools([write('a.txt', 'half done\n')])
      slow()
      return {...turn.text('too late'), delayMs: 120_000}
    })
    const {client} = await connect(root, server)
    const pending = call(client, 'run', {task: 'two steps'}).catch((e: Error) => e)
    await asked
    await client.close()
    expect(await pending).toBeInstanceOf(Error)
    // The child may outlive the server by a moment (its own process group): wait for it to record how the run ended.
    let cp: {outcome?: string}[] = []
    while (!cp[0]?.outcome) cp = JSON.parse((await runCliAsync(['log', '--json', '--kind', 'checkpoint'], {cwd: root})).stdout).result.entries
    expect(cp[0]!.outcome).toMatch(/^interrupted/)
    const undo = await runCliAsync(['undo'], {cwd: root})
    expect(undo.code, undo.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n')
    fsck(root)
  }, SLOW)

  it('bad arguments are tool errors, never flags and never a crash; what would ask on a terminal is refused', async () => {
    const root = scopedRepo({'a.txt': 'one\n'})
    const {client} = await connect(root)
    for (const [name, args] of [
      ['run', {task: 42}],
      ['run', {}],
      ['run', {task: 'x', approval: 'auto'}],
      ['diff', {checkpoint: '--output=/tmp/pwned'}],
      ['plan_show', {plan: '-h'}],
      ['undo', {force: true}],
      ['plan', {task: 'x', yes: true}],
      ['step', {n: -1}],
    ] as const) {
      const r = await call(client, name, args as Record<string, unknown>)
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true)
      expect(text(r)).toMatch(/Input validation error/)
    }
    const unknown = await call(client, 'bash', {command: 'true'})
    expect(unknown.isError).toBe(true)
    // A task that reads as a flag is the task: here it reaches run, which finds no model configured.
    const flagLike = await call(client, 'run', {task: '--help'})
    expect(flagLike.isError).toBe(true)
    expect(envelope(flagLike).error?.code).toBe('not_configured')
    // `plan shw` asks "did you mean `plan show`?" on a terminal; the server has none, so it gets the CLI's refusal.
    const typo = await call(client, 'plan', {task: 'shw'})
    expect(typo.isError).toBe(true)
    expect(text(typo)).toMatch(/^error: "shw" looks like a mistyped subcommand: did you mean `git pare plan show`\?\nhint: /)
    // Still serving.
    expect(envelope(await call(client, 'log')).status).toBe(0)
    expect(parecodeRefs(root)).toBe('')
  }, SLOW)

  it('plan makes a plan nobody approved; step refuses it until the user approves on the command line, then runs it with progress', async () => {
    const root = scopedRepo({'src/user.ts': 'export function getUser() {\n  return 1\n}\n'})
    const PLAN = {
      task: 'rename getUser to fetchUser',
      steps: [{description: 'Rename it', instruction: 'Rename getUser to fetchUser in src/user.ts.', files: ['src/user.ts'], verify: {type: 'pattern_absent', pattern: 'getUser', path: 'src/user.ts'}, tool_budget: 4}],
    }
    const server = await scopedServer((r: RecordedRequest) => {
      const m = r.body.messages as Msg[]
      if (String(m[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
      if (m.some((x) => x.role === 'tool')) return turn.text('done')
      return turn.tools([{name: 'edit_file', args: {path: 'src/user.ts', old_str: 'export function getUser() {', new_str: 'export function fetchUser() {'}}])
    })
    const {client, home} = await connect(root, server)
    const plan = await call(client, 'plan', {task: 'rename getUser to fetchUser'})
    expect(plan.isError, text(plan)).toBeFalsy()
    const id = envelope(plan).result.plan.id as string
    expect(envelope(await call(client, 'plan_show')).result).toMatchObject({id, steps: [{description: 'Rename it'}]})
    expect(envelope(await call(client, 'status')).result.plan).toMatchObject({id, steps: 1, steps_done: 0, next_step: {n: 1}})

    // Approval is the user's: nothing over MCP gives it, so step is refused with the CLI's message.
    const refused = await call(client, 'step')
    expect(refused.isError).toBe(true)
    expect(text(refused)).toMatch(/^error: .*approv/)
    expect(readFileSync(path.join(root, 'src/user.ts'), 'utf8')).toContain('getUser')

    const approve = await runCliAsync(['plan', 'approve', '--all'], {cwd: root, env: {HOME: home}})
    expect(approve.code, approve.stderr).toBe(0)
    const progress: string[] = []
    const step = await call(client, 'step', {}, {onprogress: (p) => progress.push(p.message ?? '')})
    expect(step.isError, text(step)).toBeFalsy()
    expect(envelope(step)).toMatchObject({status: 0, result: {steps: [{n: 1, ok: true}]}})
    expect(readFileSync(path.join(root, 'src/user.ts'), 'utf8')).toContain('fetchUser')
    expect(progress).toEqual(expect.arrayContaining(['step: started', 'step 1: Rename it', 'step 1 done']))
    expect(progress.some((m) => /^step 1 · edit_file/.test(m))).toBe(true)
    fsck(root)
  }, SLOW)
})
