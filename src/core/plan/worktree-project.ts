import {readRepoText} from '../fs/repo-file.js'
import type {Project} from '../agent/project.js'
import {runEventHooks, onEditHookText} from '../hooks/event-hooks.js'
import {resolveHooks} from '../hooks/events.js'
import {HookMemo} from '../hooks/hook-memo.js'
import {runHook} from '../hooks/run-hook.js'
import type {StoreContext} from '../store/context.js'
import {readText} from '../store/objects.js'

/**
 * The user's project as seen from a linked worktree: the same hooks and conventions (approved for the user's
 * checkout; nothing is detected or written here, so the step's commit holds only its own change), each command
 * running in `root`. Without a project: no hooks, no conventions, checks still run in `root`.
 */
export function worktreeProject(base: Project | undefined, ctx: StoreContext, root: string, signal?: AbortSignal): Project {
  const hooks = base?.hooks ?? resolveHooks({noHooks: true})
  const hookOpts = {cwd: root, signal}
  return {
    hooks,
    buildCommand: base?.buildCommand,
    // Conventions are the user's; the status part describes their checkout, which the step starts from.
    context: async () => base?.context(),
    afterEdit(baseTree, touched) {
      const memo = new HookMemo()
      return async (paths) => {
        for (const p of paths) touched.add(p)
        const parts: string[] = []
        const hookText = onEditHookText(await runEventHooks('on_edit', hooks, hookOpts), memo)
        if (hookText) parts.push(hookText)
        const {changeImpact} = await import('../index/change-impact.js')
        for (const p of paths) {
          const before = await readText(ctx, `${baseTree}:${p}`)
          if (before === null) continue
          const after = await readRepoText(root, p, {maxBytes: 4 << 20})
          if (after === undefined) continue
          const impact = await changeImpact({root, path: p, before, after, touched, signal}).catch(() => undefined)
          if (impact) parts.push(impact)
        }
        return parts.length ? parts.join('\n') : undefined
      }
    },
    event: (name) => runEventHooks(name, hooks, hookOpts),
    async runCommand(command, timeoutMs = 300_000) {
      const r = await runHook(command, {...hookOpts, timeoutMs, maxLines: 60})
      return {code: r.code, output: r.output, timedOut: r.timedOut}
    },
  }
}
