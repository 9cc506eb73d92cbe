import type {RunTaskResult} from '../agent/run-task.js'
import {formatUsd} from '../model/cost.js'
import {plural} from '../text/plural.js'

/** Tokens (and dollars, when the profile has prices) of the chat so far. */
export interface Tally {
  input: number
  output: number
  usd: number
  /** Whether every turn so far had prices. */
  priced: boolean
}

/** Add a turn's tokens and its cost as the run priced it (null: no price) to the tally; returns the cost. */
export function tallyTurn(tally: Tally, tokens: {input: number; output: number}, usd: number | null): number | null {
  const first = tally.input === 0 && tally.output === 0
  tally.input += tokens.input
  tally.output += tokens.output
  if (usd === null) {
    tally.priced = false
    return null
  }
  tally.priced = first ? true : tally.priced
  tally.usd += usd
  return usd
}

/** Add a turn's tokens to the tally; returns the turn's cost in USD, or null without prices. */
export function sessionCost(tally: Tally, tokens: {input: number; output: number}, prices: {input?: number; output?: number}): number | null {
  const first = tally.input === 0 && tally.output === 0
  tally.input += tokens.input
  tally.output += tokens.output
  if (prices.input === undefined && prices.output === undefined) {
    tally.priced = false
    return null
  }
  const usd = (tokens.input * (prices.input ?? 0) + tokens.output * (prices.output ?? 0)) / 1e6
  tally.priced = first ? true : tally.priced
  tally.usd += usd
  return usd
}

const usdText = formatUsd

/** The line after each turn: tokens of the turn and of the session, cost, files changed, the undo hint. */
export function turnLine(res: Pick<RunTaskResult, 'tokens' | 'files_changed' | 'checkpoint' | 'session' | 'tool_calls'>, tally: Tally, usd: number | null): string {
  const parts = [
    `turn ${res.session.turn}`,
    `${res.tokens.input} in / ${res.tokens.output} out (session ${tally.input} / ${tally.output})`,
  ]
  if (usd !== null) parts.push(`${usdText(usd)} (session ${tally.priced ? usdText(tally.usd) : 'partly unpriced'})`)
  parts.push(`${plural(res.files_changed.length, 'file')} changed`, plural(res.tool_calls, 'tool call'), `checkpoint ${res.checkpoint.seq} (/diff ${res.checkpoint.seq}, /undo)`)
  return parts.join(' · ')
}

/** `/cost`: the session's tokens and, with prices, dollars. */
export function costText(tally: Tally, turns: number): string {
  const usd = tally.priced ? ` · ${usdText(tally.usd)}` : ' · no price known for this model (set cost_per_mtok_input/output in the profile)'
  return `${plural(turns, 'turn')} · ${tally.input} tokens in / ${tally.output} out${usd}`
}
