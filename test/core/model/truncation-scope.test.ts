import {afterEach, describe, expect, it} from 'vitest'
import {turn} from '../../support/model-server.js'
import {harness, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const big = user('const value = compute(index) // a line of code\n'.repeat(400))

describe('silent truncation is looked for only on servers that do it', () => {
  it('a hosted or replayed stream that reports a low prompt count keeps its answer (a cache, another tokenizer, a recording)', async () => {
    h = await harness([{...turn.text('the real answer'), usage: {prompt_tokens: 40, completion_tokens: 3}}], {model: 'gpt-4o-mini', contextWindow: 128_000})
    const res = await h.client.chat({messages: big}, h.onEvent)
    expect(res.content).toBe('the real answer')
    expect(res.usage).toMatchObject({input: 40, reported: true})
    expect(h.events.filter((e) => e.type === 'warning')).toEqual([])
    expect(h.server.chatRequests()).toHaveLength(1)
  })

  it('an Ollama server (known by its API) that kept a fraction of the prompt is still caught', async () => {
    h = await harness([turn.text('answer to a cut prompt', {contextSize: 2048}), turn.text('fine')], {model: 'qwen3:8b', contextWindow: 32768, localCheck: 'auto'}, {ollama: true})
    const err = await h.client.chat({messages: big}, h.onEvent).catch((e) => e)
    expect(err?.code).toBe('context_length')
  })
})
