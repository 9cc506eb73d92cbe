import {readFileSync} from 'node:fs'
import {createContextEngine, type ContextEngine} from '../context/engine.js'
import type {Attachment, History} from '../context/history.js'
import {repeatNotice, type LoopGuard} from '../context/loop-guard.js'
import type {TokenCounter} from '../context/tokenizer.js'
import {InterruptedError, ModelError} from '../errors/index.js'
import type {ChatResponse, ModelClient, StreamEvent, ToolCall, ToolSchema} from '../model/types.js'
import {toolSchemas, type AnyTool} from '../tools/registry.js'
import {runToolCall} from '../tools/run-call.js'
import type {ToolContext, ToolResult} from '../tools/types.js'
import type {TelemetryRecorder} from '../telemetry/recorder.js'
import {CostLimitReached, round6, type CostMeter} from '../model/cost.js'

let systemCache: string | undefined
/** The agent's system prompt (system.md beside this file): short, hardened (seed 5h). */
export function systemPrompt(extra?: string): string {
  systemCache ??= readFileSync(new URL('./system.md', import.meta.url), 'utf8').trim()
  return extra ? `${systemCache}\n\n${extra}` : systemCache
}

export type AgentEvent =
  /** A request is about to go out (after the budget and cost checks): `tokens` is its counted size. */
  | {type: 'send'; n: number; tokens: number}
  | {type: 'request'; n: number; tokens: number}
  | {type: 'tool'; name: string; summary: string; ok: boolean; repeat?: boolean}
  | {type: 'model'; event: StreamEvent}
  | {type: 'retry_context'; message: string}

export interface AgentInput {
  system: string
  task: string
  attachments?: Attachment[]
  /** Prior turns of a session. */
  preamble?: string
}

export interface AgentDeps {
  client: ModelClient
  /** Overrides the client's model (routes). */
  model?: string
  tools: AnyTool[]
  /** The tool context minus what the loop fills in per call. */
  ctx: Omit<ToolContext, 'callId' | 'recall' | 'signal'>
  counter: TokenCounter
  budgetTokens: number
  /** Tool calls this run may make (the step's tool budget). */
  maxToolCalls: number
  maxTokens?: number
  /** Stop after this many model requests, answering with the last text or the tool summaries (quick mode: 1). */
  maxRequests?: number
  signal?: AbortSignal
  onEvent?: (e: AgentEvent) => void
  recorder?: TelemetryRecorder
  /** Prices each response and, with a limit (--max-cost), refuses a request before it is sent. */
  meter?: CostMeter
}

export type StopReason = 'done' | 'budget' | 'loop' | 'interrupted' | 'cost'

/** A model that sends the same refused call this many times in a row is stuck: stop rather than burn tokens. */
const MAX_REPEATS = 3

export interface AgentResult {
  answer: string
  stop: StopReason
  toolCalls: number
  requests: number
  tokens: {input: number; output: number}
  /** USD of this run's requests; null without a meter or when a model had no price. */
  costUsd: number | null
  largestRequest: number
  /** Repo-relative paths changed by tools (bash changes are not tracked here; compare snapshots for those). */
  changed: string[]
  history: History
}

const BUDGET_NOTE = (n: number) => `Error: the tool budget of ${n} calls for this task is used up; this call was not run.`

/**
 * The loop: request -> stream -> run the tool calls in order -> append results -> repeat, until a final
 * answer, the tool-call budget, or abort. Every request goes through the budget pass first; a
 * context-length error gets one tighter pass and a retry. Tool failures are data, never exceptions.
 */
export async function runAgent(input: AgentInput, deps: AgentDeps): Promise<AgentResult> {
  const schemas = toolSchemas(deps.tools)
  const engine = await createContextEngine({system: input.system, task: input.task, attachments: input.attachments, preamble: input.preamble, contextWindow: 1, counter: deps.counter, tools: schemas})
  engine.budget = {...engine.budget, budgetTokens: deps.budgetTokens}
  const {history, guard} = engine
  // The engine's read cache knows which earlier results are still whole in the request.
  deps = {...deps, ctx: {...deps.ctx, readCache: engine.readCache}}
  const usedIds = new Set<string>()
  const changed = new Set<string>()
  const result: AgentResult = {answer: '', stop: 'done', toolCalls: 0, requests: 0, tokens: {input: 0, output: 0}, costUsd: deps.meter?.knows(deps.model ?? deps.client.model) ? 0 : null, largestRequest: 0, changed: [], history}
  let nudged = false

  for (;;) {
    if (deps.signal?.aborted) return finish(result, 'interrupted', changed)
    let res: ChatResponse
    try {
      res = await request(engine, schemas, deps, result)
    } catch (err) {
      if (err instanceof CostLimitReached) {
        result.answer = `Stopped: ${err.message}.`
        return finish(result, 'cost', changed)
      }
      // The caller keeps what was done so far (the session to --continue, the checkpoint of the tools that ran).
      throw withPartial(err, finish(result, 'interrupted', changed))
    }
    const calls = [...res.toolCalls.map((c) => uniqueId(c, usedIds)), ...res.badToolCalls.map((b) => uniqueId(b.call, usedIds))]
    const bad = new Map(res.badToolCalls.map((b, i) => [calls[res.toolCalls.length + i]!.id, b.error]))
    history.addAssistant({content: res.content || null, toolCalls: calls, reasoning: res.reasoning})
    if (calls.length === 0) {
      // Small models sometimes answer with nothing at all: one nudge, then give up gracefully.
      if (!res.content.trim() && !nudged && res.finishReason !== 'length') {
        nudged = true
        history.addUser('Continue: call a tool, or give your final answer.')
        continue
      }
      result.answer = res.content.trim()
      return finish(result, 'done', changed)
    }
    let stuck = 0
    for (const call of calls) {
      const r: ToolResult & {repeats?: number} = result.toolCalls >= deps.maxToolCalls ? budgetExhausted(deps.maxToolCalls) : await runOne(call, bad.get(call.id), history, guard, deps)
      stuck = Math.max(stuck, r.repeats ?? 0)
      if (deps.signal?.aborted) {
        history.addToolResult({callId: call.id, name: call.function.name, args: call.function.arguments, content: 'Error: interrupted', summary: 'interrupted', ok: false})
        continue
      }
      result.toolCalls++
      for (const p of r.changed ?? []) changed.add(p)
    }
    if (deps.signal?.aborted) return finish(result, 'interrupted', changed)
    if (stuck >= MAX_REPEATS) {
      result.answer = `Stopped: the model sent the same call ${stuck} times with nothing changing in between.`
      return finish(result, 'loop', changed)
    }
    if (deps.maxRequests !== undefined && result.requests >= deps.maxRequests) {
      result.answer = res.content.trim() || lastSummaries(history)
      return finish(result, 'done', changed)
    }
    if (result.toolCalls >= deps.maxToolCalls) {
      result.answer = `Stopped: the tool budget of ${deps.maxToolCalls} calls was used up before the task was finished.`
      return finish(result, 'budget', changed)
    }
  }
}

function finish(result: AgentResult, stop: StopReason, changed: Set<string>): AgentResult {
  result.stop = stop
  result.changed = [...changed].sort()
  if (stop === 'interrupted' && !result.answer) result.answer = 'Interrupted.'
  return result
}

/** What a run had done when an error ended it (set on errors thrown by runAgent). */
export function partialResult(err: unknown): AgentResult | undefined {
  return err && typeof err === 'object' ? (err as {partial?: AgentResult}).partial : undefined
}

function withPartial(err: unknown, partial: AgentResult): unknown {
  if (err && typeof err === 'object' && !('partial' in err)) Object.defineProperty(err, 'partial', {value: partial, enumerable: false})
  return err
}

function lastSummaries(history: History): string {
  const g = history.groups[history.groups.length - 1]
  return g?.kind === 'assistant' ? g.results.map((r) => r.summary).join('\n') : ''
}

function budgetExhausted(n: number): ToolResult {
  return {content: BUDGET_NOTE(n), summary: 'not run: tool budget used up', ok: false}
}

/** Providers reuse ids ("call_0") across turns or omit them; history and recall need them unique. */
function uniqueId(call: ToolCall, used: Set<string>): ToolCall {
  let id = call.id || `call_${used.size + 1}`
  for (let n = 2; used.has(id); n++) id = `${call.id || 'call'}_${n}`
  used.add(id)
  return id === call.id ? call : {...call, id}
}

async function request(engine: ContextEngine, tools: ToolSchema[], deps: AgentDeps, result: AgentResult): Promise<ChatResponse> {
  const onModel = (event: StreamEvent) => deps.onEvent?.({type: 'model', event})
  const model = deps.model ?? deps.client.model
  const send = () =>
    engine.send((messages, stats) => {
      // --max-cost: the request's counted size and its answer cap are what it may cost; past the limit it is not sent.
      deps.meter?.admit({model, inputTokens: stats.after, maxTokens: deps.maxTokens})
      deps.onEvent?.({type: 'send', n: result.requests + 1, tokens: stats.after})
      return deps.client.chat({messages, tools, model: deps.model, maxTokens: deps.maxTokens, signal: deps.signal}, onModel)
    })
  // Reasoning goes back (and is counted by the budget pass) only where the provider needs it.
  const wanted = () => (deps.client.passesReasoningBack?.(deps.model) ? 'tool_calls' : 'none')
  engine.history.reasoning = wanted()
  let reply
  try {
    reply = await send()
  } catch (err) {
    // A server that said it wants the reasoning back gets the request again, rendered with it, once.
    if (!(err instanceof ModelError && err.code === 'reasoning_required') || engine.history.reasoning === 'tool_calls' || wanted() !== 'tool_calls') throw wrapAbort(err, deps.signal)
    engine.history.reasoning = 'tool_calls'
    try {
      reply = await send()
    } catch (again) {
      throw wrapAbort(again, deps.signal)
    }
  }
  // The budget pass already counted the request it sent: report that figure, no second count.
  if (reply.retried) deps.onEvent?.({type: 'retry_context', message: `context too long for the server; retried with ${reply.stats.after} tokens`})
  deps.onEvent?.({type: 'request', n: result.requests + 1, tokens: reply.stats.after})
  const res = reply.response
  result.requests++
  result.tokens.input += res.usage.input
  result.tokens.output += res.usage.output
  const usd = deps.meter?.spend(model, res.usage)
  result.costUsd = usd === undefined || result.costUsd === null ? null : round6(result.costUsd + usd)
  result.largestRequest = Math.max(result.largestRequest, res.usage.reported ? res.usage.input : reply.stats.after)
  deps.recorder?.onRequest({usage: res.usage, budget: reply.stats, ...(deps.meter ? {costUsd: usd ?? null} : {})})
  return res
}

function wrapAbort(err: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted && !(err instanceof InterruptedError)) return new InterruptedError()
  return err
}

async function runOne(call: ToolCall, badArgs: string | undefined, history: History, guard: LoopGuard, deps: AgentDeps): Promise<ToolResult & {repeats?: number}> {
  const name = call.function.name
  const args = call.function.arguments
  let r: ToolResult
  let repeat = false
  let repeats = 0
  if (name === 'recall' && !badArgs) {
    // Recall answers from history and is not itself kept for recall (no recursion).
    r = await runToolCall(deps.tools, name, args, {...deps.ctx, callId: call.id, signal: deps.signal, recall: (q) => history.recall(q)})
    history.addToolResult({callId: call.id, name, args, content: r.content, summary: r.summary, ok: r.ok, ephemeral: true})
    deps.recorder?.onToolResult({name, ok: r.ok})
    deps.onEvent?.({type: 'tool', name, summary: r.summary, ok: r.ok})
    return r
  }
  const verdict = guard.check(name, args)
  if (verdict.repeat) {
    repeat = true
    repeats = verdict.count
    r = {content: repeatNotice(name, verdict.previous, verdict.count), summary: `repeated ${name} call not run`, ok: false}
  } else if (badArgs) {
    r = {content: `Error: ${badArgs}`, summary: `${name}: bad arguments`, ok: false}
  } else {
    r = await runToolCall(deps.tools, name, args, {...deps.ctx, callId: call.id, signal: deps.signal, recall: (q) => history.recall(q)})
  }
  if (!repeat) guard.record(name, args, {callId: call.id, content: r.content, changed: r.changed})
  // A failing hook (build/type errors) after an edit must survive the first compression pass.
  const pin = Boolean(r.changed?.length) && /\berror\b/i.test(r.content.slice(r.content.indexOf('\n') + 1))
  history.addToolResult({callId: call.id, name, args, content: r.content, summary: r.summary, ok: r.ok, pin})
  deps.recorder?.onToolResult({name, ok: r.ok})
  deps.onEvent?.({type: 'tool', name, summary: r.summary, ok: r.ok, repeat})
  return {...r, repeats}
}
