import {readRepoText} from '../fs/repo-file.js'
import type {LoadedConfig} from '../config/load.js'
import type {TokenCounter} from '../context/tokenizer.js'
import type {ResolvedHooks} from '../hooks/events.js'
import type {HookRun} from '../hooks/run-hook.js'
import type {Store} from '../store/store.js'

/** Hooks, conventions and change impact for one command: the deterministic help around the model. */
export interface Project {
  hooks: ResolvedHooks
  /** Conventions and `git status --short`, for the system prompt (undefined when there is nothing). */
  context(): Promise<string | undefined>
  /** ToolContext.afterEdit: on_edit hook output and change-impact warnings for the edited files. */
  afterEdit(baseTree: string, touched: Set<string>): (paths: string[]) => Promise<string | undefined>
  /** Run an event's hooks (failures are reported, never thrown). */
  event(name: 'on_task_done' | 'on_plan_step_done' | 'on_session_start' | 'on_session_end'): Promise<HookRun[]>
  /** Run a command like a hook (verification): capped output, timeout, process group killed. */
  runCommand(command: string, timeoutMs?: number): Promise<{code: number; output: string; timedOut: boolean}>
  /** The project's build/type check (first on_edit hook), for build_success verification. */
  buildCommand?: string
}

const CONVENTIONS_TOKENS = 600
const STATUS_LINES = 15

export async function openProject(opts: {store: Store; config: LoadedConfig; counter: TokenCounter; noHooks?: boolean; signal?: AbortSignal; env?: NodeJS.ProcessEnv; onWarning?: (m: string) => void}): Promise<Project> {
  const root = opts.store.paths.root
  const [{ensureHooks, hooksFromConfig}, {runHook}, {runEventHooks, onEditHookText}, {HookMemo}, {conventionItems, conventionsText}, {ApprovalStore, worktreeScope}, {ignoredNote}] = await Promise.all([
    import('../hooks/ensure-hooks.js'),
    import('../hooks/run-hook.js'),
    import('../hooks/event-hooks.js'),
    import('../hooks/hook-memo.js'),
    import('../hooks/conventions.js'),
    import('../trust/approvals.js'),
    import('../trust/items.js'),
  ])
  const env = opts.env ?? process.env
  const approvals = ApprovalStore.forUser(env)
  const ignored: string[] = []
  if (opts.config.repoTrust.state === 'unapproved') ignored.push('.parecode/config.yaml')
  if (opts.config.repoTrust.state === 'refused') opts.onWarning?.(`ignored ${opts.config.repoTrust.reason}`)
  // Hooks from config when any are set; otherwise detected once (tsc, cargo, go, ruff, lint) and written to .parecode/config.yaml.
  const configured = hooksFromConfig(opts.config.hooks).configured
  // --no-hooks: nothing runs and nothing is detected or written.
  let hooks
  if (opts.noHooks) hooks = (await import('../hooks/events.js')).resolveHooks({hooks: configured?.events, noHooks: true})
  else {
    const ensured = await ensureHooks(root, {configured, disabled: opts.config.hooks.disabled || undefined, env, approvals, repoConfig: opts.config.repoTrust})
    hooks = ensured.hooks
    ignored.push(...ensured.untrusted.map((c) => `hook \`${c}\``))
  }
  // Conventions go into the model's instructions: only the approved ones, checked now so the user hears about the rest once.
  const refused: string[] = []
  const items = await conventionItems(root, {onRefused: (r) => refused.push(r)})
  const pendingConventions = new Set((await approvals.unapproved(worktreeScope(root), items)).map((i) => i.key))
  ignored.push(...items.filter((i) => pendingConventions.has(i.key)).map((i) => i.label))
  for (const r of refused) opts.onWarning?.(`ignored ${r}`)
  const note = ignoredNote(ignored)
  if (note) opts.onWarning?.(note)
  const approvedConventions = items.filter((i) => !pendingConventions.has(i.key))
  const hookOpts = {cwd: root, signal: opts.signal, env: opts.env}
  return {
    hooks,
    buildCommand: hooks.commands.on_edit[0],
    async context() {
      const {gitStatusShort} = await import('../index/git-context.js')
      const conventions = conventionsText(approvedConventions, {capTokens: CONVENTIONS_TOKENS, countTokens: (t) => opts.counter.count(t)})
      const status = await gitStatusShort(root, {maxLines: STATUS_LINES, signal: opts.signal})
      const parts: string[] = []
      if (conventions) parts.push(`Project conventions:\n${conventions}`)
      if (status) parts.push(`git status --short (before this task):\n${status}`)
      return parts.length ? parts.join('\n\n') : undefined
    },
    afterEdit(baseTree, touched) {
      // Each edit's result says only what changed since the previous one (errors already shown are counted, not repeated).
      const memo = new HookMemo()
      return async (paths) => {
        for (const p of paths) touched.add(p)
        const parts: string[] = []
        const hookText = onEditHookText(await runEventHooks('on_edit', hooks, hookOpts), memo)
        if (hookText) parts.push(hookText)
        const {changeImpact} = await import('../index/change-impact.js')
        for (const p of paths) {
          const before = await opts.store.readText(`${baseTree}:${p}`)
          if (before === null) continue
          const after = await readRepoText(root, p, {maxBytes: 4 << 20})
          if (after === undefined) continue
          const impact = await changeImpact({root, path: p, before, after, touched, signal: opts.signal}).catch(() => undefined)
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

