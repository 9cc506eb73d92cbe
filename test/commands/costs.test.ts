import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {runCliAsync, sh, tempDir, writeFiles} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

// Cost figures against the scripted model with fixed usage: every request reports 1000 tokens in and 100 out.
const USAGE = {usage: {prompt_tokens: 1000, completion_tokens: 100}}
const SRC = 'export const greeting = "hi"\n'

function home(url: string, extra = ''): string {
  const dir = tempDir('pare-home-')
  writeFiles(dir, {'.config/parecode/config.yaml': `profile: paid\nprofiles:\n  paid:\n    base_url: ${url}\n    model: scripted-model\n${extra}`})
  return dir
}

const edit = {name: 'edit_file', args: {path: 'src/a.ts', old_str: '"hi"', new_str: '"hello"'}}
const read = {name: 'read_file', args: {path: 'src/a.ts'}}

describe('costs of a run', () => {
  it("prices each request's reported usage at the profile's rates: text line, --json cost_usd and telemetry", async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const server = await scopedServer([turn.tools([edit], USAGE), turn.tools([read], USAGE), turn.text('Done.', USAGE), turn.text('Again.', USAGE)])
    // $2 in, $10 out per million: 1000 * 2e-6 + 100 * 1e-5 = $0.003 a request
    const h = home(server.url, '    cost_per_mtok_input: 2\n    cost_per_mtok_output: 10\n')
    const text = await runCliAsync(['run', 'say hello', '--no-hooks'], {cwd: root, env: {HOME: h}})
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout.trim()).toBe('Done.')
    expect(text.stderr).toMatch(/^1 file changed · 2 tool calls · 3000 in \/ 300 out tokens · \$0\.0090 · session \S+ · checkpoint 1 /m)
    const json = await runCliAsync(['run', 'again', '--no-hooks', '--json'], {cwd: root, env: {HOME: h}})
    expect(json.code, json.stderr).toBe(0)
    const out = JSON.parse(json.stdout).result
    expect(out).toMatchObject({tokens: {input: 1000, output: 100}, cost_usd: 0.003, tool_calls: 0})
    const records = readFileSync(path.join(root, '.git/parecode/telemetry.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(records.map((r) => [r.kind, r.model, r.tokens_in, r.cost_usd])).toEqual([
      ['run', 'scripted-model', 3000, 0.009],
      ['run', 'scripted-model', 1000, 0.003],
    ])
  }, 150_000)

  it('a server on this machine costs $0 (cost_usd 0, not null)', async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const server = await scopedServer([turn.text('ok', USAGE)])
    const local = await runCliAsync(['run', 'hi', '--no-hooks', '--json'], {cwd: root, env: {HOME: home(server.url)}})
    expect(local.code, local.stderr).toBe(0)
    expect(JSON.parse(local.stdout).result.cost_usd).toBe(0)
  }, 150_000)

  it('--max-cost stops before the request that would pass it: two requests sent, exit 6, checkpoint kept, undo works', async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const server = await scopedServer([turn.tools([edit], USAGE), turn.tools([read], USAGE), turn.text('never sent', USAGE)])
    // $1 in, $1000 out, max_tokens 100: a request costs $0.101 and is bounded at (its input) + $0.10 before it goes.
    // After two ($0.202 spent) the third could reach ~$0.303 > $0.25: it is not sent.
    const h = home(server.url, '    cost_per_mtok_input: 1\n    cost_per_mtok_output: 1000\n    max_tokens: 100\n')
    const res = await runCliAsync(['run', 'say hello', '--no-hooks', '--max-cost', '0.25'], {cwd: root, env: {HOME: h}})
    expect(res.code, res.stderr).toBe(6)
    expect(server.chatRequests()).toHaveLength(2)
    expect(res.stderr).toMatch(/stopped before done: the next request \(up to \$0\.10\) would pass the cost limit of \$0\.25 \(\$0\.20 spent\)/)
    expect(res.stderr).toMatch(/1 file changed · 2 tool calls · 2000 in \/ 200 out tokens · \$0\.20 · /)
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe(SRC.replace('hi', 'hello'))
    expect(sh(root, ['for-each-ref', '--format=%(refname)', 'refs/parecode/'])).toMatch(/checkpoint/)
    const undo = await runCliAsync(['undo'], {cwd: root, env: {HOME: h}})
    expect(undo.code, undo.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe(SRC)
  }, 150_000)

  it('--max-cost in --json: stop "cost", status 6, the spend so far', async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const server = await scopedServer([turn.tools([edit], USAGE), turn.text('never sent', USAGE)])
    const h = home(server.url, '    cost_per_mtok_input: 1\n    cost_per_mtok_output: 1000\n    max_tokens: 100\n')
    const res = await runCliAsync(['run', 'say hello', '--no-hooks', '--json', '--max-cost', '$0.15'], {cwd: root, env: {HOME: h}})
    expect(res.code, res.stderr).toBe(6)
    const out = JSON.parse(res.stdout)
    expect(out.status).toBe(6)
    expect(out.result).toMatchObject({stop: 'cost', requests: 1, cost_usd: 0.101})
    expect(out.result.stop_reason).toMatch(/would pass the cost limit of \$0\.15/)
    expect(server.chatRequests()).toHaveLength(1)
  }, 150_000)

  it('--max-cost must be an amount', async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const res = await runCliAsync(['run', 'x', '--max-cost', 'lots'], {cwd: root, env: {HOME: home('http://127.0.0.1:9/v1')}})
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/--max-cost must be an amount in USD above 0/)
  }, 150_000)
})

const PLAN = {
  task: 'say hello',
  steps: [{description: 'Greet', instruction: 'Change "hi" to "hello" in src/a.ts.', files: ['src/a.ts'], verify: {type: 'file_changed', path: 'src/a.ts'}, tool_budget: 4}],
}
type Msg = {role: string; content: string | null}
/** Plans on request; a step edits src/a.ts, then says done. Every answer reports the fixed usage. */
function planPolicy(r: RecordedRequest): Turn {
  const msgs = r.body.messages as Msg[]
  if (String(msgs[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN), USAGE)
  if (msgs.some((m) => m.role === 'tool')) return turn.text('done', USAGE)
  if (msgs.some((m) => String(m.content).includes('Step 1 of 1'))) return turn.tools([edit], USAGE)
  return turn.text('ok', USAGE)
}

describe('costs of a plan, its steps, and stats --by', () => {
  it('plan, step and run each show their USD; stats sums them by command, model and day', async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const server = await scopedServer(planPolicy)
    const h = home(server.url, '    cost_per_mtok_input: 2\n    cost_per_mtok_output: 10\n')
    const plan = await runCliAsync(['plan', 'say hello', '--yes', '--no-hooks', '--json'], {cwd: root, env: {HOME: h}})
    expect(plan.code, plan.stderr).toBe(0)
    expect(JSON.parse(plan.stdout).result).toMatchObject({tokens: {input: 1000, output: 100}, cost_usd: 0.003})
    const step = await runCliAsync(['step', '--no-hooks'], {cwd: root, env: {HOME: h}})
    expect(step.code, step.stderr).toBe(0)
    expect(step.stdout).toMatch(/✓ step 1: Greet · verify .* · 2000 in \/ 200 out tokens · \$0\.0060 · [0-9a-f]{7}/)
    const run = await runCliAsync(['run', 'hi', '--no-hooks'], {cwd: root, env: {HOME: h}})
    expect(run.code, run.stderr).toBe(0)

    const byCommand = await runCliAsync(['stats', '--by', 'command', '--json'], {cwd: root, env: {HOME: h}})
    expect(byCommand.code, byCommand.stderr).toBe(0)
    const out = JSON.parse(byCommand.stdout).result
    expect(out.cost).toEqual({usd: 0.012, priced_runs: 3, unpriced_runs: 0})
    expect(out.by.key).toBe('command')
    expect(out.by.groups.map((g: {key: string; runs: number; tokens_in: number; cost_usd: number}) => [g.key, g.runs, g.tokens_in, g.cost_usd])).toEqual([
      ['step', 1, 2000, 0.006],
      ['plan', 1, 1000, 0.003],
      ['run', 1, 1000, 0.003],
    ])
    const byModel = await runCliAsync(['stats', '--by', 'model'], {cwd: root, env: {HOME: h}})
    expect(byModel.code, byModel.stderr).toBe(0)
    expect(byModel.stdout.split('\n')[0]).toMatch(/^model\s+runs\s+tokens in\s+tokens out\s+cost$/)
    expect(byModel.stdout).toMatch(/^scripted-model\s+3\s+4\.0k\s+400\s+\$0\.01$/m)
    const byDay = await runCliAsync(['stats', '--by', 'day', '--json'], {cwd: root, env: {HOME: h}})
    const days = JSON.parse(byDay.stdout).result.by.groups
    expect(days.reduce((n: number, g: {runs: number}) => n + g.runs, 0)).toBe(3)
    expect(days[0].key).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const summary = await runCliAsync(['stats'], {cwd: root, env: {HOME: h}})
    expect(summary.stdout).toMatch(/^cost +\$0\.01 over 3 priced runs$/m)
  }, 240_000)

  it('--max-cost stops planning before its request (exit 6, nothing stored) and a step before the request that would pass it', async () => {
    const root = scopedRepo({'src/a.ts': SRC})
    const server = await scopedServer(planPolicy)
    const h = home(server.url, '    cost_per_mtok_input: 1\n    cost_per_mtok_output: 1000\n    max_tokens: 100\n')
    const refused = await runCliAsync(['plan', 'say hello', '--yes', '--no-hooks', '--max-cost', '0.05'], {cwd: root, env: {HOME: h}})
    expect(refused.code, refused.stderr).toBe(6)
    expect(refused.stderr).toMatch(/stopped before planning was done: the next request \(up to \$0\.10\) would pass the cost limit of \$0\.05/)
    expect(server.chatRequests()).toHaveLength(0)
    expect(sh(root, ['for-each-ref', 'refs/parecode/plans/'])).toBe('')

    expect((await runCliAsync(['plan', 'say hello', '--yes', '--no-hooks'], {cwd: root, env: {HOME: h}})).code).toBe(0)
    const before = server.chatRequests().length
    // the step's first request ($0.101) fits under $0.15; the second could take it to ~$0.20: not sent
    const step = await runCliAsync(['step', '--no-hooks', '--json', '--max-cost', '0.15'], {cwd: root, env: {HOME: h}})
    expect(step.code, step.stderr).toBe(6)
    expect(server.chatRequests().length - before).toBe(1)
    const o = JSON.parse(step.stdout).result.steps[0]
    expect(o).toMatchObject({ok: false, stopped: 'cost', cost_usd: 0.101, attempts: 1})
    expect(o.verify).toMatch(/^stopped: the next request .* would pass the cost limit of \$0\.15/)
    // the step's edit is on the work tree, its checkpoint kept: undo takes it back
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe(SRC.replace('hi', 'hello'))
    const undo = await runCliAsync(['undo'], {cwd: root, env: {HOME: h}})
    expect(undo.code, undo.stderr).toBe(0)
    expect(readFileSync(path.join(root, 'src/a.ts'), 'utf8')).toBe(SRC)
  }, 240_000)
})
