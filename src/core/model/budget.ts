import {ContextLengthError} from '../errors/index.js'
import type {ChatMessage, ToolSchema} from './types.js'

/** Token arithmetic for one request: what the prompt costs and how much room is left for the answer. */

/** Fallback token count when no tokenizer is injected: about 4 characters per token. */
export const approxTokens = (text: string): number => Math.ceil(text.length / 4)

/** Tokens a request's messages and tool schemas take (chat-format overhead included, ~4 per message). */
export function countPromptTokens(messages: ChatMessage[], tools: ToolSchema[] | undefined, count: (text: string) => number): number {
  let total = 3
  for (const m of messages) {
    total += 4 + count(m.content ?? '')
    for (const c of m.tool_calls ?? []) total += 3 + count(c.function.name) + count(c.function.arguments)
    if (m.reasoning_content) total += count(m.reasoning_content)
  }
  if (tools?.length) total += count(JSON.stringify(tools))
  return total
}

/** Default cap on the answer when the caller sets none: big enough for a file, small enough for every provider's output limit. */
export const DEFAULT_MAX_OUTPUT = 8192

/**
 * max_tokens to send: what the caller wants, cut to what is left of the window after the prompt and a safety margin.
 * Throws ContextLengthError when the prompt leaves no room to answer. Undefined when there is no window and no wish.
 */
export function fitMaxTokens(opts: {window?: number; promptTokens: number; wanted?: number; minAnswer?: number}): number | undefined {
  const {window, promptTokens} = opts
  if (!window) return opts.wanted
  const margin = Math.max(32, Math.ceil(window * 0.02))
  const left = window - promptTokens - margin
  const minAnswer = opts.minAnswer ?? 16
  if (left < minAnswer) {
    throw new ContextLengthError(`the request (~${promptTokens} tokens) leaves no room for an answer in the ${window}-token context window`)
  }
  return Math.max(1, Math.min(opts.wanted ?? DEFAULT_MAX_OUTPUT, left))
}
