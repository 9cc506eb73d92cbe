import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {removeDir, runCliAsync, sh, tempDir} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// What a plan cannot start from is refused before anything is asked of the model (no request at all reaches the
// server); a task that looks like a mistyped subcommand is refused off a terminal; every plan command takes --plan.

const PLAN = {task: 'shout', steps: [{description: 'Shout a', instruction: 'Uppercase a.txt', files: ['a.txt'], verify: {type: 'file_changed', path: 'a.txt'}, tool_budget: 3}]}

function policy(r: RecordedRequest): Turn {
  const msgs = r.body.messages as Array<{role: string; content: string | null}>
  if (String(msgs[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
  if (msgs.some((m) => m.role === 'tool')) return turn.text('ok')
  return turn.tools([{name: 'write_file', args: {path: 'a.txt', content: 'A\n', overwrite: true}}])
}

async function setup(files: Record<string, string> = {'a.txt': 'a\n'}, opts: {commit?: boolean} = {}) {
  const root = scopedRepo(files, opts)
  const server = await scopedServer(policy)
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k'}
  const pare = (...args: string[]) => runCliAsync(args, {cwd: root, env, timeoutMs: CALL_MS})
  return {root, server, pare}
}

/** One error line and one hint line, nothing else (no usage dump, no stack). */
function oneLine(stderr: string, error: RegExp, hint: RegExp): void {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('warning: '))
  expect(lines, stderr).toHaveLength(2)
  expect(lines[0]).toMatch(/^error: /)
  expect(lines[0]).toMatch(error)
  expect(lines[1]).toMatch(/^hint: /)
  expect(lines[1]).toMatch(hint)
}

const SLOW = 600_000
const CALL_MS = 300_000

describe('plan and step refuse early, before any model call', () => {
  it('an empty repository, a branch without commits and a detached HEAD: exit 3 with a hint, nothing sent, nothing written', async () => {
    const {root, server, pare} = await setup({'a.txt': 'a\n'}, {commit: false})
    for (const cmd of [['plan', 'shout things'], ['step']]) {
      const res = await pare(...cmd)
      expect(res.code, res.stderr).toBe(3)
      oneLine(res.stderr, /this repository has no commits yet/, /make a first commit/)
    }
    sh(root, ['add', '-A'])
    sh(root, ['commit', '-q', '-m', 'initial'])
    sh(root, ['checkout', '-q', '--orphan', 'fresh'])
    for (const cmd of [['plan', 'shout things'], ['step']]) {
      const res = await pare(...cmd)
      expect(res.code, res.stderr).toBe(3)
      oneLine(res.stderr, /the branch fresh has no commits yet/, /switch to a branch that has commits/)
    }
    sh(root, ['checkout', '-q', '-f', 'main'])
    sh(root, ['switch', '-q', '--detach'])
    const plan = await pare('plan', 'shout things', '--json')
    expect(plan.code).toBe(3)
    expect(JSON.parse(plan.stdout)).toMatchObject({status: 3, error: {code: 'detached_head'}})
    const step = await pare('step')
    expect(step.code).toBe(3)
    oneLine(step.stderr, /HEAD is detached at [0-9a-f]{7}: a plan starts from a branch/, /git switch pare\/<plan-id>/)
    expect(server.requests).toHaveLength(0)
    // Nothing was written either: no refs, no detected hooks file.
    expect(sh(root, ['for-each-ref', 'refs/parecode/'])).toBe('')
    expect(sh(root, ['status', '--porcelain', '--untracked-files=all'])).toBe('')
  }, SLOW)

  it('a one-word task near a plan subcommand is refused off a terminal (exit 2, with the hint); a real one-word task plans', async () => {
    const {server, pare} = await setup()
    for (const [typo, meant] of [['shw', 'show'], ['aprove', 'approve'], ['anotate', 'annotate'], ['edti', 'edit'], ['sho', 'show']]) {
      const res = await pare('plan', typo!)
      expect(res.code, res.stderr).toBe(2)
      oneLine(res.stderr, new RegExp(`"${typo}" looks like a mistyped subcommand: did you mean \`git pare plan ${meant}\`\\?`), /say more than one word/)
    }
    const json = await pare('plan', 'shw', '--json')
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({status: 2, error: {code: 'mistyped_subcommand'}})
    expect(server.requests).toHaveLength(0)
    const real = await pare('plan', 'refactor', '--no-hooks')
    expect(real.code, real.stderr).toBe(0)
    expect(server.chatRequests()).toHaveLength(1)
  }, SLOW)
})

describe('--plan <id> on every command that acts on a plan', () => {
  it('an unknown id is one line with a hint (exit 2); a known one is acted on even when it is not the active plan', async () => {
    const {root, pare} = await setup()
    const first = JSON.parse((await pare('plan', 'shout a', '--no-hooks', '--json')).stdout).result.plan.id as string
    const second = JSON.parse((await pare('plan', 'shout it again', '--no-hooks', '--json')).stdout).result.plan.id as string
    expect(second).not.toBe(first)
    for (const cmd of [['step'], ['finish'], ['abort'], ['plan', 'show'], ['plan', 'edit'], ['plan', 'annotate', '1', 'note'], ['plan', 'approve', '--all']]) {
      const res = await pare(...cmd, '--plan', 'no-such-plan')
      expect(res.code, `${cmd.join(' ')}: ${res.stderr}`).toBe(2)
      oneLine(res.stderr, /no plan "no-such-plan"/, /git pare log/)
    }
    const bad = await pare('plan', 'show', '--plan', '../escape')
    expect(bad.code).toBe(2)
    oneLine(bad.stderr, /invalid plan id/, /letters, digits/)
    // The first plan, not the active one: annotate, approve, show, then run it.
    expect((await pare('plan', 'annotate', '1', 'keep it short', '--plan', first)).code).toBe(0)
    expect((await pare('plan', 'approve', '--all', '--plan', first)).code).toBe(0)
    const shown = JSON.parse((await pare('plan', 'show', '--plan', first, '--json')).stdout).result
    expect(shown).toMatchObject({id: first, steps: [{annotation: 'keep it short', approval: 'approved'}]})
    expect(JSON.parse((await pare('plan', 'show', '--json')).stdout).result.steps[0].approval).toBe('unapproved')
    const step = await pare('step', '--plan', first, '--no-hooks')
    expect(step.code, step.stderr).toBe(0)
    expect(sh(root, ['symbolic-ref', '--short', 'HEAD'])).toBe(`pare/${first}`)
    expect(JSON.parse((await pare('plan', 'show', '--json')).stdout).result.id).toBe(first)
    // While it is in progress, the other plan cannot start.
    const other = await pare('step', '--plan', second, '--no-hooks')
    expect(other.code).toBe(3)
    oneLine(other.stderr, new RegExp(`plan ${first} is in progress on pare/${first}`), /git pare finish.*git pare abort/)
    const abort = await pare('abort', '--plan', first)
    expect(abort.code, abort.stderr).toBe(0)
    const again = await pare('abort', '--plan', first)
    expect(again.code).toBe(2)
    oneLine(again.stderr, /plan [\w-]+ is already aborted/, /git pare plan/)
  }, SLOW)
})
