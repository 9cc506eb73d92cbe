import type {ChatMessage, ToolSchema} from '../model/types.js'

/** Encodings gpt-tokenizer ships; a profile may pick one (o200k for GPT-4o-era and most modern models). */
export const ENCODINGS = ['o200k_base', 'o200k_harmony', 'cl100k_base', 'p50k_base', 'p50k_edit', 'r50k_base'] as const
export type EncodingName = (typeof ENCODINGS)[number]

/** Counts tokens the way the budget pass and telemetry need them. */
export interface TokenCounter {
  /** The encoding in use, or 'chars/4' when the real one could not be loaded. */
  readonly encoding: string
  /** false when counting falls back to a character estimate. */
  readonly exact: boolean
  count(text: string): number
  /** Tokens of one message including its framing, tool calls and reasoning. */
  countMessage(msg: ChatMessage): number
  /** Tokens of a whole request: every message, the reply priming, and the tool schemas. */
  countMessages(msgs: readonly ChatMessage[], tools?: readonly ToolSchema[]): number
  /** Tokens of the tool schemas as sent with every request. */
  countTools(tools: readonly ToolSchema[]): number
}

// OpenAI's published accounting for chat models: each message is framed by about 3 tokens
// (<|start|>role<|message|>…<|end|>), the reply is primed with 3 more. Tool calls add their
// name, arguments and a little JSON framing; tool schemas are charged as their JSON. This
// slightly over-counts schemas (OpenAI renders them more tersely), which is the safe side.
const PER_MESSAGE = 3
const REPLY_PRIMING = 3
const PER_TOOL_CALL = 3
const PER_TOOL_SCHEMA = 2

// Token counts of long strings are memoised: the budget pass recounts the same history before every request.
const MEMO_MIN_CHARS = 16
const MEMO_MAX_ENTRIES = 16_384

/** Load a counter for `encoding` (lazy import of gpt-tokenizer); falls back to chars/4 only if it cannot load. */
export async function loadTokenCounter(encoding: string = 'o200k_base'): Promise<TokenCounter> {
  const count = await loadEncoder(encoding)
  return count ? makeCounter(encoding, true, count) : charCounter()
}

/** The last-resort estimate: a token per four characters (code points, so non-ASCII text is not over-counted). */
export function charCounter(): TokenCounter {
  return makeCounter('chars/4', false, (text) => Math.ceil(codePoints(text) / 4))
}

async function loadEncoder(encoding: string): Promise<((text: string) => number) | undefined> {
  if (!(ENCODINGS as readonly string[]).includes(encoding)) return undefined
  try {
    const mod = (await importEncoding(encoding)) as {countTokens: (text: string, opts?: {disallowedSpecial?: Set<string>}) => number}
    // Text such as "<|endoftext|>" in a tool output is plain text to the server, not a special token.
    const opts = {disallowedSpecial: new Set<string>()}
    return (text) => mod.countTokens(text, opts)
  } catch {
    return undefined
  }
}

// Literal specifiers so bundlers and tsc resolve each one; only the chosen encoding is loaded.
function importEncoding(encoding: string): Promise<unknown> {
  switch (encoding) {
    case 'cl100k_base': return import('gpt-tokenizer/encoding/cl100k_base')
    case 'p50k_base': return import('gpt-tokenizer/encoding/p50k_base')
    case 'p50k_edit': return import('gpt-tokenizer/encoding/p50k_edit')
    case 'r50k_base': return import('gpt-tokenizer/encoding/r50k_base')
    case 'o200k_harmony': return import('gpt-tokenizer/encoding/o200k_harmony')
    default: return import('gpt-tokenizer/encoding/o200k_base')
  }
}

function makeCounter(encoding: string, exact: boolean, raw: (text: string) => number): TokenCounter {
  const memo = new Map<string, number>()
  const count = (text: string): number => {
    if (!text) return 0
    if (text.length < MEMO_MIN_CHARS) return raw(text)
    const hit = memo.get(text)
    if (hit !== undefined) return hit
    const n = raw(text)
    if (memo.size >= MEMO_MAX_ENTRIES) memo.delete(memo.keys().next().value as string)
    memo.set(text, n)
    return n
  }
  const countMessage = (m: ChatMessage): number => {
    let n = PER_MESSAGE + count(m.role) + count(m.content ?? '')
    if (m.reasoning_content) n += count(m.reasoning_content)
    if (m.tool_call_id) n += count(m.tool_call_id)
    for (const c of m.tool_calls ?? []) n += PER_TOOL_CALL + count(c.id) + count(c.function.name) + count(c.function.arguments)
    return n
  }
  const countTools = (tools: readonly ToolSchema[]): number =>
    tools.reduce((n, t) => n + PER_TOOL_SCHEMA + count(JSON.stringify(t.function)), 0)
  return {
    encoding,
    exact,
    count,
    countMessage,
    countTools,
    countMessages(msgs, tools) {
      let n = REPLY_PRIMING
      for (const m of msgs) n += countMessage(m)
      return tools?.length ? n + countTools(tools) : n
    },
  }
}

function codePoints(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}
