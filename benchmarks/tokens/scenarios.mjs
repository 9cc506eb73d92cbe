// Fixed scripted trajectories replayed through the real agent loop (dist/) and the loopback model
// server, on fixture repositories made here. Token counts are o200k counts of the requests the server
// received, so they are deterministic: a test compares them with benchmarks/baseline.json.
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {runAgent, systemPrompt} from '../../dist/core/agent/loop.js'
import {budgetFor} from '../../dist/core/context/budget.js'
import {ReadCache} from '../../dist/core/context/read-cache.js'
import {loadTokenCounter} from '../../dist/core/context/tokenizer.js'
import {createModelClient} from '../../dist/core/model/client.js'
import {startScriptedServer, turn} from '../../dist/core/model/scripted-server.js'
import {toolsFor} from '../../dist/core/tools/registry.js'

const CONTEXT_WINDOW = 32_768

function makeRepo(files) {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-tokens-')))
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), {recursive: true})
    writeFileSync(path.join(dir, rel), text)
  }
  const env = {...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b'}
  execFileSync('git', ['init', '-q', '-b', 'main'], {cwd: dir, env})
  execFileSync('git', ['add', '-A'], {cwd: dir, env})
  execFileSync('git', ['commit', '-q', '-m', 'init'], {cwd: dir, env})
  return dir
}

const lines = (n, f) => Array.from({length: n}, (_, i) => f(i)).join('\n') + '\n'

/** An edit of one line that contains `needle` in `file`, replacing `from` with `to` on it. */
function editLine(root, file, needle, from, to) {
  const line = readFileSync(path.join(root, file), 'utf8').split('\n').find((l) => l.includes(needle))
  return {name: 'edit_file', args: {path: file, old_str: line, new_str: line.replaceAll(from, to)}}
}

/** Each scenario: files, the task, and a policy that is a function of the request index and the repo. */
export const scenarios = [
  {
    name: 'replace-term',
    task: 'replace "colour" with "color" across the project',
    files: Object.fromEntries(
      Array.from({length: 6}, (_, k) => [`src/widget${k}.ts`, lines(60, (i) => (i % 20 === 3 ? `export const colour${i} = theme.colour(${k}, ${i}) // colour ${i}` : `export const value${k}_${i} = compute(${i})`))]),
    ),
    steps: (root) => [
      [{name: 'search', args: {pattern: 'colour'}}],
      ...Array.from({length: 6}, (_, k) => [3, 23, 43].map((i) => editLine(root, `src/widget${k}.ts`, `colour${i} `, 'colour', 'color'))),
      [{name: 'search', args: {pattern: 'colour'}}],
    ],
  },
  {
    name: 'remove-console-log',
    task: 'remove console.log calls from src/',
    files: Object.fromEntries(
      Array.from({length: 5}, (_, k) => [`src/mod${k}.ts`, lines(80, (i) => (i % 25 === 5 ? `  console.log('debug ${k}', value${i})` : `export function f${k}_${i}(x: number) { return x * ${i} }`))]),
    ),
    steps: (root) => [
      [{name: 'search', args: {pattern: 'console\\.log', path: 'src'}}],
      [{name: 'read_file', args: {path: 'src/mod0.ts', line_range: '1-40'}}],
      ...Array.from({length: 5}, (_, k) => [5, 30, 55].map((i) => ({name: 'edit_file', args: {path: `src/mod${k}.ts`, old_str: `  console.log('debug ${k}', value${i})\n`, new_str: ''}}))),
      [{name: 'search', args: {pattern: 'console\\.log', path: 'src'}}],
    ],
  },
  {
    name: 'rename-field',
    task: 'rename the field userName to displayName everywhere',
    files: {
      'src/types.ts': 'export interface Profile {\n  id: number\n  userName: string\n  email: string\n}\n',
      'src/api.ts': lines(40, (i) => (i === 10 ? '  return {id, userName: row.user_name, email: row.email}' : `// api line ${i}`)),
      'src/view.tsx': lines(50, (i) => (i === 20 ? '  return <h1>{profile.userName}</h1>' : `// view line ${i}`)),
      'src/store.ts': lines(30, (i) => (i === 7 ? '  byName: (p: Profile) => p.userName.toLowerCase(),' : `// store line ${i}`)),
    },
    steps: (root) => [
      [{name: 'search', args: {pattern: 'userName'}}],
      [{name: 'read_file', args: {path: 'src/types.ts'}}],
      [editLine(root, 'src/types.ts', 'userName', 'userName', 'displayName')],
      [editLine(root, 'src/api.ts', 'userName', 'userName', 'displayName'), editLine(root, 'src/view.tsx', 'userName', 'userName', 'displayName'), editLine(root, 'src/store.ts', 'userName', 'userName', 'displayName')],
      [{name: 'search', args: {pattern: 'userName'}}],
    ],
  },
  {
    name: 'html-scss-colour',
    task: 'change the brand colour #e63946 to #1d3557 in the HTML and SCSS',
    files: {
      'index.html': lines(60, (i) => (i === 12 ? '  <meta name="theme-color" content="#e63946">' : `  <p>paragraph ${i}</p>`)),
      'styles/main.scss': lines(90, (i) => (i === 2 ? '$brand: #e63946;' : i === 40 ? '.banner { border-color: #e63946; }' : `.c${i} { margin: ${i}px; }`)),
    },
    steps: (root) => [
      [{name: 'search', args: {pattern: '#e63946'}}],
      [editLine(root, 'index.html', '#e63946', '#e63946', '#1d3557')],
      [editLine(root, 'styles/main.scss', '$brand', '#e63946', '#1d3557'), editLine(root, 'styles/main.scss', '.banner', '#e63946', '#1d3557')],
      [{name: 'search', args: {pattern: '#e63946'}}],
    ],
  },
  {
    name: 'explore-200',
    task: 'explain how requests are authenticated in this project',
    files: Object.fromEntries(
      Array.from({length: 200}, (_, k) => [
        `src/area${k % 10}/file${k}.ts`,
        lines(220, (i) => (i % 50 === 0 ? `export function authenticate${k}_${i}(request: Request, token: string): boolean {` : `  const step${i} = verifySignature(request.headers['x-${k}-${i}'], token, ${i}) // check ${i}`)),
      ]),
    ),
    steps: () => [
      [{name: 'list_files', args: {}}],
      [{name: 'search', args: {pattern: 'authenticate1[0-9]_0'}}],
      ...Array.from({length: 14}, (_, r) => [{name: 'read_file', args: {path: `src/area${(r * 7) % 10}/file${r * 7}.ts`}}]),
      [{name: 'search', args: {pattern: 'verifySignature\\(', path: 'src/area3'}}],
      [{name: 'read_file', args: {path: 'src/area0/file0.ts'}}],
      [{name: 'search', args: {pattern: 'x-42-'}}],
      [{name: 'list_files', args: {path: 'src/area7'}}],
    ],
  },
]

/** Run one scenario; returns its figures (deterministic) and the raw tool output total. */
export async function runScenario(scenario, counter) {
  const root = makeRepo(scenario.files)
  const steps = scenario.steps(root)
  const policy = steps.map((calls) => turn.tools(calls)).concat([turn.text('Done.')])
  const server = await startScriptedServer(policy)
  const client = createModelClient({baseUrl: server.url, model: 'scripted-model', retries: 0, countTokens: (t) => counter.count(t)})
  try {
    const res = await runAgent(
      {system: systemPrompt(), task: scenario.task},
      {client, tools: toolsFor(), ctx: {root, readCache: new ReadCache()}, counter, budgetTokens: budgetFor(CONTEXT_WINDOW), maxToolCalls: 60},
    )
    const requests = server.chatRequests().map((r) => counter.countMessages(r.body.messages, r.body.tools))
    if (process.env.PARE_BENCH_DEBUG === scenario.name) {
      const i = requests.indexOf(Math.max(...requests))
      for (const m of server.chatRequests()[i].body.messages) process.stderr.write(`${m.role} ${counter.count(JSON.stringify(m))} ${JSON.stringify(m).slice(0, 160)}\n`)
    }
    const calls = steps.flat()
    const seen = new Set()
    let rereads = 0
    for (const c of calls) {
      if (c.name !== 'read_file') continue
      const key = JSON.stringify(c.args)
      if (seen.has(key)) rereads++
      seen.add(key)
    }
    const raw = res.history.groups.flatMap((g) => (g.kind === 'assistant' ? g.results : [])).reduce((n, r) => n + counter.count(r.content), 0)
    return {
      name: scenario.name,
      total_input: requests.reduce((a, b) => a + b, 0),
      largest_request: Math.max(...requests),
      requests: requests.length,
      tool_calls: res.toolCalls,
      rereads,
      raw_tool_output: raw,
      stop: res.stop,
    }
  } finally {
    await client.close()
    await server.close()
    rmSync(root, {recursive: true, force: true})
  }
}

/** Every scenario, in order. */
export async function runAll() {
  const counter = await loadTokenCounter('o200k_base')
  const out = []
  for (const s of scenarios) out.push(await runScenario(s, counter))
  return out
}
