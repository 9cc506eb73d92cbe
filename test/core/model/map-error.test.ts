import {createServer} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {ContextLengthError, ModelError} from '../../../src/core/errors/index.js'
import {createModelClient} from '../../../src/core/model/client.js'
import {classifyFailure} from '../../../src/core/model/map-error.js'
import {turn} from '../../support/model-server.js'
import {harness, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function fail(policy: Parameters<typeof harness>[0], opts: Parameters<typeof harness>[1] = {}, server: Parameters<typeof harness>[2] = {}) {
  h = await harness(policy, {retries: 0, ...opts}, server)
  return h.client.chat({messages: user('hi')}).catch((e) => e)
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as {port: number}).port
  await new Promise((r) => s.close(r))
  return port
}

describe('error mapping: one line and a hint', () => {
  it('connection refused names the URL and asks whether the server runs', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`
    const client = createModelClient({baseUrl: url, model: 'm', localCheck: false, sleep: async () => {}})
    const err = await client.chat({messages: user('hi')}).catch((e) => e)
    await client.close()
    expect(err).toBeInstanceOf(ModelError)
    expect(err.code).toBe('connection_refused')
    expect(err.message).toBe(`cannot connect to ${url} (connection refused)`)
    expect(err.hint).toBe('is the local model server running?')
  })

  it('401 names the env var the key came from', async () => {
    const err = await fail([turn.unauthorized()], {apiKey: 'bad', apiKeySource: '$OPENROUTER_API_KEY'})
    expect(err.code).toBe('auth')
    expect(err.status).toBe(401)
    expect(err.message).toBe(`${h!.server.url} rejected the request (401: Incorrect API key provided.)`)
    expect(err.hint).toMatch(/\$OPENROUTER_API_KEY/)
  })

  it('403 without a key says none was sent', async () => {
    const err = await fail([turn.unauthorized(403)])
    expect(err.status).toBe(403)
    expect(err.hint).toMatch(/no API key was sent/)
  })

  for (const wording of ['openai', 'ollama'] as const) {
    it(`404 model not found (${wording} wording) lists the models the server offers`, async () => {
      const err = await fail([turn.modelNotFound('scripted-model', wording)], {}, {models: ['llama3.2:3b', 'qwen3:8b']})
      expect(err.code).toBe('model_not_found')
      expect(err.message).toBe(`model "scripted-model" not found at ${h!.server.url}`)
      expect(err.hint).toBe('the server offers: llama3.2:3b, qwen3:8b')
      expect(h!.server.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /v1/models')
    })
  }

  it('404 on the path says base_url is wrong', async () => {
    const err = await fail([turn.http(404, '404 page not found')])
    expect(err.code).toBe('not_found')
    expect(err.hint).toMatch(/\/v1/)
  })

  for (const wording of ['openai', 'llamacpp', 'ollama'] as const) {
    it(`400 context length exceeded (${wording} wording) is a ContextLengthError`, async () => {
      const err = await fail([turn.contextExceeded(wording), turn.text('never')], {retries: 3})
      expect(err).toBeInstanceOf(ContextLengthError)
      expect(err.code).toBe('context_length')
      expect(err.message).toMatch(/^context length exceeded: /)
      expect(h!.server.chatRequests()).toHaveLength(1)
    })
  }

  it('an error object mid-stream', async () => {
    const err = await fail([{...turn.text('partial answer', {textChunk: 3}), errorMidStream: {message: 'upstream provider failed'}, errorAfter: 2}])
    expect(err.code).toBe('stream_error')
    expect(err.message).toBe(`${h!.server.url} reported an error mid-stream: upstream provider failed`)
  })

  it('an overloaded error mid-stream is retried', async () => {
    h = await harness([{...turn.text('x'), errorMidStream: {message: 'Overloaded', type: 'overloaded_error', code: 529}}, turn.text('y')])
    const r = await h.client.chat({messages: user('hi')})
    expect(r.content).toBe('y')
  })

  it('a context error mid-stream is a ContextLengthError', async () => {
    const err = await fail([{...turn.text('x'), errorMidStream: {message: 'prompt is too long: 9000 tokens > 8192 maximum', code: 'context_length_exceeded'}}])
    expect(err).toBeInstanceOf(ContextLengthError)
  })

  it('an idle stall times out after idleMs with no bytes', async () => {
    const err = await fail([{...turn.text('hello there'), stallMs: 5_000, stallAfter: 2}], {timeouts: {idleMs: 300}})
    expect(err.code).toBe('idle_timeout')
    expect(err.message).toBe(`${h!.server.url} stopped sending for 300ms in the middle of an answer`)
  })

  it('a stall shorter than idleMs is just slow', async () => {
    h = await harness([{...turn.text('hello there'), stallMs: 200, stallAfter: 2}], {timeouts: {idleMs: 5_000}})
    expect((await h.client.chat({messages: user('hi')})).content).toBe('hello there')
  })

  it('no headers in time is a timeout', async () => {
    const err = await fail([{...turn.text('late'), delayMs: 5_000}], {timeouts: {headersMs: 300}})
    expect(err.code).toBe('timeout')
  })
})

describe('classifyFailure on raw network errors', () => {
  const ctx = (url: string) => ({url, model: 'm', hasKey: false, idleMs: 1000, listModels: async () => []})
  const netError = (code: string) => Object.assign(new TypeError('fetch failed'), {cause: Object.assign(new Error(code), {code})})

  it('refused on the Ollama port suggests `ollama serve`; elsewhere the network', async () => {
    const ollama = await classifyFailure(netError('ECONNREFUSED'), ctx('http://127.0.0.1:11434/v1'))
    expect(ollama.error.message).toBe('cannot connect to http://127.0.0.1:11434/v1 (connection refused)')
    expect((ollama.error as ModelError).hint).toBe('is Ollama running? start it with `ollama serve`')
    expect(ollama.retryable).toBe(false)
    const remote = await classifyFailure(netError('ECONNREFUSED'), ctx('https://api.example.com/v1'))
    expect((remote.error as ModelError).hint).toBe('check base_url and your network connection')
  })

  it('an AggregateError of refusals (IPv4 and IPv6) is still refused', async () => {
    const agg = Object.assign(new TypeError('fetch failed'), {cause: new AggregateError([Object.assign(new Error('a'), {code: 'ECONNREFUSED'}), Object.assign(new Error('b'), {code: 'ECONNREFUSED'})])})
    expect((await classifyFailure(agg, ctx('http://localhost:8080/v1'))).error.code).toBe('connection_refused')
  })

  it('unknown host, resets and an aborted signal', async () => {
    expect((await classifyFailure(netError('ENOTFOUND'), ctx('https://nope.invalid/v1'))).error.message).toBe('cannot resolve the host of https://nope.invalid/v1')
    expect(await classifyFailure(netError('ECONNRESET'), ctx('http://x/v1'))).toMatchObject({retryable: true, reason: 'connection reset'})
    expect((await classifyFailure(new Error('whatever'), ctx('http://x/v1'), AbortSignal.abort())).error.code).toBe('interrupted')
  })
})
