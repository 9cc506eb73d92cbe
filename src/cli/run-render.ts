import {chalkStderr} from 'chalk'
import type {AgentEvent} from '../core/agent/loop.js'
import type {RunTaskResult} from '../core/agent/run-task.js'
import {formatUsd} from '../core/model/cost.js'
import {plural} from '../core/text/plural.js'
import {neutralise, neutraliseLine} from '../core/text/terminal.js'
import {progressPrinter} from './agent-session.js'
import {Spinner} from './spinner.js'

export interface RunRenderer {
  onEvent(e: AgentEvent): void
  /** Print what is held and erase the spinner; resolves to whether any answer text was shown as it streamed. */
  finish(): Promise<boolean>
}

export interface RunRenderOptions {
  model: string
  verbose?: boolean
  json?: boolean
  out?: NodeJS.WriteStream
  err?: NodeJS.WriteStream
  env?: NodeJS.ProcessEnv
}

const k = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n))

/** One line per tool call: `✓ edit_file edited src/a.ts (1 line)`; coloured only where the stream allows it. */
export function toolLine(e: Extract<AgentEvent, {type: 'tool'}>, color = false): string {
  const c = color ? chalkStderr : undefined
  const mark = e.ok ? (c ? c.green('✓') : '✓') : c ? c.red('✗') : '✗'
  const summary = neutraliseLine(e.summary)
  return `${mark} ${neutraliseLine(e.name)} ${c ? c.dim(summary) : summary}`
}

/**
 * `git pare run` on a terminal: a spinner on stderr while the model is being waited for, the answer on stdout as
 * it streams (calls written as text kept off it), one line per tool call, reasoning with -v closed by its own line
 * break. Off a terminal, or with NO_COLOR: no spinner, no colour, plain lines; --json: nothing but MCP progress.
 */
export async function runRenderer(opts: RunRenderOptions): Promise<RunRenderer> {
  const out = opts.out ?? process.stdout
  const err = opts.err ?? process.stderr
  const env = opts.env ?? process.env
  const plain = progressPrinter({verbose: opts.verbose, json: opts.json})
  if (opts.json) return {onEvent: plain, finish: async () => false}
  const noColor = Boolean(env.NO_COLOR)
  const color = Boolean(err.isTTY) && !noColor && chalkStderr.level > 0
  const spinner = err.isTTY && !noColor ? new Spinner(err) : undefined
  let writer: import('./chat/render.js').AnswerWriter | undefined
  let gate: import('./chat/markup-gate.js').MarkupGate | undefined
  if (out.isTTY) {
    const [{AnswerWriter, loadMarkdown}, {MarkupGate}, {allTools}] = await Promise.all([import('./chat/render.js'), import('./chat/markup-gate.js'), import('../core/tools/registry.js')])
    writer = new AnswerWriter(out, noColor ? undefined : loadMarkdown({width: out.columns}))
    gate = new MarkupGate(new Set(allTools().map((t) => t.name)))
  }
  let queue: Promise<void> = Promise.resolve()
  const later = (f: () => unknown) => {
    queue = queue.then(f).then(
      () => undefined,
      () => undefined,
    )
  }
  // What the model is doing now; a queued spinner start only shows while it is still waiting.
  let phase: 'idle' | 'waiting' | 'answering' = 'idle'
  let label = ''
  let reasoning: 'closed' | 'open' | 'open-nl' = 'closed'
  const closeReasoning = () => {
    if (reasoning === 'open') err.write(color ? '\x1b[22m\n' : '\n')
    else if (reasoning === 'open-nl' && color) err.write('\x1b[22m')
    reasoning = 'closed'
  }
  const wait = (text: string) => {
    phase = 'waiting'
    label = text
    later(() => {
      if (phase === 'waiting') spinner?.start(label)
    })
  }
  const flushAnswer = () => {
    if (!writer) return
    writer.push(gate!.end())
    later(() => writer!.flush())
  }
  const onEvent = (e: AgentEvent): void => {
    if (e.type === 'send') {
      closeReasoning()
      return wait(`${neutraliseLine(opts.model)} · request ${e.n} · ${k(e.tokens)} tokens`)
    }
    if (e.type === 'model') {
      const m = e.event
      if (m.type === 'content') {
        if (!writer) return
        phase = 'answering'
        spinner?.stop()
        closeReasoning()
        return writer.push(gate!.push(m.text))
      }
      if (m.type === 'reasoning') {
        if (!opts.verbose) return
        spinner?.stop()
        if (phase === 'waiting') phase = 'answering'
        err.write(`${color && reasoning === 'closed' ? '\x1b[2m' : ''}${neutralise(m.text)}`)
        reasoning = /\n$/.test(m.text) ? 'open-nl' : 'open'
        return
      }
      if (m.type === 'tool_call') {
        // Only while nothing else is on the line: a streamed answer's line would be erased by a redraw.
        if (phase === 'waiting') label = `${neutraliseLine(opts.model)} · writing a ${neutraliseLine(m.name)} call`
        return
      }
      // retry and warning lines: the spinner steps aside, then comes back while still waiting.
      spinner?.stop()
      closeReasoning()
      later(() => plain(e))
      if (phase === 'waiting') wait(label)
      return
    }
    spinner?.stop()
    closeReasoning()
    if (e.type === 'request') {
      phase = 'idle'
      return flushAnswer()
    }
    if (e.type === 'tool') {
      flushAnswer()
      return later(() => err.write(`${toolLine(e, color)}\n`))
    }
    later(() => plain(e))
  }
  return {
    onEvent,
    async finish() {
      phase = 'idle'
      flushAnswer()
      await queue
      spinner?.stop()
      closeReasoning()
      return writer?.any ?? false
    },
  }
}

/** The line after a run: files, tool calls, tokens, money (when priced), session and checkpoint. */
export function runSummary(res: Pick<RunTaskResult, 'files_changed' | 'tool_calls' | 'tokens' | 'cost_usd' | 'session' | 'checkpoint'>): string {
  const cp = res.checkpoint.seq
  const parts = [
    `${plural(res.files_changed.length, 'file')} changed`,
    plural(res.tool_calls, 'tool call'),
    `${res.tokens.input} in / ${res.tokens.output} out tokens`,
    ...(res.cost_usd === null ? [] : [formatUsd(res.cost_usd)]),
    `session ${neutraliseLine(res.session.id)}`,
    `checkpoint ${cp} (git pare show ${cp}; undo: git pare undo)`,
  ]
  return parts.join(' · ')
}
