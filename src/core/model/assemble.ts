import {formatBytes, formatOver, LIMITS, utf8Bytes} from '../text/limits.js'
import {parseToolArguments} from './json-repair.js'
import {ResponseTooLargeError} from './map-error.js'
import {TagSplitter} from './tag-splitter.js'
import {extractTextToolCalls} from './text-tool-calls.js'
import type {BadToolCall, StreamEvent, ToolCall, ToolSchema} from './types.js'

/**
 * Assembles a streamed (or whole) chat completion into content, reasoning and tool calls,
 * across the ways providers differ: calls whole or in fragments, `id`/`index` missing or repeated,
 * arguments as objects, interleaved calls, reasoning fields or `<think>` tags, calls written as text.
 *
 * Bounded as it reads (see text/limits.ts): past `responseTextBytes` of text or `toolCallsPerResponse` calls,
 * `push` throws ResponseTooLargeError so the caller stops reading at once. A call whose arguments pass
 * `toolArgumentBytes` stops collecting them and comes back as a bad call the model is told to split.
 */

/** The caps an assembler enforces; defaults from LIMITS. */
export interface AssemblyLimits {
  responseTextBytes: number
  toolCallsPerResponse: number
  toolArgumentBytes: number
}

interface Slot {
  id?: string
  name: string
  args: string
  argsObject?: Record<string, unknown>
  announced?: boolean
  /** Bytes of arguments received; past the cap they are counted, no longer kept. */
  argBytes: number
  oversized?: boolean
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function argsComplete(s: Slot): boolean {
  if (s.argsObject) return true
  if (!s.args.trim()) return false
  try {
    JSON.parse(s.args)
    return true
  } catch {
    return false
  }
}

/** Arguments as a value, to compare a repeat with what was assembled: JSON text is parsed (twice when double-encoded). */
function argValue(args: unknown): unknown {
  let v = args
  for (let i = 0; i < 2 && typeof v === 'string'; i++) {
    try {
      v = JSON.parse(v)
    } catch {
      return undefined
    }
  }
  return typeof v === 'object' && v !== null ? v : undefined
}

/** JSON with object keys sorted, so the same arguments compare equal however they were spaced or ordered. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`
  return JSON.stringify(v) ?? 'null'
}

export interface Assembled {
  content: string
  reasoning: string
  toolCalls: ToolCall[]
  badToolCalls: BadToolCall[]
  finishReason: string
  /** A finish_reason or [DONE] arrived: the answer is whole. */
  complete: boolean
  usage?: {prompt_tokens?: number; completion_tokens?: number}
  model?: string
  /** The stream carried Ollama's own markers (system_fingerprint "fp_ollama", prompt_eval_count). */
  ollama: boolean
}

export class StreamAssembler {
  private slots: Slot[] = []
  private byId = new Map<string, Slot>()
  private byIndex = new Map<number, Slot>()
  private splitter = new TagSplitter()
  private reasoningField = ''
  private finish?: string
  private usage?: Assembled['usage']
  private model?: string
  private ollama = false
  private textBytes = 0
  private readonly limits: AssemblyLimits
  sawDone = false

  constructor(
    private readonly tools: ToolSchema[] = [],
    private readonly onEvent: (e: StreamEvent) => void = () => {},
    limits: Partial<AssemblyLimits> = {},
  ) {
    this.limits = {responseTextBytes: LIMITS.responseTextBytes, toolCallsPerResponse: LIMITS.toolCallsPerResponse, toolArgumentBytes: LIMITS.toolArgumentBytes, ...limits}
  }

  /** Count text of this response; throw once it passes the cap (before the text is kept or shown). */
  private spend(bytes: number): void {
    this.textBytes += bytes
    if (this.textBytes > this.limits.responseTextBytes) throw new ResponseTooLargeError(`more than ${formatBytes(this.limits.responseTextBytes)} of text`)
  }

  /** Feed one parsed chunk (chat.completion.chunk, or a whole chat.completion). */
  push(chunk: any): void {
    if (!isObject(chunk)) return
    if (typeof chunk.model === 'string') this.model = chunk.model
    if (chunk.system_fingerprint === 'fp_ollama' || typeof chunk.prompt_eval_count === 'number') this.ollama = true
    if (isObject(chunk.usage)) this.usage = chunk.usage as Assembled['usage']
    // Ollama's own field names, where a proxy passes them through.
    else if (typeof chunk.prompt_eval_count === 'number') this.usage = {prompt_tokens: chunk.prompt_eval_count, ...(typeof chunk.eval_count === 'number' ? {completion_tokens: chunk.eval_count} : {})}
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined
    if (!isObject(choice)) return
    const delta = (isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : {}) as Record<string, any>
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : ''
    const content = typeof delta.content === 'string' ? delta.content : ''
    this.spend(utf8Bytes(reasoning) + utf8Bytes(content))
    if (reasoning) {
      this.reasoningField += reasoning
      this.onEvent({type: 'reasoning', text: reasoning})
    }
    if (content) this.emit(this.splitter.push(content))
    if (Array.isArray(delta.tool_calls)) for (const frag of delta.tool_calls) this.fragment(frag)
    else if (isObject(delta.function_call)) this.fragment({index: 0, function: delta.function_call})
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.finish = choice.finish_reason
  }

  private emit(out: {text: string; reasoning: string}): void {
    if (out.reasoning) this.onEvent({type: 'reasoning', text: out.reasoning})
    if (out.text) this.onEvent({type: 'content', text: out.text})
  }

  private newSlot(index?: number): Slot {
    if (this.slots.length >= this.limits.toolCallsPerResponse) throw new ResponseTooLargeError(`more than ${this.limits.toolCallsPerResponse} tool calls`)
    const slot: Slot = {name: '', args: '', argBytes: 0}
    this.slots.push(slot)
    if (index !== undefined) this.byIndex.set(index, slot)
    return slot
  }

  /** A fragment with no id that names a tool again after a whole call: a second call, not more of the first. */
  private startsNew(slot: Slot, name: unknown, args: unknown): boolean {
    if (typeof name !== 'string' || !name || !slot.name || !argsComplete(slot)) return false
    return name !== slot.name || isObject(args) || (typeof args === 'string' && args.trimStart().startsWith('{'))
  }

  private fragment(frag: any): void {
    if (!isObject(frag)) return
    const index = typeof frag.index === 'number' ? frag.index : undefined
    const id = typeof frag.id === 'string' && frag.id ? frag.id : undefined
    const fn = (isObject(frag.function) ? frag.function : {}) as Record<string, unknown>
    const name = fn.name
    const args = fn.arguments
    // The same call again, whole, after its fragments (LiteLLM and other proxies): one copy is kept.
    // Only the same call (same id, or same index, or the last one when neither is sent): two identical calls with
    // their own ids or indexes are two calls.
    // With neither id nor index, a fragment that names the tool starts a call (startsNew): only a nameless one repeats.
    const named = typeof name === 'string' && name !== ''
    const known = id && this.byId.has(id) ? this.byId.get(id) : index !== undefined ? this.byIndex.get(index) : id || named ? undefined : this.slots.at(-1)
    if (this.repeats(known, name, args)) return
    let slot: Slot | undefined
    if (id && this.byId.has(id)) slot = this.byId.get(id)!
    else if (id) {
      const prev = index === undefined ? this.slots.at(-1) : this.byIndex.get(index)
      // Same place, no name, arguments still open: more of that call under a fresh id (some servers change ids per chunk).
      const continues = prev && !argsComplete(prev) && (!name || !prev.name)
      slot = continues ? prev : this.newSlot(index)
      if (!slot.id) slot.id = id
      this.byId.set(id, slot)
    } else if (index !== undefined) {
      slot = this.byIndex.get(index)
      if (!slot || this.startsNew(slot, name, args)) slot = this.newSlot(index)
    } else {
      slot = this.slots.at(-1)
      if (!slot || this.startsNew(slot, name, args)) slot = this.newSlot()
    }
    this.apply(slot!, name, args)
  }

  /** True when a fragment only repeats the complete arguments `slot` already holds. */
  private repeats(slot: Slot | undefined, name: unknown, args: unknown): boolean {
    if (!slot || slot.oversized || !argsComplete(slot)) return false
    if (typeof name === 'string' && name && name !== slot.name) return false
    const again = argValue(args)
    return again !== undefined && canonical(again) === canonical(slot.argsObject ?? argValue(slot.args))
  }

  private apply(slot: Slot, name: unknown, args: unknown): void {
    const nameText = typeof name === 'string' ? name : ''
    const argText = typeof args === 'string' ? args : isObject(args) ? JSON.stringify(args) : ''
    this.spend(utf8Bytes(nameText) + utf8Bytes(argText))
    // A different name before any arguments is a name sent in pieces.
    if (nameText && nameText !== slot.name && !slot.args && !slot.argsObject && !slot.oversized) slot.name += nameText
    if (slot.oversized) {
      slot.argBytes += utf8Bytes(argText)
    } else if (isObject(args)) {
      slot.argsObject = args
      slot.argBytes = utf8Bytes(argText)
    } else if (typeof args === 'string' && args && !slot.argsObject) {
      // Some servers repeat the whole arguments in a last chunk.
      if (!(args === slot.args && argsComplete(slot))) {
        slot.args += args
        slot.argBytes += utf8Bytes(args)
      }
    }
    if (!slot.oversized && slot.argBytes > this.limits.toolArgumentBytes) {
      // Stop keeping them: the call is refused whole, and its text never reaches history or the session.
      slot.oversized = true
      slot.args = ''
      slot.argsObject = undefined
    }
    if (slot.name && !slot.announced && (slot.args || slot.argsObject)) this.announce(slot)
  }

  /** One 'tool_call' event per call, once its name is whole (arguments have started). */
  private announce(slot: Slot): void {
    slot.announced = true
    this.onEvent({type: 'tool_call', name: slot.name})
  }

  /** Everything received so far, assembled. `partial` tool calls of a cut-off stream are dropped by the caller. */
  result(): Assembled {
    this.emit(this.splitter.flush())
    const toolCalls: ToolCall[] = []
    const badToolCalls: BadToolCall[] = []
    let n = 0
    const nextId = () => `call_pare_${n++}`
    // At max_tokens the last call may be cut mid-arguments: never "repair" it into a truncated call.
    const cut = this.finish === 'length'
    const oversized = (id: string | undefined, name: string, bytes: number) =>
      badToolCalls.push({
        call: {id: id ?? nextId(), type: 'function', function: {name, arguments: '{}'}},
        error: `the arguments of ${name || 'this call'} were ${formatOver(bytes, this.limits.toolArgumentBytes)}, over the ${formatBytes(this.limits.toolArgumentBytes)} cap for one call, so it was not run; send less per call (write a large file in parts: write_file the first part, then add the rest with further edits)`,
      })
    const add = (id: string | undefined, name: string, raw: unknown, repair = true) => {
      const rawBytes = typeof raw === 'string' ? utf8Bytes(raw) : raw === undefined ? 0 : utf8Bytes(JSON.stringify(raw))
      if (rawBytes > this.limits.toolArgumentBytes) return oversized(id, name, rawBytes)
      const callId = id ?? nextId()
      if (!name) {
        badToolCalls.push({call: {id: callId, type: 'function', function: {name: '', arguments: typeof raw === 'string' ? raw : JSON.stringify(raw ?? '')}}, error: 'tool call without a tool name'})
        return
      }
      const parsed = parseToolArguments(raw, {repair})
      if (parsed.ok) toolCalls.push({id: callId, type: 'function', function: {name, arguments: parsed.text}})
      else {
        badToolCalls.push({
          call: {id: callId, type: 'function', function: {name, arguments: typeof raw === 'string' ? raw : JSON.stringify(raw)}},
          error: `invalid arguments for ${name}: ${parsed.error}${cut ? ' (the answer was cut off at max_tokens)' : ''}; send one JSON object like ${this.example(name)}`,
        })
      }
    }
    this.slots.forEach((s, i) => {
      if (s.name && !s.announced) this.announce(s)
      if (s.oversized) oversized(s.id, s.name, s.argBytes)
      else add(s.id, s.name, s.argsObject ?? s.args, !(cut && i === this.slots.length - 1))
    })

    let content = this.splitter.text
    const toolNames = new Set(this.tools.map((t) => t.function.name))
    if (toolNames.size > 0 || this.splitter.toolBlocks.length > 0) {
      const found = extractTextToolCalls(content, this.splitter.toolBlocks, toolNames, !cut, this.tools)
      // The markup leaves the content either way; it runs only when the model made no real calls.
      content = found.content
      if (this.slots.length === 0) {
        for (const c of found.calls) {
          add(undefined, c.name, c.args, !cut)
          this.onEvent({type: 'tool_call', name: c.name})
        }
        for (const raw of found.unreadable) {
          const name = /"name"\s*:\s*"([^"]+)"/.exec(raw)?.[1] ?? /<function\s*=\s*["']?([^>"'\s]+)/.exec(raw)?.[1] ?? /\[TOOL_CALLS\]\s*([\w.:-]+)/.exec(raw)?.[1] ?? ''
          badToolCalls.push({
            call: {id: nextId(), type: 'function', function: {name, arguments: raw}},
            error: `unreadable tool call in the text${cut ? ' (the answer was cut off at max_tokens)' : ''}; write {"name": "<tool>", "arguments": ${name ? this.example(name) : '{…}'}} as JSON`,
          })
        }
      }
    }
    const reasoning = this.reasoningField + this.splitter.reasoning
    const anyCalls = toolCalls.length + badToolCalls.length > 0
    const finishReason = anyCalls && this.finish !== 'length' ? 'tool_calls' : (this.finish ?? 'stop')
    return {
      content,
      reasoning,
      toolCalls,
      badToolCalls,
      finishReason,
      complete: this.finish !== undefined || this.sawDone,
      usage: this.usage,
      model: this.model,
      ollama: this.ollama,
    }
  }

  /** `{"path": …, "line_range": …}` from the tool's schema, to tell the model what was expected. */
  private example(name: string): string {
    const schema = this.tools.find((t) => t.function.name === name)?.function.parameters as {properties?: Record<string, unknown>} | undefined
    const keys = Object.keys(schema?.properties ?? {}).slice(0, 4)
    return keys.length ? `{${keys.map((k) => `"${k}": …`).join(', ')}}` : '{"name": value}'
  }
}
