import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {teamRemote} from '../support/remote-refs.js'
import {gitEnv, projectRoot, removeDir, runCliAsync, sh, tempDir, type CliResult} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// Workers on clones of one bare remote, talking to one loopback model. No timing is asserted: waits are generous.
const SLOW = 600_000
const CALL_MS = 300_000

const FILES = {'a.txt': 'alpha\n', 'b.txt': 'beta\n', 'c.txt': 'gamma\n', 'README.md': '# demo\n'}
const EDITS: Record<number, {path: string; from: string; to: string}> = {
  1: {path: 'a.txt', from: 'alpha', to: 'ALPHA'},
  2: {path: 'b.txt', from: 'beta', to: 'BETA'},
  3: {path: 'c.txt', from: 'gamma', to: 'GAMMA'},
  // Only possible on top of step 1: its worktree must start from the plan's base with step 1 applied.
  4: {path: 'a.txt', from: 'ALPHA', to: 'ALPHA!'},
}
const step = (n: number, extra: Record<string, unknown> = {}) => ({description: `Edit ${EDITS[n]!.path} (${n})`, instruction: `Replace ${EDITS[n]!.from} with ${EDITS[n]!.to} in ${EDITS[n]!.path}.`, files: [EDITS[n]!.path], verify: {type: 'file_changed', path: EDITS[n]!.path}, tool_budget: 4, ...extra})
const PLAN4 = {task: 'shout the words', steps: [step(1), step(2), step(3), step(4, {after: [1]})]}

type Msg = {role: string; content: string | null}
const msgs = (r: RecordedRequest): Msg[] => r.body.messages
const isPlanner = (r: RecordedRequest) => String(msgs(r)[0]?.content).startsWith('You plan code changes')
const stepOf = (r: RecordedRequest) => Number(/Step (\d+) of/.exec(msgs(r).find((m) => m.role === 'user')?.content ?? '')?.[1] ?? 0)
const firstOfRun = (r: RecordedRequest) => !isPlanner(r) && !msgs(r).some((m) => m.role === 'tool')

function policy(plan: object, hold?: (r: RecordedRequest) => Promise<void> | undefined) {
  return async (r: RecordedRequest): Promise<Turn> => {
    if (isPlanner(r)) return turn.text(JSON.stringify(plan))
    const n = stepOf(r)
    if (!firstOfRun(r)) return turn.text(`step ${n} done`)
    const wait = hold?.(r)
    if (wait) await wait
    const e = EDITS[n]!
    return turn.tools([{name: 'edit_file', args: {path: e.path, old_str: e.from, new_str: e.to}}])
  }
}

interface Clone {
  dir: string
  home: string
  cli: (...args: string[]) => Promise<CliResult>
}

async function team(plan: object, hold?: (r: RecordedRequest) => Promise<void> | undefined) {
  const first = scopedRepo(FILES)
  const {bare, teammate} = teamRemote(first)
  const server = await scopedServer(policy(plan, hold))
  const clone = (dir: string): Clone => {
    const home = tempDir('pare-home-')
    onTestFinished(() => removeDir(home))
    const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test'}
    return {dir, home, cli: (...args) => runCliAsync(args, {cwd: dir, env, timeoutMs: CALL_MS})}
  }
  const a = clone(first)
  const b = clone(teammate)
  const made = await a.cli('plan', plan === PLAN4 ? 'shout the words' : 'task', '--yes', '--no-hooks', '--json')
  expect(made.code, made.stderr).toBe(0)
  const id = JSON.parse(made.stdout).result.plan.id as string
  const pushed = await a.cli('push')
  expect(pushed.code, pushed.stderr).toBe(0)
  return {a, b, bare, server, id}
}

const runsOf = (reqs: RecordedRequest[], n: number) => reqs.filter((r) => firstOfRun(r) && stepOf(r) === n).length
const remotePlan = (bare: string, id: string) => sh(bare, ['show', `refs/parecode/plans/${id}:plan.yaml`])
const fsckClean = (dir: string) => expect(sh(dir, ['fsck', '--strict', '--no-progress'])).not.toMatch(/error|warning/)

describe('git pare work', () => {
  it('two workers on two clones race for one plan: every step runs exactly once, the dependent step builds on its dependency, both exit 0, and finish integrates it elsewhere', async () => {
    const {a, b, bare, server, id} = await team(PLAN4)
    const pulled = await b.cli('pull')
    expect(pulled.code, pulled.stderr).toBe(0)
    expect((await b.cli('plan', 'approve', '--all', '--plan', id)).code).toBe(0)
    const [ra, rb] = await Promise.all([a.cli('work', '--plan', id, '--jobs', '2', '--no-hooks', '--json'), b.cli('work', '--plan', id, '--jobs', '2', '--no-hooks', '--json')])
    expect(ra.code, ra.stderr).toBe(0)
    expect(rb.code, rb.stderr).toBe(0)
    const ja = JSON.parse(ra.stdout).result
    const jb = JSON.parse(rb.stdout).result
    const ran = [...ja.steps, ...jb.steps].filter((s: {recorded: boolean}) => s.recorded).map((s: {n: number}) => s.n).sort()
    expect(ran).toEqual([1, 2, 3, 4])
    for (const n of [1, 2, 3, 4]) expect(runsOf(server.chatRequests(), n), `step ${n}`).toBe(1)
    // The remote: every step done, where it ran recorded, one branch per step with one commit on its base, no claim left.
    const yaml = remotePlan(bare, id)
    expect(yaml.match(/status: done/g)?.length).toBe(5)
    expect(yaml).toMatch(/ran:\n\s+by: \S+\n\s+host: \S+/)
    expect(sh(bare, ['for-each-ref', '--format=%(refname)', 'refs/parecode/claims/'])).toBe('')
    const base = sh(bare, ['rev-parse', 'main'])
    for (const n of [1, 2, 3]) expect(sh(bare, ['rev-list', '--count', `${base}..pare/${id}-${n}`])).toBe('1')
    expect(sh(bare, ['show', `pare/${id}-4:a.txt`])).toBe('ALPHA!')
    expect(sh(bare, ['log', '--format=%s', `${base}..pare/${id}-4`])).toBe(`step 4: Edit a.txt (4)\nstep 1: Edit a.txt (1)`)
    // plan show on the worker's clone says where each step ran.
    const shown = JSON.parse((await b.cli('plan', 'show', '--plan', id, '--json')).stdout).result
    expect(shown.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'done', 'done', 'done'])
    expect(shown.steps[0].ran.host).toBeTruthy()
    // A third look from the plan's author: pull, then finish integrates the workers' branches into main.
    expect((await a.cli('pull')).code).toBe(0)
    const fin = await a.cli('finish', '--plan', id)
    expect(fin.code, fin.stderr).toBe(0)
    expect(sh(a.dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main')
    expect(readFileSync(path.join(a.dir, 'a.txt'), 'utf8')).toBe('ALPHA!\n')
    expect(readFileSync(path.join(a.dir, 'b.txt'), 'utf8')).toBe('BETA\n')
    expect(readFileSync(path.join(a.dir, 'c.txt'), 'utf8')).toBe('GAMMA\n')
    expect(sh(a.dir, ['status', '--porcelain'])).toBe('')
    for (const dir of [a.dir, b.dir, bare]) fsckClean(dir)
  }, SLOW)

  it('a worker SIGKILLed mid-step has its claim taken over once the lease runs out, and the plan still completes', async () => {
    let release!: () => void
    const stuck = new Promise<void>((r) => (release = r))
    onTestFinished(() => release())
    let held = 0
    let seen!: () => void
    const reached = new Promise<void>((r) => (seen = r))
    // The first run of step 1 never gets its answer: its worker is killed while it waits.
    const plan = {task: 'two steps', steps: [step(1), step(2)]}
    const {a, b, bare, server, id} = await team(plan, (r) => {
      if (stepOf(r) !== 1 || held++ > 0) return undefined
      seen()
      return stuck
    })
    const env = {...process.env, ...gitEnv, HOME: a.home, XDG_CONFIG_HOME: path.join(a.home, '.config'), XDG_STATE_HOME: path.join(a.home, '.local/state'), NO_COLOR: '1', PARECODE_NO_OLLAMA_PROBE: '1', PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test'}
    // Its own process group, so the kill takes every git it started too.
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/run.js'), 'work', '--plan', id, '--lease', '2s', '--no-hooks'], {cwd: a.dir, env, detached: true, stdio: 'ignore'})
    const exited = new Promise<void>((r) => child.on('exit', () => r()))
    await reached
    process.kill(-child.pid!, 'SIGKILL')
    await exited
    expect(sh(bare, ['for-each-ref', '--format=%(refname)', 'refs/parecode/claims/'])).toBe(`refs/parecode/claims/${id}/1`)
    const work = await b.cli('work', '--plan', id, '--trust-plan', id, '--lease', '2s', '--no-hooks')
    expect(work.code, work.stderr).toBe(0)
    expect(work.stderr).toMatch(/delegating plan/)
    expect(work.stderr).toMatch(/claimed step 1: .*taken over from/)
    expect(runsOf(server.chatRequests(), 1)).toBe(2)
    expect(runsOf(server.chatRequests(), 2)).toBe(1)
    const yaml = remotePlan(bare, id)
    expect(yaml.match(/status: done/g)?.length).toBe(3)
    expect(sh(bare, ['show', `pare/${id}-1:a.txt`])).toBe('ALPHA')
    expect(sh(bare, ['for-each-ref', '--format=%(refname)', 'refs/parecode/claims/'])).toBe('')
    // The dead worker's clone: its leftover worktree does not break the repository.
    expect(sh(a.dir, ['worktree', 'prune'])).toBe('')
    for (const dir of [a.dir, b.dir, bare]) fsckClean(dir)
  }, SLOW)

  it('a step neither approved here nor delegated is skipped with a note and never run', async () => {
    const plan = {task: 'two steps', steps: [step(1), step(2)]}
    const {b, bare, server, id} = await team(plan)
    expect((await b.cli('pull')).code).toBe(0)
    expect((await b.cli('plan', 'approve', '1', '--plan', id)).code).toBe(0)
    const work = await b.cli('work', '--plan', id, '--no-hooks', '--json')
    expect(work.code, work.stderr).toBe(0)
    const res = JSON.parse(work.stdout)
    expect(res.result.steps.map((s: {n: number}) => s.n)).toEqual([1])
    expect(res.result.skipped).toEqual([{n: 2, reason: expect.stringMatching(/step 2 is not approved here; skipped/)}])
    expect(res.warnings.join('\n')).toMatch(/step 2 is not approved here/)
    expect(runsOf(server.chatRequests(), 2)).toBe(0)
    expect(remotePlan(bare, id)).toMatch(/Edit b.txt \(2\)[\s\S]*status: pending/)
    // The plan changing after --trust-plan printed it: the pinned hash no longer matches, nothing runs.
    const shown = await b.cli('work', '--plan', id, '--trust-plan', `${id}@000000000000`, '--no-hooks')
    expect(shown.code).toBe(2)
    expect(shown.stderr).toMatch(/changed since it was shown/)
    expect(runsOf(server.chatRequests(), 2)).toBe(0)
    fsckClean(bare)
  }, SLOW)
})
