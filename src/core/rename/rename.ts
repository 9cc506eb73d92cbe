import {lstat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {replaceOccurrences} from '../index/identifiers.js'
import type {Store} from '../store/store.js'
import {symbolTargets, textTargets, type RenameKind} from './targets.js'

export interface RenameOptions {
  old: string
  new: string
  kind?: RenameKind
  /** The file whose definition is meant, when several files define the name. */
  inFile?: string
  dryRun?: boolean
  signal?: AbortSignal
}

export interface RenameResult {
  old: string
  new: string
  kind: RenameKind
  dry_run: boolean
  /** Where the renamed symbol is defined (empty for --kind text). */
  definitions: {path: string; line: number}[]
  /** Each changed file: how many occurrences and on which lines (before the change); `exact` false for word matches. */
  files: {path: string; count: number; lines: number[]; exact: boolean}[]
  total: number
  skipped: {path: string; reason: string}[]
  warnings: string[]
  /** The checkpoint taken before the files changed (`git pare undo` takes the rename back); null for a dry run or no change. */
  checkpoint: {seq: number; commit: string} | null
}

/**
 * `git pare rename`: a rename through the symbol index (or a literal whole-word replace) with no model call. The
 * work tree is checkpointed first, like a run, so `git pare undo` takes it back; holds the lock throughout.
 */
export async function renameInRepo(store: Store, opts: RenameOptions): Promise<RenameResult> {
  const kind = opts.kind ?? 'symbol'
  const root = store.paths.root
  return store.withLock(async () => {
    store.assertWorkable()
    let targets
    if (kind === 'text') targets = await textTargets(root, opts.old, opts.new, {signal: opts.signal})
    else {
      const {buildIndex} = await import('../index/build-index.js')
      const index = await buildIndex(store.paths, {signal: opts.signal})
      targets = await symbolTargets(root, index, opts.old, opts.new, {inFile: opts.inFile, signal: opts.signal})
    }
    const replacement = kind === 'text' ? opts.new : opts.new.replace(/::/g, '.').split('.').at(-1)!
    for (const e of targets.edits) e.after = replaceOccurrences(e.before, e.occurrences, replacement)
    const edits = targets.edits.filter((e) => e.after !== e.before)
    const files = edits.map((e) => ({path: e.path, count: e.occurrences.length, lines: [...new Set(e.occurrences.map((o) => o.line))], exact: e.exact}))
    const result: RenameResult = {
      old: opts.old,
      new: opts.new,
      kind,
      dry_run: Boolean(opts.dryRun),
      definitions: targets.definitions,
      files,
      total: files.reduce((n, f) => n + f.count, 0),
      skipped: targets.skipped,
      warnings: targets.warnings,
      checkpoint: null,
    }
    if (opts.dryRun || !edits.length) return result
    const cp = await store.checkpoint(`rename: ${opts.old} -> ${opts.new}`.slice(0, 120), {kind: 'rename'})
    for (const e of edits) {
      const abs = path.join(root, e.path)
      // Read through the repository's confinement; written back only as the same regular file (never through a link).
      if (!(await lstat(abs)).isFile()) continue
      await writeFile(abs, e.after)
    }
    await store.recordAfter(cp, {outcome: 'done'})
    result.checkpoint = {seq: cp.seq, commit: cp.commit}
    return result
  })
}
