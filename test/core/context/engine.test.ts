import {describe, expect, it} from 'vitest'
import {createContextEngine} from '../../../src/core/context/engine.js'
import {ContextLengthError} from '../../../src/core/errors/model-error.js'
import type {ChatMessage} from '../../../src/core/model/types.js'

describe('createContextEngine', () => {
  it('wires history, budget, read cache, loop guard and recall for one run', async () => {
    const ctx = await createContextEngine({system: 's', task: 'the task', contextWindow: 10_000, budgetFraction: 0.5})
    expect(ctx.counter.encoding).toBe('o200k_base')
    expect(ctx.budget).toMatchObject({budgetTokens: 5000, keepRecent: 3})
    for (let i = 0; i < 6; i++) {
      const args = `{"path":"f${i}"}`
      ctx.history.addAssistant({content: null, toolCalls: [{id: `c${i}`, type: 'function', function: {name: 'read_file', arguments: args}}]})
      ctx.history.addToolResult({callId: `c${i}`, name: 'read_file', args, content: `${i}\n${'const a = 1\n'.repeat(120)}`, summary: `read f${i}`})
      ctx.readCache.remember(`f${i}`, 'k', `c${i}`)
      ctx.guard.record('read_file', args, {callId: `c${i}`, content: 'x'})
    }
    let window = 1000
    const seen: number[] = []
    const send = async (messages: ChatMessage[]): Promise<string> => {
      const n = ctx.counter.countMessages(messages)
      seen.push(n)
      if (n > window) throw new ContextLengthError('too long')
      return 'ok'
    }
    const first = await ctx.send(send)
    expect(first.retried).toBe(true)
    // 70% of the budget or of the refused request, whichever is smaller
    const tight = Math.floor(Math.min(5000, seen[0]!) * 0.7)
    expect(ctx.budget).toMatchObject({budgetTokens: tight, keepRecent: 1})
    // Compressed results: a re-read is allowed and served from disk again; recall still has them whole.
    expect(ctx.readCache.hit('f0', 'k')).toBeUndefined()
    expect(ctx.guard.check('read_file', '{"path":"f0"}').repeat).toBe(false)
    expect(ctx.guard.check('read_file', '{"path":"f5"}').repeat).toBe(true)
    expect(ctx.recall({tool_call_id: 'c0'})!.content.startsWith('0\nconst a = 1\n')).toBe(true)
    window = 100_000
    expect((await ctx.send(send)).retried).toBe(false)
    expect(ctx.budget.budgetTokens).toBe(tight)
  })
})
