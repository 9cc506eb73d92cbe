import type {TelemetryRecord} from './record.js'

export const GROUP_KEYS = ['day', 'model', 'command'] as const
export type GroupKey = (typeof GROUP_KEYS)[number]

/** Sums of the records that share a day, a model or a command. */
export interface TelemetryGroup {
  key: string
  runs: number
  tokens_in: number
  tokens_out: number
  requests: number
  tool_calls: number
  /** USD of the group's priced runs; null when none of them had a price. */
  cost_usd: number | null
  /** Runs without a price (a model not in the table and no cost_per_mtok_*, or recorded before costs were). */
  unpriced_runs: number
}

/** What a record is grouped under: its UTC day, its model, or its command (chat turns apart from runs). */
export function groupKey(r: TelemetryRecord, by: GroupKey): string {
  if (by === 'day') return r.ts ? r.ts.slice(0, 10) : 'unknown'
  if (by === 'model') return r.model || 'unknown'
  return r.command || r.kind || 'unknown'
}

/** Records summed per day (oldest first), model or command (most expensive, then most used, first). */
export function groupRecords(records: readonly TelemetryRecord[], by: GroupKey): TelemetryGroup[] {
  const groups = new Map<string, TelemetryGroup>()
  for (const r of records) {
    const key = groupKey(r, by)
    let g = groups.get(key)
    if (!g) groups.set(key, (g = {key, runs: 0, tokens_in: 0, tokens_out: 0, requests: 0, tool_calls: 0, cost_usd: null, unpriced_runs: 0}))
    g.runs++
    g.tokens_in += r.tokens_in
    g.tokens_out += r.tokens_out
    g.requests += r.requests
    g.tool_calls += r.tool_calls
    if (typeof r.cost_usd === 'number') g.cost_usd = round6((g.cost_usd ?? 0) + r.cost_usd)
    else g.unpriced_runs++
  }
  const list = [...groups.values()]
  if (by === 'day') return list.sort((a, b) => a.key.localeCompare(b.key))
  return list.sort((a, b) => (b.cost_usd ?? -1) - (a.cost_usd ?? -1) || b.runs - a.runs || a.key.localeCompare(b.key))
}

/** USD of all priced records; null when none had a price. */
export function totalCost(records: readonly TelemetryRecord[]): {usd: number | null; priced_runs: number; unpriced_runs: number} {
  let usd: number | null = null
  let priced = 0
  for (const r of records) {
    if (typeof r.cost_usd !== 'number') continue
    usd = round6((usd ?? 0) + r.cost_usd)
    priced++
  }
  return {usd, priced_runs: priced, unpriced_runs: records.length - priced}
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6
}
