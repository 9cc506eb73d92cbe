import {ApprovalStore, worktreeScope} from '../trust/approvals.js'
import type {TrustItem} from '../trust/items.js'
import {classifyHook, hookApprovalContent, hookKey} from './classify.js'
import {detectHooks} from './detect-hooks.js'
import {HOOK_EVENTS, resolveHooks, type HookCommands, type ResolvedHooks} from './events.js'
import {writeHooksBlock} from './hooks-config.js'
import {ProjectFiles} from './project-files.js'

/** Hooks as the config loader merged them: commands per event and the file each came from (`user:…`, `repo:…`). */
export interface ConfiguredHooks {
  events: Record<string, string[]>
  sources: Partial<Record<string, string>>
  /** A config file has a `hooks:` block even if it sets no event: nothing is detected. */
  declared?: boolean
}

export interface EnsuredHooks {
  hooks: ResolvedHooks
  /** config: from configuration; detected: found now (and written, see `wrote`); none: turned off. */
  source: 'config' | 'detected' | 'none'
  wrote: boolean
  reasons: string[]
  /** Commands from the repository (its config or detection) that are not approved: they do not run. */
  untrusted: string[]
  /** The approvals they need (`git pare trust`). */
  pending: TrustItem[]
}

export interface EnsureHooksOptions {
  configured?: ConfiguredHooks
  disabled?: boolean
  noHooks?: boolean
  env?: NodeJS.ProcessEnv
  /** `git pare init`: write the hooks block even when nothing is detected. */
  writeEmpty?: boolean
  approvals?: ApprovalStore
  /** The repository config's state (from the loader): the block is written only into an absent or approved file. */
  repoConfig?: {state: 'absent' | 'approved' | 'unapproved' | 'refused'}
  /** The work tree's listing, when the caller already has it. */
  files?: ProjectFiles
}

/** One line telling the user how to approve hooks from the repository. */
export function untrustedNote(untrusted: string[]): string | undefined {
  if (!untrusted.length) return undefined
  return `not running hooks from this repository that you have not approved (${untrusted.map((c) => `\`${c}\``).join(', ')}): review them with \`git pare trust\``
}

/** The approval items of repository hook commands that are not safe templates. */
export function hookItems(commands: Iterable<string>, f: ProjectFiles): TrustItem[] {
  const out: TrustItem[] = []
  for (const command of new Set(commands)) {
    const v = classifyHook(command, f)
    if (v.safe) continue
    out.push({key: hookKey(command), kind: 'hook', label: command, why: v.why ?? 'a command from the repository', content: hookApprovalContent(v)})
  }
  return out
}

function drop(commands: HookCommands, gone: Set<string>): HookCommands {
  const out = {...commands}
  for (const e of HOOK_EVENTS) out[e] = commands[e].filter((c) => !gone.has(c))
  return out
}

/**
 * Hooks for a session. The user's own hooks run as configured. Hooks from the repository (its approved config, or
 * detected from its files when nothing is configured) run only when they are a fixed template that runs no repository
 * code, or when the user approved the command with the files that decide what it runs. Detected hooks are written once
 * into `.parecode/config.yaml` when that file is absent or approved. `hooks_disabled` stops all of it.
 */
export async function ensureHooks(root: string, opts: EnsureHooksOptions = {}): Promise<EnsuredHooks> {
  const approvals = opts.approvals ?? ApprovalStore.forUser(opts.env ?? process.env)
  const scope = worktreeScope(root)
  const configured = opts.configured && (Object.keys(opts.configured.sources).length || opts.configured.declared) ? opts.configured : undefined
  if (opts.disabled) return {hooks: resolveHooks({hooks: configured?.events, disabled: true}), source: 'none', wrote: false, reasons: [], untrusted: [], pending: []}
  const f = opts.files ?? (await ProjectFiles.load(root, opts.env))
  const gate = async (commands: HookCommands, fromRepo: (event: string) => boolean) => {
    const repoCommands = HOOK_EVENTS.filter(fromRepo).flatMap((e) => commands[e])
    const pending = await approvals.unapproved(scope, hookItems(repoCommands, f))
    return {commands: drop(commands, new Set(pending.map((p) => p.label))), pending}
  }
  if (configured) {
    const hooks = resolveHooks({hooks: configured.events, noHooks: opts.noHooks})
    const {commands, pending} = await gate(hooks.commands, (e) => !String(configured.sources[e] ?? '').startsWith('user:'))
    const untrusted = pending.map((p) => p.label)
    return {hooks: {...hooks, commands, ...(untrusted.length ? {untrusted} : {})}, source: 'config', wrote: false, reasons: [], untrusted, pending}
  }
  const detected = await detectHooks(root, {env: opts.env, files: f})
  const {commands, pending} = await gate(detected.commands, () => true)
  const untrusted = pending.map((p) => p.label)
  const result = (wrote: boolean): EnsuredHooks => ({
    hooks: {...resolveHooks({hooks: commands, noHooks: opts.noHooks}), ...(untrusted.length ? {untrusted} : {})},
    source: 'detected',
    wrote,
    reasons: detected.reasons,
    untrusted,
    pending,
  })
  // Nothing detected: detection is a few stat calls, so repeat it next time rather than leave a file of comments in the
  // user's work tree. `git pare init` asks for the file (writeEmpty); implicit first use does not.
  if (!opts.writeEmpty && !Object.values(detected.commands).some((c) => c.length)) return result(false)
  // Never add to a config file the user has not approved: approving the result would approve the rest of it too.
  const state = opts.repoConfig?.state ?? 'absent'
  if (state !== 'absent' && state !== 'approved') return result(false)
  let wrote = false
  try {
    const text = await writeHooksBlock(root, detected.commands, detected.reasons)
    if (text !== undefined) {
      wrote = true
      // We wrote this file (or added to an approved one): its new content is approved. Hooks in it that run
      // repository code still need their own approval.
      const {REPO_CONFIG_KEY} = await import('../config/repo-file.js')
      await approvals.approve(scope, [{key: REPO_CONFIG_KEY, content: text}])
    }
  } catch {
    // A read-only checkout, or a .parecode that is not a plain folder: the detected hooks still serve this run.
  }
  return result(wrote)
}

/** The config loader's merged hooks (events, where each came from, kill switch) as `ensureHooks` options. */
export function hooksFromConfig(h: {events: Record<string, string[]>; sources: Partial<Record<string, unknown>>; disabled: boolean; declaredBy?: string}): {configured?: ConfiguredHooks; disabled: boolean} {
  const configured = Object.keys(h.sources).length || h.declaredBy ? {events: h.events, sources: h.sources as Partial<Record<string, string>>, declared: true} : undefined
  return configured ? {configured, disabled: h.disabled} : {disabled: h.disabled}
}
