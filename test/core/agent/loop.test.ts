import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {runAgent, systemPrompt} from '../../../src/core/agent/loop.js'
import {ReadCache} from '../../../src/core/context/read-cache.js'
import {loadTokenCounter} from '../../../src/core/context/tokenizer.js'
import {createModelClient} from '../../../src/core/model/client.js'
import {toolsFor} from '../../../src/core/tools/registry.js'
import {lineHash} from '../../../src/core/tools/anchors.js'
import {startScriptedServer, turn, type Policy, type ScriptedServer} from '../../support/model-server.js'
import {makeRepo} from '../../support/repo.js'

let server: ScriptedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function agent(policy: Policy, root: string, opts: {maxToolCalls?: number; budgetTokens?: number; maxRequests?: number} = {}) {
  server = await startScriptedServer(policy)
  const counter = await loadTokenCounter('o200k_base')
  const client = createModelClient({baseUrl: server.url, model: 'scripted-model', retries: 0, countTokens: (t) => counter.count(t)})
  try {
    return await runAgent(
      {system: systemPrompt(), task: 'rename greet to hello in src/a.ts'},
      {
        client,
        tools: toolsFor(),
        ctx: {root, readCache: new ReadCache()},
        counter,
        budgetTokens: opts.budgetTokens ?? 20_000,
        maxToolCalls: opts.maxToolCalls ?? 20,
        maxRequests: opts.maxRequests,
      },
    )
  } finally {
    await client.close()
  }
}

const file = 'export function greet(name: string) {\n  return `hi ${name}`\n}\n'

describe('runAgent', () => {
  it('runs search, read, anchored edit and finishes with the answer', async () => {
    const root = makeRepo({'src/a.ts': file})
    const res = await agent(
      [
        turn.tools([{name: 'search', args: {pattern: 'greet'}}]),
        turn.tools([{name: 'read_file', args: {path: 'src/a.ts'}}]),
        turn.tools([{name: 'edit_file', args: {path: 'src/a.ts', old_str: 'export function greet(', new_str: 'export function hello(', anchor: `1#${lineHash('export function greet(name: string) {')}`}}]),
        turn.text('Renamed greet to hello.'),
      ],
      root,
    )
    expect(res.stop).toBe('done')
    expect(res.answer).toBe('Renamed greet to hello.')
    expect(res.toolCalls).toBe(3)
    expect(res.changed).toEqual(['src/a.ts'])
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe(file.replace('greet', 'hello'))
    // every tool call of a request is answered, in order, in the next request
    const last = server!.chatRequests().at(-1)!.body.messages
    expect(last.filter((m: {role: string}) => m.role === 'tool')).toHaveLength(3)
  })

  it('answers unknown tools and bad arguments with tool errors, and does not run a repeated call', async () => {
    const root = makeRepo({'src/a.ts': file})
    const res = await agent(
      [
        turn.tools([{name: 'open_file', args: {path: 'src/a.ts'}}]),
        turn.tools([{name: 'read_file', args: {file: 'src/a.ts'}}]),
        turn.tools([{name: 'read_file', args: {file: 'src/a.ts'}}]),
        turn.text('gave up'),
      ],
      root,
    )
    const tools = server!.chatRequests().at(-1)!.body.messages.filter((m: {role: string}) => m.role === 'tool').map((m: {content: string}) => m.content)
    expect(tools[0]).toMatch(/unknown tool "open_file"; valid tools: read_file, /)
    expect(tools[1]).toMatch(/expected \{path: string/)
    expect(tools[2]).toMatch(/identical read_file call already made/)
    expect(res.answer).toBe('gave up')
  })

  it('stops at the tool budget and answers every call', async () => {
    const root = makeRepo({'src/a.ts': file})
    const res = await agent(() => turn.tools([{name: 'list_files', args: {}}, {name: 'search', args: {pattern: String(Math.random())}}]), root, {maxToolCalls: 3})
    expect(res.stop).toBe('budget')
    expect(res.toolCalls).toBe(4)
    expect(res.answer).toMatch(/tool budget of 3 calls/)
  })

  it('retries once with a tighter budget on a context-length error', async () => {
    const root = makeRepo({'src/a.ts': file})
    const res = await agent([turn.tools([{name: 'read_file', args: {path: 'src/a.ts'}}]), turn.contextExceeded('llamacpp'), turn.text('done')], root)
    expect(res.answer).toBe('done')
    expect(server!.chatRequests()).toHaveLength(3)
  })

  it('nudges once when the model answers nothing', async () => {
    const root = makeRepo({'src/a.ts': file})
    const res = await agent([turn.text(''), turn.text('ok')], root)
    expect(res.answer).toBe('ok')
    expect(server!.chatRequests()[1]!.body.messages.at(-1).content).toMatch(/Continue/)
  })

  it('quick mode makes one request and reports the tool summary', async () => {
    const root = makeRepo({'src/a.ts': file})
    const res = await agent([turn.tools([{name: 'edit_file', args: {path: 'src/a.ts', old_str: 'greet', new_str: 'hello'}}])], root, {maxToolCalls: 1, maxRequests: 1})
    expect(server!.chatRequests()).toHaveLength(1)
    expect(res.answer).toMatch(/src\/a\.ts/)
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toContain('function hello(')
  })
})

describe('runAgent: a stuck model', () => {
  it('stops after the same refused call comes back three times', async () => {
    const root = makeRepo({'src/a.ts': file})
    const res = await agent(() => turn.tools([{name: 'read_file', args: {path: 'src/missing.ts'}}]), root)
    expect(res.stop).toBe('loop')
    expect(res.requests).toBe(3)
    expect(res.answer).toMatch(/same call 3 times/)
  })
})
