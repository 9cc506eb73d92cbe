import {afterEach, describe, expect, it} from 'vitest'
import {ContextLengthError} from '../../../src/core/errors/index.js'
import {approxTokens, countPromptTokens, DEFAULT_MAX_OUTPUT, fitMaxTokens} from '../../../src/core/model/budget.js'
import {turn} from '../../support/model-server.js'
import {harness, TOOLS, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('fitMaxTokens', () => {
  it('sends what is wanted when there is no window', () => {
    expect(fitMaxTokens({promptTokens: 10_000, wanted: 500})).toBe(500)
    expect(fitMaxTokens({promptTokens: 10_000})).toBeUndefined()
  })

  it('cuts the wish to what is left after the prompt and a margin', () => {
    expect(fitMaxTokens({window: 8192, promptTokens: 1000, wanted: 2000})).toBe(2000)
    expect(fitMaxTokens({window: 8192, promptTokens: 7000, wanted: 2000})).toBe(8192 - 7000 - 164)
    expect(fitMaxTokens({window: 200_000, promptTokens: 10})).toBe(DEFAULT_MAX_OUTPUT)
  })

  it('never goes negative: a prompt that leaves no room is a ContextLengthError', () => {
    expect(() => fitMaxTokens({window: 4096, promptTokens: 4090})).toThrow(ContextLengthError)
    expect(() => fitMaxTokens({window: 4096, promptTokens: 9000, wanted: 100})).toThrow(/leaves no room for an answer in the 4096-token context window/)
  })
})

describe('countPromptTokens', () => {
  it('counts messages, tool calls and schemas', () => {
    const n = countPromptTokens(
      [
        {role: 'user', content: 'abcd'},
        {role: 'assistant', content: null, tool_calls: [{id: 'c', type: 'function', function: {name: 'read_file', arguments: '{"path":"a"}'}}]},
      ],
      TOOLS,
      approxTokens,
    )
    expect(n).toBeGreaterThan(approxTokens(JSON.stringify(TOOLS)))
  })
})

describe('client max_tokens', () => {
  it('fits the request max_tokens into the profile window', async () => {
    // One token a character is far more than the server's count: no usage, or it would read as a silent truncation.
    h = await harness([turn.text('a', {usage: false}), turn.text('b', {usage: false})], {contextWindow: 2000, maxTokens: 1500, countTokens: (t) => t.length})
    await h.client.chat({messages: user('x'.repeat(1200))})
    await h.client.chat({messages: user('short'), maxTokens: 300})
    const [a, b] = h.server.chatRequests()
    expect(a.body.max_tokens).toBeLessThanOrEqual(2000 - 1200 - 40)
    expect(a.body.max_tokens).toBeGreaterThan(0)
    expect(b.body.max_tokens).toBe(300)
  })

  it('refuses a prompt larger than the window before sending it', async () => {
    h = await harness([turn.text('never')], {contextWindow: 1000, countTokens: (t) => t.length})
    await expect(h.client.chat({messages: user('x'.repeat(2000))})).rejects.toBeInstanceOf(ContextLengthError)
    expect(h.server.chatRequests()).toHaveLength(0)
  })
})
