import {stringify} from 'yaml'
import type {Store} from '../store/store.js'
import {diffNames} from '../store/worktree.js'
import type {ChatMessage} from '../model/types.js'
import {RepoStateError, UsageError} from '../errors/index.js'
import {SESSIONS} from '../store/sessions.js'
import {runAgent, systemPrompt, type AgentEvent, type StopReason} from './loop.js'
import type {Runtime} from './runtime.js'
import type {TelemetryRecorder} from '../telemetry/recorder.js'

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
  /** Given the checkpoint's tree, the ToolContext.afterEdit to use (hook output and change impact against that tree). */
  afterEditFor?: (baseTree: string) => (paths: string[]) => Promise<string | undefined>
  now?: () => Date
}

export interface RunTaskResult {
  answer: string
  stop: StopReason
  tool_calls: number
  requests: number
  tokens: {input: number; output: number}
  largest_request: number
  files_changed: string[]
  session: {id: string; turn: number}
  checkpoint: string
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

/**
 * `git pare run`: checkpoint the work tree, run the agent in place, record the turn in a session
 * (refs/parecode/sessions/<id>) so `--continue` can resume it. Holds the repository lock throughout.
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
    const checkpoint = await store.checkpoint(`run: ${opts.task.split('\n')[0]!.slice(0, 72)}`, {kind: 'run', session: sessionId})
    const {buildPreamble, resolveReply} = await import('../context/session.js')
    const preamble = prior.length ? buildPreamble(prior, {counter: rt.counter, contextWindow: rt.profile.contextWindow}).text : undefined
    const task = prior.length ? resolveReply(opts.task, prior) : opts.task
    const tools = await rt.tools({quick: opts.quick})
    const res = await runAgent(
      {system: systemPrompt(opts.context), task, preamble},
      {
        client: rt.client,
        tools,
        ctx: rt.toolContext({afterEdit: opts.afterEditFor?.(checkpoint.tree), onEditOutcome: opts.recorder?.onEditOutcome}),
        counter: rt.counter,
        budgetTokens: rt.budgetTokens,
        maxToolCalls: opts.quick ? 1 : (opts.maxToolCalls ?? DEFAULT_TOOL_CALLS),
        maxRequests: opts.quick ? 1 : undefined,
        maxTokens: opts.quick ? QUICK_TOKENS : undefined,
        signal: opts.signal,
        onEvent: opts.onEvent,
        recorder: opts.recorder,
      },
    )
    // bash can change files too: the truth is the work tree against the checkpoint.
    const after = await store.worktreeTree()
    const filesChanged = (await diffNames(store.ctx, checkpoint.tree, after)).map((d) => d.path)
    const transcript = res.history.transcript()
    // The stored task is what the user typed; the resolved reply is only for the model.
    if (transcript[0]?.role === 'user') transcript[0] = {role: 'user', content: opts.task}
    const chat = [...prior, ...transcript].map((m) => JSON.stringify(m)).join('\n') + '\n'
    const meta = stringify({model: rt.profile.model, profile: rt.profile.name, stop: res.stop, tokens: res.tokens, tool_calls: res.toolCalls, files_changed: filesChanged, checkpoint: checkpoint.commit})
    const turn = await store.appendTurn(sessionId, {chat, meta, workTree: after, title: opts.task.split('\n')[0]!.slice(0, 72), secretFiles: rt.sessionSecretFiles})
    await recordLocalSession(store.paths.commonDir, sessionId, turn.commit, now())
    return {
      answer: res.answer,
      stop: res.stop,
      tool_calls: res.toolCalls,
      requests: res.requests,
      tokens: res.tokens,
      largest_request: res.largestRequest,
      files_changed: filesChanged,
      session: {id: sessionId, turn: turn.turn},
      checkpoint: checkpoint.commit,
    }
  })
}
