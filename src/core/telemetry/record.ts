/** What a record describes: a free run, one plan step, or the planning call itself. */
export type TelemetryKind = 'run' | 'step' | 'plan'

/** How a run ended. */
export type TelemetryOutcome = 'done' | 'failed' | 'interrupted' | 'error' | 'limit'

/** One line of `<git dir>/parecode/telemetry.jsonl`, appended when a run finishes. */
export interface TelemetryRecord {
  ts: string
  kind: TelemetryKind
  model: string
  profile: string
  /** The task's first line, shortened (local file; helps `stats` name runs). */
  task?: string
  /** The command when it is not the kind (`chat` turns are runs); absent in older records. */
  command?: string
  tokens_in: number
  tokens_out: number
  /** Input tokens the provider served from its cache (absent when none were reported). */
  tokens_cached?: number
  /** USD of the run's requests at the profile's prices; absent when unpriced (and in older records). */
  cost_usd?: number
  /** true when every request's usage came from the provider; false when some were counted locally. */
  tokens_reported: boolean
  requests: number
  tool_calls: number
  tool_errors: number
  /** Largest single request, input tokens. */
  largest_request: number
  /** Share of input tokens the budget pass saved: 1 - sent / uncompressed (0..1). */
  compression_ratio: number
  /** Largest request as a percentage of the context window. */
  peak_context_pct: number
  /** Requests on which the budget pass compressed or trimmed something. */
  budget_passes: number
  /** Edit tool outcomes: {edit_file: {ok: 3, fail: 1}}. */
  edit: Record<string, {ok: number; fail: number}>
  /** Which fuzzy-match level applied: {exact: 5, trim: 1}. */
  edit_levels: Record<string, number>
  duration_ms: number
  outcome: TelemetryOutcome | string
}
