import {readFileSync} from 'node:fs'

/** USD per million tokens for one model, as the run uses it. */
export interface Prices {
  input: number
  output: number
  /** Input tokens the provider served from its prompt cache; absent: billed as input. */
  cachedInput?: number
  /** Rates for a request whose prompt is larger than `aboveTokens` (Gemini 2.5 Pro). */
  longContext?: {aboveTokens: number; input: number; output: number}
  /** profile: the user's cost_per_mtok_*; table: the shipped price table; local: a server on this machine. */
  source: 'profile' | 'table' | 'local'
  /** The table's date, when the prices came from it. */
  asOf?: string
}

interface Entry {
  provider: string
  input: number
  output: number
  cached_input?: number
  aliases?: string[]
  long_context?: {above_tokens: number; input: number; output: number}
}

interface Table {
  as_of: string
  source: string
  models: Record<string, Entry>
  hosts: Record<string, Record<string, Entry>>
}

let table: Table | undefined
/** The shipped price table (prices.json beside this file). */
export function priceTable(): Table {
  table ??= JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as Table
  return table
}

// A date the provider appended to a model id: gpt-4o-2024-08-06, claude-sonnet-4-20250514; and Anthropic's -latest.
const DATED = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$/

function find(models: Record<string, Entry>, id: string): Entry | undefined {
  const own = Object.hasOwn(models, id) ? models[id] : undefined
  return own ?? Object.values(models).find((e) => e.aliases?.includes(id))
}

/**
 * The table's entry for a model id: the id as given, then without a provider prefix naming the model's maker
 * (`openai/gpt-4o-mini`, `models/gemini-2.5-flash`), then without a dated suffix (`gpt-4o-2024-08-06` -> `gpt-4o`).
 * Nothing fuzzier: an id not matched this way has no price.
 */
export function lookupPrice(model: string, host?: string): (Entry & {id: string}) | undefined {
  const t = priceTable()
  const scopes = [...(host && Object.hasOwn(t.hosts, host) ? [t.hosts[host]!] : []), t.models]
  const id = model.trim().toLowerCase()
  const slash = id.indexOf('/')
  const prefix = slash > 0 ? id.slice(0, slash) : undefined
  const bare = slash > 0 ? id.slice(slash + 1) : id
  for (const models of scopes) {
    const exact = find(models, id)
    if (exact) return {...exact, id}
    for (const candidate of [bare, bare.replace(DATED, '')]) {
      const e = find(models, candidate)
      // A prefix is dropped only when it names the maker (or is Gemini's `models/`): `meta-llama/x` is not OpenAI's `x`.
      if (e && (prefix === undefined || prefix === e.provider || prefix === 'models')) return {...e, id: candidate}
    }
  }
  return undefined
}

/** Whether a base URL points at this machine (Ollama, LM Studio, llama.cpp, vLLM run locally cost nothing per token). */
export function isLocalUrl(baseUrl: string): boolean {
  let host: string
  try {
    host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  } catch {
    return false
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0'
}

function hostOf(baseUrl?: string): string | undefined {
  try {
    return baseUrl ? new URL(baseUrl).hostname.toLowerCase() : undefined
  } catch {
    return undefined
  }
}

/** What pricing needs of a profile. */
export interface PricedProfile {
  baseUrl?: string
  costPerMtokInput?: number
  costPerMtokOutput?: number
}

/**
 * A model's prices under a profile: the profile's cost_per_mtok_* (for every model of the profile; a rate it leaves
 * unset comes from the table, else 0), else 0 for a server on this machine, else the table; undefined when none is known.
 */
export function pricesFor(profile: PricedProfile, model: string): Prices | undefined {
  const hit = lookupPrice(model, hostOf(profile.baseUrl))
  const asOf = priceTable().as_of
  if (profile.costPerMtokInput !== undefined || profile.costPerMtokOutput !== undefined) {
    const input = profile.costPerMtokInput ?? hit?.input ?? 0
    // The table's cache discount belongs to the table's input rate: with the user's own input rate, cached is input.
    const cachedInput = profile.costPerMtokInput === undefined ? hit?.cached_input : undefined
    return {input, output: profile.costPerMtokOutput ?? hit?.output ?? 0, ...(cachedInput !== undefined ? {cachedInput} : {}), source: 'profile'}
  }
  if (profile.baseUrl && isLocalUrl(profile.baseUrl)) return {input: 0, output: 0, source: 'local'}
  if (!hit) return undefined
  const p: Prices = {input: hit.input, output: hit.output, source: 'table', asOf}
  if (hit.cached_input !== undefined) p.cachedInput = hit.cached_input
  if (hit.long_context) p.longContext = {aboveTokens: hit.long_context.above_tokens, input: hit.long_context.input, output: hit.long_context.output}
  return p
}
