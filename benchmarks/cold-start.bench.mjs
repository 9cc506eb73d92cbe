// Cold start: how long `git pare` takes before doing anything, against `node -e 0` and `git --version`.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = Number(process.env.BENCH_RUNS ?? 10)

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function time(cmd, args, opts) {
  const samples = []
  // One warm-up run so the first sample does not pay for a cold file cache.
  for (let i = 0; i <= RUNS; i++) {
    const t = process.hrtime.bigint()
    const r = spawnSync(cmd, args, {...opts, encoding: 'utf8'})
    const ms = Number(process.hrtime.bigint() - t) / 1e6
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
    if (i > 0) samples.push(ms)
  }
  return {median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples}
}

export default async function coldStart() {
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-home-')))
  const repo = realpathSync(mkdtempSync(path.join(tmpdir(), 'pare-bench-repo-')))
  spawnSync('git', ['init', '-q', repo])
  // Isolated: no user config, no Ollama probe, no provider keys; the environment of a fresh machine.
  const env = {PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NO_COLOR: '1', PARECODE_NO_OLLAMA_PROBE: '1'}
  const opts = {cwd: repo, env}
  const bin = path.join(root, 'bin/run.js')
  try {
    const cases = [
      ['node -e 0', process.execPath, ['-e', '0']],
      ['git --version', 'git', ['--version']],
      ['git-pare --version', process.execPath, [bin, '--version']],
      ['git-pare config --json', process.execPath, [bin, 'config', '--json']],
    ]
    const results = cases.map(([name, cmd, args]) => ({name, ...time(cmd, args, opts)}))
    const node = results[0].median
    const rows = results.map((r) => [r.name, r.median, r.min, r.max, r.median / node])
    const version = results.find((r) => r.name === 'git-pare --version')
    return {
      title: `Cold start (median of ${RUNS} runs, ms)`,
      columns: ['command', 'median ms', 'min ms', 'max ms', 'x node'],
      rows,
      note: `git-pare --version is ${(version.median / node).toFixed(2)}x node -e 0 (aim: within 3x)`,
      data: {runs: RUNS, results},
    }
  } finally {
    rmSync(home, {recursive: true, force: true})
    rmSync(repo, {recursive: true, force: true})
  }
}
