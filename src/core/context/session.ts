import type {ChatMessage, ToolCall} from '../model/types.js'
import type {TokenCounter} from './tokenizer.js'

/** Hard cap of a session preamble; the other cap is 25% of the context window. */
export const PREAMBLE_MAX_TOKENS = 8000
const PREAMBLE_WINDOW_SHARE = 0.25
const FULL_USER_CHARS = 1500
const FULL_ANSWER_CHARS = 2000
const LINE_USER_CHARS = 100
const LINE_ANSWER_CHARS = 140

export const PREAMBLE_HEADER = 'Earlier in this session (oldest first). A short reply such as "yes" or "go ahead" answers your last message.'

/** One earlier exchange: what the user asked, what the agent did and answered. */
export interface PriorTurn {
  user: string
  tools: string[]
  answer: string
}

export interface Preamble {
  /** Empty when there are no prior turns. */
  text: string
  tokens: number
  /** Turns rendered in full, as one line, and left out (the oldest). */
  full: number
  summarised: number
  omitted: number
}

/** Split earlier runs' messages into turns: each starts at a user message. */
export function priorTurns(messages: readonly ChatMessage[]): PriorTurn[] {
  const turns: PriorTurn[] = []
  let cur: PriorTurn | undefined
  const failed = new Set<string>()
  for (const m of messages) {
    if (m.role === 'tool' && m.tool_call_id && (m.content ?? '').startsWith('Error:')) failed.add(m.tool_call_id)
  }
  for (const m of messages) {
    if (m.role === 'user') {
      cur = {user: m.content ?? '', tools: [], answer: ''}
      turns.push(cur)
    } else if (m.role === 'assistant' && cur) {
      if (m.content?.trim()) cur.answer = m.content.trim()
      for (const c of m.tool_calls ?? []) cur.tools.push(describeCall(c.function.name, c.function.arguments) + (failed.has(c.id) ? ' (failed)' : ''))
    }
  }
  return turns
}

/**
 * The preamble that brings prior turns into a new run, capped at min(8k tokens, 25% of the
 * window): the most recent turns in full (up to `fullTurns`), older ones one line each, the
 * oldest left out when even a line no longer fits. Goes into History's `preamble`.
 */
export function buildPreamble(messages: readonly ChatMessage[], opts: {counter: TokenCounter; contextWindow: number; maxTokens?: number; fullTurns?: number}): Preamble {
  const turns = priorTurns(messages)
  if (turns.length === 0) return {text: '', tokens: 0, full: 0, summarised: 0, omitted: 0}
  const cap = Math.min(opts.maxTokens ?? PREAMBLE_MAX_TOKENS, Math.floor(opts.contextWindow * PREAMBLE_WINDOW_SHARE))
  const fullTurns = opts.fullTurns ?? 2
  const count = (s: string): number => opts.counter.count(s) + 1
  let used = count(PREAMBLE_HEADER)
  const picked: string[] = []
  let full = 0
  let summarised = 0
  let i = turns.length - 1
  for (; i >= 0; i--) {
    const t = turns[i]!
    if (summarised === 0 && full < fullTurns) {
      const block = fullForm(t)
      if (used + count(block) <= cap) {
        picked.push(block)
        used += count(block)
        full++
        continue
      }
    }
    const line = lineForm(t)
    if (used + count(line) > cap) break
    picked.push(line)
    used += count(line)
    summarised++
  }
  const omitted = i + 1
  if (picked.length === 0) return {text: '', tokens: 0, full: 0, summarised: 0, omitted}
  const lines = [PREAMBLE_HEADER]
  if (omitted > 0) lines.push(`(${omitted} older turn${omitted > 1 ? 's' : ''} left out)`)
  lines.push(...picked.reverse())
  const text = lines.join('\n')
  return {text, tokens: opts.counter.count(text), full, summarised, omitted}
}

function fullForm(t: PriorTurn): string {
  const out = [`User: ${cap(t.user.trim(), FULL_USER_CHARS)}`]
  if (t.tools.length > 0) out.push(`Tools: ${t.tools.join('; ')}`)
  out.push(`You answered: ${t.answer ? cap(t.answer, FULL_ANSWER_CHARS) : '(no answer)'}`)
  return out.join('\n')
}

function lineForm(t: PriorTurn): string {
  const tools = t.tools.length > 0 ? ` [${toolCounts(t.tools)}]` : ''
  return `- User: ${oneLine(t.user, LINE_USER_CHARS)} → ${t.answer ? oneLine(t.answer, LINE_ANSWER_CHARS) : '(no answer)'}${tools}`
}

function toolCounts(tools: string[]): string {
  const n = new Map<string, number>()
  for (const t of tools) {
    const name = t.split(' ')[0]!
    n.set(name, (n.get(name) ?? 0) + 1)
  }
  return [...n].map(([k, v]) => (v > 1 ? `${k}×${v}` : k)).join(', ')
}

function describeCall(name: string, args: string): string {
  try {
    const a = JSON.parse(args) as Record<string, unknown>
    const target = a.path ?? a.pattern ?? a.command
    return typeof target === 'string' ? `${name} ${oneLine(target, 60)}` : name
  } catch {
    return name
  }
}

function oneLine(s: string, max: number): string {
  return cap(s.replace(/\s+/g, ' ').trim(), max)
}

function cap(s: string, max: number): string {
  const chars = [...s]
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`
}

// Phrases that, alone or chained ("yes, go ahead please"), mean "do what you proposed".
const AFFIRMATIONS = [
  'yes', 'y', 'yeah', 'yep', 'yup', 'ok', 'okay', 'k', 'kk', 'sure', 'go', 'go ahead', 'go on', 'go for it',
  'do it', 'do that', 'continue', 'proceed', 'please do', 'please', 'yes please', 'sounds good', 'lgtm',
  'alright', 'all right', 'agreed', 'confirm', 'confirmed', 'approved', 'ship it', 'carry on',
  'of course', 'absolutely', 'definitely', 'let s do it', 'lets do it', 'make it so', 'affirmative', 'thanks', 'thank you',
].map((p) => p.split(' '))

/** True for a short reply that only says "go on" ("yes", "ok", "go ahead", "do it", "sure", "continue", "proceed", "please do"…). */
export function isShortAffirmation(text: string): boolean {
  const norm = text.toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' ').trim()
  if (!norm || norm.length > 40) return false
  const words = norm.split(/\s+/)
  // Greedy match of known phrases, longest first, across the whole reply.
  let i = 0
  let any = false
  while (i < words.length) {
    let best = 0
    for (const p of AFFIRMATIONS) {
      if (p.length > best && p.every((w, k) => words[i + k] === w)) best = p.length
    }
    if (best === 0) return false
    if (!['please', 'thanks', 'thank you'].includes(words.slice(i, i + best).join(' '))) any = true
    i += best
  }
  return any
}

/** The last assistant text of earlier turns (what a "yes" answers). */
export function lastAssistantText(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!
    if (m.role === 'assistant' && m.content?.trim()) return m.content.trim()
  }
  return undefined
}

/**
 * The task for a new turn: a short affirmation becomes an explicit instruction quoting what it
 * answers, so a small model does not read "yes" as a new, empty task. Other replies pass through.
 */
export function resolveReply(reply: string, prior: readonly ChatMessage[], maxChars = 1500): string {
  if (!isShortAffirmation(reply)) return reply
  const last = lastAssistantText(prior)
  if (!last) return reply
  return `Yes — proceed with what you proposed in your last message:\n"""\n${cap(last, maxChars)}\n"""`
}

// chat.jsonl arrives from remotes too (a pulled session), so each line is checked for the one shape we write.
/** Largest chat.jsonl and largest line accepted. */
export const MAX_CHAT_BYTES = 64 << 20
export const MAX_CHAT_LINE_BYTES = 4 << 20
const ROLES = new Set(['system', 'user', 'assistant', 'tool'])

function shapeProblem(v: unknown): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not an object'
  const m = v as Record<string, unknown>
  if (typeof m.role !== 'string' || !ROLES.has(m.role)) return 'role is not system, user, assistant or tool'
  if (m.content !== null && m.content !== undefined && typeof m.content !== 'string') return 'content is not text'
  if (m.tool_call_id !== undefined && typeof m.tool_call_id !== 'string') return 'tool_call_id is not text'
  if (m.reasoning_content !== undefined && typeof m.reasoning_content !== 'string') return 'reasoning_content is not text'
  if (m.tool_calls !== undefined) {
    if (!Array.isArray(m.tool_calls)) return 'tool_calls is not a list'
    for (const c of m.tool_calls as unknown[]) {
      const call = c as Partial<ToolCall> | null
      if (!call || typeof call !== 'object' || typeof call.id !== 'string' || !call.function || typeof call.function !== 'object' || typeof call.function.name !== 'string' || typeof call.function.arguments !== 'string') {
        return 'a tool call is not {id, function: {name, arguments}}'
      }
    }
  }
  return null
}

/**
 * The messages of a session's chat.jsonl, or one line naming `source` (the session's ref) and what is wrong:
 * a line that is not JSON, not a chat message, or too long. Never throws.
 */
export function parseChat(jsonl: string, source: string): {ok: true; messages: ChatMessage[]} | {ok: false; error: string} {
  const bad = (what: string) => ({ok: false as const, error: `${source}: chat.jsonl ${what}`})
  if (jsonl.length > MAX_CHAT_BYTES) return bad(`is larger than ${MAX_CHAT_BYTES >> 20} MB`)
  const messages: ChatMessage[] = []
  const lines = jsonl.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (!line.trim()) continue
    if (line.length > MAX_CHAT_LINE_BYTES) return bad(`line ${i + 1} is longer than ${MAX_CHAT_LINE_BYTES >> 20} MB`)
    let v: unknown
    try {
      v = JSON.parse(line)
    } catch {
      return bad(`line ${i + 1} is not valid JSON`)
    }
    const problem = shapeProblem(v)
    if (problem) return bad(`line ${i + 1} is not a chat message: ${problem}`)
    const m = v as ChatMessage
    messages.push({...m, content: m.content ?? null})
  }
  return {ok: true, messages}
}
