import type {ChatMessage} from './types.js'

/**
 * Thinking models served with tools may need the assistant's reasoning sent back on the turns that carry
 * tool calls: DeepSeek's thinking mode answers 400 ("The reasoning_content in the thinking mode must be passed
 * back to the API", "Missing reasoning_content field in the assistant message at message index 2"), and so do
 * Moonshot's Kimi thinking models. Elsewhere it is stripped: it would cost tokens and some servers reject it.
 */

/** Providers known to require `reasoning_content` on every assistant message with tool calls (an empty one included). */
export function requiresReasoning(baseUrl: string, model: string): boolean {
  let host = ''
  try {
    host = new URL(baseUrl).hostname.toLowerCase()
  } catch {
    return false
  }
  if (host === 'api.deepseek.com' || host.endsWith('.deepseek.com')) return true
  if ((host.endsWith('moonshot.ai') || host.endsWith('moonshot.cn')) && /thinking/i.test(model)) return true
  return false
}

/** A 400 saying the server wants the reasoning of earlier turns back. */
export function asksForReasoning(message: string): boolean {
  return /reasoning[_ ]content|reasoning content/i.test(message) && /missing|must|required|pass(ed)? back|include|provide/i.test(message)
}

/**
 * Messages as sent, no undefined fields. Reasoning is stripped unless it must go back: `'all'` keeps it wherever
 * it is (the caller asked), `'tool_calls'` only on assistant messages with tool calls (DeepSeek and the like,
 * which want the field there even when empty).
 */
export function wireMessages(messages: ChatMessage[], reasoning: 'none' | 'tool_calls' | 'all'): ChatMessage[] {
  return messages.map((m) => {
    const out: ChatMessage = {role: m.role, content: m.content}
    if (m.tool_calls?.length) out.tool_calls = m.tool_calls
    if (m.tool_call_id) out.tool_call_id = m.tool_call_id
    const keep = reasoning === 'all' ? Boolean(m.reasoning_content) : reasoning === 'tool_calls' && m.role === 'assistant' && Boolean(m.tool_calls?.length) && m.reasoning_content !== undefined
    if (keep) out.reasoning_content = m.reasoning_content
    return out
  })
}

/** Whether the caller's messages carry reasoning for a tool-call turn (then the client can resend with it by itself). */
export const hasToolCallReasoning = (messages: ChatMessage[]) => messages.some((m) => m.role === 'assistant' && m.tool_calls?.length && m.reasoning_content !== undefined)
/** Whether any assistant message made tool calls (only then can a server want reasoning back). */
export const hasToolCallTurn = (messages: ChatMessage[]) => messages.some((m) => m.role === 'assistant' && m.tool_calls?.length)
