import type {RecordedRequest, Turn} from '../model/scripted-turns.js'
import {turn} from '../model/scripted-turns.js'
import {lineHash} from '../tools/anchors.js'
import {DEMO_FILES, DEMO_PLAN} from './project.js'

function text(m: {content?: unknown}): string {
  return typeof m?.content === 'string' ? m.content : ''
}

/** The edit a competent model makes for a demo step: delete the console.log line, anchored. */
function editFor(path: string): Turn {
  const lines = DEMO_FILES[path]!.split('\n')
  const i = lines.findIndex((l) => l.includes('console.log'))
  return turn.tools([{name: 'edit_file', args: {path, old_str: `${lines[i]}\n`, new_str: '', anchor: `${i + 1}#${lineHash(lines[i]!)}`}}])
}

/**
 * The embedded demo model: a scripted policy, not a language model. It answers the planner with the
 * demo plan and each step with one anchored edit, then a one-line summary.
 */
export function demoPolicy(req: RecordedRequest): Turn {
  const messages: Array<{role: string; content?: unknown}> = req.body?.messages ?? []
  const system = text(messages[0] ?? {})
  if (system.startsWith('You plan code changes')) return turn.text(JSON.stringify(DEMO_PLAN, null, 1))
  const task = messages.filter((m) => m.role === 'user').map(text).join('\n')
  const path = /src\/cart\.ts/.test(task.split('Step ')[1] ?? '') ? 'src/cart.ts' : 'src/greet.ts'
  const toolResults = messages.filter((m) => m.role === 'tool')
  if (toolResults.length === 0) return editFor(path)
  return turn.text(`Removed the console.log call from ${path}.`)
}
