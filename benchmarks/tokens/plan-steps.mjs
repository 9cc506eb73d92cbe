// The 3-step plan of the plan/step acceptance test, run through the built CLI against the loopback
// model: per-step first-request tokens (the fresh context each step starts with), and `run "say hi"`.
import {execFile, execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadTokenCounter} from '../../dist/core/context/tokenizer.js'
import {startScriptedServer, turn} from '../../dist/core/model/scripted-server.js'

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/run.js')
const gitEnv = {GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b'}

const FILES = {
  'package.json': '{"name":"shop","type":"module"}\n',
  'src/user.ts': 'export interface User {\n  name: string\n}\n\nexport function getUser(id: number): User {\n  return {name: `user ${id}`}\n}\n',
  'src/api.ts': "import {getUser} from './user.js'\n\nexport function handle(id: number) {\n  return getUser(id).name\n}\n",
  'src/cli.ts': "import {getUser} from './user.js'\n\nconsole.log(getUser(1))\n",
}
const STEP_FILES = ['src/user.ts', 'src/api.ts', 'src/cli.ts']
const PLAN = {
  task: 'rename getUser to fetchUser',
  steps: STEP_FILES.map((f, i) => ({description: `Update ${f}`, instruction: `Use fetchUser instead of getUser in ${f}.`, files: [f], verify: {type: 'pattern_absent', pattern: 'getUser', path: f}, tool_budget: 4})),
}

const msgs = (r) => r.body.messages
const isPlanner = (r) => String(msgs(r)[0]?.content).startsWith('You plan code changes')
const stepOf = (r) => Number(/Step (\d+) of/.exec(msgs(r).find((m) => m.role === 'user')?.content ?? '')?.[1] ?? 0)

function cli(args, cwd, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], {cwd, env: {...process.env, ...gitEnv, ...env, NO_COLOR: '1', PARECODE_NO_OLLAMA_PROBE: '1'}}, (err, stdout, stderr) => (err ? reject(new Error(`${args.join(' ')}: ${stderr}`)) : resolve(stdout)))
  })
}

export async function runPlanSteps() {
  const counter = await loadTokenCounter('o200k_base')
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-plan-')))
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-home-')))
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, rel)), {recursive: true})
    writeFileSync(path.join(root, rel), text)
  }
  for (const a of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-q', '-m', 'init']]) execFileSync('git', a, {cwd: root, env: {...process.env, ...gitEnv}})
  const server = await startScriptedServer((r) => {
    if (isPlanner(r)) return turn.text(JSON.stringify(PLAN))
    if (String(msgs(r).find((m) => m.role === 'user')?.content).includes('say hi')) return turn.text('hi')
    const n = stepOf(r)
    if (msgs(r).some((m) => m.role === 'tool')) return turn.text(`step ${n} done`)
    const file = STEP_FILES[n - 1]
    const line = readFileSync(path.join(root, file), 'utf8').split('\n').find((l) => l.includes('getUser'))
    return turn.tools([{name: 'edit_file', args: {path: file, old_str: line, new_str: line.replaceAll('getUser', 'fetchUser')}}])
  })
  const env = {PARECODE_BASE_URL: server.url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'bench', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')}
  try {
    await cli(['plan', PLAN.task, '--yes', '--no-hooks'], root, env)
    await cli(['step', '--all', '--no-hooks'], root, env)
    const steps = [1, 2, 3].map((n) => {
      const reqs = server.chatRequests().filter((r) => !isPlanner(r) && stepOf(r) === n)
      const sizes = reqs.map((r) => counter.countMessages(r.body.messages, r.body.tools))
      return {n, first: sizes[0], largest: Math.max(...sizes), requests: sizes.length, tool_calls: reqs.reduce((k, r) => k + (msgs(r).at(-1)?.role === 'tool' ? 1 : 0), 0)}
    })
    const before = server.chatRequests().length
    await cli(['run', 'say hi', '--no-hooks'], root, env)
    const hi = server.chatRequests()[before].body
    return {steps, sayHi: counter.countMessages(hi.messages, hi.tools)}
  } finally {
    await server.close()
    rmSync(root, {recursive: true, force: true})
    rmSync(home, {recursive: true, force: true})
  }
}
