// Parallel plan steps: wall time of `git pare step --all` on a plan of 4 independent steps (disjoint files) with
// --jobs 1 against --jobs 4. The loopback model waits a fixed delay before every reply (a stand-in for a real model's
// latency, 4 s by default: BENCH_DELAY_MS), so the ratio shows how much of that waiting runs side by side. Aim: ratio at most
// 0.35. What does not overlap: start-up, and integrating each step into the plan branch one after another.
import {execFileSync, spawn} from 'node:child_process'
import {mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {startScriptedServer, turn} from '../dist/core/model/scripted-server.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'bin/run.js')
const DELAY = Number(process.env.BENCH_DELAY_MS ?? 4000)
const STEPS = 4
const gitEnv = {GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@example.com', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null'}
const git = (cwd, args) => execFileSync('git', args, {cwd, env: {...process.env, ...gitEnv}, encoding: 'utf8'}).trim()

const files = Array.from({length: STEPS}, (_, i) => `f${i + 1}.txt`)
const PLAN = {
  task: 'edit four files',
  steps: files.map((f, i) => ({description: `edit ${f}`, instruction: `Rewrite ${f}.`, files: [f], verify: {type: 'file_changed', path: f}, tool_budget: 4, n: i + 1})),
}

function policy(req) {
  const msgs = req.body.messages
  const slow = (t) => ({...t, stallMs: DELAY, stallAfter: 0})
  if (String(msgs[0]?.content).startsWith('You plan code changes')) return turn.text(JSON.stringify(PLAN))
  const n = Number(/Step (\d+) of/.exec(msgs.find((m) => m.role === 'user')?.content ?? '')?.[1] ?? 1)
  if (msgs.some((m) => m.role === 'tool')) return slow(turn.text(`step ${n} done`))
  return slow(turn.tools([{name: 'write_file', args: {path: files[n - 1], content: `step ${n}\n`, overwrite: true}}]))
}

function cli(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.stdout.resume()
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git pare ${args.join(' ')} exited ${code}: ${err.slice(-500)}`))))
  })
}

/** Seconds `git pare step --all --jobs <jobs>` takes on a fresh repository with a fresh plan. */
async function run(jobs, url) {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-par-')))
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-home-')))
  try {
    git(dir, ['init', '-q', '-b', 'main'])
    for (const f of files) writeFileSync(path.join(dir, f), `${f}\n`)
    git(dir, ['add', '-A'])
    git(dir, ['commit', '-q', '-m', 'initial'])
    const env = {...process.env, ...gitEnv, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, '.local/state'), NO_COLOR: '1', PARECODE_NO_OLLAMA_PROBE: '1', PARECODE_BASE_URL: url, PARECODE_MODEL: 'scripted-model', PARECODE_API_KEY: 'bench'}
    await cli(['plan', 'edit four files', '--no-hooks'], dir, env)
    await cli(['plan', 'approve', '--all'], dir, env)
    const t = process.hrtime.bigint()
    await cli(['step', '--all', '--jobs', String(jobs), '--no-hooks'], dir, env)
    const s = Number(process.hrtime.bigint() - t) / 1e9
    const tree = git(dir, ['rev-parse', 'HEAD^{tree}'])
    return {s, tree}
  } finally {
    rmSync(dir, {recursive: true, force: true})
    rmSync(home, {recursive: true, force: true})
  }
}

export default async function bench() {
  const server = await startScriptedServer(policy)
  try {
    const one = await run(1, server.url)
    const four = await run(STEPS, server.url)
    if (one.tree !== four.tree) throw new Error('--jobs 4 did not give the --jobs 1 result')
    const ratio = four.s / one.s
    const waited = (STEPS * 2 * DELAY) / 1000
    return {
      title: `Parallel plan steps: ${STEPS} independent steps, model replies delayed ${DELAY} ms (2 replies a step)`,
      columns: ['jobs', 'wall s', 'model wait s (serial)', 'vs --jobs 1'],
      rows: [
        [1, one.s, waited, 1],
        [STEPS, four.s, waited, ratio],
      ],
      note: `ratio --jobs ${STEPS} / --jobs 1: ${ratio.toFixed(2)} (aim ≤ 0.35); same integrated tree`,
      data: {delay_ms: DELAY, steps: STEPS, jobs1_s: one.s, jobs4_s: four.s, ratio},
    }
  } finally {
    await server.close()
  }
}
