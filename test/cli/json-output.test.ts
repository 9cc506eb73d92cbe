import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import Ajv, {type ValidateFunction} from 'ajv'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startScriptedServer, turn, type RecordedRequest, type ScriptedServer, type Turn} from '../support/model-server.js'
import {makeRepo, projectRoot, removeDir, runCliAsync, sh, tempDir, writeFiles} from '../support/repo.js'

// Every command's --json output is one envelope, {status, result, warnings} or {status, error, warnings}, with
// snake_case keys, described by a committed JSON schema (schemas/<command>.json, schemas/error.json). This file
// runs every command with --json on real repositories against the loopback model and validates what came out.
// PARE_JSON_SAMPLES=<dir> also writes each output there (to draft a schema for a new command).

const SCHEMAS = path.join(projectRoot, 'schemas')
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {hidden?: boolean}>}
// `git pare mcp` is a server whose stdout is MCP's JSON-RPC: its --json is only a usage error, it has no result schema (test/commands/mcp-server.test.ts covers it).
const NO_ENVELOPE = new Set(['mcp'])
const commandIds = Object.entries(manifest.commands).filter(([id, c]) => !c.hidden && !NO_ENVELOPE.has(id)).map(([id]) => id.replaceAll(':', ' ')).sort()
const schemaFile = (id: string) => path.join(SCHEMAS, `${id.replaceAll(' ', '-')}.json`)

interface Sample {
  command: string
  args: string[]
  code: number
  out: {status: number; result?: unknown; error?: unknown; warnings: string[]}
}

const FILES = {
  'package.json': '{"name":"shop","type":"module"}\n',
  'src/user.ts': 'export interface User {\n  name: string\n}\n\nexport function getUser(id: number): User {\n  return {name: `user ${id}`}\n}\n',
  'src/api.ts': "import {getUser} from './user.js'\n\nexport function handle(id: number) {\n  return getUser(id).name\n}\n",
}
const PLAN = {
  task: 'rename getUser to fetchUser',
  steps: [
    {description: 'Rename the definition', instruction: 'Rename function getUser to fetchUser in src/user.ts.', files: ['src/user.ts'], verify: {type: 'file_changed', path: 'src/user.ts'}, tool_budget: 4},
    {description: 'Update the API', instruction: 'Use fetchUser instead of getUser in src/api.ts.', files: ['src/api.ts'], verify: {type: 'pattern_absent', pattern: 'getUser', path: 'src/api.ts'}, tool_budget: 4},
  ],
}
type Msg = {role: string; content: string | null}
const msgs = (r: RecordedRequest): Msg[] => r.body.messages

/** Plans on request, and otherwise renames getUser in the first file of the task or step that still has it. */
function policy(root: string) {
  return (r: RecordedRequest): Turn => {
    if (String(msgs(r)[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
    if (msgs(r).some((m) => m.role === 'tool')) return turn.text('done')
    const asked = msgs(r).map((m) => m.content ?? '').join('\n')
    const file = ['src/user.ts', 'src/api.ts'].find((f) => asked.includes(f) && readFileSync(path.join(root, f), 'utf8').includes('getUser')) ?? 'src/user.ts'
    const line = readFileSync(path.join(root, file), 'utf8').split('\n').find((l) => l.includes('getUser'))
    if (!line) return turn.text('nothing to do')
    return turn.tools([{name: 'edit_file', args: {path: file, old_str: line, new_str: line.replaceAll('getUser', 'fetchUser')}}])
  }
}

const samples: Sample[] = []
const dirs: string[] = []
let server: ScriptedServer | undefined

beforeAll(async () => {
  const root = makeRepo(FILES)
  const remote = tempDir('pare-remote-')
  const other = tempDir('pare-other-')
  const home = tempDir('pare-home-')
  dirs.push(root, remote, other, home)
  sh(remote, ['init', '-q', '--bare'])
  sh(root, ['remote', 'add', 'origin', remote])
  server = await startScriptedServer(policy(root))
  const env = {HOME: home, PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'test'}
  const json = async (cwd: string, command: string, ...rest: string[]) => {
    const args = [...command.split(' '), ...rest, '--json']
    const res = await runCliAsync(args, {cwd, env: {...env, EDITOR: 'true', VISUAL: ''}, timeoutMs: 300_000})
    let out: Sample['out']
    try {
      out = JSON.parse(res.stdout)
    } catch {
      throw new Error(`git pare ${args.join(' ')} printed no JSON (exit ${res.code}):\n${res.stdout}\n${res.stderr}`)
    }
    samples.push({command, args, code: res.code, out})
    return out
  }

  await json(root, 'init')
  await json(root, 'trust', '--yes')
  await json(root, 'trust')
  await json(root, 'config')
  await json(root, 'mcp list') // no servers configured: an empty list
  await json(root, 'setup') // off a terminal: what it found, nothing written
  await json(root, 'hooks')
  await json(root, 'log') // nothing yet
  await json(root, 'undo') // nothing to undo: the error envelope
  await json(root, 'run', 'rename getUser in src/user.ts', '--no-hooks')
  const sessionId = ((await json(root, 'session list')).result as {id: string}[])[0]?.id
  await json(root, 'run', '--continue', 'also src/api.ts', '--no-hooks')
  if (sessionId) await json(root, 'session show', sessionId)
  await json(root, 'log')
  await json(root, 'show', '1')
  await json(root, 'show', '1', '--stat')
  await json(root, 'diff')
  await json(root, 'diff', '--stat')
  await json(root, 'undo')
  await json(root, 'redo')
  await json(root, 'session rollback', '1', '--keep-files')
  await json(root, 'stats')
  await json(root, 'completion', 'bash')
  sh(root, ['checkout', '-q', '--', '.'])
  sh(root, ['clean', '-qfd', '--', 'src'])
  await json(root, 'rename', 'getUser', 'loadUser', '--dry-run')

  await json(root, 'plan', 'rename getUser to fetchUser', '--no-hooks')
  await json(root, 'plan show')
  await json(root, 'plan edit')
  await json(root, 'plan annotate', '1', 'keep the export')
  await json(root, 'plan approve', '--all')
  await json(root, 'step', '--no-hooks')
  await json(root, 'push')
  sh(other, ['clone', '-q', remote, '.'])
  await json(other, 'pull')
  await json(root, 'step', '--no-hooks')
  await json(root, 'finish')
  writeFiles(root, {'src/user.ts': FILES['src/user.ts']})
  sh(root, ['commit', '-qam', 'back to getUser'])
  await json(root, 'plan', 'rename getUser to fetchUser', '--yes', '--no-hooks')
  await json(root, 'abort')
  // git pare work: a plan shared from root, worked from the other clone under --trust-plan, recorded on the remote.
  const shared = (await json(root, 'plan', 'rename getUser to fetchUser', '--yes', '--no-hooks')).result as {plan: {id: string}}
  await json(root, 'push')
  await json(other, 'work', '--trust-plan', shared.plan.id, '--no-hooks')
  await json(other, 'plan show', '--plan', shared.plan.id)
  await json(root, 'log') // plans with their steps, checkpoints and sessions
  await json(root, 'gc')
  // chat --json: one envelope per turn, a line each
  const chat = await runCliAsync(['chat', '--json', '--no-hooks'], {cwd: root, env, timeoutMs: 300_000, input: 'rename getUser in src/user.ts\n/log\n'})
  const lines = chat.stdout.split('\n').filter((l) => l.startsWith('{"'))
  if (!lines.length) throw new Error(`git pare chat --json printed no envelope (exit ${chat.code}):\n${chat.stdout}\n${chat.stderr}`)
  for (const l of lines) samples.push({command: 'chat', args: ['chat', '--json'], code: chat.code, out: JSON.parse(l)})
  const none = await runCliAsync(['chat', '--json'], {cwd: root, env, timeoutMs: 300_000, input: ''})
  samples.push({command: 'chat', args: ['chat', '--json', '(no turns)'], code: none.code, out: JSON.parse(none.stdout)})
  await json(root, 'demo')

  const dump = process.env.PARE_JSON_SAMPLES
  if (dump) {
    mkdirSync(dump, {recursive: true})
    samples.forEach((s, i) => writeFileSync(path.join(dump, `${String(i).padStart(2, '0')}-${s.command.replaceAll(' ', '-')}.json`), JSON.stringify(s, null, 2)))
  }
}, 900_000)

afterAll(async () => {
  await server?.close()
  for (const d of dirs) removeDir(d)
})

const ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true})
const validators = new Map<string, ValidateFunction>()
function validator(file: string): ValidateFunction {
  let v = validators.get(file)
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(file, 'utf8')))
    validators.set(file, v)
  }
  return v
}

/** Every object schema with `properties` declares snake_case names and admits nothing else. */
function checkClosedSnakeCase(node: unknown, where: string, problems: string[]): void {
  if (!node || typeof node !== 'object') return
  if (Array.isArray(node)) {
    node.forEach((n, i) => checkClosedSnakeCase(n, `${where}[${i}]`, problems))
    return
  }
  const o = node as Record<string, unknown>
  if (o.properties && typeof o.properties === 'object') {
    for (const k of Object.keys(o.properties)) if (!/^[a-z][a-z0-9_]*$/.test(k)) problems.push(`${where}: property "${k}" is not snake_case`)
    if (o.additionalProperties !== false) problems.push(`${where}: an object with properties must set additionalProperties: false`)
  }
  for (const [k, v] of Object.entries(o)) if (k !== 'enum' && k !== 'const' && k !== 'examples') checkClosedSnakeCase(v, `${where}.${k}`, problems)
}

describe('--json output', () => {
  it('every command ran in the scenario', () => {
    const ran = new Set(samples.map((s) => s.command))
    expect(commandIds.filter((id) => !ran.has(id))).toEqual([])
  })

  it('every command has a schema, and every schema belongs to a command', () => {
    const files = readdirSync(SCHEMAS).filter((f) => f.endsWith('.json')).sort()
    expect(files).toEqual([...commandIds.map((id) => `${id.replaceAll(' ', '-')}.json`), 'error.json'].sort())
  })

  it('the schemas are closed and snake_case', () => {
    const problems: string[] = []
    for (const f of readdirSync(SCHEMAS).filter((x) => x.endsWith('.json'))) checkClosedSnakeCase(JSON.parse(readFileSync(path.join(SCHEMAS, f), 'utf8')), f, problems)
    expect(problems).toEqual([])
  })

  it('each output is one envelope whose status is the exit code, valid against its schema', () => {
    const problems: string[] = []
    for (const s of samples) {
      const label = `git pare ${s.args.join(' ')}`
      if (s.out.status !== s.code) problems.push(`${label}: status ${s.out.status} but exit code ${s.code}`)
      const keys = Object.keys(s.out).sort().join(',')
      if (keys !== 'result,status,warnings' && keys !== 'error,status,warnings') problems.push(`${label}: envelope keys ${keys}`)
      const v = validator('error' in s.out ? path.join(SCHEMAS, 'error.json') : schemaFile(s.command))
      if (!v(s.out)) problems.push(`${label}: ${ajv.errorsText(v.errors, {separator: '; '})}`)
    }
    expect(problems).toEqual([])
  })

  it('the error envelope carries a stable code, a one-line message and a hint', () => {
    const errors = samples.filter((s) => 'error' in s.out)
    expect(errors.length).toBeGreaterThan(0)
    for (const s of errors) expect(s.code).not.toBe(0)
  })
})
