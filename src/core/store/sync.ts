import {RepoStateError, UsageError} from '../errors/index.js'
import {redactJsonl, redactYaml, scanText, SecretsFoundError, type ObjectFinding} from '../secrets/index.js'
import type {StoreContext} from './context.js'
import {readObjects} from './objects.js'
import {listRefs, readRef, updateRefs, type RefChange, type RefEntry} from './refs.js'

/** What travels between clones: plans, sessions and archived session turns. Checkpoints, snapshots
 * and redo entries describe one work tree and stay local. refs/parecode/active is local too. */
export const SHARED = ['plans', 'sessions', 'archive/sessions']

export interface PushResult {
  remote: string
  pushed: string[]
  up_to_date: number
  rejected: {ref: string; reason: string}[]
  /** Secrets that were pushed anyway (--allow-secrets); absent when none. */
  secrets?: ObjectFinding[]
  /** Blobs too large to scan (over SCAN_LIMIT bytes), sent unscanned; absent when none. */
  unscanned?: {path: string; size: number}[]
}

export interface PushOptions {
  /** Push even when the objects to send hold secrets (they are reported in `secrets`). */
  allowSecrets?: boolean
}

/** Blobs larger than this are not scanned before a push (and are named in `unscanned`): they are data, not config. */
export const SCAN_LIMIT = 1 << 20

export interface PullResult {
  remote: string
  created: string[]
  updated: string[]
  up_to_date: number
  /** Local refs with commits the remote lacks (push them). */
  ahead: string[]
  /** Both sides changed: the local ref is kept; the remote one stays under refs/parecode-remote/<remote>/. */
  conflicts: {ref: string; local: string; remote: string; remote_ref: string}[]
}

/** Refuse an option-like remote, or a name that is neither a configured remote nor a URL or path. */
export async function checkRemote(ctx: StoreContext, remote: string): Promise<void> {
  if (remote.startsWith('-')) throw new UsageError(`invalid remote "${remote}"`)
  const res = await ctx.run(['remote', 'get-url', '--', remote], {allowFail: true})
  if (res.code !== 0 && !/[/:]/.test(remote)) throw new UsageError(`no remote named "${remote}"`, 'see `git remote -v`, or add one with `git remote add`')
}

/** A failed fetch or push as one line: git's last error line. */
export function remoteFailure(stderr: string, what: string): RepoStateError {
  const line = stderr.split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).filter(Boolean).pop() ?? 'git failed'
  return new RepoStateError(`${what}: ${line}`, 'check the remote and your access to it', 'remote')
}

/**
 * Push plans and sessions to a remote (fast-forward only; rejections are reported, not forced). The
 * objects the remote lacks are scanned first; any secret in them refuses the push (SecretsFoundError,
 * nothing sent) unless `allowSecrets`.
 */
export async function pushRefs(ctx: StoreContext, remote: string, opts: PushOptions = {}): Promise<PushResult> {
  await checkRemote(ctx, remote)
  const out: PushResult = {remote, pushed: [], up_to_date: 0, rejected: []}
  // git refuses a wildcard refspec that matches nothing, so name only the series that exist here.
  const series = await Promise.all(SHARED.map(async (s) => ({s, refs: await listRefs(ctx, `refs/parecode/${s}`)})))
  const have = series.filter((x) => x.refs.length > 0)
  const specs = have.map(({s}) => `refs/parecode/${s}/*:refs/parecode/${s}/*`)
  if (specs.length === 0) return out
  const scan = await scanOutgoing(ctx, remote, have.flatMap((x) => x.refs))
  if (scan.findings.length > 0 && !opts.allowSecrets) throw new SecretsFoundError(remote, scan.findings)
  if (scan.findings.length > 0) out.secrets = scan.findings
  if (scan.unscanned.length > 0) out.unscanned = scan.unscanned
  const res = await ctx.run(['push', '--porcelain', '--', remote, ...specs], {allowFail: true})
  let parsed = false
  for (const line of res.stdout.split('\n')) {
    const m = /^(.)\t([^:\t]*):([^\t]*)\t(.*)$/.exec(line)
    if (!m) continue
    parsed = true
    const [, flag, , to, summary] = m
    if (flag === '=') out.up_to_date++
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
  const ns = remoteNamespace(remote)
  const specs = SHARED.map((s) => `+refs/parecode/${s}/*:${ns}/${s}/*`)
  // Workers' claims and step branches (`git pare work`) come along for `plan show` and `finish`; they stay tracking refs.
  const tracked = [`+refs/parecode/claims/*:${ns}/claims/*`, `+refs/heads/pare/*:${ns}/heads/pare/*`]
  const res = await ctx.run(['fetch', '--no-tags', '--no-write-fetch-head', '--prune', '--', remote, ...specs, ...tracked], {allowFail: true})
  if (res.code !== 0) throw remoteFailure(res.stderr, `could not fetch from ${remote}`)
  const out: PullResult = {remote, created: [], updated: [], up_to_date: 0, ahead: [], conflicts: []}
  const changes: RefChange[] = []
  for (const r of await listRefs(ctx, ns)) {
    if (!SHARED.some((s) => r.ref.startsWith(`${ns}/${s}/`))) continue
    const local = `refs/parecode/${r.ref.slice(ns.length + 1)}`
    const mine = await readRef(ctx, local)
    if (!mine) {
      changes.push({ref: local, new: r.oid, old: null})
      out.created.push(local)
    } else if (mine === r.oid) out.up_to_date++
    else if (await isAncestor(ctx, mine, r.oid)) {
      changes.push({ref: local, new: r.oid, old: mine})
      out.updated.push(local)
    } else if (await isAncestor(ctx, r.oid, mine)) out.ahead.push(local)
    else out.conflicts.push({ref: local, local: mine, remote: r.oid, remote_ref: r.ref})
  }
  await updateRefs(ctx, changes, `git-pare: pull ${remote}`)
  return out
}

async function isAncestor(ctx: StoreContext, a: string, b: string): Promise<boolean> {
  return (await ctx.run(['merge-base', '--is-ancestor', a, b], {allowFail: true})).code === 0
}

/** Where a remote's git-pare refs are fetched to: refs/parecode-remote/<remote>. */
export const remoteNamespace = (remote: string) => `refs/parecode-remote/${remote.replace(/[^A-Za-z0-9._-]/g, '_')}`

const MAX_FINDINGS = 200
// Bytes of blob content read per cat-file process, so a large first push does not sit in memory at once.
const READ_CHUNK = 32 << 20

interface Outgoing {
  oid: string
  path: string
  type: string
  size: number
}

/**
 * Secrets in the objects a push would send: blobs and commit messages reachable from `refs` that nothing
 * the remote has (its advertised refs, our tracking refs for it) already reaches, which is what git sends.
 */
export async function scanOutgoing(ctx: StoreContext, remote: string, refs: Pick<RefEntry, 'ref' | 'oid'>[]): Promise<{findings: ObjectFinding[]; unscanned: {path: string; size: number}[]}> {
  const known = await remoteKnown(ctx, remote)
  const objects = await objectsToSend(ctx, refs.map((r) => r.oid), known)
  const scanned: {oid: string; path: string; line: number; rule: string}[] = []
  const unscanned: {path: string; size: number}[] = []
  const toRead: Outgoing[] = []
  for (const o of objects) {
    if (o.type === 'blob' && o.size > SCAN_LIMIT) unscanned.push({path: o.path, size: o.size})
    else if (o.type === 'blob' || o.type === 'commit') toRead.push(o)
  }
  for (let i = 0; i < toRead.length; ) {
    const chunk: Outgoing[] = []
    for (let bytes = 0; i < toRead.length && (chunk.length === 0 || bytes + toRead[i]!.size <= READ_CHUNK); i++) {
      chunk.push(toRead[i]!)
      bytes += toRead[i]!.size
    }
    const contents = await readObjects(ctx, chunk.map((o) => o.oid))
    for (const [k, obj] of contents.entries()) {
      if (!obj) continue
      const o = chunk[k]!
      for (const f of await scanObject(o, obj.content)) scanned.push({oid: o.oid, path: f.path, line: f.line, rule: f.rule})
      if (scanned.length >= MAX_FINDINGS) break
    }
    if (scanned.length >= MAX_FINDINGS) break
  }
  if (scanned.length === 0) return {findings: [], unscanned}
  // Name the ref that carries each finding (only now, when there is something to name).
  const owner = new Map<string, string>()
  for (const r of refs) {
    const wanted = scanned.filter((f) => !owner.has(f.oid))
    if (wanted.length === 0) break
    const reach = new Set((await objectsToSend(ctx, [r.oid], known, false)).map((o) => o.oid))
    for (const f of wanted) if (reach.has(f.oid)) owner.set(f.oid, r.ref)
  }
  const findings = scanned.slice(0, MAX_FINDINGS).map((f) => ({ref: owner.get(f.oid) ?? '?', path: f.path, line: f.line, rule: f.rule}))
  return {findings, unscanned}
}

// chat.jsonl and YAML are read as their decoded strings (a key JSON-escaped, or split by quoting, is still found).
async function scanObject(o: Outgoing, content: Buffer): Promise<{path: string; line: number; rule: string}[]> {
  if (o.type === 'commit') {
    const text = content.toString('utf8')
    const split = text.indexOf('\n\n')
    const message = split === -1 ? '' : text.slice(split + 2)
    const found = await scanText(message, 'commit message')
    return found.map((f) => ({path: `commit ${o.oid.slice(0, 12)} message`, line: f.line, rule: f.rule}))
  }
  // Binary files (a NUL in the first 8000 bytes, git's own test) hold no text key the rules could match.
  if (content.subarray(0, 8000).includes(0)) return []
  const text = content.toString('utf8')
  const found = /\.jsonl$/i.test(o.path)
    ? (await redactJsonl(text, o.path)).findings
    : /\.ya?ml$/i.test(o.path)
      ? (await redactYaml(text, o.path)).findings
      : await scanText(text, o.path)
  const seen = new Set<string>()
  return found.flatMap((f) => {
    const key = `${f.line}:${f.rule}`
    if (seen.has(key)) return []
    seen.add(key)
    return [{path: o.path, line: f.line, rule: f.rule}]
  })
}

// What the remote already has: its advertised refs, and our tracking refs for it, where the objects are here.
async function remoteKnown(ctx: StoreContext, remote: string): Promise<string[]> {
  const oids = new Set<string>()
  const ls = await ctx.run(['ls-remote', '--', remote], {allowFail: true})
  const local = await ctx.run(['for-each-ref', '--format=%(objectname)', `refs/remotes/${remote}/`, `${remoteNamespace(remote)}/`], {allowFail: true})
  for (const line of `${ls.code === 0 ? ls.stdout : ''}\n${local.stdout}`.split('\n')) {
    const oid = line.split('\t')[0]!.trim()
    if (/^[0-9a-f]{40,64}$/.test(oid)) oids.add(oid)
  }
  if (oids.size === 0) return []
  return (await batchCheck(ctx, [...oids])).filter((o) => o.type !== 'missing').map((o) => o.oid)
}

async function batchCheck(ctx: StoreContext, oids: string[]): Promise<{oid: string; type: string; size: number}[]> {
  const res = await ctx.run(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], {input: oids.join('\n') + '\n'})
  return res.stdout.split('\n').filter(Boolean).map((line, i) => {
    const [oid, type, size] = line.split(' ')
    return type === 'missing' || size === undefined ? {oid: oids[i]!, type: 'missing', size: 0} : {oid: oid!, type: type!, size: Number(size)}
  })
}

/** Objects reachable from `tips` and not from `known` (rev-list --objects), with the path of each in its tree and, when `typed`, type and size. */
async function objectsToSend(ctx: StoreContext, tips: string[], known: string[], typed = true): Promise<Outgoing[]> {
  const input = [...tips, ...known.map((k) => `^${k}`)].join('\n') + '\n'
  // Session commits do not descend from the branches the remote has, so plain --objects would list a blob the
  // remote holds through main all the same; --objects-edge-aggressive marks every tree of the excluded tips.
  const res = await ctx.run(['-c', 'core.quotePath=false', 'rev-list', '--objects-edge-aggressive', '--stdin'], {input})
  const listed = res.stdout.split('\n').filter((l) => l && !l.startsWith('-')).map((line) => {
    const space = line.indexOf(' ')
    return space === -1 ? {oid: line, path: ''} : {oid: line.slice(0, space), path: line.slice(space + 1)}
  })
  if (!typed || listed.length === 0) return listed.map((o) => ({...o, type: '', size: 0}))
  const types = await batchCheck(ctx, listed.map((o) => o.oid))
  return listed.map((o, i) => ({...o, type: types[i]!.type, size: types[i]!.size}))
}
