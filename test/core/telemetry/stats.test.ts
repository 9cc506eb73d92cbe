import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {appendTelemetry, readTelemetry, telemetryFile} from '../../../src/core/telemetry/file.js'
import type {TelemetryRecord} from '../../../src/core/telemetry/record.js'
import {summarize} from '../../../src/core/telemetry/stats.js'

function record(i: number, over: Partial<TelemetryRecord> = {}): TelemetryRecord {
  return {
    ts: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    kind: 'run',
    model: 'qwen3:14b',
    profile: 'local',
    tokens_in: 1000 * (i + 1),
    tokens_out: 100,
    tokens_reported: true,
    requests: 2,
    tool_calls: 4,
    tool_errors: 0,
    largest_request: 800,
    compression_ratio: 0.2,
    peak_context_pct: 10,
    budget_passes: 1,
    edit: {edit_file: {ok: 2, fail: 1}},
    edit_levels: {exact: 2},
    duration_ms: 1000,
    outcome: 'done',
    ...over,
  }
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
})

describe('telemetry file', () => {
  it('appends JSON lines under <common dir>/parecode and reads them back, skipping junk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pare-tel-'))
    dirs.push(dir)
    const file = telemetryFile({commonDir: dir})
    expect(file).toBe(path.join(dir, 'parecode', 'telemetry.jsonl'))
    expect(await readTelemetry(file)).toEqual({records: [], malformed: 0})
    await appendTelemetry(file, record(0))
    await appendTelemetry(file, record(1))
    writeFileSync(file, `${readFileSync(file, 'utf8')}not json\n{"foo":1}\n\n{"tokens_in":5}\n`)
    const {records, malformed} = await readTelemetry(file)
    expect(malformed).toBe(2)
    expect(records).toHaveLength(3)
    expect(records[0]).toEqual(record(0))
    expect(records[2]).toMatchObject({tokens_in: 5, tokens_out: 0, kind: 'run', outcome: 'unknown', edit: {}})
  })
})

describe('summarize', () => {
  it('totals, averages and edit rates', () => {
    const s = summarize([record(0), record(1, {outcome: 'failed', kind: 'step', peak_context_pct: 40, edit: {edit_file: {ok: 0, fail: 1}, patch_file: {ok: 1, fail: 0}}})], 1)
    expect(s).toMatchObject({
      runs: 2,
      malformed: 1,
      kinds: {run: 1, step: 1},
      outcomes: {done: 1, failed: 1},
      models: {'qwen3:14b': 2},
      totals: {tokens_in: 3000, tokens_out: 200, requests: 4, tool_calls: 8, budget_passes: 2},
      averages: {runs: 2, tokens_in: 1500, tool_calls: 4, compression_ratio: 0.2, peak_context_pct: 25},
      peak_context_pct_max: 40,
      edits: {edit_file: {ok: 2, fail: 2, success_rate: 0.5}, patch_file: {ok: 1, fail: 0, success_rate: 1}},
      edit_levels: {exact: 4},
      trend: null,
    })
    expect(s.first_ts).toBe(record(0).ts)
  })

  it('compares the last 10 runs with the 10 before', () => {
    const recs = Array.from({length: 25}, (_, i) => record(i, {tool_calls: i < 15 ? 6 : 3}))
    const {trend} = summarize(recs)
    expect(trend!.recent).toMatchObject({runs: 10, tokens_in: 20_500, tool_calls: 3})
    expect(trend!.previous).toMatchObject({runs: 10, tokens_in: 10_500, tool_calls: 6})
    expect(trend!.change).toEqual({tokens_in: 0.952, tool_calls: -0.5, compression_ratio: 0, peak_context_pct: 0})
  })

  it('is all zeros for no runs', () => {
    expect(summarize([])).toMatchObject({runs: 0, averages: {tokens_in: 0}, trend: null, first_ts: null})
  })
})
