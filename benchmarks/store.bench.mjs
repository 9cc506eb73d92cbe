// Store speed on generated repositories (1,000 and 10,000 files, 100 changed): snapshot (cold and warm
// private index), restore, plan and session writes, next to `git status --porcelain -uall` and
// `git stash create` on the same repository. Uses the BUILT store (dist/).
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {openStore} from '../dist/core/store/index.js'

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
}
const git = (cwd, args) => execFileSync('git', args, {cwd, env, maxBuffer: 1 << 28}).toString()

function makeRepo(n) {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), `pare-bench-${n}-`)))
  git(dir, ['init', '-q', '-b', 'main'])
  for (let i = 0; i < n; i++) {
    mkdirSync(path.join(dir, path.dirname(fileOf(i))), {recursive: true})
    writeFileSync(path.join(dir, fileOf(i)), `// file ${i}\nexport const v${i} = ${i}\n`.repeat(12))
  }
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n*.log\n')
  git(dir, ['add', '-A'])
  git(dir, ['commit', '-q', '-m', 'generated'])
  return dir
}

// 20 files per folder, 10 folders per package: a layout like a real project's.
const fileOf = (i) => path.join(`pkg${Math.floor(i / 200)}`, `mod${Math.floor(i / 20) % 10}`, `file${i}.ts`)

// 100 changes: 80 edits, 10 new untracked files, 10 deletions; `round` makes each round different.
// spread: the edits land in ~80 folders (worst case: ~150 new tree objects per snapshot);
// clustered: in 4-5 neighbouring folders, as a typical agent step does.
function change(dir, n, round, clustered = false) {
  const at = (k) => (clustered ? (round * 97 + k) % n : (k * 37 + round) % n)
  for (let k = 0; k < 80; k++) writeFileSync(path.join(dir, fileOf(at(k))), `// edited in round ${round}, file ${k}\n`)
  for (let k = 0; k < 10; k++) writeFileSync(path.join(dir, path.dirname(fileOf(at(k * 8))), `new-${round}-${k}.ts`), `new ${round} ${k}\n`)
  for (let k = 0; k < 10; k++) {
    try {
      unlinkSync(path.join(dir, fileOf(at(80 + k + (clustered ? 0 : 5)))))
    } catch {}
  }
}

// CPU time of this process and its reaped children (git), in ms: steadier than wall time on a busy machine.
function cpuMs() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10
  } catch {
    return NaN
  }
}

const cpu = {}
async function time(fn, key) {
  const c = cpuMs()
  const t = performance.now()
  await fn()
  const wall = performance.now() - t
  if (key) (cpu[key] ??= []).push(cpuMs() - c)
  return wall
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const mean = (xs) => (xs?.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN)

async function measure(n, runs) {
  const dir = makeRepo(n)
  try {
    change(dir, n, 0)
    const store = await openStore(dir)
    const status = []
    const stash = []
    for (let i = 0; i < runs; i++) {
      status.push(await time(() => git(dir, ['status', '--porcelain', '-uall']), `${n}:status`))
      stash.push(await time(() => git(dir, ['stash', 'create']), `${n}:stash`))
    }
    const cold = await time(() => store.snapshot())
    const first = await store.snapshot()
    const warm = []
    const restore = []
    for (let i = 1; i <= runs; i++) {
      change(dir, n, i)
      warm.push(await time(() => store.snapshot(), `${n}:warm`))
      change(dir, n, i + 100)
      // Restore = snapshot of the current state + checkout of ~200 changed paths.
      restore.push(await time(() => store.restore(first.commit), `${n}:restore`))
    }
    const clustered = []
    for (let i = 1; i <= runs; i++) {
      change(dir, n, 200 + i, true)
      clustered.push(await time(() => store.snapshot(), `${n}:clustered`))
    }
    const plan = []
    const turn = []
    for (let i = 0; i < runs; i++) {
      plan.push(await time(() => store.writePlan('bench', `task: bench\nround: ${i}\n`, `round ${i}`)))
      turn.push(await time(() => store.appendTurn('bench', {chat: `{"role":"user","content":"${i}"}\n`, meta: 'title: bench\n'})))
    }
    const c = (k) => mean(cpu[`${n}:${k}`])
    return {n, status: median(status), stash: median(stash), cold, warm: median(warm), clustered: median(clustered), restore: median(restore), plan: median(plan), turn: median(turn), cpu: {status: c('status'), stash: c('stash'), warm: c('warm'), clustered: c('clustered'), restore: c('restore')}}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

export default async function () {
  const results = [await measure(1000, 7), await measure(10000, 5)]
  const ms = (x) => Math.round(x * 10) / 10
  const rows = results.flatMap((r) => [
    [`${r.n} files`, 'git status --porcelain -uall', ms(r.status), 1, ms(r.cpu.status)],
    [`${r.n} files`, 'git stash create', ms(r.stash), ms(r.stash / r.status), ms(r.cpu.stash)],
    [`${r.n} files`, 'snapshot (first, cold private index)', ms(r.cold), ms(r.cold / r.status), ''],
    [`${r.n} files`, 'snapshot (100 changed, spread over ~80 folders)', ms(r.warm), ms(r.warm / r.status), ms(r.cpu.warm)],
    [`${r.n} files`, 'snapshot (100 changed in 5 folders)', ms(r.clustered), ms(r.clustered / r.status), ms(r.cpu.clustered)],
    [`${r.n} files`, 'restore (~200 paths; snapshots first)', ms(r.restore), ms(r.restore / r.status), ms(r.cpu.restore)],
    [`${r.n} files`, 'writePlan (one commit)', ms(r.plan), ms(r.plan / r.status), ''],
    [`${r.n} files`, 'appendTurn (one commit)', ms(r.turn), ms(r.turn / r.status), ''],
  ])
  return {
    title: 'Store: native git with a kept private index (median wall ms; x = multiple of git status; cpu = mean CPU ms incl. git children)',
    columns: ['repository', 'operation', 'ms', 'x status', 'cpu ms'],
    rows,
    data: {results},
    note: 'Aim: a second snapshot within 2x of `git status --porcelain -uall`. A snapshot must write one tree object per changed folder (loose objects), which git status never does; that is most of the gap when changes are spread out.',
  }
}
