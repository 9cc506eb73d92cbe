import {pricesFor, type PricedProfile, type Prices} from './prices.js'
import type {Usage} from './types.js'

/** The answer room assumed for a request that sets no max_tokens, when bounding its cost before it is sent. */
export const OUTPUT_ESTIMATE_TOKENS = 4096

/** USD of one request's usage at these prices (cached input at its own rate where the provider reported it). */
export function costOf(usage: Pick<Usage, 'input' | 'output'> & {cached?: number}, p: Prices): number {
  const long = p.longContext && usage.input > p.longContext.aboveTokens ? p.longContext : undefined
  const inRate = long?.input ?? p.input
  const cached = Math.min(usage.cached ?? 0, usage.input)
  const cachedRate = long ? inRate : (p.cachedInput ?? inRate)
  return ((usage.input - cached) * inRate + cached * cachedRate + usage.output * (long?.output ?? p.output)) / 1e6
}

/**
 * Cached input tokens from a provider's usage object: OpenAI's (and most compatible servers')
 * prompt_tokens_details.cached_tokens, or DeepSeek's prompt_cache_hit_tokens. Spread into a Usage.
 */
export function cachedTokens(usage: unknown): {cached?: number} {
  const u = usage as {prompt_tokens_details?: {cached_tokens?: unknown}; prompt_cache_hit_tokens?: unknown} | undefined
  const n = u?.prompt_tokens_details?.cached_tokens ?? u?.prompt_cache_hit_tokens
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? {cached: n} : {}
}

/** "$0.0042", "$1.37": four decimals under a cent so small runs do not read as free. */
export function formatUsd(n: number): string {
  return `$${n > 0 && n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`
}

/** Thrown by the meter before a request that would pass the limit; the loop turns it into a clean stop. */
export class CostLimitReached extends Error {
  constructor(readonly spent: number, readonly next: number, readonly limit: number) {
    super(`the next request (up to ${formatUsd(next)}) would pass the cost limit of ${formatUsd(limit)} (${formatUsd(spent)} spent)`)
    this.name = 'CostLimitReached'
  }
}

export interface CostMeterOptions {
  /** Prices of a model, undefined when unknown. */
  pricesFor: (model: string) => Prices | undefined
  /** Stop before a request that could take the total past this many USD. */
  maxUsd?: number
  /** The profile's max_tokens: the answer bound of a request that sets none of its own. */
  maxTokens?: number
}

/**
 * Money spent by one command (a run, every step of `step --all`, the planner's calls), and the `--max-cost` check:
 * before each request its bound (its counted input plus its answer cap, or OUTPUT_ESTIMATE_TOKENS) is added to what
 * was spent; past the limit, the request is not sent. Pure: no I/O.
 */
export class CostMeter {
  private usd = 0
  private unpriced = 0
  private priced = 0
  constructor(private readonly opts: CostMeterOptions) {}

  /** Whether requests to this model have a price (a run's cost is then a number, else null). */
  knows(model: string): boolean {
    return this.opts.pricesFor(model) !== undefined
  }

  /** Before a request: throws CostLimitReached when its worst case would pass the limit. */
  admit(req: {model: string; inputTokens: number; maxTokens?: number}): void {
    if (this.opts.maxUsd === undefined) return
    const p = this.opts.pricesFor(req.model)
    if (!p) return
    const output = req.maxTokens ?? this.opts.maxTokens ?? OUTPUT_ESTIMATE_TOKENS
    const next = costOf({input: req.inputTokens, output}, p)
    if (this.usd + next > this.opts.maxUsd) throw new CostLimitReached(this.usd, next, this.opts.maxUsd)
  }

  /** After a response: adds its cost; returns it, or undefined when the model has no price. */
  spend(model: string, usage: Usage): number | undefined {
    const p = this.opts.pricesFor(model)
    if (!p) {
      this.unpriced++
      return undefined
    }
    const usd = costOf(usage, p)
    this.usd += usd
    this.priced++
    return usd
  }

  /** USD spent so far; null when any request had no price (a partial sum would understate it). */
  get total(): number | null {
    return this.unpriced > 0 ? null : round6(this.usd)
  }
}

/** Sums of money are kept to a millionth of a dollar (no float noise in JSON). */
export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6
}

/** A meter with a profile's prices (its cost_per_mtok_*, a local server, or the table) and an optional limit. */
export function profileMeter(profile: PricedProfile & {maxTokens?: number}, maxUsd?: number): CostMeter {
  const cache = new Map<string, Prices | undefined>()
  const prices = (model: string) => {
    if (!cache.has(model)) cache.set(model, pricesFor(profile, model))
    return cache.get(model)
  }
  return new CostMeter({pricesFor: prices, maxUsd, maxTokens: profile.maxTokens})
}
