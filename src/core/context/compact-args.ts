// Arguments of old tool calls can be as large as their results (write_file carries a whole file).
// Once a call's result is compressed, its long string arguments are shortened too, keeping the
// JSON valid: some servers parse the arguments of every message to render their chat template.

const LONG_STRING = 160
const KEEP_CHARS = 60

/** Shorten long string values in a tool call's JSON arguments; returns the input when nothing is long. */
export function compactArgs(args: string): string {
  if (args.length <= LONG_STRING) return args
  let parsed: unknown
  try {
    parsed = JSON.parse(args)
  } catch {
    return JSON.stringify({omitted: `${args.length} chars of unparseable arguments`})
  }
  const out = JSON.stringify(shorten(parsed))
  return out.length < args.length ? out : args
}

function shorten(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.length <= LONG_STRING) return value
    const head = [...(value.split('\n')[0] ?? '')].slice(0, KEEP_CHARS).join('')
    return `${head}… [${value.length} chars omitted]`
  }
  if (Array.isArray(value)) return value.map(shorten)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v)]))
  }
  return value
}
