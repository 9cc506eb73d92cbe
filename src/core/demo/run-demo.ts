import {execFile} from 'node:child_process'
import {mkdtempSync, mkdirSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {git} from '../store/git.js'
import {DEMO_FILES, DEMO_TASK} from './project.js'

export interface DemoStep {
  command: string
  code: number
  output: string
}

export interface DemoResult {
  repo: string
  kept: boolean
  model: string
  steps: DemoStep[]
  ok: boolean
}

const DEMO_MODEL = 'pare-demo (scripted, not a real model)'

function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<DemoStep> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], {cwd, env, maxBuffer: 1 << 24}, (err, stdout, stderr) => {
      const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? (err as {code: number}).code : 1) : 0
      const output = `${stderr}${stdout}`.replace(/\s+$/, '')
      resolve({command: `git pare ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`, code, output})
    })
  })
}

/**
 * `git pare demo`: a temporary repository, the embedded scripted model on 127.0.0.1, and the real CLI
 * run as a user would: plan, approve, step, log, undo, log. Needs no API key and no network.
 */
export async function runDemo(opts: {bin: string; keep?: boolean; onStep?: (s: DemoStep) => void}): Promise<DemoResult> {
  const [{startScriptedServer}, {demoPolicy}] = await Promise.all([import('../model/scripted-server.js'), import('./policy.js')])
  const repo = realpathSync(mkdtempSync(path.join(tmpdir(), 'git-pare-demo-')))
  const home = path.join(repo, '..', `${path.basename(repo)}-config`)
  mkdirSync(home, {recursive: true})
  const server = await startScriptedServer((req) => demoPolicy(req), {models: [DEMO_MODEL]})
  const steps: DemoStep[] = []
  try {
    for (const [rel, content] of Object.entries(DEMO_FILES)) {
      mkdirSync(path.dirname(path.join(repo, rel)), {recursive: true})
      writeFileSync(path.join(repo, rel), content)
    }
    const g = (args: string[]) => git(args, {cwd: repo})
    await g(['init', '-q', '-b', 'main'])
    await g(['config', 'user.name', 'git-pare demo'])
    await g(['config', 'user.email', 'demo@git-pare.invalid'])
    await g(['add', '-A'])
    await g(['commit', '-q', '-m', 'demo-shop: initial version'])
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PARECODE_BASE_URL: server.url,
      PARECODE_MODEL: DEMO_MODEL,
      PARECODE_API_KEY: 'demo',
      PARECODE_NO_OLLAMA_PROBE: '1',
      XDG_CONFIG_HOME: home,
      NO_COLOR: '1',
    }
    delete env.OPENAI_API_KEY
    delete env.OPENROUTER_API_KEY
    const script: string[][] = [['plan', DEMO_TASK], ['plan', 'approve', '--all'], ['step', '--all'], ['log'], ['undo'], ['log']]
    for (const args of script) {
      const s = await run(opts.bin, args, repo, env)
      steps.push(s)
      opts.onStep?.(s)
      if (s.code !== 0) break
    }
    return {repo, kept: Boolean(opts.keep), model: DEMO_MODEL, steps, ok: steps.length === script.length && steps.every((s) => s.code === 0)}
  } finally {
    await server.close()
    rmSync(home, {recursive: true, force: true})
    if (!opts.keep) rmSync(repo, {recursive: true, force: true})
  }
}
