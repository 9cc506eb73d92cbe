import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
// The replay runs on the built code (npm test builds first), exactly as `npm run bench` does.
// @ts-expect-error plain .mjs benchmark module
import {runAll} from '../../benchmarks/tokens/scenarios.mjs'

interface Row {
  name: string
  total_input: number
  largest_request: number
  tool_calls: number
  raw_tool_output: number
  stop: string
}

const baseline = JSON.parse(readFileSync(new URL('../../benchmarks/baseline.json', import.meta.url), 'utf8')) as {scenarios: Record<string, {total_input: number}>}

describe('token replay against benchmarks/baseline.json', () => {
  it('no scenario grows more than 10% over its baseline, and the exploration stays small', async () => {
    const rows = (await runAll()) as Row[]
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(baseline.scenarios).sort())
    for (const r of rows) {
      expect(r.stop, r.name).toBe('done')
      expect(r.total_input, `${r.name}: ${r.total_input} tokens vs baseline ${baseline.scenarios[r.name]!.total_input}`).toBeLessThanOrEqual(Math.floor(baseline.scenarios[r.name]!.total_input * 1.1))
    }
    const explore = rows.find((r) => r.name === 'explore-200')!
    expect(explore.tool_calls).toBe(20)
    expect(explore.raw_tool_output).toBeGreaterThan(40_000)
    expect(explore.largest_request).toBeLessThan(8000)
  })
})
