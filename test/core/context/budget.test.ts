import {beforeAll, describe, expect, it} from 'vitest'
import {budgetFor, fitToBudget, tighten, type BudgetOptions} from '../../../src/core/context/budget.js'
import {checkPairing, History} from '../../../src/core/context/history.js'
import {loadTokenCounter, type TokenCounter} from '../../../src/core/context/tokenizer.js'
import type {ToolCall, ToolSchema} from '../../../src/core/model/types.js'

let counter: TokenCounter
beforeAll(async () => {
  counter = await loadTokenCounter()
})

const TASK = 'Rename the field `userName` to `login` everywhere in src/ and keep the tests passing.'
const tools: ToolSchema[] = ['read_file', 'search', 'bash', 'write_file'].map((name) => ({
  type: 'function',
  function: {name, description: `${name} tool`, parameters: {type: 'object', properties: {path: {type: 'string'}}}},
}))

/** A large, deterministic tool output (~`lines` × 12 tokens). */
function bigOutput(seed: number, lines: number): string {
  return Array.from({length: lines}, (_, i) => `src/mod${seed}/file${i}.ts:${i + 1}: const userName${i} = compute(${(seed * 31 + i * 7) % 97}) // ${seed}`).join('\n')
}

function call(id: string, name: string, args: Record<string, unknown>): ToolCall {
  return {id, type: 'function', function: {name, arguments: JSON.stringify(args)}}
}

/** Simulates a long run: 60 tool calls with large outputs, a few parallel calls, nudges and one big write. */
function* session(h: History): Generator<void> {
  let n = 0
  while (n < 60) {
    yield
    const parallel = n % 9 === 4 ? 2 : 1
    const calls: ToolCall[] = []
    for (let p = 0; p < parallel && n < 60; p++, n++) {
      const name = n % 5 === 0 ? 'search' : n % 7 === 3 ? 'bash' : n === 20 ? 'write_file' : 'read_file'
      const args = name === 'write_file' ? {path: `src/out${n}.ts`, content: bigOutput(n, 150)} : {path: `src/mod${n}/index.ts`}
      calls.push(call(`call_${n}`, name, args))
    }
    h.addAssistant({content: n % 4 === 0 ? `Looking at step ${n}.` : null, toolCalls: calls, reasoning: `thinking ${n}`})
    for (const c of calls) {
      const i = Number(c.id.slice(5))
      const content = c.function.name === 'write_file' ? 'wrote 150 lines' : bigOutput(i, 100 + (i % 4) * 100)
      h.addToolResult({callId: c.id, name: c.function.name, args: c.function.arguments, content, summary: `${c.function.name} #${i}: ${content.split('\n').length} lines`})
    }
    if (n % 17 === 0) h.addUser('Reminder: run the tests before you finish.')
  }
  yield
}

describe('fitToBudget', () => {
  it.each([
    ['a 32k window', budgetFor(32_768), false],
    ['a tiny budget', 2_500, true],
  ])('keeps every request of a 60-call session under budget (%s), task first, pairing valid', (_label, budget, mustTrim) => {
    const h = new History({system: 'You are git-pare.', task: TASK, attachments: [{path: 'src/user.ts', content: 'export interface User { userName: string }\n'}]})
    const opts: BudgetOptions = {budgetTokens: budget, counter, tools}
    let requests = 0
    let rawTotal = 0
    let trimmedAny = false
    let last: ReturnType<typeof fitToBudget> | undefined
    for (const _ of session(h)) {
      last = fitToBudget(h, opts)
      const {messages, stats} = last
      requests++
      rawTotal = stats.before
      trimmedAny ||= stats.trimmed > 0
      expect(counter.countMessages(messages, tools)).toBe(stats.after)
      expect(stats.after).toBeLessThanOrEqual(budget)
      expect(stats.fits).toBe(true)
      expect(messages[0]).toEqual({role: 'system', content: 'You are git-pare.'})
      expect(messages[1]!.role).toBe('user')
      expect(messages[1]!.content).toContain(TASK)
      expect(messages[1]!.content).toContain('export interface User { userName: string }')
      expect(checkPairing(messages)).toBeUndefined()
      // Roles never repeat back to back (strict chat templates), except tool results after their call.
      for (let i = 1; i < messages.length; i++) {
        if (messages[i]!.role !== 'tool') expect(messages[i]!.role === messages[i - 1]!.role).toBe(false)
      }
    }
    expect(requests).toBeGreaterThan(50)
    expect(h.toolResultCount).toBe(60)
    // The raw session is far beyond the window: the budget had real work to do.
    expect(rawTotal).toBeGreaterThan(300_000)
    expect(trimmedAny).toBe(mustTrim)
    // With room for summaries, the model still sees a line for every one of its 60 calls.
    if (!mustTrim) expect(last!.messages.filter((m) => m.role === 'tool')).toHaveLength(60)
  })

  it('compresses older results to their summary with a recall id, keeping the latest ones whole', () => {
    const h = new History({system: 's', task: TASK})
    for (let i = 0; i < 5; i++) {
      h.addAssistant({content: null, toolCalls: [call(`c${i}`, 'read_file', {path: `f${i}.ts`})]})
      h.addToolResult({callId: `c${i}`, name: 'read_file', args: `{"path":"f${i}.ts"}`, content: bigOutput(i, 50), summary: `read f${i}.ts (50 lines)`})
    }
    const {messages, stats} = fitToBudget(h, {budgetTokens: 100_000, counter, keepRecent: 3})
    const toolMsgs = messages.filter((m) => m.role === 'tool')
    expect(toolMsgs.map((m) => m.content!.slice(0, 40))).toEqual([
      '[compressed] read f0.ts (50 lines) (reca',
      '[compressed] read f1.ts (50 lines) (reca',
      bigOutput(2, 50).slice(0, 40),
      bigOutput(3, 50).slice(0, 40),
      bigOutput(4, 50).slice(0, 40),
    ])
    expect(toolMsgs[0]!.content).toBe('[compressed] read f0.ts (50 lines) (recall id=c0)')
    expect(stats).toMatchObject({compressed: 2, trimmed: 0, passes: 1, fits: true})
    expect(stats.after).toBeLessThan(stats.before)
    // Whole again through recall, by id and by tool name (latest).
    expect(h.recall({tool_call_id: 'c0'})).toMatchObject({id: 'c0', name: 'read_file', content: bigOutput(0, 50)})
    expect(h.recall({tool_name: 'read_file'})!.id).toBe('c4')
    expect(h.recall({tool_call_id: 'nope'})).toBeUndefined()
  })

  it('trims the oldest turns once even summaries overflow, and brings a trimmed result back whole through recall', () => {
    const h = new History({system: 's', task: TASK})
    for (let i = 0; i < 80; i++) {
      const name = i === 0 ? 'search' : 'read_file'
      h.addAssistant({content: null, toolCalls: [call(`c${i}`, name, {path: `f${i}.ts`})]})
      h.addToolResult({callId: `c${i}`, name, args: `{"path":"f${i}.ts"}`, content: bigOutput(i, 8), summary: `${name} f${i}.ts: 8 lines`})
    }
    const {messages, stats} = fitToBudget(h, {budgetTokens: 1500, counter})
    expect(stats.trimmed).toBeGreaterThan(0)
    expect(stats.after).toBeLessThanOrEqual(1500)
    expect(messages.some((m) => m.tool_call_id === 'c0')).toBe(false)
    expect(messages.at(-1)!.tool_call_id).toBe('c79')
    expect(messages[1]!.content).toMatch(/^Rename .*\n\n\[Context trimmed: \d+ earlier turns left out \(search, read_file×\d+\); their results are still available through recall\.\]$/s)
    expect(h.recall({tool_call_id: 'c0'})!.content).toBe(bigOutput(0, 8))
    expect(h.recall({tool_name: 'search'})!.content).toBe(bigOutput(0, 8))
    expect(checkPairing(messages)).toBeUndefined()
  })

  it('leaves short results alone and compresses nothing under budget when lazy', () => {
    const h = new History({system: 's', task: 't'})
    for (let i = 0; i < 6; i++) {
      h.addAssistant({content: null, toolCalls: [call(`c${i}`, 'bash', {command: 'true'})]})
      h.addToolResult({callId: `c${i}`, name: 'bash', args: '{"command":"true"}', content: i % 2 ? 'ok' : bigOutput(i, 20), summary: `bash true (exit 0, output ${i})`})
    }
    expect(fitToBudget(h, {budgetTokens: 100_000, counter, lazy: true}).stats).toMatchObject({compressed: 0, passes: 0})
    const {messages, stats} = fitToBudget(h, {budgetTokens: 100_000, counter, keepRecent: 1})
    expect(stats.compressed).toBe(3) // c0, c2, c4 are long; c1, c3 ("ok") would grow
    expect(messages.filter((m) => m.content === 'ok')).toHaveLength(3)
  })

  it('shortens the arguments of compressed calls, keeping them valid JSON', () => {
    const h = new History({system: 's', task: 't'})
    const content = bigOutput(1, 100)
    h.addAssistant({content: null, toolCalls: [call('w', 'write_file', {path: 'a.ts', content})]})
    h.addToolResult({callId: 'w', name: 'write_file', args: JSON.stringify({path: 'a.ts', content}), content: 'wrote 100 lines', summary: 'wrote a.ts'})
    for (let i = 0; i < 3; i++) {
      h.addAssistant({content: null, toolCalls: [call(`r${i}`, 'read_file', {path: 'b.ts'})]})
      h.addToolResult({callId: `r${i}`, name: 'read_file', args: '{"path":"b.ts"}', content: 'short', summary: 'read b.ts'})
    }
    const {messages} = fitToBudget(h, {budgetTokens: 100_000, counter})
    const args = JSON.parse(messages[2]!.tool_calls![0]!.function.arguments) as {path: string; content: string}
    expect(args.path).toBe('a.ts')
    expect(args.content).toMatch(/^src\/mod1\/file0\.ts:1: .*… \[\d+ chars omitted\]$/)
    expect(messages[3]!.content).toBe('[compressed] wrote a.ts (recall id=w)')
  })

  it('keeps a pinned result whole through pass 1 and shows a recall answer only once', () => {
    const h = new History({system: 's', task: 't'})
    h.addAssistant({content: null, toolCalls: [call('b', 'bash', {command: 'npm test'})]})
    h.addToolResult({callId: 'b', name: 'bash', args: '{"command":"npm test"}', content: bigOutput(9, 30), summary: 'npm test: 3 failed', pin: true, ok: false})
    h.addAssistant({content: null, toolCalls: [call('r', 'read_file', {path: 'x'})]})
    h.addToolResult({callId: 'r', name: 'read_file', args: '{"path":"x"}', content: bigOutput(1, 30), summary: 'read x'})
    h.addAssistant({content: null, toolCalls: [call('rc', 'recall', {tool_call_id: 'r'})]})
    h.addToolResult({callId: 'rc', name: 'recall', args: '{"tool_call_id":"r"}', content: bigOutput(1, 30), summary: 'recall read_file r', ephemeral: true})
    let out = fitToBudget(h, {budgetTokens: 100_000, counter, keepRecent: 0}).messages
    expect(out.find((m) => m.tool_call_id === 'b')!.content).toBe(bigOutput(9, 30))
    expect(out.find((m) => m.tool_call_id === 'rc')!.content).toBe(bigOutput(1, 30))
    expect(h.recall({tool_name: 'recall'})).toBeUndefined()
    h.addAssistant({content: 'done'})
    out = fitToBudget(h, {budgetTokens: 100_000, counter}).messages
    expect(out.find((m) => m.tool_call_id === 'rc')!.content).toBe('[compressed] recall read_file r (recall id=rc)')
    // Reasoning goes back only where the provider needs it: by default nowhere; 'last' with the latest assistant message.
    h.addAssistant({content: null, toolCalls: [call('z', 'read_file', {path: 'z'})], reasoning: 'why'})
    h.addToolResult({callId: 'z', name: 'read_file', args: '{}', content: 'z', summary: 'z'})
    out = fitToBudget(h, {budgetTokens: 100_000, counter}).messages
    expect(out.filter((m) => m.reasoning_content !== undefined)).toEqual([])
    h.reasoning = 'last'
    out = fitToBudget(h, {budgetTokens: 100_000, counter}).messages
    expect(out.filter((m) => m.reasoning_content).map((m) => m.reasoning_content)).toEqual(['why'])
  })

  it("'tool_calls' sends reasoning back on every tool-call turn (empty where there was none) and counts it", () => {
    const h = new History({system: 's', task: TASK})
    h.addAssistant({content: null, toolCalls: [call('a', 'read_file', {path: 'a'})], reasoning: 'I should read a first, since the task names it. '.repeat(20)})
    h.addToolResult({callId: 'a', name: 'read_file', args: '{}', content: 'a', summary: 'a'})
    h.addAssistant({content: null, toolCalls: [call('b', 'read_file', {path: 'b'})]})
    h.addToolResult({callId: 'b', name: 'read_file', args: '{}', content: 'b', summary: 'b'})
    h.addAssistant({content: 'done', reasoning: 'all read'})
    const plain = fitToBudget(h, {budgetTokens: 100_000, counter})
    h.reasoning = 'tool_calls'
    const back = fitToBudget(h, {budgetTokens: 100_000, counter})
    const assistants = back.messages.filter((m) => m.role === 'assistant')
    expect(assistants.map((m) => m.reasoning_content)).toEqual(['I should read a first, since the task names it. '.repeat(20), '', undefined])
    expect(back.stats.after - plain.stats.after).toBe(counter.count('I should read a first, since the task names it. '.repeat(20)))
  })

  it('tighten gives a second, smaller pass after a context-length error', () => {
    const h = new History({system: 's', task: TASK})
    for (let i = 0; i < 10; i++) {
      h.addAssistant({content: null, toolCalls: [call(`c${i}`, 'read_file', {path: `f${i}`})]})
      h.addToolResult({callId: `c${i}`, name: 'read_file', args: '{}', content: bigOutput(i, 60), summary: `read f${i}`})
    }
    // recentTokens without a cap: the first pass keeps three whole results, so the tighter pass has work to do
    const opts: BudgetOptions = {budgetTokens: 8000, counter, recentTokens: 1e9}
    const first = fitToBudget(h, opts).stats
    expect(first.after).toBeLessThanOrEqual(8000)
    const tight = tighten(opts)
    expect(tight).toMatchObject({budgetTokens: 5600, keepRecent: 1})
    const second = fitToBudget(h, tight)
    expect(second.stats.after).toBeLessThanOrEqual(5600)
    expect(second.stats.after).toBeLessThan(first.after)
    expect(second.messages[1]!.content).toContain(TASK)
    expect(checkPairing(second.messages)).toBeUndefined()
  })

  it('compresses even the latest results rather than send an oversized request, and says when nothing fits', () => {
    const h = new History({system: 's', task: TASK})
    h.addAssistant({content: null, toolCalls: [call('a', 'read_file', {path: 'a'}), call('b', 'read_file', {path: 'b'})]})
    h.addToolResult({callId: 'a', name: 'read_file', args: '{}', content: bigOutput(1, 300), summary: 'read a'})
    h.addToolResult({callId: 'b', name: 'read_file', args: '{}', content: bigOutput(2, 300), summary: 'read b'})
    const {stats} = fitToBudget(h, {budgetTokens: 2000, counter})
    expect(stats).toMatchObject({compressed: 2, fits: true})
    const huge = new History({system: 's', task: bigOutput(3, 300)})
    expect(fitToBudget(huge, {budgetTokens: 500, counter}).stats.fits).toBe(false)
  })

  it('answers a tool call that never got a result, so the request stays valid', () => {
    const h = new History({system: 's', task: 't'})
    h.addAssistant({content: null, toolCalls: [call('a', 'bash', {command: 'sleep 100'})]})
    const msgs = h.toMessages()
    expect(msgs.at(-1)).toEqual({role: 'tool', tool_call_id: 'a', content: '[no result recorded: the run was interrupted]'})
    expect(checkPairing(msgs)).toBeUndefined()
    expect(() => h.addToolResult({callId: 'zz', name: 'bash', args: '{}', content: '', summary: ''})).toThrow(/unknown call id/)
  })
})
