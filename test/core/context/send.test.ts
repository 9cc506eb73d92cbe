import {beforeAll, describe, expect, it} from 'vitest'
import {checkPairing, History} from '../../../src/core/context/history.js'
import {sendWithinBudget} from '../../../src/core/context/send.js'
import {loadTokenCounter, type TokenCounter} from '../../../src/core/context/tokenizer.js'
import {ContextLengthError, ModelError} from '../../../src/core/errors/model-error.js'
import type {ChatMessage} from '../../../src/core/model/types.js'

let counter: TokenCounter
beforeAll(async () => {
  counter = await loadTokenCounter()
})

function history(task = 'the task'): History {
  const h = new History({system: 's', task})
  for (let i = 0; i < 8; i++) {
    h.addAssistant({content: null, toolCalls: [{id: `c${i}`, type: 'function', function: {name: 'read_file', arguments: '{}'}}]})
    h.addToolResult({callId: `c${i}`, name: 'read_file', args: '{}', content: `file ${i}\n${'const x = 1\n'.repeat(250)}`, summary: `read f${i}`})
  }
  return h
}

/** A server whose real window is smaller than the profile claims. */
function server(window: number) {
  const sizes: number[] = []
  const send = async (messages: ChatMessage[]): Promise<string> => {
    const n = counter.countMessages(messages)
    sizes.push(n)
    if (n > window) throw new ContextLengthError(`This model's maximum context length is ${window} tokens`, undefined, {window, sentPrompt: n, assumedWindow: 100_000})
    expect(checkPairing(messages)).toBeUndefined()
    return 'answer'
  }
  return {send, sizes}
}

describe('sendWithinBudget', () => {
  it('sends once when the request fits', async () => {
    const s = server(10_000)
    const r = await sendWithinBudget(history(), {budgetTokens: 6000, counter}, s.send)
    expect(r).toMatchObject({response: 'answer', retried: false, opts: {budgetTokens: 6000}})
    expect(s.sizes).toHaveLength(1)
  })

  it('answers a context-length error with one tighter pass and a retry, and keeps the tighter options', async () => {
    const s = server(3000)
    const h = history()
    const r = await sendWithinBudget(h, {budgetTokens: 4000, counter, recentTokens: 1e9}, s.send)
    expect(r.retried).toBe(true)
    // 70% of the budget, and no more than 60% of the window the server named
    expect(r.opts).toMatchObject({budgetTokens: 1800, keepRecent: 1})
    expect(s.sizes).toHaveLength(2)
    expect(s.sizes[0]).toBeGreaterThan(3000)
    expect(s.sizes[1]).toBeLessThanOrEqual(1800)
    expect(r.stats.after).toBe(s.sizes[1])
  })

  it('shrinks to the window the server named, not just 70%', async () => {
    const s = server(1500)
    const r = await sendWithinBudget(history(), {budgetTokens: 40_000, counter, recentTokens: 1e9}, s.send)
    expect(r.retried).toBe(true)
    expect(r.opts.budgetTokens).toBe(900)
    expect(s.sizes[1]).toBeLessThanOrEqual(900)
  })

  it('gives up after the one retry with one line naming the window, and never retries other errors', async () => {
    const s = server(100)
    const err = await sendWithinBudget(history('read every file and fix the bug '.repeat(6)), {budgetTokens: 4000, counter, recentTokens: 1e9}, s.send).catch((e) => e)
    expect(err).toBeInstanceOf(ContextLengthError)
    expect(err.message).toBe(`the request (~${s.sizes[1]} tokens) exceeds the model's context window (100 tokens)`)
    expect(err.hint).toMatch(/smaller than the profile's 100000: .*context_window: 100/)
    expect(s.sizes).toHaveLength(2)
    let calls = 0
    const failing = async (): Promise<never> => {
      calls++
      throw new ModelError('connection refused')
    }
    await expect(sendWithinBudget(history(), {budgetTokens: 4000, counter}, failing)).rejects.toThrow('connection refused')
    expect(calls).toBe(1)
  })
  it('never sends the identical request again: when the tighter pass cannot shrink it, the error comes at once', async () => {
    const h = new History({system: 's', task: 'x'.repeat(4000)})
    const sizes: number[] = []
    const send = async (messages: ChatMessage[]): Promise<never> => {
      sizes.push(counter.countMessages(messages))
      throw new ContextLengthError('too long', undefined, {sentPrompt: sizes[0]})
    }
    const err = await sendWithinBudget(h, {budgetTokens: 4000, counter}, send).catch((e) => e)
    expect(sizes).toHaveLength(1)
    expect(err.message).toBe(`the request (~${sizes[0]} tokens) exceeds the model's context window (its size unknown: the server did not say)`)
    expect(err.hint).toMatch(/smaller task/)
  })
})
