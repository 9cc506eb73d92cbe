import {describe, expect, it} from 'vitest'
import type {BudgetStats} from '../../../src/core/context/budget.js'
import {TelemetryRecorder} from '../../../src/core/telemetry/recorder.js'

const budget = (before: number, after: number, compressed = 0, trimmed = 0): BudgetStats => ({before, after, budget: 19_660, compressed, trimmed, passes: compressed || trimmed ? 1 : 0, fits: true})

describe('TelemetryRecorder', () => {
  it('sums a run into one record', () => {
    let t = 1_700_000_000_000
    const rec = new TelemetryRecorder({kind: 'run', model: 'qwen3:14b', profile: 'local', contextWindow: 32_000, task: 'Rename userName to login\nin every file', now: () => t})
    rec.onRequest({usage: {input: 1000, output: 100, reported: true}, budget: budget(1000, 1000)})
    rec.onToolResult({name: 'read_file', ok: true})
    rec.onRequest({usage: {input: 6000, output: 50, reported: true}, budget: budget(9000, 6000, 2)})
    rec.onToolResult({name: 'edit_file', ok: false})
    rec.onToolResult({name: 'edit_file', ok: true})
    // Passed as ToolContext.onEditOutcome, unbound.
    const onEdit = rec.onEditOutcome
    onEdit({tool: 'edit_file', ok: false})
    onEdit({tool: 'edit_file', ok: true, level: 'trim'})
    onEdit({tool: 'write_file', ok: true})
    rec.onRequest({usage: {input: 2000, output: 300, reported: false}, budget: budget(10_000, 2000, 1, 3)})
    expect(rec.live()).toMatchObject({tokensIn: 9000, requests: 3, toolCalls: 3, contextPct: 6.3, peakContextPct: 18.8})
    t += 4321
    expect(rec.finish('done')).toEqual({
      ts: new Date(t).toISOString(),
      kind: 'run',
      model: 'qwen3:14b',
      profile: 'local',
      task: 'Rename userName to login',
      tokens_in: 9000,
      tokens_out: 450,
      tokens_reported: false,
      requests: 3,
      tool_calls: 3,
      tool_errors: 1,
      largest_request: 6000,
      compression_ratio: 0.55, // 1 - 9000 / 20000
      peak_context_pct: 18.8,
      budget_passes: 2,
      edit: {edit_file: {ok: 1, fail: 1}, write_file: {ok: 1, fail: 0}},
      edit_levels: {trim: 1},
      duration_ms: 4321,
      outcome: 'done',
    })
  })

  it('records an empty run without dividing by zero', () => {
    const r = new TelemetryRecorder({kind: 'plan', model: 'm', profile: 'p', contextWindow: 0, now: () => 5}).finish('interrupted')
    expect(r).toMatchObject({tokens_in: 0, requests: 0, compression_ratio: 0, peak_context_pct: 0, tokens_reported: false, duration_ms: 0, outcome: 'interrupted'})
    expect(r.task).toBeUndefined()
  })
})
