import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import type {Project} from '../agent/project.js'
import type {Runtime} from '../agent/runtime.js'
import {RepoStateError, UsageError} from '../errors/index.js'
import {makeContext} from '../store/context.js'
import {findRepo} from '../store/repo.js'
import type {Store} from '../store/store.js'
import {worktreeTree} from '../store/worktree.js'
import type {TelemetryRecord} from '../telemetry/record.js'
import type {ApprovalStore} from '../trust/approvals.js'
import {stepIndex} from './plan-store.js'
import type {Plan} from './schema.js'
import {attemptStep, type StepPlace} from './step-attempts.js'
import {describeApproval, readStepApprovals} from './step-approval.js'
import type {StepEvent, StepOutcome} from './step-runner.js'
import {worktreeProject} from './worktree-project.js'

/**
 * The branch one step of a plan is worked on when it runs on its own: `pare/<plan>-<n>`. Not `pare/<plan>/<n>`:
 * git cannot hold both refs/heads/pare/<plan> (the plan's branch) and a ref below it.
 */
export const stepBranch = (planId: string, n: number) => `pare/${planId}-${n}`

/** Where the step's linked worktree lives while it runs (inside the git dir, so no one trips over it). */
export const stepWorktreeDir = (commonDir: string, planId: string, n: number) => path.join(commonDir, 'parecode', 'worktrees', `${planId}-${n}`)

export interface IsolatedStepOptions {
  store: Store
  runtime: Runtime
  /** The user's project (hooks, conventions); its commands run in the step's worktree. */
  project?: Project
  plan: Plan
  /** 1-based step number. */
  n: number
  /** Commit to start from. */
  base: string
  approvals: ApprovalStore
  signal?: AbortSignal
  onEvent?: (e: StepEvent) => void
  onRecord?: (r: TelemetryRecord) => void
}

export interface IsolatedStepResult {
  outcome: StepOutcome
  branch: string
  /** The step's commit on `branch`, when it passed and changed something; otherwise the branch is deleted. */
  commit?: string
}

/**
 * Run one step in a linked worktree of its own, on branch `pare/<plan>-<n>` made at `base`, with the same fresh
 * context, check and retry as a step in the user's checkout, and commit it there. The worktree is removed afterwards
 * (also on failure or interrupt). The user's work tree, index, HEAD and branches are not touched, and plan.yaml is not
 * written: the caller records the outcome. Only a step approved here with its current content runs.
 */
export async function runIsolatedStep(opts: IsolatedStepOptions): Promise<IsolatedStepResult> {
  const {store, plan, n} = opts
  const i = stepIndex(plan, n)
  const approval = (await readStepApprovals(opts.approvals, store.paths.commonDir, plan))[i]!
  if (approval.state !== 'approved') throw new UsageError(`${describeApproval(n, approval)}; it was not run`, `review with \`git pare plan show\`, then \`git pare plan approve ${n}\``, 'not_approved')
  const baseCommit = await store.revParse(`${opts.base}^{commit}`)
  if (!baseCommit) throw new RepoStateError(`cannot start step ${n}: ${opts.base} is not a commit`, 'run `git pare pull` or check the plan branch', 'branch_missing')
  const baseTree = (await store.revParse(`${baseCommit}^{tree}`))!
  const branch = stepBranch(plan.id, n)
  const ref = `refs/heads/${branch}`
  const dir = stepWorktreeDir(store.paths.commonDir, plan.id, n)
  await removeWorktree(store, dir)
  await store.updateRef(ref, baseCommit, await store.revParse(ref))
  let commit: string | undefined
  try {
    mkdirSync(path.dirname(dir), {recursive: true})
    // Detached: the branch moves only by our compare-and-swap, and is never "checked out" anywhere to block that.
    // --force: a run killed after its folder went may have left git's record of this very worktree.
    await store.ctx.run(['worktree', 'add', '--force', '--detach', '--quiet', dir, baseCommit], {signal: opts.signal})
    const paths = await findRepo(dir)
    const wt = makeContext(paths, store.ctx.now)
    const place: StepPlace = {
      root: paths.root,
      isolated: true,
      baseTree,
      baseCommit,
      project: worktreeProject(opts.project, store.ctx, paths.root, opts.signal),
      ctx: store.ctx,
      tree: () => worktreeTree(wt),
      async commit(message) {
        const head = await store.revParse(ref)
        if (!head) throw new RepoStateError(`branch ${branch} is missing`)
        const tree = await worktreeTree(wt)
        if (tree === (await store.revParse(`${head}^{tree}`))) return null
        const made = await store.writeCommit(tree, [head], message)
        await store.updateRef(ref, made, head)
        return made
      },
    }
    const outcome = await attemptStep({runtime: opts.runtime, plan, i, place, signal: opts.signal, onEvent: opts.onEvent, onRecord: opts.onRecord})
    if (outcome.ok && outcome.commit) commit = outcome.commit
    return {outcome, branch, ...(commit ? {commit} : {})}
  } finally {
    await removeWorktree(store, dir)
    // A step that left nothing to integrate leaves no branch behind either.
    if (!commit) {
      const at = await store.revParse(ref).catch(() => null)
      if (at) await store.updateRef(ref, null, at).catch(() => undefined)
    }
  }
}

/** Remove a step's worktree and git's record of it; a leftover from a killed run is removed the same way. */
export async function removeWorktree(store: Store, dir: string): Promise<void> {
  if (!existsSync(dir)) return
  const res = await store.ctx.run(['worktree', 'remove', '--force', '--force', dir], {allowFail: true})
  if (res.code === 0 && !existsSync(dir)) return
  // Not (or no longer) registered: drop the folder and only its own record, never another worktree's.
  let admin: string | undefined
  try {
    const m = /^gitdir: (.+)$/m.exec(readFileSync(path.join(dir, '.git'), 'utf8'))
    if (m) admin = path.resolve(dir, m[1]!.trim())
  } catch {}
  rmSync(dir, {recursive: true, force: true})
  if (admin && path.dirname(admin) === path.join(store.paths.commonDir, 'worktrees')) rmSync(admin, {recursive: true, force: true})
}
