import type {ChatMessage, ToolSchema} from '../model/types.js'
import {compactArgs} from './compact-args.js'
import {compressedText, type History, type ToolEntry} from './history.js'
import type {TokenCounter} from './tokenizer.js'

/** Default share of the profile's context_window a request may use (the rest: the answer, and slack for counting differences). */
export const DEFAULT_BUDGET_FRACTION = 0.6
export const DEFAULT_KEEP_RECENT = 3

export interface BudgetOptions {
  budgetTokens: number
  /** How many of the latest tool results stay whole (default 3). */
  keepRecent?: number
  counter: TokenCounter
  /** Tool schemas sent with the request: they count against the budget too. */
  tools?: readonly ToolSchema[]
  /**
   * Tokens the kept-whole recent results may take together (default: a quarter of the budget, at least
   * 2,000). The latest result is always kept whole; earlier ones only while they fit, so a run of large
   * reads does not carry three files in every request.
   */
  recentTokens?: number
  /** Compress older results only when over budget. Default false: always, so every request stays small, not just the ones near the limit. */
  lazy?: boolean
}

export interface BudgetStats {
  /** Tokens of the request with nothing compressed or trimmed. */
  before: number
  /** Tokens of the request actually sent. */
  after: number
  budget: number
  /** Results newly compressed by this call. */
  compressed: number
  /** Groups (assistant message + its results, or a user message) newly trimmed by this call. */
  trimmed: number
  /** How many of the four passes changed something (0 = the request went as it was). */
  passes: number
  /** false when even the pinned part (system, task, attachments, latest turn compressed) exceeds the budget. */
  fits: boolean
}

export interface BudgetResult {
  messages: ChatMessage[]
  stats: BudgetStats
}

/** The token budget for a context window. */
export function budgetFor(contextWindow: number, fraction = DEFAULT_BUDGET_FRACTION): number {
  return Math.max(1, Math.floor(contextWindow * fraction))
}

/** What an overflow showed of the server: its real window, and its prompt count against ours for the same request. */
export interface OverflowFigures {
  window?: number
  serverPrompt?: number
  sentPrompt?: number
}

/**
 * Options for the single retry after the server says the context is too long: 70% of the budget and of the
 * refused request (`refused`, in tokens: a request well under the budget must shrink too), one result kept whole;
 * and when the server named its window (or showed it by truncating), no more than the default share of that
 * window, counted in our tokens (scaled down when the server's tokenizer counted more than ours).
 */
export function tighten(opts: BudgetOptions, seen: OverflowFigures = {}, refused = Infinity): BudgetOptions {
  let budgetTokens = Math.max(1, Math.floor(Math.min(opts.budgetTokens, refused) * 0.7))
  if (seen.window) {
    const ratio = seen.serverPrompt && seen.sentPrompt && seen.serverPrompt > seen.sentPrompt ? seen.serverPrompt / seen.sentPrompt : 1
    budgetTokens = Math.max(1, Math.min(budgetTokens, Math.floor((seen.window * DEFAULT_BUDGET_FRACTION) / ratio)))
  }
  return {...opts, budgetTokens, keepRecent: 1, recentTokens: undefined, lazy: false}
}

/**
 * Fit the history into the budget before a request; deterministic, no model calls.
 * Pass 1 compresses results older than the latest `keepRecent` to their one-line summary.
 * If still over: pass 2 compresses the recent results too (oldest first), except the latest turn's;
 * pass 3 trims the oldest groups whole (tool_call/tool pairs stay valid), never the system prompt,
 * the task, the preamble or attachments, nor the latest turn; pass 4 compresses the latest turn's
 * results. A recent result goes to one line before older turns are trimmed because a summary
 * line costs ~30 tokens and keeps the model aware of what it already did (trimming it invites loops).
 * Compression and trimming are sticky, so later requests keep the same prefix.
 */
export function fitToBudget(history: History, opts: BudgetOptions): BudgetResult {
  const {counter, tools} = opts
  const budget = opts.budgetTokens
  const cost = requestCost(history, counter, tools)
  const before = counter.countMessages(history.toMessages({raw: true}), tools)
  let compressed = 0
  let trimmed = 0
  let passes = 0

  if (!opts.lazy || cost() > budget) {
    const recentTokens = opts.recentTokens ?? Math.max(2000, Math.floor(budget * 0.25))
    const n = compressOlder(history, Math.max(0, opts.keepRecent ?? DEFAULT_KEEP_RECENT), recentTokens, counter)
    compressed += n
    if (n > 0) passes++
  }

  let total = cost()
  const compressUntilFits = (entries: ToolEntry[]): void => {
    let n = 0
    for (const e of entries) {
      if (total <= budget) break
      if (e.compressed || !shrinks(e)) continue
      e.compressed = true
      n++
      total = cost()
    }
    compressed += n
    if (n > 0) passes++
  }

  if (total > budget) compressUntilFits(liveEntries(history, lastLive(history.groups)))

  if (total > budget) {
    const groups = history.groups
    const last = lastLive(groups)
    let n = 0
    for (let i = 0; i < last && total > budget; i++) {
      if (groups[i]!.trimmed) continue
      groups[i]!.trimmed = true
      n++
      total = cost()
    }
    trimmed += n
    if (n > 0) passes++
  }

  if (total > budget) compressUntilFits(liveEntries(history))

  const messages = history.toMessages()
  const after = counter.countMessages(messages, tools)
  return {messages, stats: {before, after, budget, compressed, trimmed, passes, fits: after <= budget}}
}

function compressOlder(history: History, keepRecent: number, recentTokens: number, counter: TokenCounter): number {
  const entries = liveEntries(history)
  const lastGroup = history.groups[lastLive(history.groups)]
  const kept = new Set<ToolEntry>()
  let recent = 0
  let tokens = 0
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!
    if (e.ephemeral || e.compressed) continue
    if (recent >= keepRecent) break
    const cost = counter.count(e.content)
    if (recent > 0 && tokens + cost > recentTokens) break
    kept.add(e)
    recent++
    tokens += cost
  }
  let n = 0
  for (const e of entries) {
    if (e.compressed || e.pin || kept.has(e) || !shrinks(e)) continue
    // A recall answer is a copy of a stored result: once the model has moved on, it goes back to one line.
    if (e.ephemeral && lastGroup?.kind === 'assistant' && lastGroup.results.includes(e)) continue
    e.compressed = true
    n++
  }
  return n
}

/** Results of groups not trimmed, oldest first; `before` excludes that group index and later ones. */
function liveEntries(history: History, before = Infinity): ToolEntry[] {
  const out: ToolEntry[] = []
  history.groups.forEach((g, i) => {
    if (i < before && g.kind === 'assistant' && !g.trimmed) out.push(...g.results)
  })
  return out
}

function lastLive(groups: History['groups']): number {
  for (let i = groups.length - 1; i >= 0; i--) if (!groups[i]!.trimmed) return i
  return -1
}

// Compressing a short result would make it longer, unless the call's arguments (a whole file for write_file) shrink enough.
function shrinks(e: ToolEntry): boolean {
  return compressedText(e).length + compactArgs(e.args).length < e.content.length + e.args.length
}

/**
 * The request's cost as the sum of its parts, each group's cost cached by its rendering state,
 * so the passes can re-evaluate after every step without re-rendering and re-counting the whole
 * history (a 500-call run stays in milliseconds). Merged neighbour messages are counted apart, a
 * slight over-estimate: the safe side of a budget. The final figure is counted on the real request.
 */
function requestCost(history: History, counter: TokenCounter, tools?: readonly ToolSchema[]): () => number {
  const cache = new WeakMap<object, {sig: string; n: number}>()
  const base = counter.countMessages([{role: 'system', content: history.system}], tools)
  return () => {
    let n = base + counter.countMessage(history.firstUserMessage())
    const lastAssistant = history.lastAssistantIndex()
    history.groups.forEach((g, i) => {
      if (g.trimmed) return
      const sig = g.kind === 'user' ? '' : `${i === lastAssistant ? 'L' : ''}${g.results.map((e) => (e.compressed ? 'c' : 'f')).join('')}`
      const hit = cache.get(g)
      if (hit && hit.sig === sig) {
        n += hit.n
        return
      }
      const cost = history.groupMessages(i, {lastAssistant}).reduce((k, m) => k + counter.countMessage(m), 0)
      cache.set(g, {sig, n: cost})
      n += cost
    })
    return n
  }
}
