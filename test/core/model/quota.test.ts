import {afterEach, describe, expect, it} from 'vitest'
import {ModelError} from '../../../src/core/errors/index.js'
import {retryAfterInMessage} from '../../../src/core/model/retry.js'
import {turn} from '../../support/model-server.js'
import {harness, user, type Harness} from './helpers.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const openAiError = (message: string, type: string, code: string | null) => ({error: {message, type, param: null, code}})

describe('429 means two things', () => {
  it('a rate limit (rate_limit_exceeded, Retry-After) is retried after the wait the server asked for', async () => {
    h = await harness([turn.rateLimited(2), turn.text('ok')], {retries: 3})
    const r = await h.client.chat({messages: user('hi')}, h.onEvent)
    expect(r.content).toBe('ok')
    expect(h.sleeps).toEqual([2000])
    expect(h.events.filter((e) => e.type === 'retry')).toHaveLength(1)
  })

  it('a wait named only in the message ("Please try again in 1.5s") is honoured', async () => {
    const limited = {status: 429, body: openAiError('Rate limit reached for requests per min (RPM): Limit 3, Used 3. Please try again in 1.5s.', 'requests', 'rate_limit_exceeded')}
    h = await harness([limited, turn.text('ok')], {retries: 3})
    expect((await h.client.chat({messages: user('hi')})).content).toBe('ok')
    expect(h.sleeps).toEqual([1500])
  })

  const quotas: Array<[string, Parameters<typeof harness>[0][number]]> = [
    ['insufficient_quota (OpenAI)', turn.quotaExceeded('openai')],
    ['a billing limit', turn.quotaExceeded('billing')],
    ['402 credits (OpenRouter)', turn.quotaExceeded('credits')],
    ['"exceeded your current quota" without a code', {status: 429, body: {error: {message: 'You exceeded your current quota, please check your plan and billing details.'}}}],
    ['credit balance on a 400 (Anthropic-style)', {status: 400, body: openAiError('Your credit balance is too low to access the API. Please go to Plans & Billing to upgrade or purchase credits.', 'invalid_request_error', null)}],
  ]
  for (const [name, t] of quotas) {
    it(`${name}: not retried, one line that says so`, async () => {
      h = await harness([t as never, turn.text('never')], {retries: 3})
      const err = await h.client.chat({messages: user('hi')}, h.onEvent).catch((e) => e)
      expect(err).toBeInstanceOf(ModelError)
      expect(err.code).toBe('quota')
      expect(err.exitCode).toBe(4)
      expect(err.message).toMatch(/quota or billing limit is reached at http:\/\/127\.0\.0\.1:\d+\/v1 \(not retried\)/)
      expect(err.message).not.toContain('\n')
      expect(err.hint).toMatch(/credit|billing/)
      expect(h.server.chatRequests()).toHaveLength(1)
      expect(h.sleeps).toEqual([])
    })
  }

  it('a quota error inside the stream is not retried either', async () => {
    h = await harness([{...turn.text('x'), errorMidStream: {message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota'}, errorAfter: 0}], {retries: 3})
    const err = await h.client.chat({messages: user('hi')}).catch((e) => e)
    expect(err.code).toBe('quota')
    expect(h.server.chatRequests()).toHaveLength(1)
  })

  it('a per-minute limit worded as a quota, with a time to retry, is a rate limit', async () => {
    const gemini = {status: 429, body: {error: {code: 429, message: 'You exceeded your current quota, please check your plan and billing details. Quota exceeded for metric: generate_content_free_tier_requests, limit: 15. Please retry in 2s.', status: 'RESOURCE_EXHAUSTED'}}}
    h = await harness([gemini, turn.text('ok')], {retries: 3})
    expect((await h.client.chat({messages: user('hi')})).content).toBe('ok')
    expect(h.sleeps).toEqual([2000])
  })
})

describe('retryAfterInMessage', () => {
  it('reads the waits providers write into messages', () => {
    expect(retryAfterInMessage('Please try again in 20s.')).toBe(20_000)
    expect(retryAfterInMessage('Please try again in 1m30.5s')).toBe(90_500)
    expect(retryAfterInMessage('try again in 250ms')).toBe(250)
    expect(retryAfterInMessage('Please retry in 36.3s.')).toBe(36_300)
    expect(retryAfterInMessage('retry after 2 seconds')).toBe(2000)
    expect(retryAfterInMessage('Rate limit reached, please try again later.')).toBeUndefined()
  })
})
