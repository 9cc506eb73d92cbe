import {beforeAll, describe, expect, it} from 'vitest'
import {fitToBudget} from '../../../src/core/context/budget.js'
import {compactArgs} from '../../../src/core/context/compact-args.js'
import {checkPairing, History} from '../../../src/core/context/history.js'
import {loadTokenCounter, type TokenCounter} from '../../../src/core/context/tokenizer.js'
import type {ChatMessage} from '../../../src/core/model/types.js'

let counter: TokenCounter
beforeAll(async () => {
  counter = await loadTokenCounter()
})

const long = (i: number): string => `result ${i}\n${'some line of output\n'.repeat(40)}`

function addCall(h: History, i: number, name = 'read_file'): void {
  h.addAssistant({content: null, toolCalls: [{id: `c${i}`, type: 'function', function: {name, arguments: `{"path":"f${i}"}`}}]})
  h.addToolResult({callId: `c${i}`, name, args: `{"path":"f${i}"}`, content: long(i), summary: `${name} f${i}`})
}

describe('History', () => {
  it('renders the task alone, or labelled after the preamble and pinned attachments', () => {
    expect(new History({system: 's', task: 'do x'}).toMessages()).toEqual([
      {role: 'system', content: 's'},
      {role: 'user', content: 'do x'},
    ])
    const h = new History({system: 's', task: 'do x', preamble: 'Earlier: y', attachments: [{path: 'a.ts', content: 'A'}]})
    h.attach({path: 'b.ts', content: 'B\n'})
    h.attach({path: 'a.ts', content: 'A2'})
    expect(h.toMessages()[1]!.content).toBe('Earlier: y\n\nAttached files (pinned):\n<file path="a.ts">\nA2\n</file>\n<file path="b.ts">\nB\n</file>\n\nTask: do x')
    h.detach('a.ts')
    h.detach('b.ts')
    expect(h.toMessages()[1]!.content).toBe('Earlier: y\n\nTask: do x')
  })

  it('keeps the request prefix stable between requests (server prompt caches keep hitting)', () => {
    const h = new History({system: 's', task: 't'})
    let prev: ChatMessage[] = []
    for (let i = 0; i < 12; i++) {
      addCall(h, i)
      const {messages} = fitToBudget(h, {budgetTokens: 100_000, counter, keepRecent: 3})
      // Only the result that just left the "recent" window changed; everything before it is identical.
      const changed = messages.findIndex((m, k) => k < prev.length && JSON.stringify(m) !== JSON.stringify(prev[k]))
      if (i >= 4) expect(messages[changed]).toMatchObject({role: 'tool', tool_call_id: `c${i - 3}`})
      if (changed >= 0) expect(messages.slice(0, changed)).toEqual(prev.slice(0, changed))
      prev = messages
    }
  })

  it('stores the run uncompressed for a session, with the task as asked', () => {
    const h = new History({system: 's', task: 'do x', preamble: 'Earlier: y', attachments: [{path: 'a', content: 'A'}]})
    for (let i = 0; i < 6; i++) addCall(h, i)
    h.addAssistant({content: 'done'})
    fitToBudget(h, {budgetTokens: 700, counter})
    const t = h.transcript()
    expect(t[0]).toEqual({role: 'user', content: 'do x'})
    expect(t.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([0, 1, 2, 3, 4, 5].map(long))
    expect(t.at(-1)).toEqual({role: 'assistant', content: 'done'})
    expect(checkPairing(t)).toBeUndefined()
  })

  it('merges neighbours of the same role that trimming leaves behind', () => {
    const h = new History({system: 's', task: 't'})
    h.addUser('nudge 1')
    h.addAssistant({content: 'thinking'})
    h.addAssistant({content: null, toolCalls: [{id: 'a', type: 'function', function: {name: 'bash', arguments: '{}'}}]})
    h.addToolResult({callId: 'a', name: 'bash', args: '{}', content: 'ok', summary: 'ok'})
    expect(h.toMessages().map((m) => `${m.role}:${m.content}`)).toEqual(['system:s', 'user:t\n\nnudge 1', 'assistant:thinking', 'tool:ok'])
    expect(h.toMessages()[2]!.tool_calls).toHaveLength(1)
  })

  it('keeps summaries to one bounded, non-empty line', () => {
    const h = new History({system: 's', task: 't'})
    const calls = ['a', 'b', 'c'].map((id) => ({id, type: 'function' as const, function: {name: 'bash', arguments: '{}'}}))
    h.addAssistant({content: null, toolCalls: calls})
    h.addToolResult({callId: 'a', name: 'bash', args: '{}', content: long(1), summary: ''})
    h.addToolResult({callId: 'b', name: 'bash', args: '{}', content: long(2), summary: '\n  exit 1\nmore'})
    h.addToolResult({callId: 'c', name: 'bash', args: '{}', content: long(3), summary: 'x'.repeat(500)})
    const {messages} = fitToBudget(h, {budgetTokens: 100_000, counter, keepRecent: 0})
    expect(messages.slice(3).map((m) => m.content)).toEqual([
      '[compressed] bash result (recall id=a)',
      '[compressed] exit 1 (recall id=b)',
      `[compressed] ${'x'.repeat(199)}… (recall id=c)`,
    ])
  })

  it('counts results and lists what recall can answer', () => {
    const h = new History({system: 's', task: 't'})
    addCall(h, 1)
    addCall(h, 2, 'search')
    expect(h.toolResultCount).toBe(2)
    expect(h.recallableIds()).toEqual(['c1', 'c2'])
    expect(h.recall({tool_call_id: ' c1 '})!.content).toBe(long(1))
  })
})

describe('compactArgs', () => {
  it('leaves short arguments alone and replaces unparseable long ones with valid JSON', () => {
    expect(compactArgs('{"path":"a"}')).toBe('{"path":"a"}')
    expect(JSON.parse(compactArgs(`{"path": ${'x'.repeat(300)}`))).toEqual({omitted: '309 chars of unparseable arguments'})
    const nested = JSON.parse(compactArgs(JSON.stringify({edits: [{old_str: 'a'.repeat(500), new_str: 'b'}]}))) as {edits: {old_str: string}[]}
    expect(nested.edits[0]!.old_str).toBe(`${'a'.repeat(60)}… [500 chars omitted]`)
  })
})
