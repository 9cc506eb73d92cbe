import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {loadTokenCounter, type TokenCounter} from '../../../src/core/context/tokenizer.js'
import {McpManager} from '../../../src/core/mcp/manager.js'
import type {McpServerSpec} from '../../../src/core/mcp/config.js'
import {ReadCache} from '../../../src/core/context/read-cache.js'
import {runToolCall} from '../../../src/core/tools/run-call.js'
import type {ToolContext} from '../../../src/core/tools/types.js'
import {alive} from '../../support/process.js'
import {removeDir, tempDir} from '../../support/repo.js'
import {EVERYTHING, spec, startEverythingHttp} from './support.js'

// The MCP client against the real @modelcontextprotocol/server-everything: over stdio and streamable HTTP.

let counter: TokenCounter
const dirs: string[] = []
const managers: McpManager[] = []
beforeAll(async () => {
  counter = await loadTokenCounter('o200k_base')
})
afterAll(async () => {
  await Promise.all(managers.map((m) => m.close()))
  for (const d of dirs) removeDir(d)
})

function manager(servers: McpServerSpec[], schemaBudget = 100_000) {
  const root = tempDir('pare-mcp-')
  dirs.push(root)
  const warnings: string[] = []
  const m = new McpManager({root, env: process.env, settings: {servers, schemaBudget, schemaBudgetSource: 'default'}, counter, onWarning: (w) => warnings.push(w)})
  managers.push(m)
  return {m, root, warnings}
}

const ctx = (root: string, signal?: AbortSignal): ToolContext => ({root, callId: 'c1', readCache: new ReadCache(), ...(signal ? {signal} : {})})

describe('MCP client over stdio', () => {
  it('offers the server tools as server__tool with lean schemas, and routes a call to echo', async () => {
    const {m, root, warnings} = manager([spec('everything')])
    const offer = await m.toolsFor({kind: 'all'})
    const names = offer.tools.map((t) => t.name)
    expect(names).toContain('everything__echo')
    expect(names).toContain('everything__trigger-long-running-operation')
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_-]{1,64}$/)
    const echo = offer.tools.find((t) => t.name === 'everything__echo')!
    expect(echo.parameters).toEqual({type: 'object', properties: {message: {type: 'string', description: 'Message to echo'}}, required: ['message']})
    const text = JSON.stringify(offer.tools.map((t) => t.parameters))
    for (const noise of ['$schema', 'additionalProperties', '"default"', '"title"']) expect(text).not.toContain(noise)
    expect(offer.offered[0]!.tokens).toBeGreaterThan(0)
    // the model may write the dotted name people see
    const r = await runToolCall(offer.tools, 'everything.echo', {message: 'hello there'}, ctx(root))
    expect(r).toMatchObject({ok: true, content: 'Echo: hello there', summary: 'everything.echo: Echo: hello there'})
    const img = await runToolCall(offer.tools, 'everything__get-tiny-image', {}, ctx(root))
    expect(img.content).toMatch(/^\[image image\/png, \d+ bytes\]$/m)
    expect(warnings).toEqual([])
  }, 120_000)

  it('offers only the allowlisted tools', async () => {
    const {m, warnings} = manager([spec('everything', {tools: ['echo', 'get-sum', 'nope']})])
    const offer = await m.toolsFor({kind: 'all'})
    expect(offer.tools.map((t) => t.name).sort()).toEqual(['everything__echo', 'everything__get-sum'])
    expect(warnings.join('\n')).toMatch(/no tool "nope"/)
  }, 120_000)

  it('leaves out servers past the schema budget and says which', async () => {
    const {m, warnings} = manager([spec('small', {tools: ['echo']}), spec('big')], 200)
    const offer = await m.toolsFor({kind: 'all'})
    expect(offer.offered.map((o) => o.name)).toEqual(['small'])
    expect(offer.leftOut.map((o) => o.name)).toEqual(['big'])
    expect(warnings.join('\n')).toMatch(/left out to stay within mcp_schema_budget \(200 tokens, default\): big \(\d+ tokens\)/)
  }, 120_000)

  it('a plan step gets only the servers it names or its route allows', async () => {
    const {m, warnings} = manager([spec('a', {tools: ['echo']}), spec('b', {tools: ['echo'], routes: ['deep']}), spec('c', {tools: ['echo']})])
    const named = await m.toolsFor({kind: 'step', servers: ['c', 'ghost'], route: 'standard'})
    expect(named.offered.map((o) => o.name)).toEqual(['c'])
    expect(warnings.join('\n')).toMatch(/names MCP server "ghost", which is not configured/)
    const deep = await m.toolsFor({kind: 'step', servers: [], route: 'deep'})
    expect(deep.offered.map((o) => o.name)).toEqual(['b'])
    expect((await m.toolsFor({kind: 'step', servers: []})).tools).toEqual([])
  }, 120_000)

  it('aborting the run cancels a long-running call', async () => {
    const {m, root} = manager([spec('everything', {tools: ['trigger-long-running-operation']})])
    const offer = await m.toolsFor({kind: 'all'})
    const ac = new AbortController()
    const call = runToolCall(offer.tools, 'everything__trigger-long-running-operation', {duration: 600, steps: 600}, ctx(root, ac.signal))
    setTimeout(() => ac.abort(), 1500)
    const r = await call
    expect(r).toMatchObject({ok: false, content: 'Error: interrupted'})
    // the server is still there for the next call
    const again = await runToolCall(offer.tools, 'everything__trigger-long-running-operation', {duration: 0.1, steps: 1}, ctx(root))
    expect(again.content).toMatch(/Long running operation completed/)
  }, 120_000)

  it('a call past timeout_ms is a one-line tool error and a warning', async () => {
    const {m, root, warnings} = manager([spec('slow', {tools: ['trigger-long-running-operation'], timeoutMs: 1000})])
    const offer = await m.toolsFor({kind: 'all'})
    const r = await runToolCall(offer.tools, 'slow__trigger-long-running-operation', {duration: 600, steps: 2}, ctx(root))
    expect(r.ok).toBe(false)
    expect(r.content).toBe('Error: slow.trigger-long-running-operation timed out: no answer within 1 s (timeout_ms)')
    expect(warnings.join('\n')).toMatch(/MCP slow\.trigger-long-running-operation timed out/)
  }, 120_000)

  it('a server that exits at once or is not found: a warning, no tools, no throw', async () => {
    const {m, warnings} = manager([spec('dead', {args: ['-e', 'console.error("no license key"); process.exit(3)']}), spec('missing', {command: 'no-such-mcp-server-here', args: []}), spec('ok', {tools: ['echo']})])
    const offer = await m.toolsFor({kind: 'all'})
    expect(offer.offered.map((o) => o.name)).toEqual(['ok'])
    const w = warnings.join('\n')
    expect(w).toMatch(/MCP server "dead" did not start: it exited before answering \(no license key\); its tools are not offered/)
    expect(w).toMatch(/MCP server "missing" did not start: .*no-such-mcp-server-here/)
  }, 120_000)

  it('a server killed during a call: the call and the next one are tool errors', async () => {
    const {m, root, warnings} = manager([spec('crashy', {command: 'sh', args: ['-c', `echo $$ > pid; exec "${process.execPath}" "${EVERYTHING}" stdio`], tools: ['echo', 'trigger-long-running-operation']})])
    const offer = await m.toolsFor({kind: 'all'})
    const pid = Number(readFileSync(path.join(root, 'pid'), 'utf8'))
    expect(alive(pid)).toBe(true)
    const call = runToolCall(offer.tools, 'crashy__trigger-long-running-operation', {duration: 600, steps: 600}, ctx(root))
    setTimeout(() => process.kill(pid, 'SIGKILL'), 1500)
    const r = await call
    expect(r.ok).toBe(false)
    expect(r.content).toMatch(/^Error: crashy\.trigger-long-running-operation MCP server "crashy" is not running/)
    expect(r.content.split('\n')).toHaveLength(1)
    const next = await runToolCall(offer.tools, 'crashy__echo', {message: 'x'}, ctx(root))
    expect(next).toMatchObject({ok: false, summary: 'crashy.echo: server not running'})
    expect(warnings.join('\n')).toMatch(/MCP server "crashy" stopped/)
  }, 120_000)

  it('close stops the child process', async () => {
    const {m, root} = manager([spec('everything', {command: 'sh', args: ['-c', `echo $$ > pid; exec "${process.execPath}" "${EVERYTHING}" stdio`], tools: ['echo']})])
    await m.toolsFor({kind: 'all'})
    const pid = Number(readFileSync(path.join(root, 'pid'), 'utf8'))
    await m.close()
    await expect.poll(() => alive(pid), {timeout: 30_000}).toBe(false)
  }, 120_000)
})

describe('MCP client over streamable HTTP', () => {
  it('lists and calls tools of server-everything on 127.0.0.1', async () => {
    const http = await startEverythingHttp()
    try {
      const {m, root, warnings} = manager([spec('web', {transport: 'http', url: http.url, command: undefined, args: [], tools: ['echo', 'get-sum']})])
      const offer = await m.toolsFor({kind: 'all'})
      expect(offer.tools.map((t) => t.name).sort()).toEqual(['web__echo', 'web__get-sum'])
      const r = await runToolCall(offer.tools, 'web__get-sum', {a: 2, b: '40'}, ctx(root))
      expect(r.ok).toBe(true)
      expect(r.content).toMatch(/42/)
      expect(warnings).toEqual([])
      await m.close()
    } finally {
      http.stop()
    }
  }, 120_000)

  it('an HTTP server that is not there: a warning, no tools', async () => {
    const {m, warnings} = manager([spec('gone', {transport: 'http', url: 'http://127.0.0.1:9/mcp', command: undefined, args: []})])
    expect((await m.toolsFor({kind: 'all'})).tools).toEqual([])
    expect(warnings.join('\n')).toMatch(/MCP server "gone" did not start/)
  }, 120_000)
})
