import {describe, expect, it} from 'vitest'
import {CostLimitReached, CostMeter, cachedTokens, costOf, formatUsd} from '../../../src/core/model/cost.js'
import {isLocalUrl, lookupPrice, priceTable, pricesFor} from '../../../src/core/model/prices.js'

const OPENAI = 'https://api.openai.com/v1'

describe('price table', () => {
  it('ships with a date and a source, and every entry has input and output rates', () => {
    const t = priceTable()
    expect(t.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(t.source).toMatch(/openai\.com/)
    const entries = [...Object.values(t.models), ...Object.values(t.hosts).flatMap((h) => Object.values(h))]
    expect(entries.length).toBeGreaterThan(20)
    for (const e of entries) {
      expect(e.input).toBeGreaterThanOrEqual(0)
      expect(e.output).toBeGreaterThan(0)
      if (e.cached_input !== undefined) expect(e.cached_input).toBeLessThan(e.input)
    }
  })

  it('matches an id exactly, then without its maker prefix, then without a dated suffix', () => {
    expect(lookupPrice('gpt-4o-mini')).toMatchObject({id: 'gpt-4o-mini', input: 0.15, output: 0.6})
    expect(lookupPrice('openai/gpt-4o-mini')).toMatchObject({id: 'gpt-4o-mini', input: 0.15})
    expect(lookupPrice('gpt-4o-2024-08-06')).toMatchObject({id: 'gpt-4o', input: 2.5, output: 10})
    expect(lookupPrice('claude-sonnet-4-20250514')).toMatchObject({id: 'claude-sonnet-4', input: 3, output: 15})
    expect(lookupPrice('anthropic/claude-3-5-sonnet-20241022')).toMatchObject({id: 'claude-3-5-sonnet'})
    expect(lookupPrice('claude-3-5-haiku-latest')).toMatchObject({id: 'claude-3-5-haiku', input: 0.8})
    // OpenRouter's spelling is an explicit alias, not a guess
    expect(lookupPrice('anthropic/claude-sonnet-4.5')).toMatchObject({input: 3, output: 15})
    expect(lookupPrice('google/gemini-2.5-flash')).toMatchObject({input: 0.3, output: 2.5})
    expect(lookupPrice('models/gemini-2.5-flash')).toMatchObject({input: 0.3})
    expect(lookupPrice('mistralai/mistral-large-2411')).toMatchObject({input: 2, output: 6})
  })

  it('an exact entry beats the dated-suffix form (gpt-4o-2024-05-13 had its own price)', () => {
    expect(lookupPrice('gpt-4o-2024-05-13')).toMatchObject({input: 5, output: 15})
  })

  it('never guesses: near misses, other makers and host-bound ids elsewhere have no price', () => {
    expect(lookupPrice('gpt-4o-mini-high')).toBeUndefined()
    expect(lookupPrice('gpt4o')).toBeUndefined()
    expect(lookupPrice('meta-llama/gpt-4o')).toBeUndefined()
    expect(lookupPrice('qwen2.5-coder:7b')).toBeUndefined()
    expect(lookupPrice('o1-preview-2024-09-12')).toBeUndefined()
    // open-weight and host-priced ids count only on their host
    expect(lookupPrice('deepseek-chat')).toBeUndefined()
    expect(lookupPrice('deepseek/deepseek-chat', 'openrouter.ai')).toBeUndefined()
    expect(lookupPrice('deepseek-chat', 'api.deepseek.com')).toMatchObject({input: 0.28, cached_input: 0.028, output: 0.42})
    expect(lookupPrice('llama-3.3-70b-versatile', 'api.groq.com')).toMatchObject({input: 0.59, output: 0.79})
    expect(lookupPrice('llama-3.3-70b-versatile', 'api.together.xyz')).toBeUndefined()
  })
})

describe('pricesFor', () => {
  it('the table under a hosted endpoint, with its date', () => {
    expect(pricesFor({baseUrl: OPENAI}, 'gpt-4o-mini')).toEqual({input: 0.15, output: 0.6, cachedInput: 0.075, source: 'table', asOf: priceTable().as_of})
    expect(pricesFor({baseUrl: 'https://api.deepseek.com/v1'}, 'deepseek-chat')).toMatchObject({input: 0.28, source: 'table'})
    expect(pricesFor({baseUrl: OPENAI}, 'some-new-model')).toBeUndefined()
  })

  it("the profile's cost_per_mtok_* override the table, for every model of the profile", () => {
    expect(pricesFor({baseUrl: OPENAI, costPerMtokInput: 1, costPerMtokOutput: 2}, 'gpt-4o-mini')).toEqual({input: 1, output: 2, source: 'profile'})
    expect(pricesFor({baseUrl: OPENAI, costPerMtokInput: 1, costPerMtokOutput: 2}, 'unknown-model')).toEqual({input: 1, output: 2, source: 'profile'})
    // one rate set: the other comes from the table (and the table's cache discount stays with its own input rate)
    expect(pricesFor({baseUrl: OPENAI, costPerMtokOutput: 9}, 'gpt-4o-mini')).toEqual({input: 0.15, cachedInput: 0.075, output: 9, source: 'profile'})
    expect(pricesFor({baseUrl: OPENAI, costPerMtokInput: 3}, 'gpt-4o-mini')).toEqual({input: 3, output: 0.6, source: 'profile'})
    // and win on a local server too (a proxy on localhost that forwards to a paid provider)
    expect(pricesFor({baseUrl: 'http://127.0.0.1:4000/v1', costPerMtokInput: 1, costPerMtokOutput: 2}, 'gpt-4o')).toMatchObject({input: 1, output: 2, source: 'profile'})
  })

  it('a server on this machine costs 0, whatever the model is called', () => {
    expect(pricesFor({baseUrl: 'http://localhost:11434/v1'}, 'qwen2.5-coder:7b')).toEqual({input: 0, output: 0, source: 'local'})
    expect(pricesFor({baseUrl: 'http://127.0.0.1:1234/v1'}, 'gpt-4o')).toMatchObject({source: 'local'})
    expect(isLocalUrl('http://[::1]:8080/v1')).toBe(true)
    expect(isLocalUrl('https://localhost.example.com/v1')).toBe(false)
    expect(isLocalUrl('https://api.openai.com/v1')).toBe(false)
  })
})

describe('costs', () => {
  const p = {input: 2, output: 10, cachedInput: 0.5, source: 'table' as const}

  it('prices input, cached input and output per million tokens', () => {
    expect(costOf({input: 1_000_000, output: 0}, p)).toBe(2)
    expect(costOf({input: 1000, output: 100}, p)).toBeCloseTo(0.003, 9)
    expect(costOf({input: 1000, output: 0, cached: 400}, p)).toBeCloseTo((600 * 2 + 400 * 0.5) / 1e6, 12)
    expect(costOf({input: 300_000, output: 1000}, {input: 1.25, output: 10, longContext: {aboveTokens: 200_000, input: 2.5, output: 15}, source: 'table'})).toBeCloseTo((300_000 * 2.5 + 1000 * 15) / 1e6, 12)
  })

  it('reads cached tokens from OpenAI and DeepSeek usage', () => {
    expect(cachedTokens({prompt_tokens: 10, prompt_tokens_details: {cached_tokens: 4}})).toEqual({cached: 4})
    expect(cachedTokens({prompt_cache_hit_tokens: 7})).toEqual({cached: 7})
    expect(cachedTokens({prompt_tokens: 10})).toEqual({})
  })

  it('formats small sums with four decimals', () => {
    expect(formatUsd(0.00123)).toBe('$0.0012')
    expect(formatUsd(0)).toBe('$0.00')
    expect(formatUsd(1.5)).toBe('$1.50')
  })

  it('the meter refuses the request whose bound would pass the limit, and sums what was spent', () => {
    const meter = new CostMeter({pricesFor: () => p, maxUsd: 0.01, maxTokens: 200})
    meter.admit({model: 'm', inputTokens: 1000}) // 0.002 + 0.002
    expect(meter.spend('m', {input: 1000, output: 200, reported: true})).toBeCloseTo(0.004, 9)
    meter.admit({model: 'm', inputTokens: 1000})
    meter.spend('m', {input: 1000, output: 200, reported: true})
    expect(() => meter.admit({model: 'm', inputTokens: 1000})).toThrow(CostLimitReached)
    expect(() => meter.admit({model: 'm', inputTokens: 1000})).toThrow(/would pass the cost limit of \$0\.01 \(\$0\.0080 spent\)/)
    // a request's own max_tokens is its bound
    meter.admit({model: 'm', inputTokens: 100, maxTokens: 50})
    expect(meter.total).toBeCloseTo(0.008, 9)
  })

  it('without a price the total is null, never $0', () => {
    const meter = new CostMeter({pricesFor: (m) => (m === 'known' ? p : undefined)})
    expect(meter.knows('unknown')).toBe(false)
    meter.spend('known', {input: 10, output: 1, reported: true})
    expect(meter.total).not.toBeNull()
    meter.spend('unknown', {input: 10, output: 1, reported: true})
    expect(meter.total).toBeNull()
  })
})
