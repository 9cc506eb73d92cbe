import type {ScriptedCall, Turn} from './scripted-turns.js'

/** Turns a scripted `Turn` into what a provider would put on the wire. */

const approxTokens = (s: string): number => Math.ceil(s.length / 4)

function split(s: string, n: number): string[] {
  if (s === '') return []
  const size = Math.max(1, n)
  const out: string[] = []
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size))
  return out
}

const argText = (c: ScriptedCall): string => (c.args === undefined ? '{}' : typeof c.args === 'string' ? c.args : JSON.stringify(c.args))
const argObject = (c: ScriptedCall): unknown => (typeof c.args === 'string' ? c.args : (c.args ?? {}))

/** Qwen3-Coder's parameters: each value on its own lines, strings as written, everything else as JSON. */
function xmlParams(c: ScriptedCall): string {
  const args = (typeof c.args === 'object' && c.args !== null ? c.args : {}) as Record<string, unknown>
  return Object.entries(args)
    .map(([k, v]) => `<parameter=${k}>\n${typeof v === 'string' ? v : JSON.stringify(v)}\n</parameter>`)
    .join('\n')
}

function callsAsText(t: Turn): string {
  const calls = t.toolCalls ?? []
  const json = (c: ScriptedCall) => JSON.stringify({name: c.name, arguments: argObject(c)})
  switch (t.toolCallsAs) {
    case 'tool_call_tags':
      return calls.map((c) => `<tool_call>\n${json(c)}\n</tool_call>`).join('\n')
    case 'qwen_xml':
      return calls.map((c) => `<tool_call>\n<function=${c.name}>\n${xmlParams(c)}\n</function>\n</tool_call>`).join('\n')
    case 'qwen_xml_bare':
      return calls.map((c) => `<function=${c.name}>\n${xmlParams(c)}\n</function>`).join('\n')
    case 'function_json':
      return calls.map((c) => `<function=${c.name}>${argText(c)}</function>`).join('\n')
    case 'mistral':
      return `[TOOL_CALLS]${JSON.stringify(calls.map((c) => ({name: c.name, arguments: argObject(c)})))}`
    case 'mistral_args':
      return calls.map((c) => `[TOOL_CALLS]${c.name}[ARGS]${argText(c)}`).join('')
    default:
      return calls.map((c) => '```json\n' + JSON.stringify({name: c.name, arguments: argObject(c)}, null, 2) + '\n```').join('\n')
  }
}

/** The full assistant text as a provider would send it (with think tags and text tool calls when asked). */
export function turnContent(t: Turn): string {
  let content = t.content ?? ''
  if (t.reasoning && t.reasoningAs === 'think') content = `<think>${t.reasoning}</think>\n${content}`
  if (t.toolCalls?.length && t.toolCallsAs && t.toolCallsAs !== 'calls') content = (content ? content + '\n' : '') + callsAsText(t)
  return content
}

const realCalls = (t: Turn): ScriptedCall[] => (t.toolCallsAs && t.toolCallsAs !== 'calls' ? [] : (t.toolCalls ?? []))
const callId = (c: ScriptedCall, turnIndex: number, i: number): string => c.id ?? `call_${turnIndex}_${i}`

function usageOf(t: Turn, requestBody: any): {prompt_tokens: number; completion_tokens: number; total_tokens: number} {
  if (t.usage) return {...t.usage, total_tokens: t.usage.prompt_tokens + t.usage.completion_tokens}
  const sent = approxTokens(JSON.stringify(requestBody?.messages ?? []) + JSON.stringify(requestBody?.tools ?? []))
  const prompt = t.contextSize ? Math.min(sent, t.contextSize) : sent
  const completion = approxTokens(turnContent(t) + (t.reasoning ?? '') + JSON.stringify(realCalls(t)))
  return {prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion}
}

function finishOf(t: Turn): string | null {
  if (t.finishReason !== undefined) return t.finishReason
  return realCalls(t).length ? 'tool_calls' : 'stop'
}

/** A call's whole arguments sent again after its fragments (Turn.repeatArgs). */
function repeated(t: Turn, c: ScriptedCall, index: number, id: string): object {
  const text = argText(c)
  const args =
    t.repeatArgs === 'reformatted' ? JSON.stringify(JSON.parse(text), null, 1) : t.repeatArgs === 'double_encoded' ? JSON.stringify(text) : t.repeatArgs === 'object' ? argObject(c) : text
  return t.repeatArgs === 'with_name' ? {index, id, type: 'function', function: {name: c.name, arguments: args}} : {index, function: {arguments: args}}
}

/** A non-streaming chat.completion body. */
export function completionBody(t: Turn, requestBody: any, turnIndex: number): object {
  const model = t.model ?? requestBody?.model ?? 'scripted-model'
  const calls = realCalls(t)
  const message: Record<string, unknown> = {role: 'assistant', content: turnContent(t) || (calls.length ? null : '')}
  if (t.reasoning && t.reasoningAs !== 'think') message[t.reasoningAs ?? 'reasoning_content'] = t.reasoning
  if (calls.length) {
    message.tool_calls = calls.map((c, i) => ({
      ...(t.ids === 'none' ? {} : {id: callId(c, turnIndex, i)}),
      type: 'function',
      function: {name: c.name, arguments: t.argsAsObject ? argObject(c) : argText(c)},
    }))
  }
  return {
    id: `chatcmpl-scripted-${turnIndex}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{index: 0, message, finish_reason: finishOf(t)}],
    ...(t.usage === false ? {} : {usage: usageOf(t, requestBody)}),
  }
}

/** The data events of a streamed answer, in order (objects are JSON-encoded by the server; strings sent verbatim). */
export function streamEvents(t: Turn, requestBody: any, turnIndex: number): Array<object | string> {
  const model = t.model ?? requestBody?.model ?? 'scripted-model'
  const base = {id: `chatcmpl-scripted-${turnIndex}`, object: 'chat.completion.chunk', created: 1_700_000_000, model}
  const chunk = (delta: object, finish: string | null = null, extra: object = {}) => ({...base, choices: [{index: 0, delta, finish_reason: finish}], ...extra})
  const events: Array<object | string> = [chunk({role: 'assistant', content: ''}), ...(t.rawEvents ?? [])]
  const textChunk = t.textChunk ?? 16

  if (t.reasoning && t.reasoningAs !== 'think') {
    const field = t.reasoningAs ?? 'reasoning_content'
    for (const piece of split(t.reasoning, textChunk)) events.push(chunk({[field]: piece}))
  }
  for (const piece of split(turnContent(t), textChunk)) events.push(chunk({content: piece}))

  const calls = realCalls(t)
  if (t.callsInOneChunk && calls.length) {
    events.push(
      chunk({
        tool_calls: calls.map((c, i) => ({
          ...(t.indexes === 'none' ? {} : {index: i}),
          ...(t.ids === 'none' ? {} : {id: callId(c, turnIndex, i)}),
          type: 'function',
          function: {name: c.name, arguments: t.argsAsObject ? argObject(c) : argText(c)},
        })),
      }),
    )
  } else if (calls.length) {
    const perCall = calls.map((c, i) => {
      const pieces: unknown[] = t.argsAsObject ? [argObject(c)] : t.fragment ? split(argText(c), t.fragment) : [argText(c)]
      if (pieces.length === 0) pieces.push('')
      return pieces.map((args, k) => {
        const first = k === 0
        const withIndex = t.indexes === 'none' ? false : t.indexes === 'first' ? first : true
        const withId = t.ids === 'none' ? false : t.ids === 'every' || t.ids === 'changing' ? true : first
        const id = t.ids === 'changing' && !first ? `${callId(c, turnIndex, i)}_${k}` : callId(c, turnIndex, i)
        return {
          ...(withIndex ? {index: i} : {}),
          ...(withId ? {id} : {}),
          ...(first ? {type: 'function'} : {}),
          function: first ? {name: c.name, arguments: args} : {arguments: args},
        }
      })
    })
    const order: object[] = []
    if (t.interleave) {
      const longest = Math.max(...perCall.map((p) => p.length))
      for (let k = 0; k < longest; k++) for (const p of perCall) if (p[k]) order.push(p[k])
    } else {
      for (const p of perCall) order.push(...p)
    }
    for (const frag of order) events.push(chunk({tool_calls: [frag]}))
    if (t.repeatArgs) calls.forEach((c, i) => events.push(chunk({tool_calls: [repeated(t, c, i, callId(c, turnIndex, i))]})))
  }

  const wantUsage = t.usage !== false && (t.usage !== undefined || requestBody?.stream_options?.include_usage === true)
  const usage = wantUsage ? usageOf(t, requestBody) : undefined
  const finish = finishOf(t)
  if (finish !== null) events.push(chunk({}, finish, usage && t.usageIn === 'finish-chunk' ? {usage} : {}))
  if (usage && t.usageIn !== 'finish-chunk') events.push({...base, choices: [], usage})
  return events
}
