import type {ChatMessage, ToolCall} from '../model/types.js'
import {compactArgs} from './compact-args.js'
import {RecallStore, type RecallHit, type RecallQuery} from './recall.js'

/** A file excerpt the user attached: sent with every request and never evicted by the budget. */
export interface Attachment {
  path: string
  content: string
}

/** A tool result as the loop records it. */
export interface ToolResultInput {
  callId: string
  name: string
  /** The call's arguments as JSON text (as the model sent them). */
  args: string
  /** Full content; kept forever for recall. */
  content: string
  /** One line (ToolResult.summary): what remains in the request once compressed. */
  summary: string
  ok?: boolean
  /** Not compressed by the first budget pass (e.g. a failing build the model must act on); still trimmed if the budget needs it. */
  pin?: boolean
  /** A recall answer: shown once, not stored for recall (no recursion), compressed as soon as a newer turn exists. */
  ephemeral?: boolean
}

export interface ToolEntry extends Required<Omit<ToolResultInput, 'ok' | 'pin' | 'ephemeral'>> {
  ok: boolean
  pin: boolean
  ephemeral: boolean
  /** Set by the budget pass; sticky, so the request prefix stays stable for server-side prompt caches. */
  compressed: boolean
}

/** An assistant message with the results of its tool calls, or a user message: the unit the budget trims. */
export type Group =
  | {kind: 'assistant'; content: string | null; toolCalls: ToolCall[]; reasoning?: string; results: ToolEntry[]; trimmed: boolean}
  | {kind: 'user'; content: string; trimmed: boolean}

export interface HistoryInit {
  system: string
  /** The task: the first user message, never trimmed. */
  task: string
  attachments?: Attachment[]
  /** Prior turns of a session (see session.ts), pinned like the task. */
  preamble?: string
  /** Which assistant messages carry reasoning back (see History.reasoning); default 'none'. */
  keepReasoning?: ReasoningMode
}

/**
 * Which assistant messages carry their reasoning in the request: 'none' (most providers: it costs tokens and is
 * stripped anyway), 'tool_calls' (every one with tool calls, an empty reasoning included: DeepSeek's thinking mode
 * and servers that asked for it), 'last' or 'all'.
 */
export type ReasoningMode = 'none' | 'tool_calls' | 'last' | 'all'

/**
 * The conversation of one run. Keeps every tool result whole (for recall) and renders the
 * request view: compressed results as one line, trimmed groups left out. The budget pass
 * (budget.ts) decides what is compressed or trimmed; this class only records and renders.
 */
export class History {
  readonly system: string
  readonly task: string
  preamble?: string
  private attachments = new Map<string, string>()
  private readonly list: Group[] = []
  private readonly store = new RecallStore()
  /** Set before each request from what the model client needs (ModelClient.passesReasoningBack); counted by the budget pass. */
  reasoning: ReasoningMode
  private compactCache = new Map<string, string>()

  constructor(init: HistoryInit) {
    this.system = init.system
    this.task = init.task
    this.preamble = init.preamble || undefined
    this.reasoning = init.keepReasoning ?? 'none'
    for (const a of init.attachments ?? []) this.attach(a)
  }

  /** Pin a file excerpt (replaces an earlier one with the same path). */
  attach(a: Attachment): void {
    this.attachments.set(a.path, a.content)
  }

  detach(path: string): void {
    this.attachments.delete(path)
  }

  /** Record the model's answer: text and/or tool calls. */
  addAssistant(msg: {content: string | null; toolCalls?: ToolCall[]; reasoning?: string}): void {
    this.list.push({kind: 'assistant', content: msg.content, toolCalls: msg.toolCalls ?? [], reasoning: msg.reasoning, results: [], trimmed: false})
  }

  /** Record a tool result; it must answer a call of an assistant message already recorded. */
  addToolResult(r: ToolResultInput): void {
    const group = this.findCall(r.callId)
    if (!group) throw new Error(`tool result for unknown call id ${r.callId}`)
    const entry: ToolEntry = {
      callId: r.callId,
      name: r.name,
      args: r.args,
      content: r.content,
      summary: oneLineSummary(r.summary, r.name),
      ok: r.ok ?? true,
      pin: r.pin ?? false,
      ephemeral: r.ephemeral ?? false,
      compressed: false,
    }
    group.results = group.results.filter((e) => e.callId !== r.callId).concat(entry)
    if (!entry.ephemeral) this.store.put({id: r.callId, name: r.name, content: r.content, ok: entry.ok})
  }

  /** A later user message inside the run (a nudge, hook feedback, a follow-up). Trimmable. */
  addUser(content: string): void {
    this.list.push({kind: 'user', content, trimmed: false})
  }

  /** Full earlier result by call id or latest by tool name (matches ToolContext.recall). */
  recall(q: RecallQuery): RecallHit | undefined {
    return this.store.get(q)
  }

  /** Whether a call's result is in the request whole (recorded, not compressed, not trimmed): wire to ReadCache's `visible`. */
  isWhole(callId: string): boolean {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const g = this.list[i]!
      if (g.kind !== 'assistant') continue
      const e = g.results.find((r) => r.callId === callId)
      if (e) return !g.trimmed && !e.compressed
    }
    return false
  }

  /** Call ids that recall can answer, oldest first. */
  recallableIds(): string[] {
    return this.store.ids()
  }

  /** The groups in order; the budget pass sets their `trimmed` and entries' `compressed` flags. */
  get groups(): readonly Group[] {
    return this.list
  }

  /** Number of tool results recorded (ephemeral ones included). */
  get toolResultCount(): number {
    return this.list.reduce((n, g) => n + (g.kind === 'assistant' ? g.results.length : 0), 0)
  }

  /** The request: system, the pinned first user message, then every group not trimmed. `raw` ignores compression and trimming. */
  toMessages(opts: {raw?: boolean} = {}): ChatMessage[] {
    const raw = opts.raw ?? false
    const out: ChatMessage[] = [{role: 'system', content: this.system}, this.firstUserMessage(raw)]
    const lastAssistant = this.lastAssistantIndex(raw)
    this.list.forEach((g, i) => {
      if (g.trimmed && !raw) return
      for (const m of this.groupMessages(i, {raw, lastAssistant})) push(out, m)
    })
    return out
  }

  /** The pinned first user message: preamble, attachments, task, and a note when turns were trimmed. */
  firstUserMessage(raw = false): ChatMessage {
    return {role: 'user', content: this.firstUserContent(raw)}
  }

  /** One group's messages as rendered now (ignores its trimmed flag; neighbours are not merged). */
  groupMessages(index: number, opts: {raw?: boolean; lastAssistant?: number} = {}): ChatMessage[] {
    const g = this.list[index]
    if (!g) return []
    const raw = opts.raw ?? false
    if (g.kind === 'user') return [{role: 'user', content: g.content}]
    const msg: ChatMessage = {role: 'assistant', content: g.content}
    if (g.toolCalls.length > 0) {
      msg.tool_calls = g.toolCalls.map((c) => {
        const e = g.results.find((r) => r.callId === c.id)
        return e?.compressed && !raw ? {...c, function: {...c.function, arguments: this.compact(c.function.arguments)}} : c
      })
    }
    const lastAssistant = opts.lastAssistant ?? this.lastAssistantIndex(raw)
    if (this.reasoning === 'tool_calls') {
      if (g.toolCalls.length > 0) msg.reasoning_content = g.reasoning ?? ''
    } else if (g.reasoning && (this.reasoning === 'all' || (this.reasoning === 'last' && index === lastAssistant))) msg.reasoning_content = g.reasoning
    const out = [msg]
    // Every tool_call must be answered by a tool message in the same order, or the API rejects the request.
    for (const c of g.toolCalls) {
      const e = g.results.find((r) => r.callId === c.id)
      out.push({role: 'tool', tool_call_id: c.id, content: e ? renderResult(e, raw) : '[no result recorded: the run was interrupted]'})
    }
    return out
  }

  /** Index of the latest assistant group in the request (the one that carries reasoning back), or -1. */
  lastAssistantIndex(raw = false): number {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.kind === 'assistant' && (raw || !this.list[i]!.trimmed)) return i
    return -1
  }

  /** The run as it happened, uncompressed and without preamble or attachments: what a session stores. */
  transcript(): ChatMessage[] {
    const all = this.toMessages({raw: true})
    all[1] = {role: 'user', content: this.task}
    return all.slice(1)
  }

  private firstUserContent(raw: boolean): string {
    const parts: string[] = []
    if (this.preamble) parts.push(this.preamble)
    if (this.attachments.size > 0) {
      const files = [...this.attachments].map(([p, c]) => `<file path="${p}">\n${c.endsWith('\n') ? c : `${c}\n`}</file>`)
      parts.push(`Attached files (pinned):\n${files.join('\n')}`)
    }
    parts.push(parts.length > 0 ? `Task: ${this.task}` : this.task)
    const note = raw ? undefined : this.trimNote()
    if (note) parts.push(note)
    return parts.join('\n\n')
  }

  private trimNote(): string | undefined {
    const names = new Map<string, number>()
    let groups = 0
    for (const g of this.list) {
      if (!g.trimmed) continue
      groups++
      if (g.kind === 'assistant') for (const c of g.toolCalls) names.set(c.function.name, (names.get(c.function.name) ?? 0) + 1)
    }
    if (groups === 0) return undefined
    const calls = [...names].map(([n, k]) => (k > 1 ? `${n}×${k}` : n)).join(', ')
    return `[Context trimmed: ${groups} earlier turn${groups > 1 ? 's' : ''} left out${calls ? ` (${calls})` : ''}; their results are still available through recall.]`
  }

  private findCall(callId: string): Extract<Group, {kind: 'assistant'}> | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const g = this.list[i]!
      if (g.kind === 'assistant' && g.toolCalls.some((c) => c.id === callId)) return g
    }
    return undefined
  }

  private compact(args: string): string {
    let out = this.compactCache.get(args)
    if (out === undefined) {
      out = compactArgs(args)
      this.compactCache.set(args, out)
    }
    return out
  }
}

const SUMMARY_CHARS = 200

// The summary is all that stays of an old result: one line, bounded, never empty.
function oneLineSummary(summary: string, name: string): string {
  const line = summary.split('\n').find((l) => l.trim())?.trim() ?? ''
  if (!line) return `${name} result`
  const chars = [...line]
  return chars.length > SUMMARY_CHARS ? `${chars.slice(0, SUMMARY_CHARS - 1).join('')}…` : line
}

/** What a compressed result becomes in the request. */
export function compressedText(e: Pick<ToolEntry, 'callId' | 'summary'>): string {
  return `[compressed] ${e.summary} (recall id=${e.callId})`
}

function renderResult(e: ToolEntry, raw: boolean): string {
  return e.compressed && !raw ? compressedText(e) : e.content
}

// Strict chat templates (some local models) reject two user or two assistant messages in a row;
// trimming can create such neighbours, so they are merged.
function push(out: ChatMessage[], msg: ChatMessage): void {
  const prev = out[out.length - 1]
  if (prev && prev.role === 'user' && msg.role === 'user') {
    out[out.length - 1] = {...prev, content: `${prev.content ?? ''}\n\n${msg.content ?? ''}`}
    return
  }
  if (prev && prev.role === 'assistant' && msg.role === 'assistant' && !prev.tool_calls?.length) {
    const content = [prev.content, msg.content].filter(Boolean).join('\n\n') || null
    out[out.length - 1] = {...msg, content}
    return
  }
  out.push(msg)
}

/** Check that every assistant tool_call is answered, in order, by a tool message and that no tool message is orphaned; returns a problem or undefined. */
export function checkPairing(msgs: readonly ChatMessage[]): string | undefined {
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!
    if (m.role === 'tool') return `message ${i}: tool message ${m.tool_call_id} does not follow an assistant tool call`
    if (m.role !== 'assistant' || !m.tool_calls?.length) continue
    for (const c of m.tool_calls) {
      const t = msgs[++i]
      if (!t || t.role !== 'tool' || t.tool_call_id !== c.id) return `message ${i}: tool call ${c.id} is not answered`
    }
  }
  return undefined
}
