import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Identity and isolation for every git call in tests: no user config, fixed dates. */
export const gitEnv: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
}

/** Run git in a directory and return trimmed stdout (throws on failure). */
export function sh(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {cwd, env: {...process.env, ...gitEnv}, input, encoding: 'utf8', maxBuffer: 1 << 28}).trim()
}

/** A fresh temporary directory (realpath'd), removed by the returned cleanup. */
export function tempDir(prefix = 'pare-'): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), prefix)))
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel)
    mkdirSync(path.dirname(p), {recursive: true})
    writeFileSync(p, content)
  }
}

/** A real git repository with the given files committed on `main` (unless commit: false). */
export function makeRepo(files: Record<string, string | Buffer> = {'README.md': '# demo\n'}, opts: {commit?: boolean} = {}): string {
  const dir = tempDir('pare-repo-')
  sh(dir, ['init', '-q', '-b', 'main'])
  writeFiles(dir, files)
  if (opts.commit !== false) {
    sh(dir, ['add', '-A'])
    sh(dir, ['commit', '-q', '-m', 'initial'])
  }
  return dir
}

export function removeDir(dir: string): void {
  rmSync(dir, {recursive: true, force: true})
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Run the built CLI as a user would (`git pare …` resolves to bin/run.js).
 * HOME and XDG_CONFIG_HOME point at an empty folder so the developer's config never leaks in.
 */
export function runCli(args: string[], opts: {cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number}): CliResult {
  const home = opts.env?.HOME ?? tempDir('pare-home-')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...gitEnv,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    NO_COLOR: '1',
    PARECODE_NO_OLLAMA_PROBE: '1',
    OPENAI_API_KEY: '',
    OPENROUTER_API_KEY: '',
    PARECODE_API_KEY: '',
    PARECODE_BASE_URL: '',
    PARECODE_MODEL: '',
    ...opts.env,
  }
  for (const k of Object.keys(env)) if (env[k] === '') delete env[k]
  const res = spawnSync(process.execPath, [path.join(projectRoot, 'bin/run.js'), ...args], {
    cwd: opts.cwd,
    env,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
  })
  return {code: res.status ?? 1, stdout: res.stdout, stderr: res.stderr}
}

/**
 * Like runCli, but asynchronous: needed when the test process also serves the loopback model
 * (a synchronous spawn would block its event loop).
 */
export function runCliAsync(args: string[], opts: {cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string; onSpawn?: (child: ChildProcess) => void}): Promise<CliResult> {
  const home = opts.env?.HOME ?? tempDir('pare-home-')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...gitEnv,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    NO_COLOR: '1',
    PARECODE_NO_OLLAMA_PROBE: '1',
    ...opts.env,
  }
  for (const k of ['OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'PARECODE_API_KEY', 'PARECODE_BASE_URL', 'PARECODE_MODEL']) if (!opts.env?.[k]) delete env[k]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/run.js'), ...args], {cwd: opts.cwd, env})
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.stdin.end(opts.input ?? '')
    opts.onSpawn?.(child)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code: code ?? 1, stdout, stderr})
    })
  })
}

/**
 * Approve what a repository supplies (its config, hooks, conventions) for the user whose HOME is `home`, as
 * `git pare trust --yes` does: tests of an approved repository's legitimate use start here.
 */
export function trustRepo(root: string, home: string): CliResult {
  const res = runCli(['trust', '--yes'], {cwd: root, env: {HOME: home}})
  if (res.code !== 0) throw new Error(`git pare trust failed: ${res.stderr}`)
  return res
}
