import {describe, expect, it} from 'vitest'
import {groupRecords, totalCost} from '../../../src/core/telemetry/groups.js'
import {TelemetryRecorder} from '../../../src/core/telemetry/recorder.js'
import type {TelemetryRecord} from '../../../src/core/telemetry/record.js'

const rec = (over: Partial<TelemetryRecord>): TelemetryRecord =>
  ({ts: '2026-01-01T10:00:00.000Z', kind: 'run', model: 'm', profile: 'p', tokens_in: 100, tokens_out: 10, tokens_reported: true, requests: 1, tool_calls: 0, tool_errors: 0, largest_request: 100, compression_ratio: 0, peak_context_pct: 0, budget_passes: 0, edit: {}, edit_levels: {}, duration_ms: 1, outcome: 'done', ...over}) as TelemetryRecord

describe('telemetry groups', () => {
  const records = [
    rec({cost_usd: 0.01}),
    rec({ts: '2026-01-02T09:00:00.000Z', model: 'big', cost_usd: 0.5, kind: 'step'}),
    rec({ts: '2026-01-02T11:00:00.000Z', command: 'chat', cost_usd: 0.02}),
    rec({ts: '2025-12-31T23:59:00.000Z', model: 'local'}), // an older record, or one without a price
  ]

  it('sums per UTC day, oldest first', () => {
    expect(groupRecords(records, 'day').map((g) => [g.key, g.runs, g.cost_usd, g.unpriced_runs])).toEqual([
      ['2025-12-31', 1, null, 1],
      ['2026-01-01', 1, 0.01, 0],
      ['2026-01-02', 2, 0.52, 0],
    ])
  })

  it('per model and per command (chat turns apart from runs), most expensive first; unpriced never reads as $0', () => {
    expect(groupRecords(records, 'model').map((g) => [g.key, g.cost_usd])).toEqual([
      ['big', 0.5],
      ['m', 0.03],
      ['local', null],
    ])
    expect(groupRecords(records, 'command').map((g) => [g.key, g.runs, g.tokens_in, g.cost_usd, g.unpriced_runs])).toEqual([
      ['step', 1, 100, 0.5],
      ['chat', 1, 100, 0.02],
      ['run', 2, 200, 0.01],
    ].map((r) => [...r, r[0] === 'run' ? 1 : 0]))
    expect(totalCost(records)).toEqual({usd: 0.53, priced_runs: 3, unpriced_runs: 1})
    expect(totalCost([rec({})])).toEqual({usd: null, priced_runs: 0, unpriced_runs: 1})
  })

  it('the recorder writes cost_usd only when every request had a price, and command when it is not the kind', () => {
    const priced = new TelemetryRecorder({kind: 'run', model: 'm', profile: 'p', contextWindow: 1000, command: 'chat', now: () => 0})
    priced.onRequest({usage: {input: 10, output: 1, reported: true, cached: 4}, costUsd: 0.001})
    priced.onRequest({usage: {input: 10, output: 1, reported: true}, costUsd: 0.002})
    expect(priced.finish('done')).toMatchObject({command: 'chat', cost_usd: 0.003, tokens_cached: 4})
    const partly = new TelemetryRecorder({kind: 'run', model: 'm', profile: 'p', contextWindow: 1000, command: 'run', now: () => 0})
    partly.onRequest({usage: {input: 10, output: 1, reported: true}, costUsd: 0.001})
    partly.onRequest({usage: {input: 10, output: 1, reported: true}, costUsd: null})
    const r = partly.finish('done')
    expect(r.cost_usd).toBeUndefined()
    expect(r.command).toBeUndefined()
  })
})
