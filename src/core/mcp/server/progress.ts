import type {AgentEvent} from '../../agent/loop.js'
import type {StepEvent} from '../../plan/step-runner.js'
import {neutraliseLine as one} from '../../text/terminal.js'

// `git pare mcp` runs each operation as a `--json` child, whose stderr is otherwise silent. With this variable set
// the child writes one line per tool call, model request and step there, and the server turns each into an MCP
// progress notification. Progress is only ever shown to the client: nothing acts on these lines.

/** Set to "1" in a child's environment to ask it for progress lines on stderr. */
export const PROGRESS_ENV = 'PARE_MCP_PROGRESS'
const PREFIX = 'pare-progress '

const line = (message: string | undefined) => (message === undefined ? undefined : `${PREFIX}${JSON.stringify({message})}\n`)

function agentMessage(e: AgentEvent): string | undefined {
  if (e.type === 'tool') return `${e.ok ? '·' : '✗'} ${one(e.name)}: ${one(e.summary)}`
  if (e.type === 'request') return `model request ${e.n} (${e.tokens} tokens)`
  return undefined
}

function stepMessage(e: StepEvent): string | undefined {
  switch (e.type) {
    case 'step_start':
      return `step ${e.n}${e.attempt > 1 ? ` (retry ${e.attempt - 1})` : ''}: ${one(e.description)}`
    case 'agent': {
      const m = agentMessage(e.event)
      return m === undefined ? undefined : `step ${e.n} ${m}`
    }
    case 'verify':
      return `step ${e.n} verify ${e.result.ok ? 'passed' : 'failed'}: ${one(e.result.summary)}`
    case 'step_end':
      return `step ${e.n} ${e.ok ? 'done' : 'failed'}`
    default:
      return undefined
  }
}

/** The progress line for an agent event (a tool call or a model request), or undefined for the rest. */
export const agentProgressLine = (e: AgentEvent): string | undefined => line(agentMessage(e))

/** The progress line for a plan step's event. */
export const stepProgressLine = (e: StepEvent): string | undefined => line(stepMessage(e))

/** A writer of progress lines when `env` asks for them (see PROGRESS_ENV), else undefined. */
export function jsonProgress<E>(env: NodeJS.ProcessEnv, toLine: (e: E) => string | undefined, write: (s: string) => void): ((e: E) => void) | undefined {
  if (env[PROGRESS_ENV] !== '1') return undefined
  return (e) => {
    const l = toLine(e)
    if (l) write(l)
  }
}

/** The message of a progress line a child wrote, or undefined for any other line of its stderr. */
export function parseProgressLine(text: string): string | undefined {
  if (!text.startsWith(PREFIX)) return undefined
  try {
    const m = (JSON.parse(text.slice(PREFIX.length)) as {message?: unknown}).message
    return typeof m === 'string' ? m : undefined
  } catch {
    return undefined
  }
}
