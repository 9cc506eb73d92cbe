import {contentHash, repoDataScope, ApprovalStore} from '../trust/approvals.js'
import type {Plan, Verification} from '../plan/schema.js'
import {stepApprovalItems, stepContent} from '../plan/step-approval.js'

// `git pare work --trust-plan <id>` lets a worker run steps its user did not approve one by one, after showing
// what they run. The delegation covers the content shown, never the plan id as such: a step whose content changes
// afterwards (a teammate's edit, a hostile push) is not covered and is skipped like any unapproved step. Nothing is
// written to the user's approval store: the delegation lasts as long as this worker.

/** What a step runs besides the model's own tool calls: its check's command, if any. */
export function checkCommand(v: Verification): string | undefined {
  if (v.type === 'command_success') return v.command
  if (v.type === 'build_success') return v.command ?? "the project's build command"
  return undefined
}

/** One hash of the content of every open step (what `--trust-plan <id>@<hash>` pins), 12 hex digits. */
export function delegationHash(plan: Plan, steps: number[]): string {
  return contentHash(steps.map((n) => stepContent(plan, n - 1)).join('\n')).slice(0, 12)
}

/** The steps a delegation would cover: those not done yet (1-based). */
export const openSteps = (plan: Plan): number[] => plan.steps.flatMap((s, i) => (s.status === 'done' ? [] : [i + 1]))

/**
 * The user's approvals, plus the shown content of delegated steps as if approved here; every other read and every
 * write goes to the user's own store.
 */
export class DelegatedApprovals extends ApprovalStore {
  private readonly extra: Map<string, string>

  constructor(private readonly inner: ApprovalStore, private readonly scope: string, plan: Plan, steps: number[]) {
    super(inner.dir)
    this.extra = new Map(steps.flatMap((n) => stepApprovalItems(plan, n - 1)).map((i) => [i.key, contentHash(i.content)]))
  }

  static for(inner: ApprovalStore, commonDir: string, plan: Plan, steps: number[]): DelegatedApprovals {
    return new DelegatedApprovals(inner, repoDataScope(commonDir), plan, steps)
  }

  override async list(scope: string): Promise<{key: string; sha256: string; at: string}[]> {
    const own = await this.inner.list(scope)
    if (scope !== this.scope) return own
    const mine = new Map(own.map((e) => [e.key, e]))
    for (const [key, sha256] of this.extra) if (mine.get(key)?.sha256 !== sha256) mine.set(key, {key, sha256, at: 'delegated'})
    return [...mine.values()]
  }

  override async isApproved(scope: string, item: {key: string; content: string | Buffer}): Promise<boolean> {
    if (scope === this.scope && this.extra.get(item.key) === contentHash(item.content)) return true
    return this.inner.isApproved(scope, item)
  }

  override async unapproved<T extends {key: string; content: string | Buffer}>(scope: string, items: T[]): Promise<T[]> {
    const rest = scope === this.scope ? items.filter((i) => this.extra.get(i.key) !== contentHash(i.content)) : items
    return this.inner.unapproved(scope, rest)
  }
}
