import {toolError} from './define.js'
import type {Tool, ToolContext, ToolResult} from './types.js'
import {shapeOf, validateArgs} from './validate.js'

/** A tool of any argument type, as held in lists and the registry. */
export type AnyTool = Tool<any>

function normalise(name: string): string {
  return name.trim().replace(/^(functions|tools?)[.:]/i, '').toLowerCase().replace(/[-\s]/g, '_')
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

/**
 * Run one tool call from the model. Never throws: an unknown name, unparseable or ill-typed arguments,
 * and any exception inside the tool come back as a tool error the model can act on.
 */
export async function runToolCall(tools: readonly AnyTool[], name: string, rawArgs: string | object, ctx: ToolContext): Promise<ToolResult> {
  const tool = findTool(tools, name)
  if (!tool) return toolError(`unknown tool ${JSON.stringify(name)}; valid tools: ${tools.map((t) => t.name).join(', ')}`, `unknown tool ${name}`)
  const expected = `expected ${shapeOf(tool.parameters)}`
  const parsed = parseArgs(rawArgs)
  if (!parsed.ok) return toolError(`${tool.name} arguments are not valid JSON; ${expected}`, `${tool.name}: bad arguments`)
  const v = validateArgs(tool.parameters, parsed.value)
  if (!v.ok) return toolError(`${tool.name}: ${v.error}; ${expected}`, `${tool.name}: bad arguments`)
  if (ctx.signal?.aborted) return toolError('interrupted', `${tool.name}: interrupted`)
  try {
    return await tool.run(v.args, ctx)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    return toolError(`${tool.name} failed: ${msg.split('\n')[0]}`, `${tool.name}: failed`)
  }
}
