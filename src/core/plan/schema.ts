import {afterErrors, parseAfter} from './deps.js'

/** How a step proves it is done. Deterministic checks only; no model is asked. */
export type Verification =
  | {type: 'none'}
  | {type: 'file_changed'; path?: string}
  | {type: 'pattern_absent'; pattern: string; path?: string}
  | {type: 'command_success'; command: string}
  | {type: 'build_success'; command?: string}

export type StepStatus = 'pending' | 'done' | 'failed'
export type Route = 'quick' | 'standard' | 'deep'

export interface PlanStep {
  description: string
  instruction: string
  files: string[]
  verify: Verification
  tool_budget: number
  status: StepStatus
  approved: boolean
  annotation?: string
  route?: Route
  /** MCP servers (names in mcp_servers) whose tools this step is offered, beyond those its route allows. */
  mcp?: string[]
  /** Carry-forward summary lines written when the step passed. */
  summary?: string[]
  commit?: string
  checkpoint?: string
  tokens?: {input: number; output: number}
  attempts?: number
  last_error?: string
  /** 1-based steps this one runs after (planner or hand edit); absent: inferred from `files` (deps.ts). */
  after?: number[]
  /** Where a `git pare work` worker ran it: its user, host and when it recorded the outcome. */
  ran?: {by: string; host: string; at: string}
}

export type PlanStatus = 'draft' | 'running' | 'paused' | 'done' | 'finished' | 'aborted'

export interface Plan {
  id: string
  task: string
  status: PlanStatus
  created_at: string
  /** The user's branch the scratch branch was made from, and its commit then. */
  base?: {branch: string | null; commit: string}
  branch?: string
  model?: string
  planner_model?: string
  estimate?: {tokens_low: number; tokens_high: number; usd_low?: number; usd_high?: number}
  tokens?: {input: number; output: number}
  steps: PlanStep[]
}

const VERIFY_TYPES = ['none', 'file_changed', 'pattern_absent', 'command_success', 'build_success'] as const
const MAX_STEPS = 20

function str(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== ''
}

/** Accept the shapes models write for verify ("none", {type}, {kind}, {command}) and normalise them. */
export function normaliseVerify(v: unknown, at: string, errors: string[]): Verification {
  if (v === undefined || v === null || v === '') return {type: 'none'}
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2')
    const map: Record<string, Verification> = {none: {type: 'none'}, filechanged: {type: 'file_changed'}, file_changed: {type: 'file_changed'}, build: {type: 'build_success'}, buildsuccess: {type: 'build_success'}, build_success: {type: 'build_success'}}
    if (map[t]) return map[t]!
    errors.push(`${at}.verify: "${v}" is not one of ${VERIFY_TYPES.join(', ')}`)
    return {type: 'none'}
  }
  if (typeof v !== 'object') {
    errors.push(`${at}.verify must be an object like {"type":"command_success","command":"npm test"}`)
    return {type: 'none'}
  }
  const o = v as Record<string, unknown>
  const rawType = String(o.type ?? o.kind ?? (o.command ? 'command_success' : o.pattern ? 'pattern_absent' : 'none'))
  const type = rawType.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/[\s-]+/g, '_')
  const path = str(o.path) ? o.path : undefined
  switch (type) {
    case 'none':
      return {type: 'none'}
    case 'file_changed':
      return path ? {type: 'file_changed', path} : {type: 'file_changed'}
    case 'pattern_absent':
      if (!str(o.pattern)) errors.push(`${at}.verify.pattern is required for pattern_absent`)
      return {type: 'pattern_absent', pattern: String(o.pattern ?? ''), ...(path ? {path} : {})}
    case 'command_success':
      if (!str(o.command)) errors.push(`${at}.verify.command is required for command_success`)
      return {type: 'command_success', command: String(o.command ?? '')}
    case 'build_success':
      return str(o.command) ? {type: 'build_success', command: o.command} : {type: 'build_success'}
    default:
      errors.push(`${at}.verify.type "${rawType}" is not one of ${VERIFY_TYPES.join(', ')}`)
      return {type: 'none'}
  }
}

/** Validate what a planner (or a user's edit) produced; collect every error so one retry can fix them all. */
export function validatePlanInput(input: unknown): {ok: true; task: string; steps: PlanStep[]} | {ok: false; errors: string[]} {
  const errors: string[] = []
  if (!input || typeof input !== 'object' || Array.isArray(input)) return {ok: false, errors: ['the plan must be a JSON object {"task": string, "steps": [...]}']}
  const o = input as Record<string, unknown>
  if (!str(o.task)) errors.push('task: a non-empty string is required')
  if (!Array.isArray(o.steps) || o.steps.length === 0) {
    errors.push('steps: a non-empty array is required')
    return {ok: false, errors}
  }
  if (o.steps.length > MAX_STEPS) errors.push(`steps: at most ${MAX_STEPS} steps (got ${o.steps.length}); merge small ones`)
  const steps: PlanStep[] = o.steps.map((raw, i) => {
    const at = `steps[${i}]`
    if (!raw || typeof raw !== 'object') {
      errors.push(`${at}: must be an object`)
      return undefined as unknown as PlanStep
    }
    const s = raw as Record<string, unknown>
    if (!str(s.description)) errors.push(`${at}.description: a non-empty string is required`)
    if (!str(s.instruction)) errors.push(`${at}.instruction: a non-empty string is required`)
    let files: string[] = []
    if (s.files === undefined) files = []
    else if (Array.isArray(s.files) && s.files.every((f) => typeof f === 'string')) files = (s.files as string[]).map((f) => f.trim()).filter(Boolean)
    else errors.push(`${at}.files: an array of strings is required`)
    let budget = 10
    if (s.tool_budget !== undefined) {
      const n = Number(s.tool_budget)
      if (!Number.isInteger(n) || n < 1 || n > 100) errors.push(`${at}.tool_budget: an integer from 1 to 100 is required`)
      else budget = n
    }
    const step: PlanStep = {
      description: String(s.description ?? '').trim(),
      instruction: String(s.instruction ?? '').trim(),
      files,
      verify: normaliseVerify(s.verify, at, errors),
      tool_budget: budget,
      status: (['pending', 'done', 'failed'] as const).includes(s.status as StepStatus) ? (s.status as StepStatus) : 'pending',
      approved: s.approved === true,
    }
    if (str(s.annotation)) step.annotation = s.annotation
    if (s.route === 'quick' || s.route === 'standard' || s.route === 'deep') step.route = s.route
    if (s.mcp !== undefined && s.mcp !== null) {
      // Names only: a step can pick among the servers the user configured, never define one.
      if (Array.isArray(s.mcp) && s.mcp.length <= 20 && s.mcp.every((m) => typeof m === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(m))) step.mcp = s.mcp as string[]
      else errors.push(`${at}.mcp: a list of MCP server names is required, like [docs]`)
    }
    if (s.after !== undefined && s.after !== null) {
      const after = parseAfter(s.after)
      if (typeof after === 'string') errors.push(`${at}.after: ${after}`)
      else step.after = after
    }
    copyBookkeeping(s, step, at, errors)
    return step
  })
  if (!errors.length) errors.push(...afterErrors(steps))
  if (errors.length) return {ok: false, errors}
  return {ok: true, task: String(o.task).trim(), steps}
}

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/
const MAX_TEXT = 4000

/** `{input, output}` token counts, or undefined when the value is not that shape. */
export function tokenPair(v: unknown): {input: number; output: number} | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined
  const o = v as Record<string, unknown>
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0
  return ok(o.input) && ok(o.output) ? {input: o.input as number, output: o.output as number} : undefined
}

// What the step runner wrote after earlier runs. A pulled plan.yaml can hold anything here, so each field keeps its
// one shape (the summary is shown to later steps' models, the commit and checkpoint are printed).
function copyBookkeeping(s: Record<string, unknown>, step: PlanStep, at: string, errors: string[]): void {
  if (s.summary !== undefined) {
    if (Array.isArray(s.summary) && s.summary.length <= 50 && s.summary.every((l) => typeof l === 'string' && l.length <= MAX_TEXT)) step.summary = s.summary as string[]
    else errors.push(`${at}.summary: a short list of lines is required`)
  }
  for (const k of ['commit', 'checkpoint'] as const) {
    if (s[k] === undefined || s[k] === null) continue
    if (typeof s[k] === 'string' && OID.test(s[k])) step[k] = s[k]
    else errors.push(`${at}.${k}: a commit id is required`)
  }
  if (s.tokens !== undefined) {
    const t = tokenPair(s.tokens)
    if (t) step.tokens = t
    else errors.push(`${at}.tokens: {input, output} counts are required`)
  }
  if (s.attempts !== undefined) {
    if (Number.isInteger(s.attempts) && (s.attempts as number) >= 0 && (s.attempts as number) < 1e6) step.attempts = s.attempts as number
    else errors.push(`${at}.attempts: a count is required`)
  }
  if (s.last_error !== undefined) {
    if (typeof s.last_error === 'string' && s.last_error.length <= MAX_TEXT) step.last_error = s.last_error
    else errors.push(`${at}.last_error: a short text is required`)
  }
  if (s.ran !== undefined && s.ran !== null) {
    const r = s.ran as Record<string, unknown>
    const ok = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200
    if (r && typeof r === 'object' && ok(r.by) && ok(r.host) && ok(r.at)) step.ran = {by: r.by as string, host: r.host as string, at: r.at as string}
    else errors.push(`${at}.ran: {by, host, at} is required`)
  }
}
