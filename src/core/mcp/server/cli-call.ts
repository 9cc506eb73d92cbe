import {spawn} from 'node:child_process'
import {parseProgressLine, PROGRESS_ENV} from './progress.js'

// Each tool call runs the CLI itself (`node bin/run.js <command> --json …`) in the server's directory. Its --json
// envelope is the tool's result, so MCP and the command line cannot drift apart, and every rule of the CLI holds as
// it is: trust, approvals (the child has no terminal, so whatever would ask is refused with the CLI's own message),
// the repository lock, and Ctrl+C, which keeps the checkpoint and exits 130.

/** How to start the CLI: node, its entry script, the directory and environment it runs in. */
export interface CliCommand {
  node: string
  script: string
  cwd: string
  env: NodeJS.ProcessEnv
}

/** What `--json` prints: one envelope. */
export interface Envelope {
  status: number
  result?: unknown
  error?: {code: string; message: string; hint: string | null}
  warnings: string[]
}

export interface CliOutcome {
  /** The child's exit code (130 after an interrupt). */
  code: number
  /** Its --json envelope, or undefined when it printed none (it crashed). */
  envelope?: Envelope
  /** Its stderr, progress lines removed (the last few KiB). */
  stderr: string
  interrupted: boolean
}

export interface CallOptions {
  signal?: AbortSignal
  /** One call per progress line the child writes. */
  onProgress?: (message: string) => void
  /** After SIGINT, how long the child gets to keep its checkpoint before SIGTERM (its second interrupt), then SIGKILL. */
  graceMs?: number
}

const MAX_STDOUT = 64 << 20
const STDERR_TAIL = 8 << 10

/** Run `git pare <argv…> --json` as a child and return its envelope; an abort sends SIGINT and waits for the exit. */
export function callCli(cli: CliCommand, argv: string[], opts: CallOptions = {}): Promise<CliOutcome> {
  return new Promise((resolve) => {
    // Its own process group: a Ctrl+C meant for the server reaches the child once, through the abort below, and not
    // twice (a second interrupt makes the CLI quit at once, before it records how the run ended).
    const child = spawn(cli.node, [cli.script, ...withJson(argv)], {
      cwd: cli.cwd,
      env: {...cli.env, [PROGRESS_ENV]: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    const out: Buffer[] = []
    let outBytes = 0
    let stderr = ''
    let partial = ''
    let interrupted = false
    const timers: NodeJS.Timeout[] = []
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length
      if (outBytes <= MAX_STDOUT) out.push(b)
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (text: string) => {
      const lines = (partial + text).split('\n')
      partial = lines.pop() ?? ''
      for (const l of lines) {
        const m = parseProgressLine(l)
        if (m !== undefined) opts.onProgress?.(m)
        else stderr = (stderr + l + '\n').slice(-STDERR_TAIL)
      }
    })
    const kill = (sig: NodeJS.Signals) => {
      try {
        child.kill(sig)
      } catch {
        // already gone
      }
    }
    const onAbort = () => {
      interrupted = true
      kill('SIGINT')
      const grace = opts.graceMs ?? 30_000
      timers.push(setTimeout(() => kill('SIGTERM'), grace), setTimeout(() => kill('SIGKILL'), grace * 2))
    }
    if (opts.signal?.aborted) onAbort()
    else opts.signal?.addEventListener('abort', onAbort, {once: true})
    const finish = (code: number) => {
      for (const t of timers) clearTimeout(t)
      opts.signal?.removeEventListener('abort', onAbort)
      if (partial) stderr = (stderr + partial).slice(-STDERR_TAIL)
      resolve({code, envelope: parseEnvelope(Buffer.concat(out).toString('utf8')), stderr, interrupted})
    }
    child.on('error', (err) => {
      stderr += `${err.message}\n`
      finish(1)
    })
    child.on('close', (code, signal) => finish(code ?? (signal === 'SIGINT' ? 130 : 1)))
  })
}

/** `--json` goes before a `--`, so that whatever follows it stays an argument. */
function withJson(argv: string[]): string[] {
  const end = argv.indexOf('--')
  return end === -1 ? [...argv, '--json'] : [...argv.slice(0, end), '--json', ...argv.slice(end)]
}

function parseEnvelope(text: string): Envelope | undefined {
  try {
    const v = JSON.parse(text) as Envelope
    return v && typeof v === 'object' && typeof v.status === 'number' ? v : undefined
  } catch {
    return undefined
  }
}
