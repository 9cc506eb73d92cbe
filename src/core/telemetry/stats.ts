import type {TelemetryRecord} from './record.js'

export const TREND_WINDOW = 10

/** Per-run averages over a set of records. */
export interface RunAverages {
  runs: number
  tokens_in: number
  tokens_out: number
  requests: number
  tool_calls: number
  compression_ratio: number
  peak_context_pct: number
  duration_ms: number
}

export interface TelemetryStats {
  runs: number
  /** Lines of the file that could not be read as records. */
  malformed: number
  first_ts: string | null
  last_ts: string | null
  kinds: Record<string, number>
  outcomes: Record<string, number>
  models: Record<string, number>
  totals: {tokens_in: number; tokens_out: number; requests: number; tool_calls: number; tool_errors: number; budget_passes: number; duration_ms: number}
  averages: RunAverages
  peak_context_pct_max: number
  largest_request_max: number
  edits: Record<string, {ok: number; fail: number; success_rate: number}>
  edit_levels: Record<string, number>
  /** The last 10 runs against the 10 before; null until there are more than 10. change = relative (-0.2 = 20% fewer). */
  trend: {window: number; recent: RunAverages; previous: RunAverages; change: Record<'tokens_in' | 'tool_calls' | 'compression_ratio' | 'peak_context_pct', number | null>} | null
}

/** Totals, per-run averages and the trend of a list of records (file order = time order). */
export function summarize(records: readonly TelemetryRecord[], malformed = 0): TelemetryStats {
  const totals = {tokens_in: 0, tokens_out: 0, requests: 0, tool_calls: 0, tool_errors: 0, budget_passes: 0, duration_ms: 0}
  const kinds: Record<string, number> = {}
  const outcomes: Record<string, number> = {}
  const models: Record<string, number> = {}
  const edits: Record<string, {ok: number; fail: number; success_rate: number}> = {}
  const levels: Record<string, number> = {}
  let peak = 0
  let largest = 0
  for (const r of records) {
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k] ?? 0
    bump(kinds, r.kind)
    bump(outcomes, r.outcome)
    if (r.model) bump(models, r.model)
    peak = Math.max(peak, r.peak_context_pct)
    largest = Math.max(largest, r.largest_request ?? 0)
    for (const [tool, e] of Object.entries(r.edit)) {
      const t = (edits[tool] ??= {ok: 0, fail: 0, success_rate: 0})
      t.ok += num(e?.ok)
      t.fail += num(e?.fail)
    }
    for (const [level, n] of Object.entries(r.edit_levels)) levels[level] = (levels[level] ?? 0) + num(n)
  }
  for (const t of Object.values(edits)) t.success_rate = t.ok + t.fail > 0 ? round(t.ok / (t.ok + t.fail), 3) : 0
  const recent = records.slice(-TREND_WINDOW)
  const previous = records.slice(-2 * TREND_WINDOW, -TREND_WINDOW)
  let trend: TelemetryStats['trend'] = null
  if (previous.length > 0) {
    const a = averages(recent)
    const b = averages(previous)
    trend = {
      window: TREND_WINDOW,
      recent: a,
      previous: b,
      change: {
        tokens_in: change(a.tokens_in, b.tokens_in),
        tool_calls: change(a.tool_calls, b.tool_calls),
        compression_ratio: change(a.compression_ratio, b.compression_ratio),
        peak_context_pct: change(a.peak_context_pct, b.peak_context_pct),
      },
    }
  }
  return {
    runs: records.length,
    malformed,
    first_ts: records[0]?.ts || null,
    last_ts: records.at(-1)?.ts || null,
    kinds,
    outcomes,
    models,
    totals,
    averages: averages(records),
    peak_context_pct_max: peak,
    largest_request_max: largest,
    edits,
    edit_levels: levels,
    trend,
  }
}

/** Per-run averages; all zero for no records. */
export function averages(records: readonly TelemetryRecord[]): RunAverages {
  const n = records.length
  const avg = (f: (r: TelemetryRecord) => number, digits: number): number => (n ? round(records.reduce((s, r) => s + num(f(r)), 0) / n, digits) : 0)
  return {
    runs: n,
    tokens_in: avg((r) => r.tokens_in, 0),
    tokens_out: avg((r) => r.tokens_out, 0),
    requests: avg((r) => r.requests, 1),
    tool_calls: avg((r) => r.tool_calls, 1),
    compression_ratio: avg((r) => r.compression_ratio, 3),
    peak_context_pct: avg((r) => r.peak_context_pct, 1),
    duration_ms: avg((r) => r.duration_ms, 0),
  }
}

function change(now: number, before: number): number | null {
  return before === 0 ? null : round((now - before) / before, 3)
}

function bump(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
