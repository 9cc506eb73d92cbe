import type {ApprovalPolicy} from '../config/types.js'
import {detectSandbox, type SandboxInfo} from './detect.js'

/** The user's choices for bash (from SecuritySettings); every field optional so a bare ToolContext is safe. */
export interface BashPolicy {
  /** Undefined: auto where a sandbox is available and enabled, else ask. */
  approval?: ApprovalPolicy
  /** False: the user turned the sandbox off. */
  sandbox?: boolean
  network?: boolean
  /** The user's command prefixes that run without asking. */
  allow?: string[]
}

/** The policy in force for a command. */
export interface ResolvedBashPolicy {
  approval: ApprovalPolicy
  /** The sandbox commands run in; null when the user turned it off or none is available. */
  sandbox: SandboxInfo | null
  network: boolean
  allow: string[]
}

/** The approval used when the user set none: a sandboxed command needs no question, an unsandboxed one does. */
export function defaultApproval(sandboxed: boolean): ApprovalPolicy {
  return sandboxed ? 'auto' : 'ask'
}

/** Resolve the user's choices against what this machine offers. */
export async function resolveBashPolicy(p: BashPolicy = {}, detect: () => Promise<SandboxInfo> = () => detectSandbox()): Promise<ResolvedBashPolicy> {
  const found = p.sandbox === false ? null : await detect()
  const sandbox = found && found.kind !== 'none' ? found : null
  return {approval: p.approval ?? defaultApproval(Boolean(sandbox)), sandbox, network: p.network ?? false, allow: p.allow ?? []}
}
