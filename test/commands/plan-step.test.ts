import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it, onTestFinished} from 'vitest'
import {loadTokenCounter, type TokenCounter} from '../../src/core/context/tokenizer.js'
import {turn, type RecordedRequest, type ScriptedServer, type Turn} from '../support/model-server.js'
import {removeDir, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

const FILES = {
  'package.json': '{"name":"shop","type":"module"}\n',
  'src/user.ts': 'export interface User {\n  name: string\n}\n\nexport function getUser(id: number): User {\n  return {name: `user ${id}`}\n}\n',
  'src/api.ts': "import {getUser} from './user.js'\n\nexport function handle(id: number) {\n  return getUser(id).name\n}\n",
  'src/cli.ts': "import {getUser} from './user.js'\n\nconsole.log(getUser(1))\n",
}

const PLAN = {
  task: 'rename getUser to fetchUser',
  steps: [
    {description: 'Rename the definition', instruction: 'Rename function getUser to fetchUser in src/user.ts.', files: ['src/user.ts'], verify: {type: 'file_changed', path: 'src/user.ts'}, tool_budget: 4},
    {description: 'Update the API', instruction: 'Use fetchUser instead of getUser in src/api.ts.', files: ['handle'], verify: {type: 'pattern_absent', pattern: 'getUser', path: 'src/api.ts'}, tool_budget: 4},
    {description: 'Update the CLI', instruction: 'Use fetchUser instead of getUser in src/cli.ts.', files: ['src/cli.ts'], verify: {type: 'pattern_absent', pattern: 'getUser', path: 'src'}, tool_budget: 4},
  ],
}

const STEP_FILE = ['src/user.ts', 'src/api.ts', 'src/cli.ts']

type Msg = {role: string; content: string | null; tool_calls?: unknown[]}
const msgs = (r: RecordedRequest): Msg[] => r.body.messages
const isPlanner = (r: RecordedRequest) => String(msgs(r)[0]?.content).startsWith('You plan code changes')
const stepOf = (r: RecordedRequest) => Number(/Step (\d+) of/.exec(msgs(r).find((m) => m.role === 'user')?.content ?? '')?.[1] ?? 0)

/** A competent scripted model: plans, then does each step with one edit_file call and a short answer. */
function policy(root: string, overrides: Partial<Record<number, (r: RecordedRequest) => Turn>> = {}) {
  return (r: RecordedRequest): Turn => {
    if (isPlanner(r)) return turn.text(JSON.stringify(PLAN))
    const n = stepOf(r)
    if (overrides[n]) return overrides[n]!(r)
    if (msgs(r).some((m) => m.role === 'tool')) return turn.text(`step ${n} done`)
    const file = STEP_FILE[n - 1]!
    const text = readFileSync(path.join(root, file), 'utf8')
    const line = text.split('\n').find((l) => l.includes('getUser'))!
    return turn.tools([{name: 'edit_file', args: {path: file, old_str: line, new_str: line.replaceAll('getUser', 'fetchUser')}}])
  }
}

let counter: TokenCounter
beforeAll(async () => {
  counter = await loadTokenCounter('o200k_base')
})

async function setup(overrides?: Parameters<typeof policy>[1]) {
  const root = scopedRepo(FILES)
  const server = await scopedServer(policy(root, overrides))
  // One user across the calls: step approvals live in their state directory (under HOME), not in the repository.
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test'}
  const cli = (...args: string[]) => runCliAsync([...args, '--no-hooks'].filter((a) => !(a === '--no-hooks' && ['log', 'undo', 'redo', 'finish', 'abort', 'show', 'approve', 'edit', 'annotate'].includes(args[0] === 'plan' ? args[1]! : args[0]!))), {cwd: root, env, timeoutMs: CALL_MS})
  const raw = (...args: string[]) => runCliAsync(args, {cwd: root, env, timeoutMs: CALL_MS})
  return {root, server, cli, raw}
}

function stepRequests(s: ScriptedServer, n: number): RecordedRequest[] {
  return s.chatRequests().filter((r) => !isPlanner(r) && stepOf(r) === n)
}

// Many CLI calls each: generous on a busy machine (no timing is asserted).
const SLOW = 600_000
const CALL_MS = 300_000

describe('git pare plan / step / undo / finish (end to end)', () => {
  it('runs a 3-step plan in fresh contexts with carry-forward, then squashes it into the base branch', async () => {
    const {root, cli, raw, server: s} = await setup()
    const plan = await cli('plan', 'rename getUser to fetchUser', '--json')
    expect(plan.code, plan.stderr).toBe(0)
    const planJson = JSON.parse(plan.stdout)
    expect(planJson.result.plan.steps[1].files).toEqual(['src/api.ts']) // symbol resolved to its file
    expect((await raw('plan', 'approve', '--all')).code).toBe(0)
    const steps = await cli('step', '--all')
    expect(steps.code, steps.stderr).toBe(0)
    expect(sh(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe(`pare/${planJson.result.plan.id}`)
    expect(sh(root, ['log', '--format=%s', '-3'])).toBe('step 3: Update the CLI\nstep 2: Update the API\nstep 1: Rename the definition')
    expect(sh(root, ['log', '-1', '--format=%(trailers:key=Pare-Step,valueonly)'])).toBe('3')
    for (const n of [2, 3]) {
      const reqs = stepRequests(s, n)
      const all = JSON.stringify(reqs.map((r) => r.body.messages))
      expect(all).not.toContain('Rename function getUser to fetchUser in src/user.ts')
      expect(all).not.toContain('step 1 done')
      expect(all).toContain('modified src/user.ts [fetchUser')
    }
    for (const n of [1, 2, 3]) {
      const first = stepRequests(s, n)[0]!.body
      expect(counter.countMessages(first.messages, first.tools)).toBeLessThanOrEqual(2500)
    }
    const fin = await raw('finish')
    expect(fin.code, fin.stderr).toBe(0)
    expect(sh(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main')
    expect(sh(root, ['rev-list', '--count', 'main'])).toBe('2')
    expect(sh(root, ['diff', '--name-only', 'main~1', 'main'])).toBe('src/api.ts\nsrc/cli.ts\nsrc/user.ts')
    expect(sh(root, ['grep', '-c', 'fetchUser', '--', 'src'])).toContain('src/cli.ts:2')
    expect(sh(root, ['status', '--porcelain'])).toBe('')
    expect(sh(root, ['fsck', '--strict'])).not.toMatch(/error/)
  }, SLOW)

  it('retries a failed verification once, pauses the plan, and resumes with git pare step', async () => {
    let fixed = false
    const {root, cli, raw, server: s} = await setup({
      1: (r) => {
        if (msgs(r).some((m) => m.role === 'tool')) return turn.text('done')
        if (!fixed) return turn.tools([{name: 'bash', args: {command: 'true'}}])
        return turn.tools([{name: 'edit_file', args: {path: 'src/user.ts', old_str: 'getUser(id', new_str: 'fetchUser(id'}}])
      },
    })
    expect((await cli('plan', 'rename', '--yes')).code).toBe(0)
    const first = await cli('step')
    expect(first.code).toBe(1)
    expect(first.stdout).toMatch(/plan paused at step 1/)
    const reqs = stepRequests(s, 1)
    expect(reqs.some((r) => JSON.stringify(r.body.messages).includes('did not pass its check'))).toBe(true)
    const shown = JSON.parse((await raw('plan', 'show', '--json')).stdout).result
    expect(shown.status).toBe('paused')
    expect(shown.steps[0].status).toBe('failed')
    fixed = true
    const again = await cli('step')
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse((await raw('plan', 'show', '--json')).stdout).result.steps[0].status).toBe('done')
  }, SLOW)

  it('undo after step 2 restores the tree, the branch and the step status', async () => {
    const {root, cli, raw} = await setup()
    expect((await cli('plan', 'rename', '--yes')).code).toBe(0)
    expect((await cli('step')).code).toBe(0)
    const afterOne = sh(root, ['rev-parse', 'HEAD'])
    expect((await cli('step')).code).toBe(0)
    expect(readFileSync(path.join(root, 'src/api.ts'), 'utf8')).toContain('fetchUser')
    const undo = await raw('undo')
    expect(undo.code, undo.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'src/api.ts'), 'utf8')).toBe(FILES['src/api.ts'])
    expect(sh(root, ['rev-parse', 'HEAD'])).toBe(afterOne)
    const shown = JSON.parse((await raw('plan', 'show', '--json')).stdout).result
    expect(shown.steps.map((x: {status: string}) => x.status)).toEqual(['done', 'pending', 'pending'])
    expect(sh(root, ['status', '--porcelain'])).toBe('')
  }, SLOW)

  it('keeps a dirty work tree: the changes are committed on the scratch branch before step 1', async () => {
    const {root, cli} = await setup()
    writeFileSync(path.join(root, 'notes.txt'), 'my notes\n')
    writeFileSync(path.join(root, 'package.json'), '{"name":"shop","type":"module","private":true}\n')
    expect((await cli('plan', 'rename', '--yes')).code).toBe(0)
    const step = await cli('step')
    expect(step.code, step.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe('my notes\n')
    expect(readFileSync(path.join(root, 'package.json'), 'utf8')).toContain('private')
    expect(sh(root, ['log', '--format=%s', '-2'])).toMatch(/step 1: Rename the definition\npare: uncommitted changes before plan/)
    expect(sh(root, ['show', '--name-only', '--format=', 'HEAD'])).toBe('src/user.ts')
  }, SLOW)

  it('finish refuses when the base branch moved, and offers --rebase or --merge', async () => {
    const {root, cli, raw} = await setup()
    expect((await cli('plan', 'rename', '--yes')).code).toBe(0)
    expect((await cli('step', '--all')).code).toBe(0)
    const tree = sh(root, ['rev-parse', 'main^{tree}'])
    const moved = sh(root, ['commit-tree', tree, '-p', 'main', '-m', 'meanwhile'])
    sh(root, ['update-ref', 'refs/heads/main', moved])
    const fin = await raw('finish')
    expect(fin.code).toBe(3)
    expect(fin.stderr).toMatch(/main has moved since the plan started/)
    expect(fin.stderr).toMatch(/--rebase.*--merge/)
    const again = await raw('finish', '--rebase')
    expect(again.code, again.stderr).toBe(0)
    expect(sh(root, ['log', '--format=%s', '-3', 'main'])).toBe('rename\nmeanwhile\ninitial')
  }, SLOW)
})

describe('git pare plan / step: bad input', () => {
  it('a planner answering prose then invalid JSON fails clearly and stores nothing', async () => {
    const root = scopedRepo(FILES)
    const server = await scopedServer([turn.text('Sure! First I would look at the code.'), turn.text('{"task": "x", "steps": [')])
    const res = await runCliAsync(['plan', 'rename things'], {cwd: root, env: {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k'}})
    expect(res.code).toBe(4)
    expect(res.stderr).toMatch(/^error: the planner did not return a valid plan .*nothing was stored/m)
    expect(res.stderr).not.toMatch(/at .*\.js:\d+/)
    expect(server.chatRequests()).toHaveLength(2)
    expect(JSON.stringify(server.chatRequests()[1]!.body.messages)).toContain('That plan is invalid')
    expect(sh(root, ['for-each-ref', 'refs/parecode/'])).toBe('')
  }, SLOW)

  it('git pare step without an active plan points to git pare plan', async () => {
    const root = scopedRepo(FILES)
    const res = await runCliAsync(['step'], {cwd: root, env: {PARECODE_BASE_URL: 'http://127.0.0.1:9/v1', PARECODE_MODEL: 'm'}})
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/no active plan/)
    expect(res.stderr).toMatch(/git pare plan/)
  }, SLOW)

  it('a plan edited into invalid YAML is reported and the previous version kept', async () => {
    const {root, cli, raw} = await setup()
    expect((await cli('plan', 'rename')).code).toBe(0)
    const before = sh(root, ['for-each-ref', '--format=%(objectname)', 'refs/parecode/plans/'])
    const res = await runCliAsync(['plan', 'edit'], {cwd: root, env: {EDITOR: "printf 'task: [broken\\n' >"}})
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/invalid YAML/)
    expect(sh(root, ['for-each-ref', '--format=%(objectname)', 'refs/parecode/plans/'])).toBe(before)
    expect((await raw('plan', 'show')).code).toBe(0)
  }, SLOW)

  it('an unapproved step does not run', async () => {
    const {root, cli, server: s} = await setup()
    expect((await cli('plan', 'rename')).code).toBe(0)
    const res = await cli('step')
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/step 1 is not approved/)
    expect(stepRequests(s, 1)).toHaveLength(0)
    expect(existsSync(path.join(root, '.git/refs/heads/pare'))).toBe(false)
  }, SLOW)
})
