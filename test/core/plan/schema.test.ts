import {describe, expect, it} from 'vitest'
import {validatePlanInput} from '../../../src/core/plan/schema.js'
import {planFromYaml, planToYaml} from '../../../src/core/plan/plan-yaml.js'
import {modelFor, routeFor} from '../../../src/core/plan/routes.js'
import {estimatePlan, formatEstimate} from '../../../src/core/plan/estimate.js'

const good = {
  task: 'rename foo',
  steps: [
    {description: 'rename in a.ts', instruction: 'rename foo to bar in a.ts', files: ['a.ts'], verify: {type: 'pattern_absent', pattern: 'foo'}, tool_budget: 4},
    {description: 'tests', instruction: 'run the tests', files: [], verify: {command: 'npm test'}, tool_budget: 6},
  ],
}

describe('validatePlanInput', () => {
  it('accepts a valid plan and normalises verify shapes', () => {
    const v = validatePlanInput(good)
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(v.steps[1]!.verify).toEqual({type: 'command_success', command: 'npm test'})
    expect(v.steps.every((s) => s.status === 'pending' && !s.approved)).toBe(true)
  })

  it('accepts verify written as a string or in CamelCase', () => {
    const v = validatePlanInput({task: 't', steps: [{description: 'd', instruction: 'i', verify: 'FileChanged'}, {description: 'd', instruction: 'i', verify: {type: 'BuildSuccess'}}]})
    expect(v.ok && v.steps.map((s) => s.verify.type)).toEqual(['file_changed', 'build_success'])
  })

  it('collects every error so one retry can fix them all', () => {
    const v = validatePlanInput({task: '', steps: [{description: '', instruction: 'x', files: 'a.ts', tool_budget: 0, verify: {type: 'pattern_absent'}}]})
    expect(v.ok).toBe(false)
    if (v.ok) return
    expect(v.errors).toEqual(
      expect.arrayContaining([
        'task: a non-empty string is required',
        'steps[0].description: a non-empty string is required',
        'steps[0].files: an array of strings is required',
        'steps[0].tool_budget: an integer from 1 to 100 is required',
        'steps[0].verify.pattern is required for pattern_absent',
      ]),
    )
  })

  it('rejects non-objects and empty step lists', () => {
    expect(validatePlanInput('prose').ok).toBe(false)
    expect(validatePlanInput({task: 't', steps: []}).ok).toBe(false)
  })
})

describe('plan yaml', () => {
  it('round-trips', () => {
    const v = validatePlanInput(good)
    if (!v.ok) throw new Error('invalid')
    const plan = {id: 'p1', task: v.task, status: 'draft' as const, created_at: '2026-01-01T00:00:00Z', steps: v.steps}
    expect(planFromYaml(planToYaml(plan))).toEqual(plan)
  })

  it('reports invalid YAML with its line', () => {
    expect(() => planFromYaml('id: p\ntask: t\nsteps:\n  - description: [unclosed\n')).toThrow(/plan\.yaml:\d+: invalid YAML/)
  })

  it('reports an invalid plan field', () => {
    expect(() => planFromYaml('id: p\ntask: t\nsteps: []\n')).toThrow(/steps: a non-empty array is required/)
  })
})

describe('routes and estimate', () => {
  const v = validatePlanInput(good)
  if (!v.ok) throw new Error('invalid')
  it('routes small single-file steps to quick, others to standard', () => {
    expect(routeFor(v.steps[0]!)).toBe('quick')
    expect(routeFor(v.steps[1]!)).toBe('standard')
    expect(modelFor(v.steps[0]!, {quick: 'small'}, 'big')).toEqual({route: 'quick', model: 'small'})
    expect(modelFor(v.steps[1]!, {quick: 'small'}, 'big')).toEqual({route: 'standard', model: 'big'})
  })

  it('estimates deterministically, with USD only when rates are known', () => {
    const e = estimatePlan(v.steps, () => 4000)
    expect(e.tokens_low).toBeGreaterThan(0)
    expect(e.tokens_high).toBeGreaterThanOrEqual(e.tokens_low)
    expect(e.usd_low).toBeUndefined()
    const r = estimatePlan(v.steps, () => 4000, {input: 1, output: 2})
    expect(r.usd_high).toBeGreaterThan(0)
    expect(formatEstimate(r)).toMatch(/^est\. .*tokens · ~\$/)
  })
})
