import {describeSandbox, type SandboxInfo} from '../sandbox/detect.js'
import {defaultApproval} from '../sandbox/policy.js'
import type {LoadedConfig} from './load.js'
import {maskKey} from './mask.js'
import {HOOK_EVENTS} from './types.js'

/** One line of `git pare config`: a key as written in YAML, its value (keys masked) and where it came from. */
export interface ConfigRow {
  key: string
  value: string | number | boolean | string[] | null
  source: string
}

// YAML key -> field of ResolvedProfile (and of its `sources`).
const FIELDS: [string, string][] = [
  ['profile', 'name'],
  ['base_url', 'baseUrl'],
  ['model', 'model'],
  ['planner_model', 'plannerModel'],
  ['api_key', 'apiKey'],
  ['api_key_env', 'apiKeyEnv'],
  ['context_window', 'contextWindow'],
  ['cost_per_mtok_input', 'costPerMtokInput'],
  ['cost_per_mtok_output', 'costPerMtokOutput'],
  ['model_routes.quick', 'modelRoutes.quick'],
  ['model_routes.standard', 'modelRoutes.standard'],
  ['model_routes.deep', 'modelRoutes.deep'],
  ['edit_format.anchors', 'editFormat.anchors'],
  ['edit_format.patch', 'editFormat.patch'],
  ['tokenizer', 'tokenizer'],
  ['max_tokens', 'maxTokens'],
  ['bash_timeout_max', 'bashTimeoutMax'],
  ['retries', 'retries'],
  ['timeouts.connect_ms', 'timeouts.connectMs'],
  ['timeouts.headers_ms', 'timeouts.headersMs'],
  ['timeouts.idle_ms', 'timeouts.idleMs'],
  ['budget_fraction', 'budgetFraction'],
]

function get(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj)
}

/** What the rows about bash need beyond the loaded config: the sandbox found on this machine, and the environment (for PARECODE_SANDBOX). */
export interface DescribeOptions {
  sandbox?: SandboxInfo
  env?: Record<string, string | undefined>
}

/** Rows for the bash sandbox and approval policy, each with its source. */
export function securityRows(loaded: LoadedConfig, opts: DescribeOptions): ConfigRow[] {
  const sec = loaded.settings?.security
  if (!sec) return []
  const userSource = `user:${loaded.files.user.display}`
  const rows: ConfigRow[] = []
  const available = Boolean(opts.sandbox && opts.sandbox.kind !== 'none')
  if (opts.sandbox) {
    const offByEnv = /^(0|false|no|off)$/i.test(opts.env?.PARECODE_SANDBOX ?? '')
    if (!sec.sandbox) rows.push({key: 'sandbox', value: 'off', source: offByEnv ? 'env:PARECODE_SANDBOX' : userSource})
    else rows.push({key: 'sandbox', value: available ? describeSandbox(opts.sandbox) : `none: ${opts.sandbox.reason ?? 'not available'}`, source: 'detected'})
  }
  const sandboxed = sec.sandbox && available
  rows.push({key: 'sandbox.network', value: sec.network, source: sec.network ? userSource : 'default'})
  const approval = sec.approval ?? defaultApproval(sandboxed)
  const why = sec.approval ? sec.approvalSource : `default (${sandboxed ? 'sandboxed' : 'no sandbox'})`
  rows.push({key: 'approval', value: approval, source: why})
  if (sec.bashAllow.length) rows.push({key: 'bash_allow', value: sec.bashAllow, source: userSource})
  return rows
}

/** Rows for every value that is set, in a stable order; the API key is masked. */
export function describeConfig(loaded: LoadedConfig, opts: DescribeOptions = {}): ConfigRow[] {
  const p = loaded.profile
  const rows: ConfigRow[] = []
  for (const [key, field] of FIELDS) {
    let value = get(p, field) as ConfigRow['value'] | undefined
    if (value === undefined) continue
    if (key === 'api_key') value = maskKey(String(value)) ?? null
    rows.push({key, value, source: p.sources[field] ?? 'default'})
  }
  for (const e of HOOK_EVENTS) {
    const source = loaded.hooks.sources[e]
    if (source) rows.push({key: `hooks.${e}`, value: loaded.hooks.events[e], source})
  }
  rows.push({key: 'hooks_disabled', value: loaded.hooks.disabled, source: loaded.hooks.disabledSource ?? 'default'})
  rows.push(...securityRows(loaded, opts))
  const t = loaded.repoTrust
  if (t && t.state !== 'absent') {
    const value = t.state === 'approved' ? 'approved' : t.state === 'unapproved' ? 'not approved, ignored (git pare trust)' : `refused: ${t.reason}`
    rows.push({key: 'repo_config', value, source: loaded.files.repo ? `repo:${loaded.files.repo.display}` : 'repo'})
  }
  return rows
}
