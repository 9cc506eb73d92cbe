import type {HookReport} from '../agent/run-project.js'
import type {LoadedConfig} from '../config/load.js'
import type {HookObserver} from '../hooks/event-hooks.js'
import type {Store} from '../store/store.js'
import {staleReferences, type StaleReference} from './stale-references.js'

/** The validation sweep after a task or plan: its on_task_done hooks and the references it left to symbols that are gone. */
export interface Sweep {
  hooks: HookReport[]
  references: StaleReference[]
}

const EMPTY: Sweep = {hooks: [], references: []}

/** After a run: the on_task_done reports among `hooks`, and stale references from checkpoint `from` to the work tree. */
export async function postTaskSweep(store: Store, opts: {hooks: HookReport[]; from: string; done: boolean; signal?: AbortSignal}): Promise<Sweep> {
  if (!opts.done) return {...EMPTY}
  const hooks = opts.hooks.filter((h) => h.event === 'on_task_done')
  // The sweep only informs: a failure in it never fails a run that did its work.
  const references = await staleReferences(store, opts.from, await store.worktreeTree(), {signal: opts.signal}).catch(() => [])
  return {hooks, references}
}

/**
 * After a plan is finished: run on_task_done under the same trust rules as every hook (the user's own run; the
 * repository's only when approved; nothing is detected into a file here), then look for stale references between
 * the plan's base and its result.
 */
export async function planSweep(store: Store, opts: {from: string; to: string; config: LoadedConfig; noHooks?: boolean; env?: NodeJS.ProcessEnv; signal?: AbortSignal; onHook?: HookObserver}): Promise<Sweep> {
  const hooks: HookReport[] = []
  if (!opts.noHooks) {
    const [{ensureHooks, hooksFromConfig}, {runEventHooks}] = await Promise.all([import('../hooks/ensure-hooks.js'), import('../hooks/event-hooks.js')])
    const {configured, disabled} = hooksFromConfig(opts.config.hooks)
    // state 'unapproved': finish never writes detected hooks into .parecode/config.yaml (run and step do, at their start).
    const ensured = await ensureHooks(store.paths.root, {configured, disabled: disabled || undefined, env: opts.env, repoConfig: {state: 'unapproved'}})
    for (const r of await runEventHooks('on_task_done', ensured.hooks, {cwd: store.paths.root, signal: opts.signal, env: opts.env}, opts.onHook)) {
      hooks.push({event: 'on_task_done', command: r.command, ok: r.code === 0 && !r.timedOut, code: r.code, timed_out: r.timedOut, ms: r.ms, output: r.output})
    }
  }
  const references = await staleReferences(store, opts.from, opts.to, {signal: opts.signal}).catch(() => [])
  return {hooks, references}
}
