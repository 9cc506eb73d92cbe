import type {ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {turn, type RecordedRequest, type ScriptedServer} from '../support/model-server.js'
import {alive} from '../support/process.js'
import {projectRoot, runCli, runCliAsync, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// run with MCP servers: the real server-everything started by git pare, the loopback model scripted to call it.

const EVERYTHING = path.join(projectRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')
const NODE = JSON.stringify(process.execPath)
const env = (server: ScriptedServer, home: string) => ({HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test-key'})
type Msg = {role: string; content: string}
const toolNames = (r: RecordedRequest): string[] => ((r.body.tools ?? []) as {function: {name: string}}[]).map((t) => t.function.name)
const toolMessages = (r: RecordedRequest): string[] => (r.body.messages as Msg[]).filter((m) => m.role === 'tool').map((m) => m.content)

function home(config: string): string {
  const h = tempDir('pare-home-')
  mkdirSync(path.join(h, '.config/parecode'), {recursive: true})
  writeFileSync(path.join(h, '.config/parecode/config.yaml'), config)
  return h
}

describe('git pare run with MCP servers', () => {
  it('offers the server tools, routes a call to echo, and its result reaches the next request; a server that fails to start is a warning', async () => {
    const root = scopedRepo()
    const h = home(`mcp_servers:\n  everything: {command: ${NODE}, args: [${JSON.stringify(EVERYTHING)}, stdio]}\n  dead: {command: ${NODE}, args: [-e, "process.exit(1)"]}\n`)
    const server = await scopedServer([turn.tools([{name: 'everything__echo', args: {message: 'ping-42'}}]), turn.text('echoed')])
    const res = await runCliAsync(['run', 'echo ping-42', '--json', '--no-hooks'], {cwd: root, env: env(server, h), timeoutMs: 240_000})
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout)
    expect(out.result).toMatchObject({answer: 'echoed', tool_calls: 1, stop: 'done'})
    const [first, second] = server.chatRequests()
    expect(toolNames(first!)).toEqual(expect.arrayContaining(['read_file', 'everything__echo', 'everything__get-sum']))
    expect(toolNames(first!).some((n) => n.startsWith('dead__'))).toBe(false)
    expect(toolMessages(second!)).toEqual(['Echo: ping-42'])
    expect(out.warnings.join('\n')).toMatch(/MCP server "dead" did not start: it exited before answering; its tools are not offered/)
  }, 300_000)

  it('quick mode offers no MCP tools and starts no server', async () => {
    const root = scopedRepo()
    const h = home(`mcp_servers:\n  everything: {command: sh, args: [-c, 'touch started; exec ${NODE} ${JSON.stringify(EVERYTHING)} stdio']}\n`)
    const server = await scopedServer([turn.text('ok')])
    const res = await runCliAsync(['run', '--quick', 'hi', '--no-hooks'], {cwd: root, env: env(server, h), timeoutMs: 240_000})
    expect(res.code, res.stderr).toBe(0)
    expect(toolNames(server.chatRequests()[0]!).some((n) => n.includes('__'))).toBe(false)
    expect(existsSync(path.join(root, 'started'))).toBe(false)
  }, 300_000)

  it('a server killed during a call gives the model a tool error, the user a warning, and the run finishes', async () => {
    const root = scopedRepo()
    const h = home(`mcp_servers:\n  crashy: {command: sh, args: [-c, 'echo $$ > .mcp-pid; exec ${NODE} ${JSON.stringify(EVERYTHING)} stdio'], tools: [trigger-long-running-operation]}\n`)
    const server = await scopedServer((r, i) => {
      if (i === 0) {
        // the call is in flight once the model answered: then the server dies
        setTimeout(() => process.kill(Number(readFileSync(path.join(root, '.mcp-pid'), 'utf8')), 'SIGKILL'), 1500)
        return turn.tools([{name: 'crashy__trigger-long-running-operation', args: {duration: 600, steps: 600}}])
      }
      return turn.text('the tool failed')
    })
    const res = await runCliAsync(['run', 'wait a while', '--no-hooks'], {cwd: root, env: env(server, h), timeoutMs: 240_000})
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout.trim()).toBe('the tool failed')
    const [msg] = toolMessages(server.chatRequests()[1]!)
    expect(msg).toMatch(/^Error: crashy\.trigger-long-running-operation MCP server "crashy" is not running/)
    expect(res.stderr).toMatch(/warning: MCP server "crashy" stopped/)
  }, 300_000)

  it('Ctrl+C during a long-running MCP call: the call is cancelled, the run exits 130 and the server is stopped', async () => {
    const root = scopedRepo()
    const h = home(`mcp_servers:\n  slow: {command: sh, args: [-c, 'echo $$ > .mcp-pid; exec ${NODE} ${JSON.stringify(EVERYTHING)} stdio'], tools: [trigger-long-running-operation]}\n`)
    let child: ChildProcess | undefined
    const server = await scopedServer((r, i) => {
      if (i === 0) {
        // the call is in flight once the model answered
        setTimeout(() => child?.kill('SIGINT'), 1500)
        return turn.tools([{name: 'slow__trigger-long-running-operation', args: {duration: 600, steps: 600}}])
      }
      return turn.text('never asked')
    })
    const res = await runCliAsync(['run', 'wait a while', '--no-hooks'], {cwd: root, env: env(server, h), timeoutMs: 240_000, onSpawn: (c) => (child = c)})
    expect(res.code, res.stderr).toBe(130)
    expect(res.stderr).toMatch(/interrupt/i)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    expect(server.chatRequests()).toHaveLength(1)
    const pid = Number(readFileSync(path.join(root, '.mcp-pid'), 'utf8'))
    // stopped by the CLI on its way out (polled: a busy machine may take a moment to reap it)
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100))
    expect(alive(pid)).toBe(false)
  }, 300_000)

  it('a plan step is offered only the servers it names (mcp: [name] in plan.yaml)', async () => {
    const root = scopedRepo({'a.txt': 'one\n'})
    const h = home(`mcp_servers:\n  named: {command: ${NODE}, args: [${JSON.stringify(EVERYTHING)}, stdio], tools: [echo]}\n  other: {command: ${NODE}, args: [${JSON.stringify(EVERYTHING)}, stdio], tools: [echo]}\n`)
    const plan = {task: 't', steps: [{description: 'edit a', instruction: 'Change one to two in a.txt.', files: ['a.txt'], verify: {type: 'file_changed', path: 'a.txt'}, tool_budget: 3, mcp: ['named']}]}
    const server = await scopedServer((r) => {
      const m = r.body.messages as Msg[]
      if (String(m[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(plan))
      if (m.some((x) => x.role === 'tool')) return turn.text('done')
      return turn.tools([{name: 'write_file', args: {path: 'a.txt', content: 'two\n', overwrite: true}}])
    })
    const e = env(server, h)
    const made = await runCliAsync(['plan', 't', '--yes', '--no-hooks'], {cwd: root, env: e, timeoutMs: 240_000})
    expect(made.code, made.stderr).toBe(0)
    const show = runCli(['plan', 'show', '--json'], {cwd: root, env: e})
    expect(JSON.parse(show.stdout).result.steps[0].mcp).toEqual(['named'])
    const step = await runCliAsync(['step', '--no-hooks'], {cwd: root, env: e, timeoutMs: 240_000})
    expect(step.code, step.stderr + step.stdout).toBe(0)
    const stepRequest = server.chatRequests().find((r) => !String((r.body.messages as Msg[])[0]?.content).startsWith('You plan code changes'))!
    const names = toolNames(stepRequest)
    expect(names).toContain('named__echo')
    expect(names).not.toContain('other__echo')
  }, 300_000)
})
