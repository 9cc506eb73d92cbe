import {spawn} from 'node:child_process'

export interface RunHookOptions {
  cwd: string
  /** Default 30 s. */
  timeoutMs?: number
  signal?: AbortSignal
  /** Lines of output kept (default 50), error lines first. */
  maxLines?: number
  env?: NodeJS.ProcessEnv
}

export interface HookRun {
  command: string
  /** Exit status; 124 after a timeout, 128+n after signal n, -1 when the shell could not start. */
  code: number
  /** stdout and stderr interleaved, capped. */
  output: string
  timedOut: boolean
  ms: number
}

const KEEP_BYTES = 4 << 20
// Compiler and linter error shapes: `error TS2322`, `error[E0308]`, `file:3:5:`, `FAIL`, tracebacks, panics.
const errorLine = /\b(error|errors|fatal|panic|failed|failure|exception|traceback|undefined reference|cannot find|not found)\b|^\s*E\d{3,}|^\S+?:\d+(:\d+)?:|\(\d+,\d+\): /i
/** True for a line that looks like a compiler, linter or test error. */
export function isErrorLine(line: string): boolean {
  return errorLine.test(line)
}

const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]/g

/**
 * Keep at most `maxLines` lines: error lines (with the line after each, often the location or the code) are kept
 * first, the rest of the budget goes to the head of the output; kept lines stay in their original order.
 */
export function capOutput(text: string, maxLines = 50): string {
  const lines = text.replace(ansi, '').replace(/\r\n?/g, '\n').split('\n').map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
  while (lines.length && !lines[lines.length - 1]!.trim()) lines.pop()
  if (lines.length <= maxLines) return lines.join('\n')
  const budget = Math.max(1, maxLines - 1)
  const keep = new Set<number>()
  for (let i = 0; i < lines.length && keep.size < budget; i++) {
    if (!errorLine.test(lines[i]!)) continue
    keep.add(i)
    if (i + 1 < lines.length && keep.size < budget) keep.add(i + 1)
  }
  for (let i = 0; i < lines.length && keep.size < budget; i++) keep.add(i)
  const kept = [...keep].sort((a, b) => a - b).map((i) => lines[i]!)
  kept.push(`… ${lines.length - kept.length} more lines not shown (${lines.length} in all; error lines kept first)`)
  return kept.join('\n')
}

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return
  try {
    // The hook runs in its own process group, so whatever it started dies with it.
    process.kill(process.platform === 'win32' ? pid : -pid, sig)
  } catch {
    // Already gone.
  }
}

const signalNumbers: Record<string, number> = {SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15}

/** Run one hook command through the shell. Never throws: a broken command reports its exit code and stderr. */
export function runHook(command: string, opts: RunHookOptions): Promise<HookRun> {
  const timeoutMs = opts.timeoutMs ?? 30_000
  const started = Date.now()
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let kept = 0
    let dropped = 0
    let timedOut = false
    let settled = false
    const collect = (d: Buffer) => {
      if (kept < KEEP_BYTES) {
        chunks.push(d)
        kept += d.length
      } else dropped += d.length
    }
    const finish = (code: number, extra?: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(hardKill)
      clearTimeout(fallback)
      opts.signal?.removeEventListener('abort', onAbort)
      let output = capOutput(Buffer.concat(chunks).toString('utf8'), opts.maxLines ?? 50)
      if (dropped) output += `\n… ${dropped} more bytes of output dropped`
      if (extra) output = output ? `${output}\n${extra}` : extra
      resolve({command, code, output, timedOut, ms: Date.now() - started})
    }
    let hardKill: NodeJS.Timeout | undefined
    let fallback: NodeJS.Timeout | undefined
    const stop = () => {
      killGroup(child.pid, 'SIGTERM')
      hardKill = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000)
    }
    const child = spawn(command, {cwd: opts.cwd, env: opts.env ?? process.env, shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe']})
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const timer = setTimeout(() => {
      timedOut = true
      stop()
    }, timeoutMs)
    const onAbort = () => stop()
    if (opts.signal?.aborted) stop()
    else opts.signal?.addEventListener('abort', onAbort, {once: true})
    child.on('error', (err) => finish(-1, `could not run hook: ${err.message}`))
    const statusOf = (code: number | null, sig: NodeJS.Signals | null) => (timedOut ? 124 : code ?? (sig ? 128 + (signalNumbers[sig] ?? 0) : -1))
    const note = () => (timedOut ? `[hook timed out after ${Math.round(timeoutMs / 100) / 10} s and was stopped]` : opts.signal?.aborted ? '[hook interrupted]' : undefined)
    child.on('close', (code, sig) => finish(statusOf(code, sig), note()))
    child.on('exit', (code, sig) => {
      // A grandchild that left the process group may hold the pipes open: do not wait for it.
      fallback = setTimeout(() => {
        child.stdout.destroy()
        child.stderr.destroy()
        finish(statusOf(code, sig), note())
      }, 500)
    })
  })
}
