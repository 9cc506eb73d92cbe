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

/** Rows for every value that is set, in a stable order; the API key is masked. */
export function describeConfig(loaded: LoadedConfig): ConfigRow[] {
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
  return rows
}
