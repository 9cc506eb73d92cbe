import {parseToolArguments} from './json-repair.js'
import {scanFunctionTags, scanMistral} from './markup-calls.js'
import type {ToolSchema} from './types.js'

/**
 * Small models often write tool calls as text instead of using the API's tool calls:
 * `<tool_call>{"name": …, "arguments": …}</tool_call>` (Hermes/Qwen style), Qwen3-Coder's
 * `<function=NAME><parameter=KEY>…` (in `<tool_call>` or bare), Mistral's `[TOOL_CALLS]`, a ```json block,
 * or the whole answer being the JSON object. These become real calls and leave the content, so the
 * markup is neither printed nor sent back to the model in later requests.
 */

export interface TextCall {
  name: string
  /** Arguments as found (object or string), parsed later like any streamed arguments. */
  args: unknown
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** {name, arguments|parameters} objects (or a list of them) from a JSON text; undefined when it is not one. */
function callsIn(text: string, toolNames?: Set<string>, repair = true): TextCall[] | undefined {
  const parsed = parseToolArguments(text.trim().startsWith('[') ? `{"list": ${text}}` : text, {repair})
  if (!parsed.ok) return undefined
  const items = Array.isArray(parsed.value.list) ? parsed.value.list : [parsed.value]
  const calls: TextCall[] = []
  for (const item of items) {
    if (!isObject(item) || typeof item.name !== 'string') return undefined
    if (Object.keys(item).some((k) => !['name', 'arguments', 'parameters', 'id', 'type'].includes(k))) return undefined
    if (toolNames && !toolNames.has(item.name)) return undefined
    calls.push({name: item.name, args: item.arguments ?? item.parameters ?? {}})
  }
  return calls.length ? calls : undefined
}

export interface ExtractResult {
  content: string
  calls: TextCall[]
  /** `<tool_call>` blocks that could not be read even after repair. */
  unreadable: string[]
}

/**
 * Turn text tool calls into calls. `toolBlocks` are the `<tool_call>` bodies already cut out of the content;
 * fenced and bare JSON count only when they name one of `toolNames` (so an example in prose stays prose).
 * `repair: false` when the answer was cut off at max_tokens: a truncated call must not be completed into a runnable one.
 * `tools` types `<parameter=…>` values by their schema (numbers, booleans, objects).
 */
export function extractTextToolCalls(content: string, toolBlocks: string[], toolNames: Set<string>, repair = true, tools: readonly ToolSchema[] = []): ExtractResult {
  const calls: TextCall[] = []
  const unreadable: string[] = []
  for (const block of toolBlocks) {
    if (/<function\s*=/.test(block)) {
      const xml = scanFunctionTags(block, tools)
      for (const c of xml.calls) {
        if (c.partial && !repair) unreadable.push(block.trim())
        else calls.push({name: c.name, args: c.args})
      }
      unreadable.push(...xml.unreadable)
      if (xml.calls.length + xml.unreadable.length > 0) continue
    }
    const found = callsIn(block, undefined, repair)
    if (found) calls.push(...found)
    else unreadable.push(block.trim())
  }
  const xml = scanFunctionTags(content, tools)
  const mistral = scanMistral(xml.text, (json) => callsIn(json, undefined, repair))
  for (const c of xml.calls) {
    if (c.partial && !repair) unreadable.push(`<function=${c.name}>…`)
    else calls.push({name: c.name, args: c.args})
  }
  calls.push(...mistral.calls)
  unreadable.push(...xml.unreadable, ...mistral.unreadable)
  const marked = xml.calls.length + xml.unreadable.length + mistral.calls.length + mistral.unreadable.length > 0
  let rest = mistral.text.replace(/```[\w-]*[ \t]*\n?([\s\S]*?)```/g, (whole, body: string) => {
    const found = callsIn(body, toolNames, repair)
    if (!found) return whole
    calls.push(...found)
    return ''
  })
  const trimmed = rest.trim()
  if (/^[[{][\s\S]*[\]}]$/.test(trimmed)) {
    const found = callsIn(trimmed, toolNames, repair)
    if (found) {
      calls.push(...found)
      rest = ''
    }
  }
  if (!calls.length && !marked) return {content, calls, unreadable}
  // Orphan closers of markup the template opened are markup too.
  rest = rest.replace(/<\/(tool_call|function|parameter)>/g, '')
  return {content: rest.replace(/\n{3,}/g, '\n\n').trim(), calls, unreadable}
}
