import {isAllowlisted} from './allowlist.js'
import type {ResolvedBashPolicy} from './policy.js'

/** Asks the user about one command; resolves true to run it. */
export type Approver = (command: string, signal?: AbortSignal) => Promise<boolean>

// One line each: the model should learn what to do instead, at a few tokens' cost.
const NEVER = 'not run: approval is "never", so only read-only commands (ls, cat, grep, git status/diff/log …) run; use read_file/search/edit_file instead, or ask the user to allow this command (bash_allow)'
const NO_TTY = 'not run: this command needs the user\'s approval and there is no terminal to ask; use read_file/search/edit_file instead, or ask the user to allow it (bash_allow or --approval auto)'
const DECLINED = 'not run: the user declined this command; do something else, or ask the user what they want'

/** Why `command` may not run under the policy, or undefined when it may (asking the user where the policy says so). */
export async function refusal(command: string, policy: ResolvedBashPolicy, opts: {root: string; approve?: Approver; signal?: AbortSignal}): Promise<string | undefined> {
  if (policy.approval === 'auto') return undefined
  if (isAllowlisted(command, {root: opts.root, allow: policy.allow})) return undefined
  if (policy.approval === 'never') return NEVER
  if (!opts.approve) return NO_TTY
  const yes = await opts.approve(command, opts.signal).catch(() => false)
  return yes ? undefined : DECLINED
}

// What a sandbox refusal looks like in a command's output.
const SANDBOX_FAILURE = /Read-only file system|EROFS|Network is unreachable|ENETUNREACH|EAI_AGAIN|Could not resolve host|Temporary failure in name resolution|getaddrinfo|Operation not permitted|EPERM/i

/** A note for a failed sandboxed command whose output looks like the sandbox stopped it; undefined otherwise (no tokens spent in the common case). */
export function sandboxNote(output: string, policy: ResolvedBashPolicy, ok: boolean): string | undefined {
  if (ok || !policy.sandbox || !SANDBOX_FAILURE.test(output)) return undefined
  return `sandboxed: writes only inside the work tree, .git read-only${policy.network ? '' : ', no network'}`
}
