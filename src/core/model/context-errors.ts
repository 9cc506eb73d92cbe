/**
 * Context-length errors in every provider's wording, and the figures they give. The wording varies from
 * server to server and version to version, so the stable parts are matched: OpenAI's `context_length_exceeded`,
 * vLLM's "maximum context length is N tokens. However, you requested M" / "your request has M input tokens" /
 * "longer than the maximum model length", llama.cpp's `exceed_context_size_error` (400, or 500 on older
 * builds) with `n_ctx`, Ollama's "exceeded max context length by N tokens", and the like.
 */

const CONTEXT_RE = new RegExp(
  [
    'context[_ ]length',
    'maximum context',
    'context (size|window)',
    'exceed(s|ed)?_context',
    '\\bn_ctx\\b',
    'too many tokens',
    'prompt (is )?too long',
    'reduce the length',
    'input is too (long|large)',
    'too large to process',
    'maximum model length',
    'max_model_len',
    '(input|prompt)\\b[^.]{0,60}\\b(is too long|exceeds?)',
    'input tokens exceed',
    'exceeds? the max(imum)? number of tokens',
    'max_new_tokens`? must be',
    'context shift is disabled',
  ].join('|'),
  'i',
)

const CODE_RE = /context_length|context_window|exceed_context|context_size/i

/** Whether an error's message, code or type says the request did not fit the context. */
export function isContextError(message: string, code?: unknown, type?: unknown): boolean {
  return CONTEXT_RE.test(message) || CODE_RE.test(`${typeof code === 'string' ? code : ''} ${typeof type === 'string' ? type : ''}`)
}

export interface ContextFigures {
  /** The context the server runs, as it said. */
  window?: number
  /** The prompt's size by the server's tokenizer. */
  prompt?: number
  /** Tokens over the window (Ollama says only this). */
  excess?: number
}

const num = (s: string | undefined): number | undefined => {
  if (!s) return undefined
  const n = Number(s.replace(/[,_]/g, ''))
  return Number.isFinite(n) && n > 0 ? n : undefined
}

const N = '(\\d[\\d,_]*)'
const WINDOW = [
  `maximum context length (?:is|of) ${N}`,
  `${N}(?: tokens?)? maximum context`,
  `context length of (?:only )?${N}`,
  `maximum model length (?:is |of )?${N}`,
  `(?:exceeds?|configured) (?:the )?limit of ${N}`,
  `must be <= ${N}`,
  `maximum number of tokens allowed \\(${N}\\)`,
  `> ${N} maximum`,
  `\\bn_ctx(?:_slot)?["']?\\s*[:=]?\\s*${N}`,
  `context (?:size|window) (?:is |of )${N}`,
].map((p) => new RegExp(p, 'i'))
const PROMPT = [
  `resulted in ${N} tokens`,
  `\\(${N} in the messages`,
  `request has ${N} input tokens`,
  `prompt \\(length ${N}\\)`,
  `(?:input|prompt) \\(${N} tokens\\)`,
  `prompt is too long: ${N}`,
  `prompt contains ${N} tokens`,
  `input token count \\(${N}\\)`,
  `given: ${N} \`?inputs\`? tokens`,
  `\\bn_prompt_tokens["']?\\s*[:=]?\\s*${N}`,
].map((p) => new RegExp(p, 'i'))

const first = (res: RegExp[], text: string): number | undefined => {
  for (const re of res) {
    const n = num(re.exec(text)?.[1])
    if (n !== undefined) return n
  }
  return undefined
}

/** The window and prompt size an error names, from its message and from fields such as llama.cpp's `n_ctx`. */
export function contextFigures(message: string, body?: unknown): ContextFigures {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const field = (k: string) => (typeof b[k] === 'number' && (b[k] as number) > 0 ? (b[k] as number) : undefined)
  const window = field('n_ctx') ?? first(WINDOW, message)
  const prompt = field('n_prompt_tokens') ?? first(PROMPT, message)
  const excess = num(/exceeded max context length by (\d[\d,]*)/i.exec(message)?.[1])
  return {...(window ? {window} : {}), ...(prompt ? {prompt} : {}), ...(excess ? {excess} : {})}
}
