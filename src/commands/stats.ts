import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {TelemetryStats} from '../core/telemetry/stats.js'
import type {GroupKey, TelemetryGroup} from '../core/telemetry/groups.js'
import {formatUsd} from '../core/model/cost.js'
import {plural} from '../core/text/plural.js'

type StatsResult = TelemetryStats & {cost: {usd: number | null; priced_runs: number; unpriced_runs: number}; by?: {key: GroupKey; groups: TelemetryGroup[]}}

export default class Stats extends BaseCommand {
  static summary = 'Show token and tool-call figures of past runs in this repository'
  static description = `Reads the repository's telemetry (one record per run, kept in the git dir at parecode/telemetry.jsonl, never committed) and prints totals, per-run averages, edit success rates and a trend: the last 10 runs against the 10 before.

Telemetry is local: nothing is sent anywhere. Turn it off with \`telemetry: false\` in the config.`

  static examples = ['<%= config.bin %> stats', '<%= config.bin %> stats --last 20', '<%= config.bin %> stats --by day', '<%= config.bin %> stats --by model --json', '<%= config.bin %> stats --kind step --json']

  static flags = {
    last: Flags.integer({description: 'only the most recent N runs', min: 1}),
    kind: Flags.string({description: 'only runs of this kind', options: ['run', 'step', 'plan']}),
    by: Flags.string({description: 'sum tokens and USD per day (UTC), model or command instead', options: ['day', 'model', 'command']}),
  }

  async run(): Promise<StatsResult> {
    const {flags} = await this.parse(Stats)
    const repo = await this.repo()
    const {readTelemetry, telemetryFile} = await import('../core/telemetry/file.js')
    const {summarize} = await import('../core/telemetry/stats.js')
    const {records, malformed} = await readTelemetry(telemetryFile(repo))
    let picked = flags.kind ? records.filter((r) => r.kind === flags.kind) : records
    if (flags.last) picked = picked.slice(-flags.last)
    if (malformed > 0) this.note(`${malformed} unreadable line${malformed > 1 ? 's' : ''} in the telemetry file skipped`)
    const {groupRecords, totalCost} = await import('../core/telemetry/groups.js')
    const stats: StatsResult = {...summarize(picked, malformed), cost: totalCost(picked)}
    if (flags.by) stats.by = {key: flags.by as GroupKey, groups: groupRecords(picked, flags.by as GroupKey)}
    if (!this.jsonEnabled()) this.log(stats.by && stats.runs > 0 ? renderGroups(stats.by.key, stats.by.groups) : render(stats))
    return stats
  }
}

/** One row per group: runs, tokens, USD (with how many runs had no price). */
function renderGroups(by: GroupKey, groups: TelemetryGroup[]): string {
  const money = (g: TelemetryGroup) => `${g.cost_usd === null ? 'no price' : formatUsd(g.cost_usd)}${g.cost_usd !== null && g.unpriced_runs ? ` (+${g.unpriced_runs} unpriced)` : ''}`
  const rows = [[by, 'runs', 'tokens in', 'tokens out', 'cost'], ...groups.map((g) => [g.key, String(g.runs), k(g.tokens_in), k(g.tokens_out), money(g)])]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n')
}

function render(s: StatsResult): string {
  if (s.runs === 0) return 'No runs recorded yet. Figures appear here after `git pare run` or a plan step finishes.'
  const a = s.averages
  const t = s.totals
  const kinds = Object.entries(s.kinds).map(([k, n]) => plural(n, k)).join(', ')
  const outcomes = Object.entries(s.outcomes).map(([k, n]) => `${n} ${k}`).join(', ')
  const rows: [string, string][] = [
    ['runs', `${s.runs} (${kinds}) · ${outcomes}`],
    ['tokens', `${k(t.tokens_in)} in, ${k(t.tokens_out)} out · per run ${k(a.tokens_in)} in, ${k(a.tokens_out)} out`],
    ['requests', `${t.requests} · ${a.requests} per run · largest ${k(s.largest_request_max)} tokens`],
    ['tool calls', `${t.tool_calls} · ${a.tool_calls} per run${t.tool_errors ? ` · ${t.tool_errors} failed` : ''}`],
    ['cost', s.cost.usd === null ? 'no prices recorded (a model in the price table, a local server, or cost_per_mtok_* in the profile)' : `${formatUsd(s.cost.usd)} over ${plural(s.cost.priced_runs, 'priced run')}${s.cost.unpriced_runs ? ` · ${s.cost.unpriced_runs} without a price` : ''}`],
    ['compression', `${pct(a.compression_ratio)} of input tokens saved per run on average`],
    ['context', `peak ${a.peak_context_pct}% of the window on average, ${s.peak_context_pct_max}% at most · ${t.budget_passes} budget passes`],
  ]
  const edits = Object.entries(s.edits).map(([tool, e]) => `${tool} ${e.ok}/${e.ok + e.fail} (${pct(e.success_rate)})`)
  if (edits.length) rows.push(['edits', edits.join(' · ')])
  const levels = Object.entries(s.edit_levels).map(([l, n]) => `${l} ${n}`)
  if (levels.length) rows.push(['edit match', levels.join(', ')])
  const models = Object.entries(s.models).sort((x, y) => y[1] - x[1]).map(([m, n]) => `${m} (${n})`)
  if (models.length) rows.push(['models', models.join(', ')])
  if (s.trend) {
    const {recent, previous, change} = s.trend
    rows.push([
      'trend',
      `last ${recent.runs} vs previous ${previous.runs}: tokens/run ${k(recent.tokens_in)} vs ${k(previous.tokens_in)}${delta(change.tokens_in)}, ` +
        `tool calls/run ${recent.tool_calls} vs ${previous.tool_calls}${delta(change.tool_calls)}`,
    ])
  } else {
    rows.push(['trend', `needs more than 10 runs (${s.runs} so far)`])
  }
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')
}

function k(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n))
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 100)}%`
}

function delta(change: number | null): string {
  if (change === null) return ''
  const p = Math.round(change * 100)
  return ` (${p > 0 ? '+' : ''}${p}%)`
}
