import {Flags} from '@oclif/core'
import type {Store} from '../core/store/store.js'
import type {RepoPaths} from '../core/store/repo.js'

/** The store for plan commands that need no model. */
export async function openPlanStore(repo: RepoPaths, onWarning: (m: string) => void): Promise<Store> {
  const {openStore} = await import('../core/store/store.js')
  return openStore(repo, {onWarning})
}

/** `--plan <id>`: every command that acts on a plan takes one; the default is the active plan. */
export const planFlag = {
  plan: Flags.string({description: 'the plan to act on, by id (see `git pare log`); default: the active plan', helpValue: '<id>'}),
}

/** Refuse, before any model call, what a plan cannot start from: an operation in progress, no commit, a detached HEAD. */
export async function assertPlanStart(repo: RepoPaths, detachedHint?: string): Promise<void> {
  const {assertBranchHead, assertWorkable} = await import('../core/store/preconditions.js')
  assertWorkable(repo)
  await assertBranchHead(repo, {detachedHint})
}
