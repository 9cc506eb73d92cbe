import type {AgentEvent} from './loop.js'
import {runTask, type RunTaskResult} from './run-task.js'
import type {LoadedConfig} from '../config/load.js'
import type {Store} from '../store/store.js'
import type {Runtime} from './runtime.js'

/** What a model command has open: store, runtime, configuration, Ctrl+C signal. */
export interface AgentDepsBundle {
  store: Store
  runtime: Runtime
  config: LoadedConfig
  signal: AbortSignal
}

/** `git pare run` with the project around it: conventions and status in the prompt, hooks, change impact, telemetry. */
export async function runTaskWithProject(
  s: AgentDepsBundle,
  opts: {task: string; quick?: boolean; session?: string; maxToolCalls?: number; noHooks?: boolean; onEvent?: (e: AgentEvent) => void; onWarning?: (m: string) => void},
): Promise<RunTaskResult> {
  const [{openProject}, {TelemetryRecorder}, {appendTelemetry, telemetryFile}] = await Promise.all([
    import('./project.js'),
    import('../telemetry/recorder.js'),
    import('../telemetry/file.js'),
  ])
  const project = await openProject({store: s.store, config: s.config, counter: s.runtime.counter, noHooks: opts.noHooks, signal: s.signal, env: process.env, onWarning: opts.onWarning})
  const recorder = new TelemetryRecorder({kind: 'run', model: s.runtime.profile.model, profile: s.runtime.profile.name, contextWindow: s.runtime.profile.contextWindow, task: opts.task})
  const touched = new Set<string>()
  await project.event('on_session_start')
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
      signal: s.signal,
      onEvent: opts.onEvent,
    })
    outcome = res.stop === 'done' ? 'done' : res.stop === 'interrupted' ? 'interrupted' : 'limit'
    if (res.stop === 'done') await project.event('on_task_done')
    return res
  } finally {
    await project.event('on_session_end')
    if (s.config.settings.telemetry !== false) await appendTelemetry(telemetryFile(s.store.paths), recorder.finish(outcome)).catch(() => undefined)
  }
}
