import {describe, expect, it} from 'vitest'
import {afterErrors, readySteps, runOrder, stepDeps} from '../../../src/core/plan/deps.js'
import {parsePlanYaml} from '../../../src/core/plan/plan-yaml.js'
import {validatePlanInput, type PlanStep} from '../../../src/core/plan/schema.js'

const step = (files: string[], extra: Partial<PlanStep> = {}): PlanStep => ({description: 'd', instruction: 'i', files, verify: {type: 'none'}, tool_budget: 5, status: 'pending', approved: false, ...extra})

describe('step order', () => {
  it('steps with disjoint files are independent; a shared file keeps plan order', () => {
    const steps = [step(['a.ts']), step(['b.ts']), step(['a.ts', 'c.ts']), step(['./c.ts'])]
    expect(stepDeps({steps})).toEqual([[], [], [1], [3]])
    expect(readySteps({steps})).toEqual([1, 2])
    steps[0]!.status = 'done'
    expect(readySteps({steps})).toEqual([2, 3])
  })

  it('a folder overlaps the files under it, and a step without files waits for (and is waited for by) every earlier step', () => {
    const steps = [step(['src/']), step(['src/a.ts']), step([]), step(['docs/x.md'])]
    expect(stepDeps({steps})).toEqual([[], [1], [2], [3]])
  })

  it('after replaces the inferred order and may point forward; implied waits are left out', () => {
    const steps = [step(['a.ts'], {after: [3]}), step(['a.ts']), step(['b.ts']), step(['z.ts'], {after: [1, 3]})]
    // Step 2 shares a.ts with step 1: it waits for 1 (and so for 3), shown as the direct wait only.
    expect(stepDeps({steps})).toEqual([[3], [1], [], [1]])
    expect(readySteps({steps})).toEqual([3])
    expect(runOrder({steps})).toEqual([2, 0, 1, 3])
  })

  it('an inferred wait that would close a loop with an explicit one is dropped', () => {
    const steps = [step(['a.ts'], {after: [2]}), step(['a.ts'])]
    expect(stepDeps({steps})).toEqual([[2], []])
    expect(afterErrors(steps)).toEqual([])
  })

  it('refuses a missing step, a step after itself and a cycle, naming the step', () => {
    expect(afterErrors([step([], {after: [5]}), step([])])).toEqual(['steps[0].after: step 5 does not exist (the plan has steps 1..2)'])
    expect(afterErrors([step([]), step([], {after: [2]})])).toEqual(['steps[1].after: step 2 cannot run after itself'])
    expect(afterErrors([step([]), step([], {after: [3]}), step([], {after: [2]})])[0]).toMatch(/^steps\[1\]\.after: steps 2 → 3 → 2 wait for each other \(a cycle\)/)
  })

  it('validation (planner output and hand edits) refuses them too; a plan without after keeps plan order for --all', () => {
    const base = {task: 't', steps: [{description: 'a', instruction: 'a', after: [2]}, {description: 'b', instruction: 'b', after: [1]}]}
    const v = validatePlanInput(base)
    expect(v.ok).toBe(false)
    expect(!v.ok && v.errors[0]).toMatch(/steps\[0\]\.after: steps 1 → 2 → 1/)
    expect(validatePlanInput({task: 't', steps: [{description: 'a', instruction: 'a', after: 'first'}]})).toMatchObject({ok: false, errors: ['steps[0].after: a list of step numbers is required, like [1, 2]']})
    const yaml = 'id: p1\ntask: t\nstatus: draft\ncreated_at: x\nsteps:\n  - {description: a, instruction: a, files: [], after: [3]}\n'
    const res = parsePlanYaml(yaml)
    expect('problem' in res && res.problem.reason).toBe('steps[0].after: step 3 does not exist (the plan has steps 1..1)')
    const ok = validatePlanInput({task: 't', steps: [{description: 'a', instruction: 'a', files: ['x']}, {description: 'b', instruction: 'b', files: ['y'], after: [1, 1]}]})
    expect(ok.ok && ok.steps[1]!.after).toEqual([1])
    expect(runOrder({steps: [step([]), step(['a']), step(['b'])]})).toEqual([0, 1, 2])
  })
})
