/** Where a resolved value came from: `flag`, `env:NAME`, `repo:.parecode/config.yaml`, `user:~/.config/parecode/config.yaml`, `ollama`, `default`. */
export type ValueSource = string

/** The five hook events; each holds the commands to run (an empty list: none). */
export const HOOK_EVENTS = ['on_edit', 'on_task_done', 'on_plan_step_done', 'on_session_start', 'on_session_end'] as const
export type HookEvent = (typeof HOOK_EVENTS)[number]

/** Hooks as written in a file: a command, a list of commands, or null (explicitly none). */
export type HooksSetting = Partial<Record<HookEvent, string[] | null>>

export interface ModelRoutes {
  quick?: string
  standard?: string
  deep?: string
}

export interface EditFormat {
  anchors: boolean
  patch: boolean
}

export interface Timeouts {
  connectMs: number
  headersMs: number
  idleMs: number
}

/** One profile as validated from a file (snake_case keys, as written). */
export interface ProfileSettings {
  base_url?: string
  model?: string
  planner_model?: string
  api_key_env?: string
  context_window?: number
  cost_per_mtok_input?: number
  cost_per_mtok_output?: number
  model_routes?: ModelRoutes
  edit_format?: Partial<EditFormat>
  tokenizer?: string
  max_tokens?: number
  bash_timeout_max?: number
  retries?: number
  timeouts?: {connect_ms?: number; headers_ms?: number; idle_ms?: number}
  budget_fraction?: number
  hooks?: HooksSetting
  hooks_disabled?: boolean
}

/** A whole config file as validated. */
export interface ConfigSettings {
  profile?: string
  profiles?: Record<string, ProfileSettings>
  hooks?: HooksSetting
  hooks_disabled?: boolean
  telemetry?: boolean
  gc?: {keep?: number}
  approval?: ApprovalPolicy
  sandbox?: {enabled?: boolean; network?: boolean}
  bash_allow?: string[] | null
  sessions?: {secret_files?: boolean}
  mcp_servers?: Record<string, McpServerSetting>
  mcp_schema_budget?: number
}

/** One `mcp_servers.<name>` entry as written: stdio (`command`) or streamable HTTP (`url`). */
export interface McpServerSetting {
  command?: string
  args?: string[]
  env?: Record<string, string>
  /** Names of the user's environment variables handed to the server as they are. */
  env_pass?: string[]
  url?: string
  enabled?: boolean
  /** Only these of its tools are offered. */
  tools?: string[]
  timeout_ms?: number
  start_timeout_ms?: number
  /** Plan-step routes that offer this server without the step naming it. */
  routes?: ('quick' | 'standard' | 'deep')[]
}

/** auto: run every bash command (in the sandbox where there is one); ask: ask on a TTY for what is not allowlisted; never: run only what is allowlisted. */
export type ApprovalPolicy = 'auto' | 'ask' | 'never'

/** What the model's commands may do; set only by the user (flags, environment, user config), never by a repository. */
export interface SecuritySettings {
  /** Undefined: the default, which depends on whether a sandbox is available (auto with one, ask without). */
  approval?: ApprovalPolicy
  approvalSource: ValueSource
  /** False: the user turned the OS sandbox off for bash. */
  sandbox: boolean
  /** Network access inside the sandbox. */
  network: boolean
  /** Extra command prefixes that run without asking under `ask` and `never`. */
  bashAllow: string[]
  /** Keep untracked secret-named files (.env*, *.pem, id_*) in session work trees. */
  sessionSecretFiles: boolean
}

/** A config file that was found and read. */
export interface ConfigFile {
  scope: 'user' | 'repo'
  /** Absolute path. */
  path: string
  /** Path as shown to the user (`~/...` or relative to the repo root). */
  display: string
  /** `user:<display>` or `repo:<display>`: the source label for values it provides. */
  source: ValueSource
  settings: ConfigSettings
}

/** The model endpoint and knobs every feature reads, each value with its source. */
export interface ResolvedProfile {
  /** Profile name; `default` when none is configured. */
  name: string
  baseUrl?: string
  model?: string
  /** Falls back to `model` when unset. */
  plannerModel?: string
  /** The key itself (read from the environment only, never from a file). */
  apiKey?: string
  /** The environment variable the key was read from (for error hints). */
  apiKeyEnv?: string
  /** 'loopback': the endpoint was named by a repository, so the key may go only to an address on this machine, checked when connecting. */
  apiKeyScope?: 'loopback'
  contextWindow: number
  costPerMtokInput?: number
  costPerMtokOutput?: number
  modelRoutes: ModelRoutes
  editFormat: EditFormat
  tokenizer: string
  maxTokens?: number
  /** Seconds; the most a `bash` tool call may ask for. */
  bashTimeoutMax: number
  /** Attempts per request, the first included. */
  retries: number
  timeouts: Timeouts
  /** Fraction of `contextWindow` the context budget may use. */
  budgetFraction: number
  /** True when an endpoint and a model are known. */
  configured: boolean
  /** Source of every value that is set, keyed by field name (`model`, `timeouts.idleMs`, `editFormat.anchors`, ...). */
  sources: Record<string, ValueSource>
}

/** Hooks after merging files and the profile: commands per event (an empty list when none). */
export interface ResolvedHooks {
  events: Record<HookEvent, string[]>
  /** Where each event's commands came from (absent when none configured). */
  sources: Partial<Record<HookEvent, ValueSource>>
  disabled: boolean
  disabledSource?: ValueSource
  /** The first file with a `hooks:` block, even an empty one (then nothing is detected). */
  declaredBy?: ValueSource
}

/** Settings outside profiles. */
export interface GlobalSettings {
  telemetry: boolean
  gc: {keep: number}
  security: SecuritySettings
}
