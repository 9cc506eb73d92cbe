import bash from './bash.js'
import {toolSchema} from './define.js'
import editFile from './edit-file.js'
import listFiles from './list-files.js'
import patchFile from './patch-file.js'
import readFile, {READ_DESCRIPTION_PLAIN} from './read-file.js'
import recall from './recall.js'
import type {AnyTool} from './run-call.js'
import search from './search.js'
import type {ToolSchema} from '../model/types.js'
import writeFile from './write-file.js'

export {findTool, parseArgs, runToolCall} from './run-call.js'
export type {AnyTool} from './run-call.js'

const ALL: readonly AnyTool[] = [readFile, writeFile, editFile, patchFile, search, listFiles, bash, recall]

/** Tools of quick mode (seed 6k): one cheap call, so only what a one-line fix needs. */
export const QUICK_TOOLS = ['read_file', 'edit_file', 'search'] as const

/** Every built-in tool, in the order their schemas are sent. */
export function allTools(): AnyTool[] {
  return [...ALL]
}

/** A built-in tool by exact name. */
export function getTool(name: string): AnyTool | undefined {
  return ALL.find((t) => t.name === name)
}

export interface ToolSelection {
  /** Profile edit_format; anchors and patch_file default on. */
  editFormat?: {anchors: boolean; patch: boolean}
  quick?: boolean
}

function withoutProp(tool: AnyTool, prop: string): AnyTool {
  const params = tool.parameters as {properties?: Record<string, unknown>; required?: string[]}
  if (!params.properties || !(prop in params.properties)) return tool
  const {[prop]: _dropped, ...properties} = params.properties
  const required = params.required?.filter((r) => r !== prop)
  return {...tool, parameters: {...params, properties, ...(required ? {required} : {})}}
}

/**
 * The tools for a run: without patch_file when the profile turns patches off; without anchors
 * (read_file's plain `N:` prefixes, edit_file without `anchor`) when it turns anchors off.
 */
export function toolsFor(sel: ToolSelection = {}): AnyTool[] {
  const anchors = sel.editFormat?.anchors !== false
  const patch = sel.editFormat?.patch !== false
  let tools = allTools()
  if (sel.quick) tools = tools.filter((t) => (QUICK_TOOLS as readonly string[]).includes(t.name))
  if (!patch) tools = tools.filter((t) => t.name !== 'patch_file')
  if (!anchors) {
    tools = tools.map((t) => {
      if (t.name === 'read_file') return {...t, description: READ_DESCRIPTION_PLAIN}
      if (t.name === 'edit_file') return {...withoutProp(t, 'anchor'), description: t.description.replace(/\s*anchor:[^.]*\.$/, '')}
      return t
    })
  }
  return tools
}

/** The schemas sent to the model for these tools. */
export function toolSchemas(tools: readonly AnyTool[]): ToolSchema[] {
  return tools.map((t) => toolSchema(t))
}
