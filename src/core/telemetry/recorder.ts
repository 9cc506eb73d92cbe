import type {Usage} from '../model/types.js'
import type {BudgetStats} from '../context/budget.js'
import type {TelemetryKind, TelemetryOutcome, TelemetryRecord} from './record.js'

export interface RecorderInit {
  kind: TelemetryKind
  model: string
  profile: string
  /** The profile's context_window, for peak_context_pct. */
  contextWindow: number
  task?: string
  /** The command that ran (run, chat, step, plan); kind when absent. */
  command?: string
  /** Milliseconds clock (injected for tests); Date.now by default. */
  now?: () => number
}

/** What the live status line shows while a run is going. */
export interface LiveStats {
  tokensIn: number
  tokensOut: number
  requests: number
  toolCalls: number
  contextPct: number
  peakContextPct: number
  compressionRatio: number
}

const TASK_CHARS = 80

/**
 * Accumulates one run's figures as the loop feeds it; `finish` returns the record to append.
 * Pure: no I/O (see file.ts for writing).
 */
export class TelemetryRecorder {
  private readonly init: RecorderInit
  private readonly now: () => number
  private readonly started: number
  private tokensIn = 0
  private tokensOut = 0
  private allReported = true
  private requests = 0
  private toolCalls = 0
  private toolErrors = 0
  private largest = 0
  private lastContext = 0
  private sentSum = 0
  private rawSum = 0
  private budgetPasses = 0
  private tokensCached = 0
  private costUsd = 0
  /** Requests priced (costUsd given) and requests that had no price. */
  private priced = 0
  private unpriced = 0
  private edits: Record<string, {ok: number; fail: number}> = {}
  private levels: Record<string, number> = {}

  constructor(init: RecorderInit) {
    this.init = init
    this.now = init.now ?? Date.now
    this.started = this.now()
  }

  /** After each model response: its usage, and the budget pass that shaped the request (if any). */
  onRequest(r: {usage: Usage; budget?: BudgetStats; costUsd?: number | null}): void {
    this.requests++
    this.tokensCached += r.usage.cached ?? 0
    if (typeof r.costUsd === 'number') {
      this.priced++
      this.costUsd += r.costUsd
    } else if (r.costUsd === null) this.unpriced++
    this.tokensIn += r.usage.input
    this.tokensOut += r.usage.output
    if (!r.usage.reported) this.allReported = false
    const size = r.usage.input || r.budget?.after || 0
    this.lastContext = size
    this.largest = Math.max(this.largest, size)
    if (r.budget) {
      this.sentSum += r.budget.after
      this.rawSum += Math.max(r.budget.before, r.budget.after)
      if (r.budget.compressed > 0 || r.budget.trimmed > 0) this.budgetPasses++
    }
  }

  /** After each tool call (recall and refused repeats included). */
  onToolResult(r: {name: string; ok: boolean}): void {
    this.toolCalls++
    if (!r.ok) this.toolErrors++
  }

  /** Matches ToolContext.onEditOutcome, so it can be passed as is. */
  readonly onEditOutcome = (e: {tool: string; ok: boolean; level?: string}): void => {
    const t = (this.edits[e.tool] ??= {ok: 0, fail: 0})
    if (e.ok) t.ok++
    else t.fail++
    if (e.ok && e.level) this.levels[e.level] = (this.levels[e.level] ?? 0) + 1
  }

  /** Figures so far, for a status line. */
  live(): LiveStats {
    return {
      tokensIn: this.tokensIn,
      tokensOut: this.tokensOut,
      requests: this.requests,
      toolCalls: this.toolCalls,
      contextPct: this.pct(this.lastContext),
      peakContextPct: this.pct(this.largest),
      compressionRatio: this.ratio(),
    }
  }

  /** The record of the finished run. */
  finish(outcome: TelemetryOutcome | string): TelemetryRecord {
    const end = this.now()
    const rec: TelemetryRecord = {
      ts: new Date(end).toISOString(),
      kind: this.init.kind,
      model: this.init.model,
      profile: this.init.profile,
      tokens_in: this.tokensIn,
      tokens_out: this.tokensOut,
      tokens_reported: this.requests > 0 && this.allReported,
      requests: this.requests,
      tool_calls: this.toolCalls,
      tool_errors: this.toolErrors,
      largest_request: this.largest,
      compression_ratio: this.ratio(),
      peak_context_pct: this.pct(this.largest),
      budget_passes: this.budgetPasses,
      edit: structuredClone(this.edits),
      edit_levels: {...this.levels},
      duration_ms: Math.max(0, end - this.started),
      outcome,
    }
    if (this.init.command && this.init.command !== this.init.kind) rec.command = this.init.command
    if (this.tokensCached > 0) rec.tokens_cached = this.tokensCached
    // Money only when every request had a price: a partial sum would read as the whole cost.
    if (this.priced > 0 && this.unpriced === 0) rec.cost_usd = round(this.costUsd, 6)
    const task = this.init.task?.trim().split('\n')[0]
    if (task) rec.task = [...task].length > TASK_CHARS ? `${[...task].slice(0, TASK_CHARS - 1).join('')}…` : task
    return rec
  }

  private ratio(): number {
    return this.rawSum > 0 ? round(1 - this.sentSum / this.rawSum, 3) : 0
  }

  private pct(tokens: number): number {
    return this.init.contextWindow > 0 ? round((tokens / this.init.contextWindow) * 100, 1) : 0
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
