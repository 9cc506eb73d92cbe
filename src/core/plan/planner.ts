import {readFileSync} from 'node:fs'
import {ModelError} from '../errors/index.js'
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
}): Promise<PlannerResult> {
  const messages = plannerMessages(opts.task, opts.context)
  const tokens = {input: 0, output: 0}
  let lastErrors: string[] = []
  for (let attempt = 1; attempt <= 2; attempt++) {
    const res = await opts.client.chat({messages, model: opts.model, json: true, signal: opts.signal, temperature: 0})
    tokens.input += res.usage.input
    tokens.output += res.usage.output
    const parsed = extractJson(res.content)
    const v = parsed === undefined ? {ok: false as const, errors: ['the answer was not a JSON object']} : validatePlanInput(parsed)
    if (v.ok) return {task: v.task || opts.task, steps: v.steps, tokens, attempts: attempt}
    lastErrors = v.errors
    messages.push({role: 'assistant', content: res.content.slice(0, 4000)})
    messages.push({role: 'user', content: `That plan is invalid:\n- ${v.errors.slice(0, 10).join('\n- ')}\nAnswer again with only the corrected JSON object.`})
  }
  throw new ModelError(`the planner did not return a valid plan (${lastErrors[0] ?? 'invalid JSON'}); nothing was stored`, {
    code: 'invalid_plan',
    hint: 'try again, rephrase the task, or set planner_model to a stronger model',
  })
}
