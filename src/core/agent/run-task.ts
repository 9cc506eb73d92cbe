import {stringify} from 'yaml'
import type {Store} from '../store/store.js'
import {diffNames} from '../store/worktree.js'
import type {ChatMessage} from '../model/types.js'
import {InterruptedError, RepoStateError, UsageError} from '../errors/index.js'
import {SESSIONS} from '../store/sessions.js'
import {partialResult, runAgent, systemPrompt, type AgentEvent, type AgentResult, type StopReason} from './loop.js'
import type {Runtime} from './runtime.js'
import type {TelemetryRecorder} from '../telemetry/recorder.js'
import {profileMeter, type CostMeter} from '../model/cost.js'

export interface RunTaskOptions {
  task: string
  quick?: boolean
  /** Resume a session: its id, or 'latest' for --continue. */
  session?: string
  /** Extra system text: conventions, git status. */
  context?: string
  maxToolCalls?: number
  signal?: AbortSignal
  onEvent?: (e: AgentEvent) => void
  recorder?: TelemetryRecorder
  /** Prices the run and holds its --max-cost limit; default: the profile's prices, no limit. */
  meter?: CostMeter
  /** Given the checkpoint's tree, the ToolContext.afterEdit to use (hook output and change impact against that tree). */
  afterEditFor?: (baseTree: string) => (paths: string[]) => Promise<string | undefined>
  now?: () => Date
}

export interface RunTaskResult {
  answer: string
  stop: StopReason
  /** Why the run stopped before it was done (tool budget, loop guard, Ctrl+C); null when done. */
  stop_reason: string | null
  /** The model the run used (`--quick` may route to `model_routes.quick`). */
  model: string
  tool_calls: number
  requests: number
  tokens: {input: number; output: number}
  /** USD of the run at the profile's prices (0 on a local server); null when the model has no known price. */
  cost_usd: number | null
  largest_request: number
  files_changed: string[]
  session: {id: string; turn: number}
  /** Checkpoint N, the work tree before this run: `git pare show N` is what the run changed, `git pare undo` takes it back. */
  checkpoint: {seq: number; commit: string}
}

const DEFAULT_TOOL_CALLS = 40
const QUICK_TOKENS = 2048

/** Ids sort by time and stay valid ref names. */
export function newId(now: Date, prefix = ''): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${prefix}${stamp}-${Math.random().toString(36).slice(2, 6)}`
}

/**
 * The session `--continue` resumes: the one this clone used last. A pulled session is never picked, whatever its
 * date, and one of ours that gained turns elsewhere (a pull moved it on) is continued only when named.
 */
async function latestSessionHere(store: Store, m: Pick<typeof import('../store/local-sessions.js'), 'latestLocal' | 'listSessionsWithOrigin'>): Promise<string> {
  const entries = await m.listSessionsWithOrigin(store.ctx)
  const mine = m.latestLocal(entries)
  if (!mine) {
    const pulled = entries.length > 0
    throw new UsageError(
      pulled ? 'there is no session started here to continue (sessions pulled from a remote are continued only by name)' : 'there is no session to continue',
      pulled ? 'see `git pare session list`, then `git pare run --session <id> "…"`' : 'start one with `git pare run "task"`',
      'no_session',
    )
  }
  // Our last turn, or an older turn of it (a rollback), holds nothing we did not see; anything past it came from elsewhere.
  const seen = mine.local && (mine.commit === mine.local.tip || (await store.ctx.run(['merge-base', '--is-ancestor', mine.commit, mine.local.tip], {allowFail: true})).code === 0)
  if (!seen) {
    throw new UsageError(
      `session ${mine.id} has turns that were not made here (it changed since your last turn, e.g. by a pull)`,
      `read them with \`git pare session show ${mine.id}\`; continue it by name with \`git pare run --session ${mine.id} "…"\`, or roll it back with \`git pare session rollback\``,
      'session_changed',
    )
  }
  return mine.id
}

/** The model a run uses: `--quick` goes to `model_routes.quick` when the profile has one, unless `--model` named one. */
export function runModel(profile: Runtime['profile'], quick?: boolean): string {
  if (quick && profile.modelRoutes.quick && profile.sources.model !== 'flag') return profile.modelRoutes.quick
  return profile.model
}

/** How a run ended, as its checkpoint's after record and `git pare log` say it. */
export function outcomeOf(stop: StopReason, answer: string, error?: unknown): string {
  if (error !== undefined) {
    const e = error as {name?: string; message?: string}
    if (error instanceof InterruptedError || e.name === 'AbortError') return 'interrupted: by the user (Ctrl+C)'
    return `interrupted: ${(e.message ?? String(error)).split('\n')[0]}`
  }
  if (stop === 'done') return 'done'
  if (stop === 'interrupted') return 'interrupted: by the user (Ctrl+C)'
  return `stopped: ${answer.replace(/^Stopped: /, '')}`
}

/**
 * `git pare run`: checkpoint the work tree, run the agent in place, record the turn in a session
 * (refs/parecode/sessions/<id>) so `--continue` can resume it, and the tree it left on the checkpoint (what `show N`
 * shows and what undo compares with). A run that fails before any tool ran leaves nothing behind; one that fails or
 * is interrupted later keeps its checkpoint and records its session so far, then rethrows. Holds the lock throughout.
 */
export async function runTask(store: Store, rt: Runtime, opts: RunTaskOptions): Promise<RunTaskResult> {
  const now = opts.now ?? (() => new Date())
  return store.withLock(async () => {
    store.assertWorkable()
    let sessionId: string
    let prior: ChatMessage[] = []
    const {latestLocal, listSessionsWithOrigin, recordLocalSession} = await import('../store/local-sessions.js')
    if (opts.session) {
      sessionId = opts.session === 'latest' ? await latestSessionHere(store, {latestLocal, listSessionsWithOrigin}) : opts.session
      const s = await store.readSession(sessionId)
      if (!s) throw new UsageError(`no session "${sessionId}"`, 'list them with `git pare session list`')
      const {parseChat} = await import('../context/session.js')
      const chat = parseChat(s.chat, `${SESSIONS}/${sessionId}`)
      if (!chat.ok) throw new RepoStateError(chat.error, `see it with \`git pare session show ${sessionId}\`, or start a new session with \`git pare run "task"\``, 'invalid_session')
      prior = chat.messages
    } else {
      sessionId = newId(now())
    }
    const model = runModel(rt.profile, opts.quick)
    const checkpoint = await store.checkpoint(`run: ${opts.task.split('\n')[0]!.slice(0, 72)}`, {kind: 'run', session: sessionId})
    let toolsRun = 0
    const onEvent = (e: AgentEvent) => {
      if (e.type === 'tool') toolsRun++
      opts.onEvent?.(e)
    }

    // The session turn, the after record and the local-session note: written for every run that did something.
    const record = async (res: AgentResult, outcome: string) => {
      // bash can change files too: the truth is the work tree against the checkpoint.
      const after = await store.worktreeTree()
      const filesChanged = (await diffNames(store.ctx, checkpoint.tree, after)).map((d) => d.path)
      const transcript = res.history.transcript()
      // The stored task is what the user typed; the resolved reply is only for the model.
      if (transcript[0]?.role === 'user') transcript[0] = {role: 'user', content: opts.task}
      if (outcome !== 'done' && !outcome.startsWith('stopped')) transcript.push({role: 'assistant', content: `(${outcome})`})
      const chat = [...prior, ...transcript].map((m) => JSON.stringify(m)).join('\n') + '\n'
      const meta = stringify({model, profile: rt.profile.name, stop: res.stop, outcome, tokens: res.tokens, tool_calls: res.toolCalls, files_changed: filesChanged, checkpoint: checkpoint.commit, checkpoint_seq: checkpoint.seq})
      const turn = await store.appendTurn(sessionId, {chat, meta, workTree: after, title: opts.task.split('\n')[0]!.slice(0, 72), secretFiles: rt.sessionSecretFiles})
      await store.recordAfter(checkpoint, {tree: after, outcome, session: sessionId, turn: turn.turn})
      await recordLocalSession(store.paths.commonDir, sessionId, turn.commit, now())
      return {filesChanged, turn}
    }

    let res: AgentResult
    try {
      const {buildPreamble, resolveReply} = await import('../context/session.js')
      const preamble = prior.length ? buildPreamble(prior, {counter: rt.counter, contextWindow: rt.profile.contextWindow}).text : undefined
      const task = prior.length ? resolveReply(opts.task, prior) : opts.task
      const tools = await rt.tools({quick: opts.quick})
      res = await runAgent(
        {system: systemPrompt(opts.context), task, preamble},
        {
          client: rt.client,
          ...(model !== rt.profile.model ? {model} : {}),
          tools,
          ctx: rt.toolContext({afterEdit: opts.afterEditFor?.(checkpoint.tree), onEditOutcome: opts.recorder?.onEditOutcome}),
          counter: rt.counter,
          budgetTokens: rt.budgetTokens,
          maxToolCalls: opts.quick ? 1 : (opts.maxToolCalls ?? DEFAULT_TOOL_CALLS),
          maxRequests: opts.quick ? 1 : undefined,
          maxTokens: opts.quick ? QUICK_TOKENS : undefined,
          signal: opts.signal,
          onEvent,
          recorder: opts.recorder,
          meter: opts.meter ?? profileMeter(rt.profile),
        },
      )
    } catch (err) {
      const partial = partialResult(err)
      const interrupted = err instanceof InterruptedError || (err as {name?: string})?.name === 'AbortError'
      // Nothing ran: no checkpoint pointing at a session that was never written (a Ctrl+C keeps its task, to --continue).
      if (toolsRun === 0 && !(interrupted && partial)) await store.discardCheckpoint(checkpoint)
      else if (partial) await record(partial, outcomeOf(partial.stop, partial.answer, err)).catch(() => undefined)
      else await store.recordAfter(checkpoint, {outcome: outcomeOf('interrupted', '', err)}).catch(() => undefined)
      throw err
    }
    const outcome = outcomeOf(res.stop, res.answer)
    const {filesChanged, turn} = await record(res, outcome)
    return {
      answer: res.answer,
      stop: res.stop,
      stop_reason: res.stop === 'done' ? null : outcome.replace(/^(stopped|interrupted): /, ''),
      model,
      tool_calls: res.toolCalls,
      requests: res.requests,
      tokens: res.tokens,
      cost_usd: res.costUsd,
      largest_request: res.largestRequest,
      files_changed: filesChanged,
      session: {id: sessionId, turn: turn.turn},
      checkpoint: {seq: checkpoint.seq, commit: checkpoint.commit},
    }
  })
}
