import type {AgentSession} from '../agent-session.js'
import type {AgentEvent} from '../../core/agent/loop.js'
import type {RunProjectResult} from '../../core/agent/run-project.js'
import {ExitCode, isPareError} from '../../core/errors/pare-error.js'
import {findRepo, type RepoPaths} from '../../core/store/repo.js'
import {neutralise, neutraliseLine} from '../../core/text/terminal.js'
import {parseInput} from '../../core/chat/slash.js'
import {tallyTurn, turnLine, type Tally} from '../../core/chat/status.js'
import type {ContextEdit} from '../../core/chat/compact.js'
import type {Store} from '../../core/store/store.js'
import type {LineReader} from './input.js'
import {dispatchSlash, SLASH_NAMES} from './slash.js'
import {MarkupGate} from './markup-gate.js'

/** What `git pare chat` was started with. */
export interface ChatOptions {
  task?: string
  continue?: boolean
  session?: string
  json?: boolean
  verbose?: boolean
  profile?: string
  model?: string
  'base-url'?: string
  approval?: string
  'max-tool-calls'?: number
  'no-hooks'?: boolean
}

/** How chat runs the CLI's own commands for the slash commands that mirror them (oclif's runCommand). */
export interface ChatHost {
  runCommand(id: string, argv: string[]): Promise<unknown>
}

/** The state of one chat: the session it adds turns to, the open agent session, the tokens so far. */
export interface ChatState {
  repo: RepoPaths
  opts: ChatOptions
  host: ChatHost
  reader: LineReader
  /** The session's id once known; 'latest' before the first turn of --continue. */
  sessionId?: string
  agent?: AgentSession
  tally: Tally
  turns: number
  /** Set by /clear or /compact: how the next turn sees the session's earlier turns. */
  contextEdit?: ContextEdit
  /** --json objects printed so far. */
  jsonLines: number
  /** Exit status to end with (off a terminal: the last failing turn or command). */
  status: number
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
  /** Open (or reuse) the agent session: config, store, runtime. */
  open(): Promise<AgentSession>
  /** Close the agent session (the next turn opens a new one, e.g. with another model). */
  reset(): Promise<void>
  /** Print a failure the way every command does: one line, and a hint. */
  fail(err: unknown): number
}

/** `git pare chat`: read turns until /exit, Ctrl+D or the end of stdin; each turn is a `run` turn of one session. */
export async function runChat(opts: ChatOptions, host: ChatHost): Promise<{code: number; jsonLines: number; turns: number; session?: string}> {
  const repo = await findRepo(process.cwd())
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !opts.json
  const {chatHistoryFile, readHistory, writeHistory} = await import('../../core/chat/history.js')
  let reader: LineReader
  const historyFile = chatHistoryFile(repo.commonDir)
  let files: string[] | undefined
  if (tty) {
    const [{terminalReader}, {completer}] = await Promise.all([import('./input.js'), import('./complete.js')])
    reader = terminalReader({
      history: await readHistory(historyFile),
      completer: completer(SLASH_NAMES, () => files ?? []),
      onHistory: (h) => void writeHistory(historyFile, h).catch(() => undefined),
    })
  } else {
    const {pipeReader} = await import('./input.js')
    reader = pipeReader()
  }
  const state: ChatState = {
    repo,
    opts,
    host,
    reader,
    sessionId: opts.continue ? 'latest' : opts.session,
    tally: {input: 0, output: 0, usd: 0, priced: false},
    turns: 0,
    jsonLines: 0,
    status: ExitCode.ok,
    out: process.stdout,
    err: process.stderr,
    async open() {
      if (state.agent && !state.agent.signal.aborted) return state.agent
      await state.reset()
      const {openAgentSession} = await import('../agent-session.js')
      state.agent = await openAgentSession(repo, state.opts, {onWarning: (m) => state.err.write(`warning: ${neutralise(m)}\n`)})
      return state.agent
    },
    async reset() {
      const a = state.agent
      state.agent = undefined
      await a?.close()
    },
    fail(err) {
      const e = err as {message?: string; name?: string}
      if (opts.json) {
        const status = isPareError(err) ? err.exitCode : e.name === 'AbortError' ? ExitCode.interrupted : ExitCode.failed
        const error = isPareError(err) ? {code: err.code, message: err.message, hint: err.hint ?? null} : {code: 'error', message: e.message ?? String(err), hint: null}
        state.out.write(`${JSON.stringify({status, error, warnings: []})}\n`)
        state.jsonLines++
        return status
      }
      state.err.write(`error: ${neutraliseLine(isPareError(err) ? err.message : (e.message ?? String(err)))}\n`)
      if (isPareError(err) && err.hint) state.err.write(`hint: ${neutraliseLine(err.hint)}\n`)
      return isPareError(err) ? err.exitCode : e.name === 'AbortError' ? ExitCode.interrupted : ExitCode.failed
    },
  }
  if (tty) {
    const what = opts.continue ? 'continuing the latest session' : opts.session ? `continuing session ${neutraliseLine(opts.session)}` : 'a new session'
    state.err.write(`git pare chat · ${what} · /help for commands, Ctrl+D to leave\n`)
  }
  // Paths for @ completion: after the prompt is up, and again after each input (a turn may add files).
  const refresh = () => {
    if (tty) setImmediate(() => void trackedFiles(repo.root).then((f) => (files = f)))
  }
  try {
    let first = opts.task
    for (;;) {
      refresh()
      const line = first ?? (await reader.read())
      first = undefined
      if (line === null) break
      const input = parseInput(line)
      if (input.kind === 'empty') continue
      if (input.kind === 'slash') {
        const r = await dispatchSlash(state, input)
        if (r === 'exit') break
        continue
      }
      await turn(state, input.text)
    }
  } finally {
    reader.close()
    await state.reset()
  }
  return {code: tty ? ExitCode.ok : state.status, jsonLines: state.jsonLines, turns: state.turns, session: state.sessionId === 'latest' ? undefined : state.sessionId}
}

async function trackedFiles(root: string): Promise<string[]> {
  const {git} = await import('../../core/store/git.js')
  const res = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: root, allowFail: true})
  return res.code === 0 ? res.stdout.split('\0').filter(Boolean) : []
}

/** One turn: attach files, run the agent (streamed), then the status line (or one JSON object). */
async function turn(state: ChatState, text: string): Promise<void> {
  const {opts} = state
  const [{attachFiles}, {progressPrinter, hookPrinter}, {AnswerWriter, loadMarkdown}, {readLocalSessions}] = await Promise.all([
    import('../../core/chat/attach.js'),
    import('../agent-session.js'),
    import('./render.js'),
    import('../../core/store/local-sessions.js'),
  ])
  const att = await attachFiles(text, state.repo.root)
  const warnings: string[] = [...att.skipped]
  if (!opts.json) for (const s of att.skipped) state.err.write(`note: ${neutraliseLine(s)}\n`)
  if (!opts.json && att.attached.length) state.err.write(`attached ${att.attached.map((a) => `${a.path}${a.truncated ? ' (cut)' : ''}`).join(', ')}\n`)
  let s: AgentSession
  try {
    s = await state.open()
  } catch (err) {
    state.status = state.fail(err)
    return
  }
  const ac = new AbortController()
  const release = state.reader.busy(() => {
    state.err.write('\ninterrupting… (Ctrl+C again to quit now)\n')
    ac.abort()
  })
  const color = state.reader.tty && !process.env.NO_COLOR
  const writer = state.reader.tty ? new AnswerWriter(state.out, color ? loadMarkdown({width: process.stdout.columns}) : undefined) : undefined
  const progress = progressPrinter({verbose: opts.verbose, json: opts.json})
  let queue: Promise<void> = Promise.resolve()
  // Calls written as text are parsed out of the answer; the gate keeps their markup off the screen while it streams.
  const gate = writer ? new MarkupGate(new Set((await import('../../core/tools/registry.js')).allTools().map((t) => t.name))) : undefined
  const onEvent = (e: AgentEvent): void => {
    if (writer && e.type === 'model' && e.event.type === 'content') return writer.push(gate!.push(e.event.text))
    if (!writer) return progress(e)
    if (e.type === 'request' || e.type === 'tool') writer.push(gate!.end())
    if (e.type === 'tool') queue = queue.then(() => writer.flush())
    queue = queue.then(() => progress(e))
  }
  const edit = state.sessionId ? state.contextEdit : undefined
  const store = edit ? await editedStore(s, edit) : s.store
  const before = state.sessionId && state.sessionId !== 'latest' ? undefined : await readLocalSessions(state.repo.commonDir).catch(() => undefined)
  try {
    const {runTaskWithProject} = await import('../../core/agent/run-project.js')
    const res: RunProjectResult = await runTaskWithProject(
      {store, runtime: s.runtime, config: s.config, signal: AbortSignal.any([ac.signal, s.signal])},
      {
        task: att.task,
        session: state.sessionId,
        maxToolCalls: opts['max-tool-calls'],
        noHooks: opts['no-hooks'],
        onWarning: (m) => {
          warnings.push(m)
          if (!opts.json) state.err.write(`warning: ${neutralise(m)}\n`)
        },
        onEvent,
        onHook: hookPrinter({json: opts.json}),
        command: 'chat',
      },
    )
    await queue
    writer?.push(gate!.end())
    await writer?.flush()
    state.sessionId = res.session.id
    state.contextEdit = undefined
    state.turns++
    // The run priced each request (the profile's rates, a local server's 0, or the price table; cached input too).
    const usd = tallyTurn(state.tally, res.tokens, res.cost_usd)
    const failedHook = res.hooks.find((h) => h.event === 'on_task_done' && !h.ok)
    const status = res.stop === 'interrupted' ? ExitCode.interrupted : res.stop !== 'done' ? ExitCode.stopped : failedHook ? ExitCode.failed : ExitCode.ok
    if (status !== ExitCode.ok) state.status = status
    if (opts.json) {
      const result = {...res, attached: att.attached.map((a) => a.path), session_tokens: {input: state.tally.input, output: state.tally.output}, usd}
      state.out.write(`${JSON.stringify({status, result, warnings})}\n`)
      state.jsonLines++
      return
    }
    if (!writer && res.answer) state.out.write(`${neutralise(res.answer)}\n`)
    else if (writer && !writer.any && res.answer) state.out.write(`${neutralise(res.answer)}\n`)
    if (res.stop === 'budget' || res.stop === 'loop') state.err.write(`stopped before done: ${neutraliseLine(res.stop_reason ?? '')}\n`)
    if (failedHook) state.err.write(`error: the on_task_done hook \`${neutraliseLine(failedHook.command)}\` failed (${failedHook.timed_out ? 'timed out' : `exit ${failedHook.code}`})\n`)
    state.err.write(`${turnLine(res, state.tally, usd)}\n`)
  } catch (err) {
    await queue.catch(() => undefined)
    await writer?.flush().catch(() => undefined)
    // A turn that was recorded before it failed (Ctrl+C after a tool ran) started the session: go on in it.
    if (before) {
      const after = await readLocalSessions(state.repo.commonDir).catch(() => undefined)
      for (const [id, v] of after ?? []) if (before.get(id)?.tip !== v.tip) state.sessionId = id
    }
    if ((ac.signal.aborted || s.signal.aborted) && !opts.json) {
      state.status = ExitCode.interrupted
      state.err.write('interrupted · what it did so far is kept (/log, /diff, /undo) · the session goes on\n')
    } else {
      state.status = state.fail(err)
    }
  } finally {
    release()
    // A Ctrl+C that reached the process (an approval question, a signal) spent the session's signal: open a fresh one next time.
    if (s.signal.aborted) await state.reset()
  }
}

/**
 * The store as the next turn reads its session after /clear or /compact: the stored chat edited, so the turn (and
 * the chat it records) starts from nothing, or from one line per earlier turn. The earlier turns stay in the
 * session's commits.
 */
async function editedStore(s: AgentSession, edit: ContextEdit): Promise<Store> {
  const [{editChatJsonl}, {parseChat}] = await Promise.all([import('../../core/chat/compact.js'), import('../../core/context/session.js')])
  const opts = {counter: s.runtime.counter, contextWindow: s.runtime.profile.contextWindow}
  return {
    ...s.store,
    async readSession(id, o) {
      const t = await s.store.readSession(id, o)
      return t ? {...t, chat: editChatJsonl(t.chat, edit, opts, (x) => parseChat(x, id))} : t
    },
  }
}
