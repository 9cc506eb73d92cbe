import type {ToolSchema} from './types.js'

/**
 * Tool calls written in a model's own markup rather than JSON objects:
 * Qwen3-Coder's `<function=NAME><parameter=KEY>value</parameter>…</function>` (inside `<tool_call>` or bare),
 * Llama 3.1's `<function=NAME>{json}</function>`, and Mistral's `[TOOL_CALLS]` forms
 * (`[TOOL_CALLS][{"name": …, "arguments": …}]`, `[TOOL_CALLS]NAME[ARGS]{…}`, `[TOOL_CALLS]NAME[CALL_ID]id[ARGS]{…}`).
 */

export interface MarkupCall {
  name: string
  /** An object (parameters, typed by the schema) or JSON text to parse like streamed arguments. */
  args: unknown
  /** No closing tag: the call may have been cut off (never run when the answer hit max_tokens). */
  partial?: boolean
}

export interface MarkupScan {
  /** The text with every recognised piece of markup removed. */
  text: string
  calls: MarkupCall[]
  /** Markup that looked like a call but could not be read. */
  unreadable: string[]
}

type Props = Record<string, {type?: unknown}>

const propsOf = (tools: readonly ToolSchema[], name: string): Props | undefined =>
  (tools.find((t) => t.function.name === name)?.function.parameters as {properties?: Props} | undefined)?.properties

/** A parameter's text as the schema types it: numbers, booleans, objects and arrays are decoded; strings stay as written. */
function typed(value: string, type: unknown): unknown {
  const types = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string')
  if (types.length === 0 || types.includes('string')) return value
  const v = value.trim()
  if (types.some((t) => t === 'integer' || t === 'number') && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return Number(v)
  if (types.includes('boolean') && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true'
  if (types.includes('null') && v === 'null') return null
  try {
    return JSON.parse(v)
  } catch {
    return value
  }
}

// One leading and one trailing newline belong to the markup (the template puts values on their own lines).
const unwrap = (s: string): string => s.replace(/^\r?\n/, '').replace(/\r?\n$/, '')

const FUNCTION_RE = /<function\s*=\s*["']?([^>"'\s]+)["']?\s*>([\s\S]*?)(?:<\/function>|(?=<function\s*=)|$)/g
const PARAMETER_RE = /<parameter\s*=\s*["']?([^>"'\s]+)["']?\s*>([\s\S]*?)(?:<\/parameter>|(?=<parameter\s*=)|(?=<\/function>)|$)/g

/** The calls of `<function=…>` markup in `text`, and the text without it. */
export function scanFunctionTags(text: string, tools: readonly ToolSchema[]): MarkupScan {
  const calls: MarkupCall[] = []
  const unreadable: string[] = []
  const rest = text.replace(FUNCTION_RE, (whole: string, name: string, body: string) => {
    const partial = !whole.endsWith('</function>')
    if (/<parameter\s*=/.test(body)) {
      const props = propsOf(tools, name) ?? {}
      const args: Record<string, unknown> = {}
      for (const m of body.matchAll(PARAMETER_RE)) args[m[1]!] = typed(unwrap(m[2]!), props[m[1]!]?.type)
      calls.push({name, args, partial})
    } else if (/^\s*[{[]/.test(body)) calls.push({name, args: body.trim(), partial})
    // Prose that mentions the syntax is left alone; a closed call is a call, read or reported.
    else if (partial) return whole
    else if (!body.trim()) calls.push({name, args: {}})
    else unreadable.push(whole.trim())
    return ''
  })
  return {text: rest, calls, unreadable}
}

const MISTRAL = '[TOOL_CALLS]'

/** Mistral's `[TOOL_CALLS]` markup: everything from the first tag on is calls. `list` reads a JSON list of {name, arguments}. */
export function scanMistral(text: string, list: (json: string) => MarkupCall[] | undefined): MarkupScan {
  const at = text.indexOf(MISTRAL)
  if (at < 0) return {text, calls: [], unreadable: []}
  const calls: MarkupCall[] = []
  const unreadable: string[] = []
  for (const part of text.slice(at).split(MISTRAL)) {
    const seg = part.replace(/<\/s>\s*$/, '').trim()
    if (!seg) continue
    const named = /^([\w.:-]+)\s*(?:\[CALL_ID\]\s*[\w-]*\s*)?(?:\[ARGS\])?\s*([{[][\s\S]*)$/.exec(seg)
    const found = /^[{[]/.test(seg) ? list(seg) : named ? [{name: named[1]!, args: named[2]!.trim()}] : undefined
    if (found) calls.push(...found)
    else unreadable.push(`${MISTRAL}${seg}`)
  }
  return {text: text.slice(0, at), calls, unreadable}
}
