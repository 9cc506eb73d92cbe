import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {removeDir, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

type Step = {description: string; instruction: string; files: string[]; verify: unknown; tool_budget: number; after?: number[]}
type Msg = {role: string; content: string | null}
const msgs = (r: RecordedRequest): Msg[] => r.body.messages
const isPlanner = (r: RecordedRequest) => String(msgs(r)[0]?.content).startsWith('You plan code changes')
const stepOf = (r: RecordedRequest) => Number(/Step (\d+) of/.exec(msgs(r).find((m) => m.role === 'user')?.content ?? '')?.[1] ?? 0)
const userText = (r: RecordedRequest) => msgs(r).filter((m) => m.role === 'user').map((m) => m.content).join('\n')

const FILES = {'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n', 'README.md': '# demo\n'}

/** Step n writes writes[n] (path and content); plans `steps`. */
function policy(steps: Step[], writes: Record<number, [string, string]>) {
  return (r: RecordedRequest): Turn => {
    if (isPlanner(r)) return turn.text(JSON.stringify({task: 'edit files', steps}))
    const n = stepOf(r)
    if (msgs(r).some((m) => m.role === 'tool')) return turn.text(`step ${n} done`)
    const [file, content] = writes[n]!
    return turn.tools([{name: 'write_file', args: {path: file, content, overwrite: true}}])
  }
}

const step = (n: number, file: string, extra: Partial<Step> = {}): Step => ({description: `edit ${file} (${n})`, instruction: `Rewrite ${file}.`, files: [file], verify: {type: 'file_changed', path: file}, tool_budget: 4, ...extra})

const CALL_MS = 300_000
const SLOW = 900_000

async function setup(steps: Step[], writes: Record<number, [string, string]>) {
  const root = scopedRepo(FILES)
  const server = await scopedServer(policy(steps, writes))
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test'}
  const cli = (...args: string[]) => runCliAsync(args, {cwd: root, env, timeoutMs: CALL_MS})
  const made = await cli('plan', 'edit files', '--no-hooks')
  expect(made.code, made.stderr).toBe(0)
  expect((await cli('plan', 'approve', '--all')).code).toBe(0)
  return {root, server, cli, env}
}

const worktrees = (root: string) => sh(root, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree '))

function clean(root: string) {
  sh(root, ['fsck', '--strict'])
  expect(worktrees(root)).toHaveLength(1)
  // Only the plan's own branch: no step branch pare/<plan>-<n> is left behind.
  expect(sh(root, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/pare/']).split('\n')).toHaveLength(1)
}

describe('git pare step --all --jobs N', () => {
  it('runs three independent steps at once; the integrated branch has the sequential result, your checkout follows it', {timeout: SLOW}, async () => {
    const steps = [step(1, 'a.txt'), step(2, 'b.txt'), step(3, 'c.txt')]
    const writes: Record<number, [string, string]> = {1: ['a.txt', 'A\n'], 2: ['b.txt', 'B\n'], 3: ['c.txt', 'C\n']}
    const par = await setup(steps, writes)
    const res = await par.cli('step', '--all', '--jobs', '3', '--no-hooks', '--json')
    expect(res.code, res.stderr).toBe(0)
    const out = JSON.parse(res.stdout).result
    expect(out.plan_status).toBe('done')
    expect(out.steps.map((s: {n: number; ok: boolean}) => [s.n, s.ok])).toEqual([[1, true], [2, true], [3, true]])
    // Each step ran from the base: none saw another as done.
    for (const r of par.server.chatRequests().filter((r) => !isPlanner(r))) expect(userText(r)).not.toContain('Completed steps')
    const seq = await setup(steps, writes)
    const one = await seq.cli('step', '--all', '--no-hooks', '--json')
    expect(one.code, one.stderr).toBe(0)
    const branch = out.branch as string
    expect(sh(par.root, ['rev-parse', `${branch}^{tree}`])).toBe(sh(seq.root, ['rev-parse', `${JSON.parse(one.stdout).result.branch}^{tree}`]))
    // Linear, in plan order, one commit per step with its trailers, like a sequential run.
    expect(sh(par.root, ['log', '--format=%s', '-3', branch]).split('\n')).toEqual(['step 3: edit c.txt (3)', 'step 2: edit b.txt (2)', 'step 1: edit a.txt (1)'])
    expect(sh(par.root, ['rev-list', '--min-parents=2', branch])).toBe('')
    expect(sh(par.root, ['symbolic-ref', '--short', 'HEAD'])).toBe(branch)
    expect(sh(par.root, ['status', '--porcelain'])).toBe('')
    const shown = JSON.parse((await par.cli('plan', 'show', '--json')).stdout).result
    expect(shown.steps.map((s: {status: string; commit: string}) => s.status)).toEqual(['done', 'done', 'done'])
    expect(shown.steps[2].commit).toBe(sh(par.root, ['rev-parse', branch]))
    clean(par.root)
    // Undo takes back the last integrated step, as after a sequential one.
    const undo = await par.cli('undo')
    expect(undo.code, undo.stderr).toBe(0)
    expect(sh(par.root, ['show', 'HEAD:c.txt'])).toBe('c')
  })

  it('two steps touching one file keep their order; --jobs needs --all', {timeout: SLOW}, async () => {
    const steps = [step(1, 'a.txt'), step(2, 'a.txt', {description: 'edit a.txt again'}), step(3, 'b.txt')]
    const s = await setup(steps, {1: ['a.txt', 'one\n'], 2: ['a.txt', 'one\ntwo\n'], 3: ['b.txt', 'B\n']})
    const shown = await s.cli('plan', 'show')
    expect(shown.stdout).toMatch(/^order: 1 3 → 2 /m)
    expect(shown.stdout).toMatch(/2\. edit a\.txt again\n[^○]*runs after: 1 \(shared files\)/)
    const json = JSON.parse((await s.cli('plan', 'show', '--json')).stdout).result
    expect(json.steps.map((x: {deps: number[]}) => x.deps)).toEqual([[], [1], []])
    expect((await s.cli('step', '--jobs', '2', '--no-hooks')).code).toBe(2)
    const res = await s.cli('step', '--all', '--jobs', '3', '--no-hooks')
    expect(res.code, res.stderr).toBe(0)
    const second = s.server.chatRequests().find((r) => stepOf(r) === 2)!
    expect(userText(second)).toContain('step 1: edit a.txt (1)')
    expect(sh(s.root, ['show', 'HEAD:a.txt'])).toBe('one\ntwo')
    expect(sh(s.root, ['log', '--format=%s', '-3']).split('\n')).toEqual(['step 3: edit b.txt (3)', 'step 2: edit a.txt again', 'step 1: edit a.txt (1)'])
    clean(s.root)
  })

  it('a conflict pauses only its step; `git pare step <n>` then runs it on top of the integrated branch', {timeout: SLOW}, async () => {
    // Steps 1 and 3 say they touch different files, but both write c.txt: step 3 cannot be integrated after step 1.
    const steps = [step(1, 'c.txt'), step(2, 'b.txt'), step(3, 'a.txt', {verify: {type: 'none'}})]
    const s = await setup(steps, {1: ['c.txt', 'one\n'], 2: ['b.txt', 'B\n'], 3: ['c.txt', 'three\n']})
    const res = await s.cli('step', '--all', '--jobs', '3', '--no-hooks', '--json')
    expect(res.code, res.stderr).toBe(1)
    const out = JSON.parse(res.stdout).result
    expect(out.plan_status).toBe('paused')
    expect(out.steps.map((x: {n: number; ok: boolean}) => [x.n, x.ok])).toEqual([[1, true], [2, true], [3, false]])
    expect(out.steps[2].conflict).toEqual(['c.txt'])
    const plan = JSON.parse((await s.cli('plan', 'show', '--json')).stdout).result
    expect(plan.steps.map((x: {status: string}) => x.status)).toEqual(['done', 'done', 'failed'])
    expect(plan.steps[2].last_error).toMatch(/conflict with the steps integrated before it in c\.txt/)
    expect(sh(s.root, ['show', 'HEAD:c.txt'])).toBe('one')
    expect(sh(s.root, ['show', 'HEAD:b.txt'])).toBe('B')
    clean(s.root)
    const retry = await s.cli('step', '3', '--no-hooks')
    expect(retry.code, retry.stderr).toBe(0)
    expect(sh(s.root, ['show', 'HEAD:c.txt'])).toBe('three')
    expect(sh(s.root, ['log', '-1', '--format=%s'])).toBe('step 3: edit a.txt (3)')
    expect(JSON.parse((await s.cli('plan', 'show', '--json')).stdout).result.status).toBe('done')
    clean(s.root)
  })

  it('a hand edit with a cycle or a missing step is refused, naming the step', {timeout: SLOW}, async () => {
    const s = await setup([step(1, 'a.txt'), step(2, 'b.txt')], {})
    const edit = async (change: (yaml: string) => string) => {
      const dir = tempDir('pare-ed-')
      onTestFinished(() => removeDir(dir))
      const shown = JSON.parse((await s.cli('plan', 'show', '--json')).stdout).result
      const {planToYaml} = await import('../../src/core/plan/plan-yaml.js')
      const {approval, changed, deps, ...plan} = shown as Record<string, unknown>
      void approval, changed, deps
      const steps = (plan.steps as Record<string, unknown>[]).map(({approval: _a, changed: _c, deps: _d, ...x}) => x)
      writeFileSync(path.join(dir, 'new.yaml'), change(planToYaml({...plan, steps} as never)))
      writeFileSync(path.join(dir, 'ed.sh'), `cp "${path.join(dir, 'new.yaml')}" "$1"\n`)
      return runCliAsync(['plan', 'edit'], {cwd: s.root, env: {...s.env, EDITOR: `sh ${path.join(dir, 'ed.sh')}`}, timeoutMs: CALL_MS})
    }
    const cycle = await edit((y) => y.replace(/(description: edit a\.txt \(1\)\n)/, '$1    after:\n      - 2\n').replace(/(description: edit b\.txt \(2\)\n)/, '$1    after:\n      - 1\n'))
    expect(cycle.code, cycle.stdout).toBe(2)
    expect(cycle.stderr).toMatch(/steps\[0\]\.after: steps 1 → 2 → 1 wait for each other \(a cycle\)/)
    const missing = await edit((y) => y.replace(/(description: edit b\.txt \(2\)\n)/, '$1    after:\n      - 7\n'))
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/steps\[1\]\.after: step 7 does not exist \(the plan has steps 1\.\.2\)/)
    const fine = await edit((y) => y.replace(/(description: edit a\.txt \(1\)\n)/, '$1    after:\n      - 2\n'))
    expect(fine.code, fine.stderr).toBe(0)
    const plan = JSON.parse((await s.cli('plan', 'show', '--json')).stdout).result
    expect(plan.steps[0].after).toEqual([2])
    expect(plan.steps.map((x: {deps: number[]}) => x.deps)).toEqual([[2], []])
  })
})
