import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, onTestFinished} from 'vitest'
import {loadTokenCounter} from '../../src/core/context/tokenizer.js'
import {turn, type RecordedRequest, type Turn} from '../support/model-server.js'
import {removeDir, runCliAsync, sh, tempDir, writeFiles} from '../support/repo.js'
import {scopedRepo, scopedServer} from '../support/scoped.js'

type Msg = {role: string; content: string | null}
const msgs = (r: RecordedRequest): Msg[] => r.body.messages
const isPlanner = (r: RecordedRequest) => String(msgs(r)[0]?.content).startsWith('You plan code changes')
const HEADING = 'Last commit touching each excerpt:'

/** Plans `plan`; each step edits the first line holding `from` in its first file, then answers. */
function policy(root: string, plan: object, from: string, to: string) {
  return (r: RecordedRequest): Turn => {
    if (isPlanner(r)) return turn.text(JSON.stringify(plan))
    if (msgs(r).some((m) => m.role === 'tool')) return turn.text('done')
    const file = (plan as {steps: {files: string[]}[]}).steps[0]!.files[0]!
    const line = readFileSync(path.join(root, file), 'utf8').split('\n').find((l) => l.includes(from))!
    return turn.tools([{name: 'edit_file', args: {path: file, old_str: line, new_str: line.replace(from, to)}}])
  }
}

async function setup(files: Record<string, string>, plan: object, from: string, to: string) {
  const root = scopedRepo(files)
  const server = await scopedServer(policy(root, plan, from, to))
  const home = tempDir('pare-home-')
  onTestFinished(() => removeDir(home))
  const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test'}
  const cli = (...args: string[]) => runCliAsync(args, {cwd: root, env, timeoutMs: 300_000})
  const blameOf = () => {
    const first = server.chatRequests().find((r) => !isPlanner(r))!
    const text = msgs(first).map((m) => m.content ?? '').join('\n')
    const at = text.indexOf(HEADING)
    if (at < 0) return undefined
    const [head, ...rest] = text.slice(at).split('\n')
    const n = rest.findIndex((l) => !/^\S+: [0-9a-f]{7} \d{4}-\d\d-\d\d /.test(l))
    return [head!, ...rest.slice(0, n < 0 ? rest.length : n)]
  }
  return {root, cli, blameOf}
}

const USER_FILES = {
  'package.json': '{"name":"shop","type":"module"}\n',
  'src/user.ts': 'export interface User {\n  name: string\n}\n\nexport function getUser(id: number): User {\n  return {name: `user ${id}`}\n}\n',
  'src/api.ts': "import {getUser} from './user.js'\n\nexport function handle(id: number) {\n  return getUser(id).name\n}\n",
}
const USER_PLAN = {
  task: 'rename getUser to fetchUser',
  steps: [{description: 'Rename the definition', instruction: 'Rename function getUser to fetchUser in src/user.ts.', files: ['src/user.ts'], verify: {type: 'file_changed', path: 'src/user.ts'}, tool_budget: 4}],
}

describe('plans and git history', () => {
  it("a step's first request names the last commit of its excerpt; finish deletes the scratch branch and sweeps for left references", async () => {
    const {root, cli, blameOf} = await setup(USER_FILES, USER_PLAN, 'getUser', 'fetchUser')
    writeFiles(root, {'src/user.ts': USER_FILES['src/user.ts'].replace('`user ${id}`', '`User ${id}`')})
    sh(root, ['commit', '-qam', 'Capitalise user names'])
    const tweak = sh(root, ['rev-parse', '--short=7', 'HEAD'])
    const date = new Date(Number(sh(root, ['log', '-1', '--format=%ct'])) * 1000).toISOString().slice(0, 10)
    expect((await cli('plan', USER_PLAN.task, '--yes', '--no-hooks')).code).toBe(0)
    const step = await cli('step', '--all', '--no-hooks')
    expect(step.code, step.stderr).toBe(0)
    expect(blameOf()).toEqual([HEADING, `src/user.ts: ${tweak} ${date} Capitalise user names (Test)`])
    const id = sh(root, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/pare/']).replace('pare/', '')
    const fin = await cli('finish', '--json')
    expect(fin.code, fin.stderr).toBe(0)
    const out = JSON.parse(fin.stdout).result
    expect(out.branches_deleted).toEqual([`pare/${id}`])
    expect(sh(root, ['branch', '--list', 'pare/*'])).toBe('')
    expect(out.sweep.references).toEqual([{name: 'getUser', how: 'renamed', renamed_to: 'fetchUser', file: 'src/user.ts', refs: ['src/api.ts:1', 'src/api.ts:4'], more: 0}])
    sh(root, ['fsck', '--no-progress'])
  })

  it('blame lines stay within 60 tokens however many files a step has, and --keep-branch keeps the branch', async () => {
    const files: Record<string, string> = {'package.json': '{"name":"many","type":"module"}\n'}
    for (let k = 1; k <= 6; k++) files[`src/part${k}.ts`] = `export const value${k} = ${k}\n`
    const plan = {task: 'bump value1', steps: [{description: 'Bump', instruction: 'Set value1 to 10.', files: Object.keys(files).filter((f) => f.startsWith('src/')), verify: {type: 'file_changed', path: 'src/part1.ts'}, tool_budget: 4}]}
    const {root, cli, blameOf} = await setup(files, plan, '= 1', '= 10')
    for (let k = 1; k <= 6; k++) {
      writeFiles(root, {[`src/part${k}.ts`]: `export const value${k} = ${k} // part ${k}\n`})
      sh(root, ['commit', '-qam', `Explain part number ${k} of the many parts with a rather long subject line`])
    }
    expect((await cli('plan', plan.task, '--yes', '--no-hooks')).code).toBe(0)
    const step = await cli('step', '--all', '--no-hooks')
    expect(step.code, step.stderr).toBe(0)
    const lines = blameOf()!
    expect(lines[0]).toBe(HEADING)
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.length).toBeLessThan(7)
    const counter = await loadTokenCounter('o200k_base')
    expect(lines.reduce((n, l) => n + counter.count(l) + 1, 0)).toBeLessThanOrEqual(60)
    const fin = await cli('finish', '--keep-branch', '--json')
    expect(fin.code, fin.stderr).toBe(0)
    expect(JSON.parse(fin.stdout).result.branches_deleted).toEqual([])
    expect(sh(root, ['branch', '--list', 'pare/*'])).not.toBe('')
  })

  it('a repository with one commit gets no blame lines', async () => {
    const {cli, blameOf} = await setup(USER_FILES, USER_PLAN, 'getUser', 'fetchUser')
    expect((await cli('plan', USER_PLAN.task, '--yes', '--no-hooks')).code).toBe(0)
    expect((await cli('step', '--all', '--no-hooks')).code).toBe(0)
    expect(blameOf()).toBeUndefined()
  })
})
