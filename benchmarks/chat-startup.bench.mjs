// Chat startup: how long `git pare chat` takes to show its prompt on a terminal, against `git pare --version`
// (aim: within 2x). Both run under script(1), which gives them a pseudo-terminal, so they pay the same wrapper.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = Number(process.env.BENCH_RUNS ?? 10)
const bin = path.join(root, 'bin/run.js')
const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Milliseconds until `until` appears in what the command prints on its terminal; then it is stopped. */
function once(args, until, opts) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint()
    const child = spawn('script', ['-qfec', [process.execPath, bin, ...args].map(quote).join(' '), '/dev/null'], {...opts, stdio: ['pipe', 'pipe', 'pipe'], detached: true})
    let out = ''
    let ms
    const timer = setTimeout(() => {
      kill()
      reject(new Error(`git pare ${args.join(' ')}: no "${until}" in 60 s: ${out}`))
    }, 60_000)
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    child.stdout.on('data', (d) => {
      out += d
      if (ms === undefined && out.includes(until)) {
        ms = Number(process.hrtime.bigint() - t) / 1e6
        kill()
      }
    })
    child.on('close', () => {
      clearTimeout(timer)
      if (ms === undefined) reject(new Error(`git pare ${args.join(' ')} ended without "${until}": ${out}`))
      else resolve(ms)
    })
  })
}

async function time(args, until, opts) {
  const samples = []
  // One warm-up run so the first sample does not pay for a cold file cache.
  for (let i = 0; i <= RUNS; i++) {
    const ms = await once(args, until, opts)
    if (i > 0) samples.push(ms)
  }
  return {median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples}
}

export default async function chatStartup() {
  if (spawnSync('script', ['--version']).status !== 0) throw new Error('script(1) (util-linux) is needed to give chat a terminal')
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-home-')))
  const repo = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-repo-')))
  spawnSync('git', ['init', '-q', repo])
  // Isolated: no user config, no Ollama probe, no provider keys; the environment of a fresh machine.
  const env = {PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NO_COLOR: '1', PARECODE_NO_OLLAMA_PROBE: '1', TERM: 'xterm'}
  const opts = {cwd: repo, env}
  try {
    const version = {name: 'git-pare --version', ...(await time(['--version'], 'git-pare/', opts))}
    const chat = {name: 'git-pare chat (until the prompt)', ...(await time(['chat'], '› ', opts))}
    const results = [version, chat]
    const rows = results.map((r) => [r.name, r.median, r.min, r.max, r.median / version.median])
    return {
      title: `Chat startup on a terminal (median of ${RUNS} runs, ms)`,
      columns: ['command', 'median ms', 'min ms', 'max ms', 'x --version'],
      rows,
      note: `the chat prompt is up in ${(chat.median / version.median).toFixed(2)}x the time of git-pare --version (aim: within 2x)`,
      data: {runs: RUNS, results},
    }
  } finally {
    rmSync(home, {recursive: true, force: true})
    rmSync(repo, {recursive: true, force: true})
  }
}
