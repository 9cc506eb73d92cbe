import {afterEach, describe, expect, it} from 'vitest'
import {ContextLengthError} from '../../../src/core/errors/index.js'
import {contextFigures, isContextError} from '../../../src/core/model/context-errors.js'
import {silentTruncation} from '../../../src/core/model/truncation.js'
import {contextError, turn, type ContextWording} from '../../support/model-server.js'
import {harness, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

// Wordings seen from real servers, beyond the scripted ones: the stable parts are what is matched.
const WORDINGS: Array<[string, string, {window?: number; prompt?: number}]> = [
  ['OpenAI', "This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.", {window: 128000, prompt: 130412}],
  ['OpenAI (newer)', 'Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 301,230 tokens. Please reduce the length of the messages.', {window: 272000, prompt: 301230}],
  ['OpenAI (window)', 'Your input exceeds the context window of this model. Please adjust your input and try again.', {}],
  ['vLLM (old)', "This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (4096 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.", {window: 4096, prompt: 4096}],
  ['vLLM (new)', "This model's maximum context length is 32768 tokens. However, your request has 40011 input tokens. Please reduce the length of the input messages.", {window: 32768, prompt: 40011}],
  ['vLLM (max_tokens)', "'max_tokens' or 'max_completion_tokens' is too large: 8192. This model's maximum context length is 16384 tokens and your request has 9000 input tokens (8192 > 16384 - 9000).", {window: 16384, prompt: 9000}],
  ['vLLM (decoder prompt)', 'The decoder prompt (length 9001) is longer than the maximum model length of 8192. Make sure that `max_model_len` is no smaller than the number of text tokens.', {window: 8192, prompt: 9001}],
  ['vLLM (input prompt)', 'Input prompt (5000 tokens) is too long and exceeds limit of 4096', {window: 4096, prompt: 5000}],
  ['llama.cpp', 'the request exceeds the available context size, try increasing it', {}],
  ['llama.cpp (old)', 'the request exceeds the available context size. try increasing the context size or enable context shift', {}],
  ['llama.cpp (n_ctx)', 'input is too large to process. increase the physical batch size (n_ctx: 4096)', {window: 4096}],
  ['OpenRouter', "This endpoint's maximum context length is 131072 tokens. However, you requested about 140000 tokens (130000 of text input, 10000 in the output). Please reduce the length of either one.", {window: 131072}],
  ['Anthropic', 'prompt is too long: 210000 tokens > 200000 maximum', {window: 200000, prompt: 210000}],
  ['Mistral', 'Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length', {window: 32768, prompt: 40000}],
  ['Gemini', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', {window: 1048576, prompt: 1200000}],
  ['TGI', 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 5000 `inputs` tokens and 1000 `max_new_tokens`', {window: 4096, prompt: 5000}],
  ['LM Studio', 'Trying to keep the first 5000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough.', {window: 4096}],
  ['Ollama', 'prompt too long; exceeded max context length by 928 tokens', {}],
]

describe('context-length errors in every wording', () => {
  for (const [who, message, figures] of WORDINGS) {
    it(`${who}: recognised, with the window and prompt it names`, () => {
      expect(isContextError(message)).toBe(true)
      const f = contextFigures(message)
      expect({window: f.window, prompt: f.prompt}).toEqual({window: figures.window, prompt: figures.prompt})
    })
  }

  it('codes and types alone say it too, and llama.cpp fields give the figures', () => {
    expect(isContextError('bad request', 'context_length_exceeded')).toBe(true)
    expect(isContextError('x', 400, 'exceed_context_size_error')).toBe(true)
    expect(contextFigures('the request exceeds the available context size', {n_ctx: 8192, n_prompt_tokens: 9120})).toEqual({window: 8192, prompt: 9120})
    expect(contextFigures('prompt too long; exceeded max context length by 928 tokens').excess).toBe(928)
  })

  it('other errors are not context errors', () => {
    for (const m of [
      'max_tokens is too large: 100000. This model supports at most 16384 completion tokens, whereas you provided 100000.',
      'Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000.',
      'Incorrect API key provided.',
      'context canceled',
      'Invalid value for temperature',
    ]) {
      expect(isContextError(m), m).toBe(false)
    }
  })
})

describe('context-length errors from the server, by shape', () => {
  const shapes: ContextWording[] = ['openai', 'vllm', 'vllm-new', 'vllm-max-tokens', 'llamacpp', 'llamacpp-500', 'ollama']
  for (const shape of shapes) {
    it(`${shape}: a ContextLengthError, not retried, with the window when the server named it`, async () => {
      h = await harness([contextError(shape, 8192, 9120), turn.text('never')], {contextWindow: 32768, retries: 3})
      const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
      expect(err).toBeInstanceOf(ContextLengthError)
      expect(err.message).not.toContain('\n')
      expect(h.server.chatRequests()).toHaveLength(1)
      expect(h.sleeps).toEqual([])
      expect(err.info.assumedWindow).toBe(32768)
      if (!['llamacpp-500', 'ollama'].includes(shape)) expect(err.info.window).toBe(8192)
    })
  }

  it('the window a server named narrows max_tokens of the next request, and the identical request is never sent again', async () => {
    h = await harness([contextError('vllm-max-tokens', 4096, 1000), turn.text('ok')], {contextWindow: 32768})
    const messages = user('hello there')
    const first = await h.client.chat({messages}).catch((e) => e)
    expect(first).toBeInstanceOf(ContextLengthError)
    expect(h.client.workingWindow()).toBe(4096)
    // The same messages make a new request: its max_tokens fits the window the server named.
    const r = await h.client.chat({messages})
    expect(r.content).toBe('ok')
    const [a, b] = h.server.chatRequests()
    expect(a.body.max_tokens).toBe(8192)
    expect(b.body.max_tokens).toBeLessThan(4096)
  })

  it('a request identical to one refused as too long is refused without sending it', async () => {
    h = await harness([contextError('llamacpp-500'), turn.text('never')], {contextWindow: 32768})
    const messages = user('x '.repeat(100))
    await h.client.chat({messages}).catch(() => undefined)
    const again = await h.client.chat({messages}).catch((e) => e)
    expect(again).toBeInstanceOf(ContextLengthError)
    expect(h.server.chatRequests()).toHaveLength(1)
  })

  it("vLLM's top-level error object inside a 200 stream is one too, not a cut stream to retry", async () => {
    const vllm = {object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (4096 in the messages, 1024 in the completion).", type: 'BadRequestError', param: null, code: 400}
    h = await harness([{...turn.text('x'), rawEvents: [JSON.stringify(vllm)]}], {retries: 3})
    const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
    expect(err).toBeInstanceOf(ContextLengthError)
    expect(err.info.window).toBe(4096)
    expect(h.server.chatRequests()).toHaveLength(1)
  })

  it('a context error mid-stream (llama.cpp, 500-style) is one too, never retried', async () => {
    h = await harness([{...turn.text('partial answer'), errorMidStream: {message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', code: 500}}], {retries: 3})
    const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
    expect(err).toBeInstanceOf(ContextLengthError)
    expect(h.server.chatRequests()).toHaveLength(1)
  })
})

describe("Ollama's silent truncation", () => {
  it('a prompt count far below what was sent is a cut: warned once, the window lowered for the rest of the run', async () => {
    const big = user('const value = compute(index) // a line of code\n'.repeat(400))
    h = await harness([turn.text('answer to a cut prompt', {contextSize: 2048}), turn.text('fine')], {model: 'qwen3:8b', contextWindow: 32768, localCheck: 'auto'}, {ollama: true})
    const err = await h.client.chat({messages: big}, h.onEvent).catch((e) => e)
    expect(err).toBeInstanceOf(ContextLengthError)
    expect(err.info).toMatchObject({window: 2048, truncated: true, assumedWindow: 32768})
    const cuts = () => h!.events.filter((e) => e.type === 'warning' && /read only/.test(e.message)).map((e) => (e as {message: string}).message)
    const warnings = cuts()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/read only 2048 of the ~\d+ prompt tokens sent: .*fitted to 2048 tokens .*OLLAMA_CONTEXT_LENGTH=32768/)
    expect(h.client.workingWindow()).toBe(2048)
    // Later requests are fitted to it; no second warning.
    await h.client.chat({messages: user('short now')}, h.onEvent)
    expect(h.server.chatRequests()[1]!.body.max_tokens).toBeLessThan(2048)
    expect(cuts()).toHaveLength(1)
  })

  it('counts that differ only by tokenizer, and counts that are no count, are not a cut', () => {
    expect(silentTruncation(1000, 900)).toBe(false)
    expect(silentTruncation(5000, 3600)).toBe(false)
    expect(silentTruncation(5000, 0)).toBe(false)
    expect(silentTruncation(400, 200)).toBe(false)
    expect(silentTruncation(9000, 4096)).toBe(true)
    // what fits the context the server says it runs was not cut
    expect(silentTruncation(9000, 4096, 16384)).toBe(false)
  })
})
