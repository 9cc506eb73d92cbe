import {createServer} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {ContextLengthError, ModelError} from '../../../src/core/errors/index.js'
import {createModelClient} from '../../../src/core/model/client.js'
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
