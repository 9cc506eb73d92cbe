import {afterEach, describe, expect, it} from 'vitest'
import {InterruptedError, ModelError} from '../../../src/core/errors/index.js'
import {backoffMs, retryAfterMs, sleepAbortable} from '../../../src/core/model/retry.js'
import {turn} from '../../support/model-server.js'
import {harness, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const headers = (h: Record<string, string>) => new Headers(h)

describe('retryAfterMs', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(retryAfterMs(headers({'retry-after': '2'}))).toBe(2000)
    expect(retryAfterMs(headers({'retry-after': '0.5'}))).toBe(500)
    expect(retryAfterMs(headers({'retry-after-ms': '150', 'retry-after': '9'}))).toBe(150)
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryAfterMs(headers({'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT'}), now)).toBe(3000)
    expect(retryAfterMs(headers({'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT'}), now)).toBe(0)
    expect(retryAfterMs(headers({'retry-after': 'soon'}))).toBeUndefined()
    expect(retryAfterMs(headers({}))).toBeUndefined()
  })
})

describe('backoffMs', () => {
  it('grows exponentially, is capped, and jitters between half and all of the ceiling', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000])
    expect(backoffMs(3, () => 0)).toBe(1000)
  })
})

describe('sleepAbortable', () => {
  it('rejects at once when the signal aborts, even if the sleeper ignores it', async () => {
    const ac = new AbortController()
    const never = () => new Promise<void>(() => {})
    const p = sleepAbortable(never, 60_000, ac.signal)
    ac.abort()
    await expect(p).rejects.toBeInstanceOf(InterruptedError)
  })
})

describe('chat retries', () => {
  it('429 with Retry-After, then success: waits what the server asked', async () => {
    h = await harness([turn.rateLimited(2), turn.text('ok')])
    const r = await h.client.chat({messages: user('hi')}, h.onEvent)
    expect(r.content).toBe('ok')
    expect(h.sleeps).toEqual([2000])
    expect(h.events).toContainEqual({type: 'retry', attempt: 2, delayMs: 2000, reason: '429 rate limited'})
    expect(h.server.chatRequests()).toHaveLength(2)
  })

  it('429 with an HTTP-date Retry-After', async () => {
    const date = new Date(Date.now() + 30_000).toUTCString()
    h = await harness([turn.rateLimited(date), turn.text('ok')])
    await h.client.chat({messages: user('hi')})
    expect(h.sleeps[0]).toBeGreaterThan(25_000)
    expect(h.sleeps[0]).toBeLessThanOrEqual(30_000)
  })

  it('5xx and resets back off exponentially, then succeed', async () => {
    h = await harness([turn.serverError(503, 'overloaded'), turn.serverError(500), turn.reset(), turn.text('fine')])
    const r = await h.client.chat({messages: user('hi')}, h.onEvent)
    expect(r.content).toBe('fine')
    expect(h.sleeps).toEqual([500, 1000, 2000])
    expect(h.events.filter((e) => e.type === 'retry').map((e) => (e as {reason: string}).reason)).toEqual(['503 server error', '500 server error', 'connection reset'])
  })

  it('gives up after the configured attempts with a clear message', async () => {
    h = await harness(() => turn.rateLimited(1), {retries: 2})
    const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
    expect(err).toBeInstanceOf(ModelError)
    expect(err.code).toBe('rate_limited')
    expect(err.message).toBe(`rate limited by ${h.server.url}: Rate limit reached, please try again later. (gave up after 3 attempts)`)
    expect(err.hint).toBeTruthy()
    expect(h.server.chatRequests()).toHaveLength(3)
  })

  it('does not wait out a very long Retry-After', async () => {
    h = await harness([turn.rateLimited(3600)])
    const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
    expect(err.message).toMatch(/the server asks to wait 3600s/)
    expect(h.sleeps).toEqual([])
  })

  it('retries a stream cut off before any finish_reason; its partial calls are never returned', async () => {
    h = await harness([{...turn.tools([{name: 'read_file', args: {path: 'a.ts'}}]), fragment: 3, cutAfter: 3}, turn.text('second try')])
    const r = await h.client.chat({messages: user('hi')}, h.onEvent)
    expect(r.content).toBe('second try')
    expect(r.toolCalls).toEqual([])
    expect(h.events).toContainEqual(expect.objectContaining({type: 'retry', reason: 'stream cut off'}))
  })

  it('a cut-off stream with no retries left is a stream_cut ModelError', async () => {
    h = await harness([{...turn.tools([{name: 'read_file', args: {path: 'a.ts'}}]), fragment: 3, cutAfter: 3, done: false}], {retries: 0})
    const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
    expect(err).toBeInstanceOf(ModelError)
    expect(err.code).toBe('stream_cut')
    expect(err.message).toBe(`the stream from ${h.server.url} ended before the model finished`)
  })

  it('a reset in the middle of a stream is retried', async () => {
    h = await harness([{...turn.text('partial answer that dies', {textChunk: 4}), resetAfter: 3}, turn.text('whole')])
    const r = await h.client.chat({messages: user('hi')}, h.onEvent)
    expect(r.content).toBe('whole')
    expect(h.events).toContainEqual(expect.objectContaining({type: 'retry', reason: 'connection reset'}))
  })

  it('does not retry 4xx other than 429', async () => {
    h = await harness([turn.http(400, {error: {message: 'temperature must be <= 2', type: 'invalid_request_error'}}), turn.text('never')])
    const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
    expect(err.code).toBe('bad_request')
    expect(err.message).toBe(`${h.server.url} refused the request (400: temperature must be <= 2)`)
    expect(h.server.chatRequests()).toHaveLength(1)
  })
})

describe('abort', () => {
  it('aborts a stalled stream at once with InterruptedError', async () => {
    h = await harness([{...turn.text('slow answer'), stallMs: 30_000, stallAfter: 1}])
    const ac = new AbortController()
    const p = h.client.chat({messages: user('hi'), signal: ac.signal}, h.onEvent)
    await new Promise((r) => setTimeout(r, 100))
    ac.abort()
    await expect(p).rejects.toBeInstanceOf(InterruptedError)
  })

  it('aborts while waiting for headers', async () => {
    h = await harness([{...turn.text('late'), delayMs: 30_000}])
    const ac = new AbortController()
    const p = h.client.chat({messages: user('hi'), signal: ac.signal})
    setTimeout(() => ac.abort(), 50)
    await expect(p).rejects.toBeInstanceOf(InterruptedError)
  })

  it('aborts during a retry backoff', async () => {
    const ac = new AbortController()
    h = await harness([turn.rateLimited(60)], {
      sleep: (ms, signal) => {
        ac.abort()
        return new Promise(() => {})
      },
    })
    await expect(h.client.chat({messages: user('hi'), signal: ac.signal})).rejects.toBeInstanceOf(InterruptedError)
  })

  it('an already aborted signal sends nothing', async () => {
    h = await harness([turn.text('x')])
    await expect(h.client.chat({messages: user('hi'), signal: AbortSignal.abort()})).rejects.toBeInstanceOf(InterruptedError)
    expect(h.server.requests).toHaveLength(0)
  })
})
