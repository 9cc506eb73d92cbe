import {formatBytes, formatOver, LIMITS, utf8Bytes} from '../text/limits.js'
import {toolError} from './define.js'
import type {Tool, ToolContext, ToolResult} from './types.js'
import {shapeOf, validateArgs} from './validate.js'

/** A tool of any argument type, as held in lists and the registry. */
export type AnyTool = Tool<any>

function normalise(name: string): string {
  // `server.tool` is how an MCP tool is written for people; on the wire it is `server__tool` (mcp/names.ts).
  return name.trim().replace(/^(functions|tools?)[.:]/i, '').replace('.', '__').toLowerCase().replace(/[-\s]/g, '_')
}

/** Find a tool by the name the model used: exact first, then forgiving ("functions.read_file", "Read-File"). */
export function findTool(tools: readonly AnyTool[], name: string): AnyTool | undefined {
  const exact = tools.find((t) => t.name === name)
  if (exact) return exact
  const n = normalise(name)
  return tools.find((t) => normalise(t.name) === n)
}

/** Parse tool-call arguments as sent by a model: a JSON string (possibly double-encoded, or empty) or an object. */
export function parseArgs(raw: unknown): {ok: true; value: unknown} | {ok: false} {
  let v = raw
  for (let i = 0; i < 2 && typeof v === 'string'; i++) {
    const s = v.trim()
    if (s === '') return {ok: true, value: {}}
    try {
      v = JSON.parse(s)
    } catch {
      return {ok: false}
    }
  }
  return {ok: true, value: v ?? {}}
}

// A summary is one line for the progress display and for compressed history: longer is never useful.
const MAX_SUMMARY_CHARS = 300
// What is kept of an edit's oversized result (characters: at most 4 bytes each, well under any cap).
const HEAD_CHARS = 16 * 1024

/** The caps runToolCall enforces (text/limits.ts has the defaults and why). */
export interface CallLimits {
  toolArgumentBytes: number
  toolResultBytes: number
}

/**
 * A result within the caps: content over `toolResultBytes` becomes a tool error saying how large it was (the
 * model asks for less; nothing unbounded reaches history or the session), except after an edit that was made,
 * whose result keeps its start and a note. The summary stays one short line.
 */
export function boundResult(toolName: string, r: ToolResult, max: number = LIMITS.toolResultBytes): ToolResult {
  const summary = r.summary.length > MAX_SUMMARY_CHARS ? `${r.summary.slice(0, MAX_SUMMARY_CHARS - 1)}…` : r.summary
  const bytes = r.content.length > max / 4 ? utf8Bytes(r.content) : r.content.length
  if (bytes > max && r.changed?.length) {
    // The edit was made (a hook's output made the result large): say so, keep the start, and keep `ok`.
    const head = r.content.slice(0, HEAD_CHARS)
    return {...r, summary, content: `${head}\n[the rest of this result (${formatOver(bytes, max)} in all) was cut at the ${formatBytes(max)} cap; the change itself was made]`}
  }
  if (bytes > max) {
    const err = toolError(`the result of ${toolName} was ${formatOver(bytes, max)}, over the ${formatBytes(max)} cap for one result, so it was dropped; ask for less (a line_range, a narrower pattern or path, output filtered with head/grep)`, `${toolName}: result too large (${formatOver(bytes, max)})`)
    return {...err, ...(r.changed ? {changed: r.changed} : {})}
  }
  return summary === r.summary ? r : {...r, summary}
}

/**
 * Run one tool call from the model. Never throws: an unknown name, unparseable, ill-typed or oversized
 * arguments, and any exception inside the tool come back as a tool error the model can act on; a result
 * over the cap comes back as one too (see boundResult).
 */
export async function runToolCall(tools: readonly AnyTool[], name: string, rawArgs: string | object, ctx: ToolContext, limits: Partial<CallLimits> = {}): Promise<ToolResult> {
  const max = {toolArgumentBytes: LIMITS.toolArgumentBytes, toolResultBytes: LIMITS.toolResultBytes, ...limits}
  const tool = findTool(tools, name)
  if (!tool) return toolError(`unknown tool ${JSON.stringify(name.slice(0, 100))}; valid tools: ${tools.map((t) => t.name).join(', ')}`, `unknown tool ${name.slice(0, 100)}`)
  const argBytes = utf8Bytes(typeof rawArgs === 'string' ? rawArgs : (JSON.stringify(rawArgs) ?? ''))
  if (argBytes > max.toolArgumentBytes) {
    return toolError(`the arguments of ${tool.name} were ${formatOver(argBytes, max.toolArgumentBytes)}, over the ${formatBytes(max.toolArgumentBytes)} cap for one call, so it was not run; send less per call`, `${tool.name}: arguments too large`)
  }
  const expected = `expected ${shapeOf(tool.parameters)}`
  const parsed = parseArgs(rawArgs)
  if (!parsed.ok) return toolError(`${tool.name} arguments are not valid JSON; ${expected}`, `${tool.name}: bad arguments`)
  const v = validateArgs(tool.parameters, parsed.value)
  if (!v.ok) return toolError(`${tool.name}: ${v.error}; ${expected}`, `${tool.name}: bad arguments`)
  if (ctx.signal?.aborted) return toolError('interrupted', `${tool.name}: interrupted`)
  try {
    return boundResult(tool.name, await tool.run(v.args, ctx), max.toolResultBytes)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    return toolError(`${tool.name} failed: ${msg.split('\n')[0]}`, `${tool.name}: failed`)
  }
}
