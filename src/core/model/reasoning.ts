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
