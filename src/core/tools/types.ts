import type {ReadCache} from '../context/read-cache.js'
import type {BashPolicy} from '../sandbox/policy.js'

/** What every tool receives: the repository, caches and hooks wired by the agent. */
export interface ToolContext {
  /** Absolute, realpath'd repository root. */
  root: string
  /** Id of the current tool call (for cache notes such as "unchanged since call X"). */
  callId: string
  signal?: AbortSignal
  readCache: ReadCache
  /** Env for subprocesses (bash); bash keeps only its allowlist of it. */
  env?: NodeJS.ProcessEnv
  /** The user's approval and sandbox choices for bash; absent: sandboxed where possible, default approval. */
  bash?: BashPolicy
  /** Asks the user whether to run a command (the CLI on a terminal); absent: nobody can be asked. */
  approve?: (command: string, signal?: AbortSignal) => Promise<boolean>
  /** Largest bash timeout allowed, seconds. */
  maxBashTimeout?: number
  /** Anchors (N#hash) and patch_file can be switched per profile. */
  editFormat?: {anchors: boolean; patch: boolean}
  /** Called after a successful write/edit/patch with repo-relative paths; returns text appended to the tool result (hook output, change impact). */
  afterEdit?: (paths: string[]) => Promise<string | undefined>
  /** Telemetry of edit tools: which tool and cascade level applied, or failed. */
  onEditOutcome?: (e: {tool: string; ok: boolean; level?: string}) => void
  /** Earlier full tool results, for recall. */
  recall?: (q: {tool_call_id?: string; tool_name?: string}) => {id: string; name: string; content: string} | undefined
}

export interface ToolResult {
  /** Full content for the model. */
  content: string
  /** One line for display and for later compression of history. */
  summary: string
  ok: boolean
  /** Repo-relative paths this call changed. */
  changed?: string[]
}

export interface Tool<A = Record<string, unknown>> {
  name: string
  description: string
  /** Short hand-written JSON schema. */
  parameters: Record<string, unknown>
  run(args: A, ctx: ToolContext): Promise<ToolResult>
}
