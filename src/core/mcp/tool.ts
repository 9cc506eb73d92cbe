import type {ToolSchema} from '../model/types.js'
import {toolError} from '../tools/define.js'
import type {AnyTool} from '../tools/run-call.js'
import type {McpConnection, McpToolDef} from './connection.js'
import {McpCallError} from './connection.js'
import {resultText} from './content.js'
import {leanDescription, leanSchema} from './lean-schema.js'
import {displayName} from './names.js'

/** An MCP tool offered to the model: our tool shape (name on the wire, lean schema) routed to its server. */
export interface McpTool extends AnyTool {
  mcp: {server: string; tool: string}
}

/** The schema as the server sent it, under the wire name (what an untrimmed offer would cost). */
export function rawSchema(def: McpToolDef, wire: string): ToolSchema {
  return {type: 'function', function: {name: wire, description: def.description ?? '', parameters: (def.inputSchema ?? {type: 'object'}) as Record<string, unknown>}}
}

const summaryOf = (text: string) => {
  const line = text.split('\n').find((l) => l.trim()) ?? ''
  return line.length > 100 ? `${line.slice(0, 99)}…` : line
}

/**
 * Wrap one server tool. Its result is text like any tool output (so history compresses it and recall brings it back);
 * a call that fails, times out or finds the server gone is a one-line tool error, and `onFailure` tells the user.
 */
export function mcpTool(conn: McpConnection, def: McpToolDef, wire: string, onFailure?: (message: string) => void): McpTool {
  const server = conn.spec.name
  const shown = displayName(server, def.name)
  return {
    name: wire,
    description: leanDescription(def.description, `${def.name} (MCP server ${server})`),
    parameters: leanSchema(def.inputSchema),
    mcp: {server, tool: def.name},
    async run(args: Record<string, unknown>, ctx) {
      try {
        const r = await conn.call(def.name, args, ctx.signal)
        const text = resultText(r)
        if (r.isError) return toolError(`${shown}: ${text}`, `${shown}: ${summaryOf(text) || 'error'}`)
        return {content: text, summary: `${shown}: ${summaryOf(text) || 'ok'}`, ok: true}
      } catch (err) {
        const e = err instanceof McpCallError ? err : new McpCallError('error', String((err as Error)?.message ?? err))
        if (e.kind === 'aborted') return toolError('interrupted', `${shown}: interrupted`)
        const what = e.kind === 'timeout' ? `timed out: ${e.message}` : e.kind === 'stopped' ? `MCP server "${server}" is not running (${e.message}); its tools cannot be used in this run` : `failed: ${e.message}`
        if (e.kind !== 'error') onFailure?.(`MCP ${shown} ${what}`)
        return toolError(`${shown} ${what}`, `${shown}: ${e.kind === 'timeout' ? 'timed out' : e.kind === 'stopped' ? 'server not running' : 'failed'}`)
      }
    },
  }
}
