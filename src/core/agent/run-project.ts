import type {AgentEvent} from './loop.js'
import {runModel, runTask, type RunTaskResult} from './run-task.js'
import type {LoadedConfig} from '../config/load.js'
import type {HookObserver} from '../hooks/event-hooks.js'
import type {HookEvent} from '../hooks/events.js'
import type {HookRun} from '../hooks/run-hook.js'
import type {Store} from '../store/store.js'
import type {Runtime} from './runtime.js'
import type {CostMeter} from '../model/cost.js'

/** What a model command has open: store, runtime, configuration, Ctrl+C signal. */
export interface AgentDepsBundle {
  store: Store
  runtime: Runtime
  config: LoadedConfig
  signal: AbortSignal
}

/** One event hook that ran around the task, as `run --json` reports it. */
export interface HookReport {
  event: HookEvent
  command: string
  ok: boolean
  /** Exit status (124 after a timeout). */
  code: number
  timed_out: boolean
  ms: number
  output: string
}

export interface RunProjectResult extends RunTaskResult {
  /** The event hooks that ran (on_session_start, on_task_done, on_session_end), in order. */
  hooks: HookReport[]
  /** After a finished run: on_task_done results and references left to removed or renamed symbols. */
  sweep: import('../sweep/sweep.js').Sweep
}

const report = (event: HookEvent, r: HookRun): HookReport => ({event, command: r.command, ok: r.code === 0 && !r.timedOut, code: r.code, timed_out: r.timedOut, ms: r.ms, output: r.output})

/**
 * `git pare run` with the project around it: conventions and status in the prompt, hooks, change impact, telemetry.
 * Event hooks never throw: each one is reported (and observed, for a spinner) and returned in `hooks`.
 */
export async function runTaskWithProject(
  s: AgentDepsBundle,
  opts: {task: string; quick?: boolean; session?: string; maxToolCalls?: number; noHooks?: boolean; onEvent?: (e: AgentEvent) => void; onWarning?: (m: string) => void; onHook?: HookObserver; meter?: CostMeter; command?: string},
): Promise<RunProjectResult> {
  const [{openProject}, {TelemetryRecorder}, {appendTelemetry, telemetryFile}, {runEventHooks}] = await Promise.all([
    import('./project.js'),
    import('../telemetry/recorder.js'),
    import('../telemetry/file.js'),
    import('../hooks/event-hooks.js'),
  ])
  const project = await openProject({store: s.store, config: s.config, counter: s.runtime.counter, noHooks: opts.noHooks, signal: s.signal, env: process.env, onWarning: opts.onWarning})
  const recorder = new TelemetryRecorder({kind: 'run', model: runModel(s.runtime.profile, opts.quick), profile: s.runtime.profile.name, contextWindow: s.runtime.profile.contextWindow, task: opts.task, command: opts.command})
  const touched = new Set<string>()
  const hooks: HookReport[] = []
  const event = async (name: HookEvent) => {
    for (const r of await runEventHooks(name, project.hooks, {cwd: s.store.paths.root, signal: s.signal, env: process.env}, opts.onHook)) hooks.push(report(name, r))
  }
  await event('on_session_start')
  let outcome = 'error'
  try {
    const res = await runTask(s.store, s.runtime, {
      task: opts.task,
      quick: opts.quick,
      session: opts.session,
      maxToolCalls: opts.maxToolCalls,
      context: opts.quick ? undefined : await project.context(),
      afterEditFor: (baseTree) => project.afterEdit(baseTree, touched),
      recorder,
      meter: opts.meter,
      signal: s.signal,
      onEvent: opts.onEvent,
    })
    outcome = res.stop === 'done' ? 'done' : res.stop === 'interrupted' ? 'interrupted' : 'limit'
    if (res.stop === 'done') await event('on_task_done')
    // The post-task sweep (plan 6o-iii): the on_task_done results, and what still names a symbol the run removed or renamed.
    const {postTaskSweep} = await import('../sweep/sweep.js')
    const sweep = await postTaskSweep(s.store, {hooks, from: res.checkpoint.commit, done: res.stop === 'done', signal: s.signal})
    return Object.assign(res, {hooks, sweep})
  } finally {
    await event('on_session_end')
    if (s.config.settings.telemetry !== false) await appendTelemetry(telemetryFile(s.store.paths), recorder.finish(outcome)).catch(() => undefined)
  }
}
