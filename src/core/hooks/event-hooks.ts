import type {HookEvent, ResolvedHooks} from './events.js'
import type {HookMemo} from './hook-memo.js'
import {runHook, type HookRun, type RunHookOptions} from './run-hook.js'

/** Told when each hook command starts and ends (a spinner with its name, a result line). */
export interface HookObserver {
  start?(event: HookEvent, command: string): void
  end?(event: HookEvent, run: HookRun): void
}

/** Run an event's commands one after another (each with its own timeout); [] when hooks are off or none is set. */
export async function runEventHooks(event: HookEvent, hooks: ResolvedHooks, opts: RunHookOptions, observe?: HookObserver): Promise<HookRun[]> {
  if (!hooks.enabled) return []
  const runs: HookRun[] = []
  for (const command of hooks.commands[event]) {
    if (opts.signal?.aborted) break
    observe?.start?.(event, command)
    const run = await runHook(command, opts)
    observe?.end?.(event, run)
    runs.push(run)
  }
  return runs
}

/**
 * Text appended to an edit's tool result: `⚙ tsc --noEmit: ok`, or the failing command with its exit code and
 * capped output, so the model corrects itself without another call. With a memo, errors already known are counted
 * instead of repeated. Undefined when no hook ran.
 */
export function onEditHookText(runs: HookRun[], memo?: HookMemo): string | undefined {
  if (memo) return memo.text(runs)
  if (!runs.length) return undefined
  return runs
    .map((r) => {
      if (r.timedOut) return `⚙ \`${r.command}\` timed out and was stopped${r.output ? `:\n${r.output}` : ''}`
      if (r.code === 0) return `⚙ \`${r.command}\`: ok`
      return `⚙ \`${r.command}\` (exit ${r.code})${r.output ? `:\n${r.output}` : ': no output'}`
    })
    .join('\n')
}

/** Run the on_edit hooks and return the text for the tool result (the usual `afterEdit` body). */
export async function runOnEditHooks(hooks: ResolvedHooks, opts: RunHookOptions, memo?: HookMemo): Promise<string | undefined> {
  return onEditHookText(await runEventHooks('on_edit', hooks, opts), memo)
}
