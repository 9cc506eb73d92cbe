import type {LoadedConfig} from '../core/config/load.js'
import type {AgentEvent} from '../core/agent/loop.js'
import type {HookObserver} from '../core/hooks/event-hooks.js'
import type {Runtime} from '../core/agent/runtime.js'
import type {Store} from '../core/store/store.js'
import type {RepoPaths} from '../core/store/repo.js'
import {neutralise, neutraliseLine} from '../core/text/terminal.js'
import {agentProgressLine, jsonProgress} from '../core/mcp/server/progress.js'
import {terminalApprover} from './approval-prompt.js'
import {loadCommandConfig} from './model-flags.js'

/** Ctrl+C aborts the current request and tool at once; a second Ctrl+C exits immediately. */
export function interruptSignal(): {signal: AbortSignal; dispose(): void} {
  const ac = new AbortController()
  let count = 0
  const onInt = () => {
    count++
    if (count > 1) process.exit(130)
    process.stderr.write('\ninterrupting… (Ctrl+C again to quit now)\n')
    ac.abort()
  }
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onInt)
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onInt)
    },
  }
}

export interface AgentSession {
  config: LoadedConfig
  store: Store
  runtime: Runtime
  signal: AbortSignal
  close(): Promise<void>
}

/** Config, store, runtime and Ctrl+C handling for commands that call a model. */
export async function openAgentSession(
  repo: RepoPaths,
  flags: {profile?: string; model?: string; 'base-url'?: string},
  opts: {onWarning: (m: string) => void},
): Promise<AgentSession> {
  let config = await loadCommandConfig(flags, {repoRoot: repo.root})
  // Nothing configured, on a terminal: offer `git pare setup` here instead of the how-to (requireModel raises it otherwise).
  if (!config.profile.baseUrl && (await (await import('./setup-flow.js')).offerSetup(config, {json: (flags as {json?: boolean}).json}))) config = await loadCommandConfig(flags, {repoRoot: repo.root})
  for (const w of config.warnings) opts.onWarning(w)
  const [{openStore}, {createRuntime}] = await Promise.all([import('../core/store/store.js'), import('../core/agent/runtime.js')])
  const store = await openStore(repo, {onWarning: opts.onWarning})
  const runtime = await createRuntime({root: repo.root, config, env: process.env, approve: terminalApprover(), onWarning: opts.onWarning})
  const local = await runtime.client.checkLocalContext().catch(() => undefined)
  // Ollama's default context is only a guess until the model loads; the client warns again after the first answer if it is real.
  if (local?.warning && local.source !== 'default') opts.onWarning(local.warning)
  const sig = interruptSignal()
  return {
    config,
    store,
    runtime,
    signal: sig.signal,
    async close() {
      sig.dispose()
      await runtime.close()
    },
  }
}

/** One line per tool call on stderr (progress), dimmed reasoning with -v. */
export function progressPrinter(opts: {verbose?: boolean; json?: boolean}): (e: AgentEvent) => void {
  const dim = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR
  // Under `git pare mcp` the --json child reports progress as lines the server turns into MCP notifications.
  const mcp = opts.json ? jsonProgress(process.env, agentProgressLine, (l) => process.stderr.write(l)) : undefined
  // Reasoning streams without its own line ends: the first other event after it starts a new line.
  let midLine = false
  return (e) => {
    if (opts.json) return void mcp?.(e)
    const reasoning = e.type === 'model' && e.event.type === 'reasoning'
    if (midLine && !reasoning) {
      process.stderr.write('\n')
      midLine = false
    }
    // Tool names, summaries and reasoning carry model output: never raw on the terminal.
    if (e.type === 'tool') process.stderr.write(`${e.ok ? '·' : '✗'} ${neutraliseLine(e.name)}: ${neutraliseLine(e.summary)}\n`)
    else if (e.type === 'retry_context') process.stderr.write(`… ${neutraliseLine(e.message)}\n`)
    else if (e.type === 'model') {
      const m = e.event
      if (m.type === 'retry') process.stderr.write(`… retry ${m.attempt} in ${Math.round(m.delayMs / 100) / 10}s: ${neutraliseLine(m.reason)}\n`)
      else if (m.type === 'warning') process.stderr.write(`warning: ${neutraliseLine(m.message)}\n`)
      else if (m.type === 'reasoning' && opts.verbose) {
        process.stderr.write(dim ? `\x1b[2m${neutralise(m.text)}\x1b[22m` : neutralise(m.text))
        midLine = !m.text.endsWith('\n')
      }
    }
  }
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/**
 * Event hooks on stderr: on a terminal a spinner with the hook's name while it runs, then one result line; off a
 * terminal a plain line when it starts and one when it ends. A failing hook's output follows its line. Silent under --json.
 */
export function hookPrinter(opts: {json?: boolean; tty?: boolean}): HookObserver {
  if (opts.json) return {}
  const tty = opts.tty ?? Boolean(process.stderr.isTTY)
  let timer: NodeJS.Timeout | undefined
  const name = (event: string, command: string) => `${event}: ${neutraliseLine(command)}`
  return {
    start(event, command) {
      if (!tty) return void process.stderr.write(`… ${name(event, command)}\n`)
      let i = 0
      const draw = () => process.stderr.write(`\r\x1b[2K${FRAMES[i++ % FRAMES.length]} ${name(event, command)}`)
      draw()
      timer = setInterval(draw, 80)
      timer.unref()
    },
    end(event, run) {
      if (timer) clearInterval(timer)
      timer = undefined
      if (tty) process.stderr.write('\r\x1b[2K')
      const secs = `${(run.ms / 1000).toFixed(1)}s`
      const ok = run.code === 0 && !run.timedOut
      const why = run.timedOut ? 'timed out' : `exit ${run.code}`
      process.stderr.write(`${ok ? '✓' : '✗'} ${name(event, run.command)} (${ok ? secs : `${why}, ${secs}`})\n`)
      if (!ok && run.output) process.stderr.write(`${neutralise(run.output).replace(/^/gm, '  ')}\n`)
    },
  }
}
