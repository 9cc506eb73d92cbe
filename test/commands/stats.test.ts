import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {makeRepo, removeDir, runCli, tempDir} from '../support/repo.js'

const dirs: string[] = []
afterAll(() => dirs.forEach(removeDir))

function line(i: number, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    ts: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    kind: 'run',
    model: 'qwen3:14b',
    profile: 'local',
    tokens_in: 4000 + 100 * i,
    tokens_out: 300,
    tokens_reported: true,
    requests: 3,
    tool_calls: 5,
    tool_errors: 1,
    largest_request: 2500,
    compression_ratio: 0.25,
    peak_context_pct: 12.5,
    budget_passes: 1,
    edit: {edit_file: {ok: 3, fail: 1}},
    edit_levels: {exact: 2, trim: 1},
    duration_ms: 2000,
    outcome: 'done',
    ...over,
  })
}

function repoWithTelemetry(lines: string[]): string {
  const repo = makeRepo()
  dirs.push(repo)
  mkdirSync(path.join(repo, '.git', 'parecode'), {recursive: true})
  writeFileSync(path.join(repo, '.git', 'parecode', 'telemetry.jsonl'), lines.map((l) => `${l}\n`).join(''))
  return repo
}

describe('git pare stats', () => {
  it('says no runs are recorded yet on a fresh repository', () => {
    const repo = makeRepo()
    dirs.push(repo)
    const text = runCli(['stats'], {cwd: repo})
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^No runs recorded yet\./)
    const json = runCli(['stats', '--json'], {cwd: repo})
    expect(JSON.parse(json.stdout)).toMatchObject({status: 0, result: {runs: 0, trend: null}, warnings: []})
  })

  it('prints totals, per-run averages, edit rates and the trend', () => {
    const lines = Array.from({length: 12}, (_, i) => line(i, i === 11 ? {outcome: 'failed', kind: 'step'} : {}))
    const repo = repoWithTelemetry([...lines, 'garbage'])
    const res = runCli(['stats'], {cwd: repo})
    expect(res.code).toBe(0)
    expect(res.stderr).toBe('warning: 1 unreadable line in the telemetry file skipped\n')
    expect(res.stdout).toContain('runs         12 (11 runs, 1 step) · 11 done, 1 failed')
    expect(res.stdout).toContain('tokens       55k in, 3.6k out · per run 4.5k in, 300 out')
    expect(res.stdout).toContain('tool calls   60 · 5 per run · 12 failed')
    expect(res.stdout).toContain('compression  25% of input tokens saved per run on average')
    expect(res.stdout).toContain('edits        edit_file 36/48 (75%)')
    expect(res.stdout).toContain('edit match   exact 24, trim 12')
    expect(res.stdout).toMatch(/trend {8}last 10 vs previous 2: tokens\/run 4\.7k vs 4\.0k \(\+15%\), tool calls\/run 5 vs 5 \(0%\)/)
  })

  it('filters with --kind and --last, and answers --json with the stats contract', () => {
    const repo = repoWithTelemetry([line(0), line(1, {kind: 'step'}), line(2, {kind: 'step', tokens_in: 9000})])
    const res = runCli(['stats', '--kind', 'step', '--last', '1', '--json'], {cwd: repo})
    expect(res.code).toBe(0)
    const out = JSON.parse(res.stdout) as {status: number; result: Record<string, unknown>}
    expect(out.status).toBe(0)
    expect(Object.keys(out.result).sort()).toEqual(['averages', 'cost', 'edit_levels', 'edits', 'first_ts', 'kinds', 'largest_request_max', 'last_ts', 'malformed', 'models', 'outcomes', 'peak_context_pct_max', 'runs', 'totals', 'trend'])
    expect(out.result).toMatchObject({runs: 1, kinds: {step: 1}, totals: {tokens_in: 9000}})
  })

  it('fails with one line outside a repository', () => {
    const dir = tempDir()
    dirs.push(dir)
    const res = runCli(['stats'], {cwd: dir})
    expect(res.code).toBe(3)
    expect(res.stderr).toMatch(/^error: not a git repository: .*\nhint: /)
  })
})
