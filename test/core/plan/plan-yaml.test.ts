import {describe, expect, it} from 'vitest'
import {parsePlanYaml, planFromYaml, planToYaml} from '../../../src/core/plan/plan-yaml.js'
import type {Plan} from '../../../src/core/plan/schema.js'

// plan.yaml may come from a remote: every hostile shape is a one-line reason, never an exception or a hang.
const GOOD = 'id: p1\ntask: t\nsteps:\n  - description: d\n    instruction: i\n'
const reason = (text: string) => {
  const res = parsePlanYaml(text)
  return 'problem' in res ? res.problem.reason : 'ok'
}

describe('parsePlanYaml on untrusted text', () => {
  it('accepts a plan and what planToYaml writes, even when objects repeat (no aliases written)', () => {
    expect(reason(GOOD)).toBe('ok')
    const verify = {type: 'file_changed' as const}
    const step = {description: 'd', instruction: 'i', files: [], verify, tool_budget: 3, status: 'pending' as const, approved: false}
    const plan: Plan = {id: 'p1', task: 't', status: 'draft', created_at: 'x', steps: [step, {...step, verify}]}
    expect(planToYaml(plan)).not.toMatch(/[&*]\w/)
    expect(planFromYaml(planToYaml(plan))).toEqual(plan)
  })

  it('refuses aliases (billion laughs), deep nesting, huge documents and non-mappings', () => {
    const laughs = `${GOOD}a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n`
    expect(reason(laughs)).toMatch(/aliases/)
    expect(reason(`task: &t x\nid: p1\nsteps: [{description: *t, instruction: i}]\n`)).toMatch(/aliases/)
    expect(reason(`${GOOD}x: ${'['.repeat(200_000)}`)).toMatch(/nests deeper than 64/)
    expect(reason(`${GOOD}x: ${'{a: '.repeat(1000)}`)).toMatch(/nests deeper/)
    expect(reason(`${GOOD}x: ${'y'.repeat(300 * 1024)}\n`)).toMatch(/larger than 256 KB/)
    for (const t of ['- a\n- b\n', 'just text\n', '42\n', '', 'null\n']) expect(reason(t)).toMatch(/expected a plan object/)
    expect(reason('id: p1\nid: p2\ntask: t\nsteps: [{description: d, instruction: i}]\n')).toMatch(/invalid YAML/)
  })

  it('refuses fields the runner would trust: another branch, an option as base branch, odd ids, bad bookkeeping', () => {
    expect(reason(`${GOOD}branch: main\n`)).toMatch(/branch must be pare\/p1/)
    expect(reason(`${GOOD}branch: pare/p1\n`)).toBe('ok')
    expect(reason(`${GOOD}base: {branch: --orphan=x, commit: ${'a'.repeat(40)}}\n`)).toMatch(/base\.branch is not a branch name/)
    expect(reason(`${GOOD}base: {branch: main, commit: HEAD~3}\n`)).toMatch(/base\.commit/)
    expect(reason(GOOD.replace('id: p1', 'id: ../../heads/main'))).toMatch(/not a valid plan id/)
    expect(reason(`${GOOD}    summary: {evil: true}\n`)).toMatch(/summary/)
    expect(reason(`${GOOD}    commit: "; rm -rf /"\n`)).toMatch(/commit id/)
    expect(reason(`${GOOD}tokens: lots\n`)).toMatch(/tokens/)
    expect(reason(`${GOOD}estimate: {tokens_low: 1}\n`)).toMatch(/estimate/)
  })

  it('control characters in the reason are escaped (it is printed on a terminal)', () => {
    expect(reason('id: p1\ntask: t\nsteps: [{description: "\u001b]52;c;aGk=\u0007", instruction: 3}]\n')).not.toMatch(/\u001b/)
  })
})
