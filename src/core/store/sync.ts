import {RepoStateError, UsageError} from '../errors/index.js'
import type {StoreContext} from './context.js'
import {listRefs, readRef, updateRefs, type RefChange} from './refs.js'

/** What travels between clones: plans, sessions and archived session turns. Checkpoints, snapshots
 * and redo entries describe one work tree and stay local. refs/parecode/active is local too. */
export const SHARED = ['plans', 'sessions', 'archive/sessions']

export interface PushResult {
  remote: string
  pushed: string[]
  upToDate: number
  rejected: {ref: string; reason: string}[]
}

export interface PullResult {
  remote: string
  created: string[]
  updated: string[]
  upToDate: number
  /** Local refs with commits the remote lacks (push them). */
  ahead: string[]
  /** Both sides changed: the local ref is kept; the remote one stays under refs/parecode-remote/<remote>/. */
  conflicts: {ref: string; local: string; remote: string; remoteRef: string}[]
}

async function checkRemote(ctx: StoreContext, remote: string): Promise<void> {
  if (remote.startsWith('-')) throw new UsageError(`invalid remote "${remote}"`)
  const res = await ctx.run(['remote', 'get-url', '--', remote], {allowFail: true})
  if (res.code !== 0 && !/[/:]/.test(remote)) throw new UsageError(`no remote named "${remote}"`, 'see `git remote -v`, or add one with `git remote add`')
}

function remoteFailure(stderr: string, what: string): RepoStateError {
  const line = stderr.split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).filter(Boolean).pop() ?? 'git failed'
  return new RepoStateError(`${what}: ${line}`, 'check the remote and your access to it', 'remote')
}

/** Push plans and sessions to a remote (fast-forward only; rejections are reported, not forced). */
export async function pushRefs(ctx: StoreContext, remote: string): Promise<PushResult> {
  await checkRemote(ctx, remote)
  const out: PushResult = {remote, pushed: [], upToDate: 0, rejected: []}
  // git refuses a wildcard refspec that matches nothing, so name only the series that exist here.
  const have = await Promise.all(SHARED.map(async (s) => ((await listRefs(ctx, `refs/parecode/${s}`)).length > 0 ? s : null)))
  const specs = have.filter((s): s is string => s !== null).map((s) => `refs/parecode/${s}/*:refs/parecode/${s}/*`)
  if (specs.length === 0) return out
  const res = await ctx.run(['push', '--porcelain', '--', remote, ...specs], {allowFail: true})
  let parsed = false
  for (const line of res.stdout.split('\n')) {
    const m = /^(.)\t([^:\t]*):([^\t]*)\t(.*)$/.exec(line)
    if (!m) continue
    parsed = true
    const [, flag, , to, summary] = m
    if (flag === '=') out.upToDate++
    else if (flag === '!') out.rejected.push({ref: to!, reason: summary!.replace(/^\[rejected\] /, '').trim()})
    else out.pushed.push(to!)
  }
  if (res.code !== 0 && !parsed) throw remoteFailure(res.stderr, `could not push to ${remote}`)
  return out
}

/**
 * Fetch the remote's plans and sessions into refs/parecode-remote/<remote>/…, then bring each local
 * ref forward only where that is a fast-forward; a plan changed on both sides is reported, not clobbered.
 */
export async function pullRefs(ctx: StoreContext, remote: string): Promise<PullResult> {
  await checkRemote(ctx, remote)
  const ns = `refs/parecode-remote/${remote.replace(/[^A-Za-z0-9._-]/g, '_')}`
  const specs = SHARED.map((s) => `+refs/parecode/${s}/*:${ns}/${s}/*`)
  const res = await ctx.run(['fetch', '--no-tags', '--no-write-fetch-head', '--prune', '--', remote, ...specs], {allowFail: true})
  if (res.code !== 0) throw remoteFailure(res.stderr, `could not fetch from ${remote}`)
  const out: PullResult = {remote, created: [], updated: [], upToDate: 0, ahead: [], conflicts: []}
  const changes: RefChange[] = []
  for (const r of await listRefs(ctx, ns)) {
    const local = `refs/parecode/${r.ref.slice(ns.length + 1)}`
    const mine = await readRef(ctx, local)
    if (!mine) {
      changes.push({ref: local, new: r.oid, old: null})
      out.created.push(local)
    } else if (mine === r.oid) out.upToDate++
    else if (await isAncestor(ctx, mine, r.oid)) {
      changes.push({ref: local, new: r.oid, old: mine})
      out.updated.push(local)
    } else if (await isAncestor(ctx, r.oid, mine)) out.ahead.push(local)
    else out.conflicts.push({ref: local, local: mine, remote: r.oid, remoteRef: r.ref})
  }
  await updateRefs(ctx, changes, `git-pare: pull ${remote}`)
  return out
}

async function isAncestor(ctx: StoreContext, a: string, b: string): Promise<boolean> {
  return (await ctx.run(['merge-base', '--is-ancestor', a, b], {allowFail: true})).code === 0
}
