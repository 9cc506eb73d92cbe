import {readFileSync} from 'node:fs'
import {ExitCode, ModelError, PareError} from '../errors/index.js'
import {CostLimitReached, type CostMeter} from '../model/cost.js'
import type {TelemetryRecorder} from '../telemetry/recorder.js'
import type {ChatMessage, ModelClient} from '../model/types.js'
import {validatePlanInput, type PlanStep} from './schema.js'

let promptCache: string | undefined
/** The planner's system prompt (planner.md beside this file). */
export function plannerPrompt(): string {
  promptCache ??= readFileSync(new URL('./planner.md', import.meta.url), 'utf8').trim()
  return promptCache
}

/** The planner's messages: system prompt, then the project context and the task. */
export function plannerMessages(task: string, context: {projectMap?: string; status?: string; conventions?: string}): ChatMessage[] {
  const parts = [`Task: ${task}`]
  if (context.conventions) parts.push(`Conventions:\n${context.conventions}`)
  if (context.status) parts.push(`git status:\n${context.status}`)
  if (context.projectMap) parts.push(`Project map (path: symbols):\n${context.projectMap}`)
  return [
    {role: 'system', content: plannerPrompt()},
    {role: 'user', content: parts.join('\n\n')},
  ]
}

/** Find the JSON object in a planner answer: bare, fenced, or wrapped in prose; tolerate trailing commas. */
export function extractJson(text: string): unknown {
  const cleaned = text.replace(/<think>[\s\S]*?<\/think>/g, '')
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(cleaned)
  const candidates = [fenced?.[1], cleaned]
  for (const c of candidates) {
    if (!c) continue
    const start = c.indexOf('{')
    const end = c.lastIndexOf('}')
    if (start < 0 || end <= start) continue
    const body = c.slice(start, end + 1)
    for (const attempt of [body, body.replace(/,\s*([}\]])/g, '$1')]) {
      try {
        return JSON.parse(attempt)
      } catch {
        /* try the next form */
      }
    }
  }
  return undefined
}

export interface PlannerResult {
  task: string
  steps: PlanStep[]
  tokens: {input: number; output: number}
  attempts: number
  /** USD of the planner's requests; null without a meter or a price. */
  cost_usd: number | null
}

/**
 * Ask the planner for a plan as strict JSON; on invalid output ask once more with the validation
 * errors; then fail with a ModelError (nothing is stored by the caller).
 */
export async function requestPlan(opts: {
  client: ModelClient
  model?: string
  task: string
  context: {projectMap?: string; status?: string; conventions?: string}
  signal?: AbortSignal
  /** Prices the requests and holds --max-cost (a request that could pass it is not sent). */
  meter?: CostMeter
  /** Counts a request before it is sent (for the meter's bound). */
  countTokens?: (messages: ChatMessage[]) => number
  recorder?: TelemetryRecorder
}): Promise<PlannerResult> {
  const messages = plannerMessages(opts.task, opts.context)
  const tokens = {input: 0, output: 0}
  const model = opts.model ?? opts.client.model
  let cost: number | null = opts.meter?.knows(model) ? 0 : null
  let lastErrors: string[] = []
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (opts.meter) {
      try {
        opts.meter.admit({model, inputTokens: opts.countTokens?.(messages) ?? 0})
      } catch (err) {
        if (!(err instanceof CostLimitReached)) throw err
        throw new PareError(`stopped before planning was done: ${err.message}; nothing was stored`, {code: 'cost_limit', hint: 'raise --max-cost, or plan with a cheaper planner_model', exitCode: ExitCode.stopped})
      }
    }
    const res = await opts.client.chat({messages, model: opts.model, json: true, signal: opts.signal, temperature: 0})
    tokens.input += res.usage.input
    tokens.output += res.usage.output
    const usd = opts.meter?.spend(model, res.usage)
    cost = usd === undefined || cost === null ? null : Math.round((cost + usd) * 1e6) / 1e6
    opts.recorder?.onRequest({usage: res.usage, ...(opts.meter ? {costUsd: usd ?? null} : {})})
    const parsed = extractJson(res.content)
    const v = parsed === undefined ? {ok: false as const, errors: ['the answer was not a JSON object']} : validatePlanInput(parsed)
    if (v.ok) return {task: v.task || opts.task, steps: v.steps, tokens, attempts: attempt, cost_usd: cost}
    lastErrors = v.errors
    messages.push({role: 'assistant', content: res.content.slice(0, 4000)})
    messages.push({role: 'user', content: `That plan is invalid:\n- ${v.errors.slice(0, 10).join('\n- ')}\nAnswer again with only the corrected JSON object.`})
  }
  throw new ModelError(`the planner did not return a valid plan (${lastErrors[0] ?? 'invalid JSON'}); nothing was stored`, {
    code: 'invalid_plan',
    hint: 'try again, rephrase the task, or set planner_model to a stronger model',
  })
}
