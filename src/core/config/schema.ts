import type {Document, LineCounter, Node, Pair} from 'yaml'
import {ConfigError} from '../errors/config-error.js'
import {closest} from './suggest.js'
import {HOOK_EVENTS, type ConfigSettings} from './types.js'
import {MCP_SERVERS_SPEC} from '../mcp/config-spec.js'

// Validation walks the YAML syntax tree (not the plain object) so every complaint carries the line it is about.

export type Spec =
  | {kind: 'string'; check?: (v: string) => string | undefined}
  | {kind: 'number'; min?: number; max?: number; int?: boolean}
  | {kind: 'bool'}
  | {kind: 'enum'; values: readonly string[]}
  // refine: a check across the keys of the mapping (reported at its line).
  | {kind: 'map'; keys: Record<string, Spec>; what: string; refine?: (out: Record<string, unknown>) => string | undefined}
  | {kind: 'dict'; value: Spec; what: string; key?: (k: string) => string | undefined}
  | {kind: 'list'; item: Spec}
  | {kind: 'commands'}

/** How the bash tool asks before running a command: auto (never asks), ask (asks for what is not allowlisted), never (runs only what is allowlisted). */
export const APPROVAL_POLICIES = ['auto', 'ask', 'never'] as const

export const TOKENIZERS = ['o200k_base', 'o200k_harmony', 'cl100k_base', 'p50k_base', 'p50k_edit', 'r50k_base'] as const

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const str: Spec = {kind: 'string'}
// Every number has an upper bound: a timer above 2^31 ms fires at once, and absurd sizes are typos.
const posInt = (max: number): Spec => ({kind: 'number', min: 1, max, int: true})
const cost: Spec = {kind: 'number', min: 0, max: 10_000}
const ms: Spec = posInt(86_400_000)

const hooksSpec: Spec = {kind: 'map', what: 'hooks', keys: Object.fromEntries(HOOK_EVENTS.map((e) => [e, {kind: 'commands'} as Spec]))}

/** Keys of one profile, as written in YAML. */
export const PROFILE_SPEC: Extract<Spec, {kind: 'map'}> = {
  kind: 'map',
  what: 'a profile',
  keys: {
    base_url: {kind: 'string', check: (v) => (/^https?:\/\/[^\s/]+/.test(v) ? undefined : 'base_url must be an http(s) URL, like http://127.0.0.1:11434/v1')},
    model: str,
    planner_model: str,
    api_key_env: {
      kind: 'string',
      check: (v) =>
        ENV_NAME.test(v) ? undefined : 'api_key_env is the NAME of an environment variable (like OPENAI_API_KEY), not the key itself',
    },
    context_window: {kind: 'number', min: 512, max: 100_000_000, int: true},
    cost_per_mtok_input: cost,
    cost_per_mtok_output: cost,
    model_routes: {kind: 'map', what: 'model_routes', keys: {quick: str, standard: str, deep: str}},
    edit_format: {kind: 'map', what: 'edit_format', keys: {anchors: {kind: 'bool'}, patch: {kind: 'bool'}}},
    tokenizer: {kind: 'enum', values: TOKENIZERS},
    max_tokens: posInt(10_000_000),
    bash_timeout_max: posInt(86_400),
    retries: {kind: 'number', min: 1, max: 20, int: true},
    timeouts: {kind: 'map', what: 'timeouts', keys: {connect_ms: ms, headers_ms: ms, idle_ms: ms}},
    budget_fraction: {kind: 'number', min: 0.05, max: 0.95},
    hooks: hooksSpec,
    hooks_disabled: {kind: 'bool'},
  },
}

/** Keys of a whole config file. */
export const FILE_SPEC: Extract<Spec, {kind: 'map'}> = {
  kind: 'map',
  what: 'the config file',
  keys: {
    profile: str,
    profiles: {kind: 'dict', value: PROFILE_SPEC, what: 'profiles'},
    hooks: hooksSpec,
    hooks_disabled: {kind: 'bool'},
    telemetry: {kind: 'bool'},
    gc: {kind: 'map', what: 'gc', keys: {keep: posInt(1_000_000)}},
    // Permissions: read from the user's own config only (a repository's file cannot widen them).
    approval: {kind: 'enum', values: APPROVAL_POLICIES},
    sandbox: {kind: 'map', what: 'sandbox', keys: {enabled: {kind: 'bool'}, network: {kind: 'bool'}}},
    bash_allow: {kind: 'commands'},
    sessions: {kind: 'map', what: 'sessions', keys: {secret_files: {kind: 'bool'}}},
    mcp_servers: MCP_SERVERS_SPEC,
    mcp_schema_budget: {kind: 'number', min: 0, max: 1_000_000, int: true},
  },
}

/** Key names that mean "a secret written into the file". */
const SECRET_KEY = /^(api_?key|key|token|secret|password|auth|authorization|bearer|.*_api_key|.*_token|.*_secret)$/i

/** Values shaped like provider secrets (OpenAI, OpenRouter, Anthropic, Groq, xAI, Google, GitHub, Hugging Face). */
const LOOKS_LIKE_KEY = /^(sk-|sk_|gsk_|xai-|AIza|ghp_|github_pat_|hf_)[A-Za-z0-9_-]{16,}$/

interface Ctx {
  display: string
  lines: LineCounter
  doc: Document
}

function lineOf(ctx: Ctx, node: {range?: [number, number, number] | null} | null | undefined): number {
  const offset = node?.range?.[0]
  return offset === undefined ? 1 : ctx.lines.linePos(offset).line
}

function fail(ctx: Ctx, node: {range?: [number, number, number] | null} | null | undefined, message: string, hint?: string): never {
  throw new ConfigError(`${ctx.display}:${lineOf(ctx, node)}: ${message}`, hint ?? `fix ${ctx.display} (see \`git pare config --help\`)`)
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return typeof value === 'string' ? 'text' : typeof value
}

function check(ctx: Ctx, spec: Spec, node: Node | null, where: string, yaml: typeof import('yaml')): unknown {
  const {isMap, isScalar, isSeq, isAlias} = yaml
  if (isAlias(node)) {
    const target = node.resolve(ctx.doc)
    if (!target) fail(ctx, node, `${where}: unknown alias *${node.source}`)
    node = target as Node
  }
  switch (spec.kind) {
    case 'map':
    case 'dict': {
      if (node === null || (isScalar(node) && node.value === null)) {
        const wrong = spec.kind === 'map' ? spec.refine?.({}) : undefined
        if (wrong) fail(ctx, node, `${where}: ${wrong}`)
        return {}
      }
      if (!isMap(node)) fail(ctx, node, `${where || 'the file'} must be a mapping of keys to values, not ${describe((node as {toJSON(): unknown}).toJSON())}`)
      const out: Record<string, unknown> = {}
      for (const pair of node.items as Pair<Node, Node | null>[]) {
        const keyNode = pair.key
        const key = isScalar(keyNode) && keyNode.value !== null ? String(keyNode.value).trim() : undefined
        if (key === undefined || key === '') fail(ctx, keyNode ?? pair.value, `${where || 'the file'}: a key name is missing`)
        if (key === '<<') fail(ctx, keyNode, `${where || 'the file'}: YAML merge keys (<<) are not supported; repeat the settings`)
        const path = where ? `${where}.${key}` : key
        // Names like __proto__ or constructor would reach Object.prototype through a plain lookup.
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') fail(ctx, keyNode, `"${path}" is not allowed as a key name`)
        if (Object.hasOwn(out, key)) fail(ctx, keyNode, `"${path}" is set twice`)
        if (spec.kind === 'dict') {
          const bad = spec.key?.(key)
          if (bad) fail(ctx, keyNode, `${where}: ${bad}`)
          out[key] = check(ctx, spec.value, pair.value, path, yaml)
          continue
        }
        const sub = Object.hasOwn(spec.keys, key) ? spec.keys[key] : undefined
        if (!sub) {
          if (SECRET_KEY.test(key)) {
            fail(ctx, keyNode, `"${path}": API keys are never read from config files`, 'set `api_key_env: NAME_OF_ENV_VAR` in the profile and export the key in that environment variable')
          }
          const known = Object.keys(spec.keys)
          const guess = closest(key, known)
          const inProfile = where === '' && Object.hasOwn(PROFILE_SPEC.keys, key)
          fail(
            ctx,
            keyNode,
            `unknown key "${path}"${guess ? `; did you mean "${guess}"?` : ''}`,
            inProfile
              ? `profile settings go under \`profiles.<name>\`, e.g. profiles: {local: {${key}: ...}}`
              : `known keys in ${spec.what}: ${known.join(', ')}`,
          )
        }
        out[key] = check(ctx, sub, pair.value, path, yaml)
      }
      const wrong = spec.kind === 'map' ? spec.refine?.(out) : undefined
      if (wrong) fail(ctx, node, `${where}: ${wrong}`)
      return out
    }
    case 'list': {
      if (node === null || (isScalar(node) && node.value === null)) return []
      if (!isSeq(node)) fail(ctx, node, `${where} must be a list, like [a, b]`)
      return (node.items as (Node | null)[]).map((item, i) => check(ctx, spec.item, item, `${where}[${i}]`, yaml))
    }
    case 'commands': {
      if (node === null || (isScalar(node) && node.value === null)) return null
      if (isScalar(node) && typeof node.value === 'string') return node.value.trim() ? [node.value] : null
      if (isSeq(node)) {
        return (node.items as (Node | null)[]).map((item) => {
          if (!isScalar(item) || typeof item.value !== 'string') fail(ctx, item ?? node, `${where}: each command must be text`)
          return item.value as string
        })
      }
      return fail(ctx, node, `${where} must be a command, a list of commands, or null`)
    }
    default: {
      if (!isScalar(node)) fail(ctx, node, `${where} must be a single value, not ${node ? describe(node.toJSON()) : 'nothing'}`)
      const v = node.value
      if (spec.kind === 'bool') {
        if (typeof v !== 'boolean') fail(ctx, node, `${where} must be true or false`)
        return v
      }
      if (spec.kind === 'number') {
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(ctx, node, `${where} must be a number`)
        if (spec.int && !Number.isInteger(v)) fail(ctx, node, `${where} must be a whole number`)
        if (spec.min !== undefined && v < spec.min) fail(ctx, node, `${where} must be at least ${spec.min}`)
        if (spec.max !== undefined && v > spec.max) fail(ctx, node, `${where} must be at most ${spec.max}`)
        return v
      }
      if (v === null || v === undefined) fail(ctx, node, `${where} has no value`)
      if (spec.kind === 'enum') {
        if (typeof v !== 'string' || !spec.values.includes(v)) fail(ctx, node, `${where} must be one of: ${spec.values.join(', ')}`)
        return v
      }
      // Strings: numbers are accepted as text (a model named `7` is odd but legal).
      const s = typeof v === 'string' ? v.trim() : String(v)
      if (typeof v !== 'string' && typeof v !== 'number') fail(ctx, node, `${where} must be text`)
      if (!s) fail(ctx, node, `${where} is empty`)
      if (LOOKS_LIKE_KEY.test(s)) {
        fail(ctx, node, `${where} looks like an API key: keys are never read from config files`, 'set `api_key_env: NAME_OF_ENV_VAR` in the profile and export the key in that environment variable')
      }
      const problem = spec.check?.(s)
      if (problem) fail(ctx, node, problem)
      return s
    }
  }
}

/** Validate a parsed document against the config schema; errors name the file and line. */
export function validateDocument(doc: Document, lines: LineCounter, display: string, yaml: typeof import('yaml')): ConfigSettings {
  return check({display, lines, doc}, FILE_SPEC, doc.contents as Node | null, '', yaml) as ConfigSettings
}
