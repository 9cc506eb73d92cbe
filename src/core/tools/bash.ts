import {spawn} from 'node:child_process'
import {capOutput, cleanOutput} from './bash-output.js'
import {refusal, sandboxNote} from '../sandbox/gate.js'
import {resolveBashPolicy} from '../sandbox/policy.js'
import {defineTool, toolError} from './define.js'
import {allowlistEnv, COMMAND_ENV, safePath} from './env.js'
import {plural, quote} from './text.js'

export {scrubEnv} from './env.js'

export const DEFAULT_TIMEOUT_S = 60
export const MAX_TIMEOUT_S = 300
/** Time between SIGTERM and SIGKILL of the process group. */
const KILL_GRACE_MS = 2000
/** Raw bytes kept from each end of a huge output (the middle is dropped before line capping). */
const KEEP_BYTES = 1 << 20

export interface BashArgs {
  command: string
  timeout?: number
}

/** Signal a whole process group; false when it is already gone. */
function killGroup(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, sig)
    return true
  } catch {
    return false // ESRCH: nothing left in the group
  }
}

/** Collects output keeping the first and last KEEP_BYTES, counting what fell out between. */
class OutputBuffer {
  private head: Buffer[] = []
  private headLen = 0
  private tail: Buffer[] = []
  private tailLen = 0
  dropped = 0

  push(b: Buffer): void {
    if (this.headLen < KEEP_BYTES) {
      const take = b.subarray(0, KEEP_BYTES - this.headLen)
      this.head.push(take)
      this.headLen += take.length
      b = b.subarray(take.length)
      if (!b.length) return
    }
    this.tail.push(b)
    this.tailLen += b.length
    while (this.tailLen - this.tail[0]!.length >= KEEP_BYTES) {
      this.tailLen -= this.tail[0]!.length
      this.dropped += this.tail.shift()!.length
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8')
    const tail = Buffer.concat(this.tail).toString('utf8')
    return this.dropped ? `${head}\n…[${this.dropped} bytes omitted]\n${tail}` : head + tail
  }
}

export default defineTool<BashArgs>({
  name: 'bash',
  description: `Run a shell command in the repo root (timeout seconds, default ${DEFAULT_TIMEOUT_S}). Output capped.`,
  parameters: {
    type: 'object',
    properties: {
      command: {type: 'string'},
      timeout: {type: 'integer'},
    },
    required: ['command'],
  },
  async run(args, ctx) {
    if (args.command.trim() === '') return toolError('command must not be empty')
    if (ctx.signal?.aborted) return toolError('interrupted before the command started', 'bash: interrupted')
    const max = ctx.maxBashTimeout ?? MAX_TIMEOUT_S
    const asked = args.timeout ?? DEFAULT_TIMEOUT_S
    if (!Number.isFinite(asked) || asked <= 0) return toolError(`timeout must be a positive number of seconds (max ${max})`)
    const timeoutS = Math.min(asked, max)
    const policy = await resolveBashPolicy(ctx.bash)
    const refused = await refusal(args.command, policy, {root: ctx.root, approve: ctx.approve, signal: ctx.signal})
    if (refused) return toolError(refused, `bash ${quote(args.command)}: not approved`)
    if (ctx.signal?.aborted) return toolError('interrupted before the command started', 'bash: interrupted')
    const base = allowlistEnv(ctx.env ?? process.env)
    const env = {...base, PATH: safePath(base.PATH, ctx.root), ...COMMAND_ENV}
    let spawnArgs: {file: string; args: string[]; env: Record<string, string>; cleanup(): void} = {file: 'bash', args: ['-c', args.command], env, cleanup() {}}
    if (policy.sandbox) {
      const {wrapCommand} = await import('../sandbox/wrap.js')
      try {
        spawnArgs = wrapCommand({sandbox: policy.sandbox, root: ctx.root, env, network: policy.network, argv: ['bash', '-c', args.command]})
      } catch (e) {
        return toolError(`could not set up the sandbox: ${(e as Error).message}`)
      }
    }

    const out = new OutputBuffer()
    const outcome = await new Promise<{code: number | null; signal: string | null; timedOut: boolean; aborted: boolean; error?: string}>((resolve) => {
      let timedOut = false
      let aborted = false
      let settled = false
      let killTimer: NodeJS.Timeout | undefined
      const child = spawn(spawnArgs.file, spawnArgs.args, {cwd: ctx.root, env: spawnArgs.env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
      const stop = (): void => {
        if (child.pid === undefined) return
        killGroup(child.pid, 'SIGTERM')
        killTimer ??= setTimeout(() => killGroup(child.pid!, 'SIGKILL'), KILL_GRACE_MS)
      }
      const timer = setTimeout(() => {
        timedOut = true
        stop()
      }, timeoutS * 1000)
      const onAbort = (): void => {
        aborted = true
        stop()
      }
      ctx.signal?.addEventListener('abort', onAbort, {once: true})
      const finish = (code: number | null, signal: string | null, error?: string): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        ctx.signal?.removeEventListener('abort', onAbort)
        // Background jobs left in the group would outlive the agent and hold our pipes open.
        // Only a group that still exists gets the delayed SIGKILL, so a reused group id is never hit.
        if (killTimer) clearTimeout(killTimer)
        const pid = child.pid
        if (pid !== undefined && killGroup(pid, 'SIGTERM')) setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS)
        child.stdout?.destroy()
        child.stderr?.destroy()
        resolve({code, signal, timedOut, aborted, error})
      }
      child.stdout!.on('data', (b: Buffer) => out.push(b))
      child.stderr!.on('data', (b: Buffer) => out.push(b))
      child.on('error', (e) => finish(null, null, e.message))
      child.on('close', (code, signal) => finish(code, signal))
      // bash exited but a background job still holds stdout: do not wait for it beyond a moment.
      child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 500).unref())
    })

    spawnArgs.cleanup()
    if (outcome.error) return toolError(`could not run bash: ${outcome.error}`)
    const text = out.text()
    const lines = capOutput(cleanOutput(text))
    const status = outcome.timedOut
      ? `timed out after ${timeoutS}s; process group killed`
      : outcome.aborted
        ? 'interrupted; process group killed'
        : outcome.code !== null
          ? `exit code ${outcome.code}`
          : `killed by ${outcome.signal}`
    const notes = [status]
    if (asked > max) notes.push(`timeout capped at ${max}s`)
    const body = lines.length ? lines.join('\n') : '(no output)'
    const ok = outcome.code === 0 && !outcome.timedOut && !outcome.aborted
    const note = sandboxNote(text, policy, ok)
    if (note) notes.push(note)
    return {
      content: `${body}\n[${notes.join('; ')}]`,
      summary: `bash ${quote(args.command)}: ${outcome.timedOut ? 'timed out' : outcome.aborted ? 'interrupted' : status}, ${plural(lines.length, 'line')}`,
      ok,
    }
  },
})
