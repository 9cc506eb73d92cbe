import {unlinkSync} from 'node:fs'
import {RepoStateError, UsageError} from '../errors/index.js'
import type {StoreContext} from './context.js'
import {GitError} from './git.js'
import {ZERO} from './objects.js'

/** One compare-and-swap ref change; `old: null` means "must not exist yet", `new: null` deletes. */
export interface RefChange {
  ref: string
  new: string | null
  old: string | null
}

/** Current value of a ref (no dereference of symbolic refs beyond git's default), or null. */
export async function readRef(ctx: StoreContext, ref: string): Promise<string | null> {
  const res = await ctx.run(['rev-parse', '-q', '--verify', `${ref}^{commit}`], {allowFail: true})
  return res.code === 0 ? res.stdout.trim() : null
}

/** Refs under a prefix with their commits, sorted by name. */
export async function listRefs(ctx: StoreContext, prefix: string): Promise<RefEntry[]> {
  const res = await ctx.run(['for-each-ref', '--format=%(objectname) %(tree) %(refname)', prefix.endsWith('/') ? prefix : `${prefix}/`])
  return res.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [oid, tree, ...rest] = l.split(' ')
      return {oid: oid!, tree: tree ?? '', ref: rest.join(' ')}
    })
}

/** A ref with its commit and that commit's tree. */
export interface RefEntry {
  ref: string
  oid: string
  tree: string
}

/**
 * Apply ref changes as one transaction, each a compare-and-swap against its expected old value.
 * Objects must be written before this is called, so a crash never leaves a ref to a missing object.
 */
export async function updateRefs(ctx: StoreContext, changes: RefChange[], reason = 'git-pare', retry = true): Promise<void> {
  if (changes.length === 0) return
  const lines = changes.map((c) => {
    if (c.new === null) return `delete ${c.ref} ${c.old ?? ZERO}\n`
    return `update ${c.ref} ${c.new} ${c.old ?? ZERO}\n`
  })
  try {
    await ctx.run(['update-ref', '--no-deref', '-m', reason, '--stdin'], {input: lines.join('')})
  } catch (err) {
    if (retry && err instanceof GitError && clearStaleRefLock(err.stderr)) return updateRefs(ctx, changes, reason, false)
    if (err instanceof GitError) {
      throw new RepoStateError(
        `a ref changed while git pare was working: ${err.stderr.trim().split('\n')[0] ?? ''}`,
        'another process moved it; run the command again',
        'ref_conflict',
      )
    }
    throw err
  }
}

// Callers hold the repository lock, and only git pare writes refs/parecode/*: a `<ref>.lock` there was
// left by a git we started that was killed mid-update. Locks of other refs are never touched.
function clearStaleRefLock(stderr: string): boolean {
  const m = /Unable to create '([^']+\.lock)': File exists/.exec(stderr)
  if (!m || !/[/\\]refs[/\\]parecode[/\\]/.test(m[1]!)) return false
  try {
    unlinkSync(m[1]!)
    return true
  } catch {
    return false
  }
}

/** Compare-and-swap one ref (`update-ref <ref> <new> <old>`). */
export function updateRef(ctx: StoreContext, ref: string, next: string | null, old: string | null, reason?: string): Promise<void> {
  return updateRefs(ctx, [{ref, new: next, old}], reason)
}

/** Target of a symbolic ref, or null when it is missing or not symbolic. */
export async function readSymbolic(ctx: StoreContext, ref: string): Promise<string | null> {
  const res = await ctx.run(['symbolic-ref', '-q', ref], {allowFail: true})
  return res.code === 0 ? res.stdout.trim() : null
}

/** Highest `<prefix>/<NNNNNNNN>` sequence number in a listing. */
export function maxSeq(refs: {ref: string}[], prefix: string): number {
  let max = 0
  for (const {ref} of refs) {
    const m = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\d{8})$`).exec(ref)
    if (m) max = Math.max(max, Number(m[1]))
  }
  return max
}

export const seqName = (n: number) => String(n).padStart(8, '0')

/** Plan and session ids become ref names: keep them to a safe alphabet. */
export function checkRefId(kind: string, id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(id) || id.includes('..') || id.endsWith('.lock') || id.endsWith('.')) {
    throw new UsageError(`invalid ${kind} id "${id}"`, 'use letters, digits, ".", "_" and "-" (at most 100)', 'invalid_id')
  }
  return id
}
