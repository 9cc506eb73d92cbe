import type {PlanStep} from './schema.js'

export interface CostEstimate {
  tokens_low: number
  tokens_high: number
  usd_low?: number
  usd_high?: number
}

/** Fixed cost of a step request: system prompt and tool schemas. */
const BASE_TOKENS = 1100
/** Each tool call re-sends the context; a budget pass keeps that growth bounded. */
const PER_CALL_TOKENS = 350

/**
 * Estimate a plan's input tokens without a model call (seed 6j): per step the base prompt, its files
 * (bytes/4) and instruction, times the tool calls it may make; low assumes a third of the budget is used.
 */
export function estimatePlan(steps: PlanStep[], fileBytes: (path: string) => number, rates?: {input?: number; output?: number}): CostEstimate {
  let low = 0
  let high = 0
  for (const s of steps) {
    const files = s.files.reduce((n, f) => n + Math.min(fileBytes(f), 24_000), 0) / 4
    const first = BASE_TOKENS + files + (s.instruction.length + (s.annotation?.length ?? 0)) / 4
    const lowCalls = Math.max(1, Math.ceil(s.tool_budget / 3))
    low += first * lowCalls + PER_CALL_TOKENS * lowCalls
    high += (first + PER_CALL_TOKENS * s.tool_budget) * s.tool_budget * 0.6 + first
  }
  const est: CostEstimate = {tokens_low: Math.round(low), tokens_high: Math.round(Math.max(high, low) * 1.3)}
  if (rates?.input) {
    // output is small next to input for an agent: count it as ~10% of input at the output rate
    const out = rates.output ?? rates.input
    est.usd_low = round4((est.tokens_low * rates.input + est.tokens_low * 0.1 * out) / 1e6)
    est.usd_high = round4((est.tokens_high * rates.input + est.tokens_high * 0.1 * out) / 1e6)
  }
  return est
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000
}

/** "12k–18k tokens · ~$0.004–0.006" */
export function formatEstimate(e: CostEstimate): string {
  const k = (n: number) => (n >= 1000 ? `${Math.round(n / 100) / 10}k` : String(n))
  let s = `est. ${k(e.tokens_low)}–${k(e.tokens_high)} tokens`
  if (e.usd_low !== undefined && e.usd_high !== undefined) s += ` · ~$${e.usd_low}–${e.usd_high}`
  return s
}
