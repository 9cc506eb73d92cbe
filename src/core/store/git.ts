import {execFile, spawn} from 'node:child_process'

export interface GitResult {
  stdout: string
  stderr: string
  code: number
}

export interface GitOptions {
  cwd: string
  env?: NodeJS.ProcessEnv
  input?: string | Buffer
  /** Do not throw on a non-zero exit; return the code instead. */
  allowFail?: boolean
  signal?: AbortSignal
  /** Raw stdout as a Buffer (for blobs). */
  encoding?: 'utf8' | 'buffer'
}

/** Error from a git subprocess; carries the command and stderr for debugging. */
export class GitError extends Error {
  constructor(readonly args: string[], readonly code: number, readonly stderr: string) {
    super(`git ${args.join(' ')} failed (${code}): ${stderr.trim().split('\n')[0] ?? ''}`)
  }
}

// Keep git quiet and deterministic: no pager, no prompts, no user hooks reading our env.
// GIT_OPTIONAL_LOCKS=0: `status` and `diff` would otherwise refresh the user's .git/index as a side effect of reading
// it (a rewrite the user never asked for, racing their own git); git pare only ever reads that index.
const baseEnv = {GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0'}
/**
 * Options before every subcommand. core.fsmonitor names a program git runs on status-like commands; a
 * repository's config (or a command the model ran) could point it anywhere, and it is only a speed-up.
 */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false']

/** Run native git and collect its output. */
export function git(args: string[], opts: GitOptions): Promise<GitResult> {
  if (opts.input !== undefined) return gitWithInput(args, opts)
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...SAFE_CONFIG, ...args],
      {cwd: opts.cwd, env: {...process.env, ...baseEnv, ...opts.env}, maxBuffer: 1 << 30, signal: opts.signal, encoding: 'utf8'},
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? ((err as {code: number}).code) : 1) : 0
        if (err && (err as {name?: string}).name === 'AbortError') return reject(err)
        if (code !== 0 && !opts.allowFail) return reject(new GitError(args, code, String(stderr)))
        resolve({stdout: String(stdout), stderr: String(stderr), code})
      },
    )
  })
}

function gitWithInput(args: string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_CONFIG, ...args], {cwd: opts.cwd, env: {...process.env, ...baseEnv, ...opts.env}, signal: opts.signal})
    const out: Buffer[] = []
    const errs: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => errs.push(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const res = {stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8'), code: code ?? 1}
      if (res.code !== 0 && !opts.allowFail) return reject(new GitError(args, res.code, res.stderr))
      resolve(res)
    })
    child.stdin.end(opts.input)
  })
}
