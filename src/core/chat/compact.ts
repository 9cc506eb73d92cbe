import type {ChatMessage} from '../model/types.js'
import type {TokenCounter} from '../context/tokenizer.js'
import {buildPreamble, PREAMBLE_HEADER} from '../context/session.js'

/** What the next turn of a chat starts from: the session's earlier turns, none (/clear), or one line each (/compact). */
export type ContextEdit = 'clear' | 'compact'

export const COMPACT_NOTE = '(/compact: the earlier turns of this session, one line each)'

/**
 * The session's chat as the next turn should see it. /clear: nothing (the earlier turns stay in the session's
 * commits). /compact: one exchange whose answer lists every earlier turn on one line (what was asked, what was
 * answered, which tools ran), capped like a preamble: deterministic, no model call.
 */
export function editContext(messages: readonly ChatMessage[], edit: ContextEdit, opts: {counter: TokenCounter; contextWindow: number}): ChatMessage[] {
  if (edit === 'clear' || messages.length === 0) return []
  const text = buildPreamble(messages, {...opts, fullTurns: 0}).text
  const lines = text.startsWith(PREAMBLE_HEADER) ? text.slice(PREAMBLE_HEADER.length).trim() : text.trim()
  if (!lines) return []
  return [
    {role: 'user', content: COMPACT_NOTE},
    {role: 'assistant', content: lines},
  ]
}

/** The same on chat.jsonl text (a session's stored chat); a chat that does not parse is left for the run to report. */
export function editChatJsonl(jsonl: string, edit: ContextEdit, opts: {counter: TokenCounter; contextWindow: number}, parse: (t: string) => {ok: true; messages: ChatMessage[]} | {ok: false}): string {
  const parsed = parse(jsonl)
  if (!parsed.ok) return jsonl
  const out = editContext(parsed.messages, edit, opts)
  return out.map((m) => JSON.stringify(m)).join('\n') + (out.length ? '\n' : '')
}
