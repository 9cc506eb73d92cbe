import type {Store} from '../store/store.js'
import {dropUncommitted, giveBackUncommitted, type UncommittedRecord} from '../store/uncommitted.js'

/** What became of the uncommitted changes the user had when the plan started (`--json`: snake_case). */
export interface UncommittedReport {
  /**
   * none: there were none; restored: back byte for byte; reapplied: back on top of the new commit; kept: they did
   * not apply cleanly (or the plan's branch is not checked out) and wait at `ref`; included: committed with the plan.
   */
  status: 'none' | 'restored' | 'reapplied' | 'kept' | 'included'
  ref?: string
  staged?: number
  unstaged?: number
  untracked?: number
  conflicts?: string[]
  /** How to bring them back by hand when they were kept. */
  restore_command?: string
}

/** The report for a record that stays where it is (nothing was applied). */
export function keptReport(rec: UncommittedRecord, conflicts: string[] = []): UncommittedReport {
  return {status: 'kept', ref: rec.ref, ...rec.counts, ...(conflicts.length ? {conflicts} : {}), restore_command: `git stash apply ${rec.ref}`}
}

/**
 * Give the recorded uncommitted state back on top of the checked-out (clean) HEAD. The record is forgotten only
 * once the state is back; when it cannot apply cleanly it stays, and the report says where and how to get it.
 */
export async function giveBack(store: Store, rec: UncommittedRecord | null): Promise<UncommittedReport> {
  if (!rec) return {status: 'none'}
  const out = await giveBackUncommitted(store.ctx, rec)
  if (out.status === 'kept') return keptReport(rec, out.conflicts)
  await dropUncommitted(store.ctx, rec)
  return {status: out.status, ...rec.counts}
}

/** Counts as words: "1 staged, 2 modified, 1 untracked". */
export function describeCounts(r: UncommittedReport): string {
  const parts = [r.staged ? `${r.staged} staged` : '', r.unstaged ? `${r.unstaged} modified` : '', r.untracked ? `${r.untracked} untracked` : ''].filter(Boolean)
  return parts.length ? parts.join(', ') : 'no files'
}

/** One line for the terminal about the user's uncommitted changes, or undefined when there were none. */
export function uncommittedLine(r: UncommittedReport, onTopOf: string): string | undefined {
  switch (r.status) {
    case 'none':
      return undefined
    case 'restored':
      return `your uncommitted changes are back exactly as they were before the plan (${describeCounts(r)})`
    case 'reapplied':
      return `your uncommitted changes from before the plan are back on top of ${onTopOf} (${describeCounts(r)})`
    case 'included':
      return 'your uncommitted changes from before the plan are part of that commit'
    case 'kept':
      return `your uncommitted changes from before the plan (${describeCounts(r)}) ${r.conflicts?.length ? `do not apply cleanly on top of ${onTopOf} (conflict in ${r.conflicts.slice(0, 3).join(', ')}${r.conflicts.length > 3 ? ', …' : ''})` : 'were not applied'}; nothing is lost: they are kept at ${r.ref}; bring them back with \`${r.restore_command}\``
  }
}
