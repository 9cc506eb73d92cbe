import {describe, expect, it, onTestFinished} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {pushRawRef, teamRemote} from '../support/remote-refs.js'
import {removeDir, runCliAsync, sh, tempDir, type CliResult} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// Malformed data pulled from a remote: a YAML bomb, deep nesting, a huge or non-mapping plan.yaml, a plan that fails
// the schema, a broken chat.jsonl. Each gives one line naming the ref, and the rest of git-pare keeps working.

const PLAN = {task: 'shout', steps: [{description: 'Shout a', instruction: 'Uppercase a.txt', files: ['a.txt'], verify: {type: 'file_changed', path: 'a.txt'}, tool_budget: 3}]}

function policy(r: RecordedRequest): Turn {
  const msgs = r.body.messages as {role: string; content: string}[]
  if (msgs[0]!.content.startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
  if (msgs.some((m) => m.role === 'tool')) return turn.text('ok')
  return turn.tools([{name: 'write_file', args: {path: 'a.txt', content: 'A\n', overwrite: true}}])
}

const laughs = (id: string) =>
  [`id: ${id}`, 'task: lol', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`), 'steps: [{description: d, instruction: i}]'].join('\n') + '\n'

const BAD_PLANS: Record<string, string> = {
  bomb: laughs('bomb'),
  deep: `id: deep\ntask: ${'['.repeat(100_000)}\n`,
  huge: `id: huge\ntask: ${'x'.repeat(300 * 1024)}\nsteps: [{description: d, instruction: i}]\n`,
  list: '- id: list\n- task: t\n',
  schema: 'id: schema\nsteps: [{description: d}]\n',
  branch: 'id: branch\ntask: t\nbranch: main\nsteps: [{description: d, instruction: i}]\n',
}

const oneLineError = (res: CliResult, pattern: RegExp) => {
  expect(res.stderr).toMatch(pattern)
  expect(res.stderr).toMatch(/^hint: /m)
  expect(res.stderr).not.toMatch(/\n\s+at \S+:\d+/)
  expect(res.stderr.split('\n').filter((l) => l.startsWith('error: '))).toHaveLength(1)
}

async function setup() {
  const first = scopedRepo({'a.txt': 'a\n'})
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const server = await scopedServer(policy)
  const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'm', PARECODE_API_KEY: 'k'}
  const pare = (...args: string[]) => runCliAsync(args, {cwd: first, env, timeoutMs: 300_000})
  return {first, server, pare, ...teamRemote(first)}
}

// Many CLI calls each: generous on a busy machine (no timing is asserted).
const SLOW = 600_000

describe('malformed plans and sessions pulled from a remote', () => {
  it('bad plans are listed with a marker, the active plan keeps working, and a bomb pushed onto it gives one line naming the ref', async () => {
    const {first, server, pare, teammate} = await setup()
    const created = await pare('plan', 'shout', '--yes', '--no-hooks', '--json')
    expect(created.code, created.stderr).toBe(0)
    const id = JSON.parse(created.stdout).result.plan.id as string
    expect((await pare('push')).code).toBe(0)
    for (const [name, yaml] of Object.entries(BAD_PLANS)) pushRawRef(teammate, `refs/parecode/plans/${name}`, {'plan.yaml': yaml})
    expect((await pare('pull')).code).toBe(0)

    const log = await pare('log', '--json')
    expect(log.code, log.stderr).toBe(0)
    const plans = JSON.parse(log.stdout).result.entries.filter((e: {kind: string}) => e.kind === 'plan') as {id: string; invalid?: string; status: string}[]
    const invalid = Object.fromEntries(plans.map((p) => [p.id, p.invalid ?? null]))
    expect(invalid[id]).toBeNull()
    expect(invalid.bomb).toMatch(/aliases/)
    expect(invalid.deep).toMatch(/nests deeper/)
    expect(invalid.huge).toMatch(/larger than 256 KB/)
    expect(invalid.list).toMatch(/not a mapping/)
    expect(invalid.schema).toMatch(/not a plan/)
    const text = await pare('log')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^plan bomb .*\[invalid plan\.yaml\]/m)
    expect((await pare('plan', 'show')).code).toBe(0)

    // The teammate pushes a bomb onto the plan the user is working on: after the pull it is the active plan.
    const ref = `refs/parecode/plans/${id}`
    sh(teammate, ['fetch', '-q', 'origin', `${ref}:${ref}`])
    pushRawRef(teammate, ref, {'plan.yaml': laughs(id)}, {parent: sh(teammate, ['rev-parse', ref])})
    expect((await pare('pull')).code).toBe(0)
    const requests = server.chatRequests().length
    for (const args of [['plan', 'show'], ['step', '--no-hooks'], ['plan', 'approve', '1']]) {
      const res = await pare(...args)
      expect(res.code, args.join(' ')).toBe(3)
      oneLineError(res, new RegExp(`^error: refs/parecode/plans/${id}: plan\\.yaml is not a valid plan: it uses YAML aliases`, 'm'))
    }
    expect(server.chatRequests()).toHaveLength(requests)
    expect((await pare('log')).code).toBe(0)
    const abort = await pare('abort')
    expect(abort.code, abort.stderr).toBe(0)
    expect(sh(first, ['for-each-ref', 'refs/parecode/active'])).toBe('')
    const after = await pare('plan', 'show')
    expect(after.code).toBe(2)
    expect(after.stderr).toMatch(/no active plan/)
    // And a new plan can be made and run.
    expect((await pare('plan', 'again', '--yes', '--no-hooks')).code).toBe(0)
    const step = await pare('step', '--no-hooks')
    expect(step.code, step.stderr).toBe(0)
  }, SLOW)

  it('a broken chat.jsonl gives one line naming the session ref; other sessions, list and log keep working', async () => {
    const {server, pare, teammate} = await setup()
    const run = await pare('run', 'hello', '--no-hooks', '--json')
    expect(run.code, run.stderr).toBe(0)
    const good = JSON.parse(run.stdout).result.session.id as string
    const msg = (id: string) => `turn 1\n\nPare-Kind: session\nPare-Session: ${id}\nPare-Turn: 1\n`
    const user = JSON.stringify({role: 'user', content: 'hi'})
    const broken: Record<string, [string, RegExp]> = {
      badjson: [`${user}\n{"role": "assistant", "content": \n`, /chat\.jsonl line 2 is not valid JSON/],
      shape: [`${JSON.stringify({role: 'root', content: 'x'})}\n`, /chat\.jsonl line 1 is not a chat message: role/],
      calls: [`${user}\n${JSON.stringify({role: 'assistant', content: null, tool_calls: [{id: 1, function: 'bash'}]})}\n`, /chat\.jsonl line 2 is not a chat message: a tool call/],
      array: ['[1,2,3]\n', /chat\.jsonl line 1 is not a chat message: not an object/],
      hugeline: [`${JSON.stringify({role: 'user', content: 'x'.repeat(5 << 20)})}\n`, /chat\.jsonl line 1 is longer than 4 MB/],
    }
    for (const [id, [chat]] of Object.entries(broken)) pushRawRef(teammate, `refs/parecode/sessions/${id}`, {'chat.jsonl': chat, 'meta.yaml': id === 'shape' ? laughs('x') : ''}, {message: msg(id)})
    expect((await pare('pull')).code).toBe(0)
    const requests = server.chatRequests().length
    for (const [id, [, pattern]] of Object.entries(broken)) {
      const show = await pare('session', 'show', id)
      expect(show.code, id).toBe(3)
      oneLineError(show, new RegExp(`^error: refs/parecode/sessions/${id}: ${pattern.source}`, 'm'))
      const cont = await pare('run', '--session', id, 'yes', '--no-hooks')
      expect(cont.code, id).toBe(3)
      oneLineError(cont, new RegExp(`refs/parecode/sessions/${id}: chat\\.jsonl`))
    }
    expect(server.chatRequests()).toHaveLength(requests)
    const list = await pare('session', 'list')
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/shape .*\(pulled from origin\)/)
    const log = await pare('log', '--json')
    expect(log.code).toBe(0)
    expect(JSON.parse(log.stdout).result.entries.find((e: {id: string}) => e.id === 'shape').invalid).toMatch(/meta\.yaml: it uses YAML aliases/)
    expect((await pare('session', 'show')).code).toBe(0)
    const cont = await pare('run', '--continue', 'again', '--no-hooks', '--json')
    expect(cont.code, cont.stderr).toBe(0)
    expect(JSON.parse(cont.stdout).result.session.id).toBe(good)
  }, SLOW)
})
