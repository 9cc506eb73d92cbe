import {beforeAll, describe, expect, it} from 'vitest'
import {buildPreamble, isShortAffirmation, lastAssistantText, PREAMBLE_HEADER, priorTurns, resolveReply} from '../../../src/core/context/session.js'
import {loadTokenCounter, type TokenCounter} from '../../../src/core/context/tokenizer.js'
import type {ChatMessage} from '../../../src/core/model/types.js'

let counter: TokenCounter
beforeAll(async () => {
  counter = await loadTokenCounter()
})

/** n earlier turns: each a user request, a read, an edit (every third fails) and an answer. */
function turns(n: number, answerWords = 40): ChatMessage[] {
  const out: ChatMessage[] = []
  for (let i = 1; i <= n; i++) {
    out.push({role: 'user', content: `Request ${i}: fix the bug number ${i} in src/mod${i}.ts`})
    out.push({role: 'assistant', content: null, tool_calls: [
      {id: `r${i}`, type: 'function', function: {name: 'read_file', arguments: `{"path":"src/mod${i}.ts"}`}},
      {id: `e${i}`, type: 'function', function: {name: 'edit_file', arguments: `{"path":"src/mod${i}.ts","old_str":"a","new_str":"b"}`}},
    ]})
    out.push({role: 'tool', tool_call_id: `r${i}`, content: 'file text '.repeat(200)})
    out.push({role: 'tool', tool_call_id: `e${i}`, content: i % 3 === 0 ? 'Error: old_str not found' : 'edited'})
    out.push({role: 'assistant', content: `Fixed bug ${i}. ${'Details follow here. '.repeat(answerWords / 4)}Shall I also add a test for it?`})
  }
  return out
}

describe('priorTurns', () => {
  it('splits at user messages and keeps tools and the final answer, not tool output', () => {
    const t = priorTurns(turns(3))
    expect(t).toHaveLength(3)
    expect(t[2]).toMatchObject({user: 'Request 3: fix the bug number 3 in src/mod3.ts', tools: ['read_file src/mod3.ts', 'edit_file src/mod3.ts (failed)']})
    expect(t[2]!.answer).toMatch(/^Fixed bug 3\./)
  })
})

describe('buildPreamble', () => {
  it('is empty without prior turns', () => {
    expect(buildPreamble([], {counter, contextWindow: 32_768})).toEqual({text: '', tokens: 0, full: 0, summarised: 0, omitted: 0})
  })

  it('keeps the latest turns in full, older ones as one line, oldest first in the text', () => {
    const p = buildPreamble(turns(5), {counter, contextWindow: 32_768})
    expect(p).toMatchObject({full: 2, summarised: 3, omitted: 0})
    const lines = p.text.split('\n')
    expect(lines[0]).toBe(PREAMBLE_HEADER)
    expect(lines[1]).toMatch(/^- User: Request 1: fix the bug number 1 in src\/mod1\.ts → Fixed bug 1\. .*… \[read_file, edit_file\]$/)
    expect(p.text).toContain('User: Request 5: fix the bug number 5 in src/mod5.ts\nTools: read_file src/mod5.ts; edit_file src/mod5.ts\nYou answered: Fixed bug 5.')
    expect(p.text.indexOf('Request 4')).toBeLessThan(p.text.indexOf('Request 5'))
    expect(p.text).not.toContain('file text')
    expect(p.tokens).toBe(counter.count(p.text))
  })

  it('is capped at 25% of a small window and at 8k tokens of a large one', () => {
    const small = buildPreamble(turns(200), {counter, contextWindow: 4096})
    expect(small.tokens).toBeLessThanOrEqual(1024)
    expect(small.omitted).toBeGreaterThan(0)
    expect(small.text.split('\n')[1]).toMatch(/^\(\d+ older turns left out\)$/)
    expect(small.text).toContain('Request 200')
    const large = buildPreamble(turns(400, 400), {counter, contextWindow: 200_000})
    expect(large.tokens).toBeLessThanOrEqual(8000)
    expect(large.tokens).toBeGreaterThan(7000)
    expect(large.full + large.summarised + large.omitted).toBe(400)
  })
})

describe('short affirmations', () => {
  it.each(['yes', 'Y', 'ok', 'OK!', 'Okay.', 'go ahead', 'Go ahead!!', 'do it', 'sure', 'continue', 'proceed', 'please do', 'Yes, please', 'yes go ahead', 'yep 👍', 'sounds good', 'LGTM'])('%j is one', (s) => {
    expect(isShortAffirmation(s)).toBe(true)
  })

  it.each(['', 'thanks', 'please', 'no', 'yes but use tabs', 'ok now fix the tests too', 'do it in rust', 'go to src', 'yesterday', 'continue with a different approach please'])('%j is not', (s) => {
    expect(isShortAffirmation(s)).toBe(false)
  })

  it('turns "yes" into an explicit instruction quoting the last assistant message', () => {
    const prior = turns(2)
    expect(lastAssistantText(prior)).toMatch(/^Fixed bug 2\..*Shall I also add a test for it\?$/s)
    const task = resolveReply('Go ahead.', prior)
    expect(task.startsWith('Yes — proceed with what you proposed in your last message:\n"""\nFixed bug 2.')).toBe(true)
    expect(task.endsWith('Shall I also add a test for it?\n"""')).toBe(true)
    expect(resolveReply('add a test', prior)).toBe('add a test')
    expect(resolveReply('yes', [])).toBe('yes')
    expect(resolveReply('yes', prior, 20)).toContain('Fixed bug 2. Detail…')
  })
})
