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

function history(): History {
  const h = new History({system: 's', task: 'the task'})
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
    if (n > window) throw new ContextLengthError(`This model's maximum context length is ${window} tokens`)
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
    expect(r.opts).toMatchObject({budgetTokens: 2800, keepRecent: 1})
    expect(s.sizes).toHaveLength(2)
    expect(s.sizes[0]).toBeGreaterThan(3000)
    expect(s.sizes[1]).toBeLessThanOrEqual(2800)
    expect(r.stats.after).toBe(s.sizes[1])
  })

  it('gives up after the one retry, and never retries other errors', async () => {
    const s = server(100)
    await expect(sendWithinBudget(history(), {budgetTokens: 4000, counter}, s.send)).rejects.toBeInstanceOf(ContextLengthError)
    expect(s.sizes).toHaveLength(2)
    let calls = 0
    const failing = async (): Promise<never> => {
      calls++
      throw new ModelError('connection refused')
    }
    await expect(sendWithinBudget(history(), {budgetTokens: 4000, counter}, failing)).rejects.toThrow('connection refused')
    expect(calls).toBe(1)
  })
})
