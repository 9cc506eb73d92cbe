import type {ToolSchema} from '../model/types.js'
import type {Tool, ToolResult} from './types.js'

/** Declare a tool; keeps the shape uniform across tools/. */
export function defineTool<A>(tool: Tool<A>): Tool<A> {
  return tool
}

/** The schema sent to the model for a tool. */
export function toolSchema(tool: Tool<never>): ToolSchema {
  return {type: 'function', function: {name: tool.name, description: tool.description, parameters: tool.parameters}}
}

/** A tool failure returned to the model as data (never thrown into the loop). */
export function toolError(message: string, summary?: string): ToolResult {
  return {content: `Error: ${message}`, summary: summary ?? `error: ${message.split('\n')[0]!.slice(0, 120)}`, ok: false}
}
