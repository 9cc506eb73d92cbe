/**
 * Repairs the JSON slips models make in tool-call arguments: trailing commas, single quotes,
 * raw newlines and tabs inside strings, unquoted keys, Python literals, missing closing braces.
 */

const closerOf: Record<string, string> = {'{': '}', '[': ']'}

/** Best-effort rewrite of almost-JSON into JSON text (the result may still not parse). */
export function repairJson(src: string): string {
  let out = ''
  const stack: string[] = []
  let i = 0
  const n = src.length
  const dropTrailingComma = () => {
    out = out.replace(/,\s*$/, '')
  }
  while (i < n) {
    const c = src[i]
    if (c === '"' || c === "'") {
      const q = c
      out += '"'
      i++
      while (i < n && src[i] !== q) {
        const ch = src[i]
        if (ch === '\\') {
          const next = src[i + 1]
          if (next === undefined) {
            i++
            break
          }
          out += next === "'" ? "'" : ch + next
          i += 2
          continue
        }
        if (ch === '"') out += '\\"'
        else if (ch === '\n') out += '\\n'
        else if (ch === '\r') out += '\\r'
        else if (ch === '\t') out += '\\t'
        else if (ch < ' ') out += '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')
        else out += ch
        i++
      }
      out += '"'
      i++
      continue
    }
    if (c === '{' || c === '[') {
      stack.push(c)
      out += c
      i++
      continue
    }
    if (c === '}' || c === ']') {
      dropTrailingComma()
      stack.pop()
      out += c
      i++
      continue
    }
    const num = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 40))
    if (num && /[-\d]/.test(c)) {
      out += num[0]
      i += num[0].length
      continue
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i
      while (j < n && /[\w$.-]/.test(src[j])) j++
      const word = src.slice(i, j)
      const literal: Record<string, string> = {true: 'true', false: 'false', null: 'null', True: 'true', False: 'false', None: 'null'}
      out += literal[word] ?? JSON.stringify(word)
      i = j
      continue
    }
    out += c
    i++
  }
  dropTrailingComma()
  while (stack.length) out += closerOf[stack.pop()!]
  return out
}

export type ParsedArgs = {ok: true; value: Record<string, unknown>; text: string; repaired: boolean} | {ok: false; error: string}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function tryParse(text: string): {ok: true; value: unknown} | {ok: false; error: string} {
  try {
    return {ok: true, value: JSON.parse(text)}
  } catch (err) {
    return {ok: false, error: (err as Error).message.split('\n')[0]}
  }
}

/**
 * Parse tool-call arguments as sent by a provider: a JSON string, an object, empty, or double-encoded.
 * Returns the object and its canonical JSON text, or why it is unusable. `repair: false` for text that may be cut off.
 */
export function parseToolArguments(raw: unknown, opts: {repair?: boolean} = {}): ParsedArgs {
  if (isObject(raw)) return {ok: true, value: raw, text: JSON.stringify(raw), repaired: false}
  if (raw === undefined || raw === null) return {ok: true, value: {}, text: '{}', repaired: false}
  if (typeof raw !== 'string') return {ok: false, error: `arguments were ${Array.isArray(raw) ? 'an array' : typeof raw}`}
  const text = raw.trim()
  if (text === '') return {ok: true, value: {}, text: '{}', repaired: false}
  let parsed = tryParse(text)
  let repaired = false
  if (!parsed.ok && opts.repair === false) return {ok: false, error: parsed.error}
  if (!parsed.ok) {
    const fixed = tryParse(repairJson(text))
    if (!fixed.ok) return {ok: false, error: parsed.error}
    parsed = fixed
    repaired = true
  }
  let value = parsed.value
  // Some models double-encode: "{\"path\": \"a.ts\"}"
  if (typeof value === 'string' && /^\s*\{/.test(value)) {
    const inner = parseToolArguments(value)
    if (inner.ok) return {...inner, repaired: true}
  }
  if (!isObject(value)) return {ok: false, error: `arguments were ${Array.isArray(value) ? 'an array' : typeof value}, not an object`}
  return {ok: true, value, text: repaired ? JSON.stringify(value) : text, repaired}
}
