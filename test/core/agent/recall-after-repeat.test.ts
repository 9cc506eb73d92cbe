import {afterEach, describe, expect, it} from 'vitest'
import {runAgent, systemPrompt} from '../../../src/core/agent/loop.js'
import {ReadCache} from '../../../src/core/context/read-cache.js'
import {RecallStore} from '../../../src/core/context/recall.js'
import {loadTokenCounter} from '../../../src/core/context/tokenizer.js'
import {createModelClient} from '../../../src/core/model/client.js'
import {toolsFor} from '../../../src/core/tools/registry.js'
import {startScriptedServer, turn, type ScriptedServer} from '../../support/model-server.js'
import {makeRepo} from '../../support/repo.js'

let server: ScriptedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('recall by tool name', () => {
  it('returns the earlier result, not the loop guard refusal of a repeated call', async () => {
    const root = makeRepo({'src/a.ts': 'export const marker = 41\n'})
    server = await startScriptedServer([
      turn.tools([{name: 'read_file', args: {path: 'src/a.ts'}}]),
      turn.tools([{name: 'read_file', args: {path: 'src/a.ts'}}]),
      turn.tools([{name: 'recall', args: {tool_name: 'read_file'}}]),
      turn.text('done'),
    ])
    const counter = await loadTokenCounter('o200k_base')
    const client = createModelClient({baseUrl: server.url, model: 'scripted-model', retries: 0, countTokens: (t) => counter.count(t)})
    try {
      await runAgent(
        {system: systemPrompt(), task: 'look at src/a.ts'},
        {client, tools: toolsFor(), ctx: {root, readCache: new ReadCache()}, counter, budgetTokens: 20_000, maxToolCalls: 10},
      )
    } finally {
      await client.close()
    }
    const tools = server.chatRequests().at(-1)!.body.messages.filter((m: {role: string}) => m.role === 'tool').map((m: {content: string}) => m.content)
    expect(tools[1]).toMatch(/identical read_file call already made/)
    expect(tools[2]).toMatch(/^\[result of read_file call /)
    expect(tools[2]).toContain('export const marker = 41')
    expect(tools[2]).not.toMatch(/identical read_file call/)
  })

  it('falls back to a failed result only while the tool has no successful one', () => {
    const store = new RecallStore()
    store.put({id: 'a', name: 'bash', content: 'Error: exit 1', ok: false})
    expect(store.get({tool_name: 'bash'})?.id).toBe('a')
    store.put({id: 'b', name: 'bash', content: 'ok output'})
    store.put({id: 'c', name: 'bash', content: 'refused repeat', ok: false})
    expect(store.get({tool_name: 'bash'})?.id).toBe('b')
    expect(store.get({tool_call_id: 'c'})?.content).toBe('refused repeat')
  })
})
