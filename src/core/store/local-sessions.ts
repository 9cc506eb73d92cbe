import {randomBytes} from 'node:crypto'
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import type {StoreContext} from './context.js'
import {listRefs} from './refs.js'
import {UsageError} from '../errors/index.js'
import {listSessions, type SessionListing} from './sessions.js'

// Which sessions were started (or last continued) on this machine, and the turn we last wrote to each. Kept in the
// git directory, beside the refs but outside refs/parecode/ (push and pull carry only refs), so a pulled session
// (however recent its commit date) never becomes "latest", and turns added elsewhere to one of ours are noticed.

/** One session this clone wrote a turn to. */
export interface LocalSession {
  id: string
  /** When this clone last wrote a turn (our clock, not a commit date). */
  last: string
  /** The commit of that turn. */
  tip: string
}

/** Where a session came from: this clone, a remote it was pulled from, or neither that we can tell. */
export type SessionOrigin = {kind: 'local'} | {kind: 'remote'; remote: string} | {kind: 'unknown'}

/** A session listing with its origin, as `session list` shows it. */
export interface SessionEntry extends SessionListing {
  origin: SessionOrigin
  /** Local record of our last turn, for local sessions. */
  local?: LocalSession
}

const MAX_BYTES = 1 << 20
const REMOTES = 'refs/parecode-remote'

/** The record file of a repository (shared by its linked worktrees). */
export const localSessionsFile = (commonDir: string): string => path.join(commonDir, 'parecode', 'local-sessions.json')

/** The sessions this clone wrote turns to; a missing or damaged file reads as none. */
export async function readLocalSessions(commonDir: string): Promise<Map<string, LocalSession>> {
  const out = new Map<string, LocalSession>()
  try {
    const text = await readFile(localSessionsFile(commonDir), 'utf8')
    if (text.length > MAX_BYTES) return out
    const data = JSON.parse(text) as {sessions?: unknown}
    if (!data || typeof data.sessions !== 'object' || !data.sessions || Array.isArray(data.sessions)) return out
    for (const [id, v] of Object.entries(data.sessions as Record<string, unknown>)) {
      const e = v as Partial<LocalSession> | null
      if (e && typeof e.last === 'string' && typeof e.tip === 'string') out.set(id, {id, last: e.last, tip: e.tip})
    }
  } catch {
    // No file yet (or not JSON): nothing was started here that we know of.
  }
  return out
}

/** Record that this clone wrote `tip` as the newest turn of session `id` (atomic: temp file, then rename). */
export async function recordLocalSession(commonDir: string, id: string, tip: string, at: Date): Promise<void> {
  const all = await readLocalSessions(commonDir)
  all.set(id, {id, last: at.toISOString(), tip})
  const file = localSessionsFile(commonDir)
  await mkdir(path.dirname(file), {recursive: true})
  const sessions = Object.fromEntries([...all.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => [s.id, {last: s.last, tip: s.tip}]))
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(tmp, JSON.stringify({v: 1, sessions}, null, 1) + '\n', {flag: 'wx'})
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, {force: true})
    throw err
  }
}

/** Every session with where it came from: ours first (by when we last used them), then pulled ones (newest first). */
export async function listSessionsWithOrigin(ctx: StoreContext): Promise<SessionEntry[]> {
  const [sessions, local, remoteRefs] = await Promise.all([listSessions(ctx), readLocalSessions(ctx.paths.commonDir), listRefs(ctx, REMOTES)])
  const from = new Map<string, string>()
  for (const r of remoteRefs) {
    const m = /^refs\/parecode-remote\/([^/]+)\/sessions\/(.+)$/.exec(r.ref)
    if (m && !from.has(m[2]!)) from.set(m[2]!, m[1]!)
  }
  const entries: SessionEntry[] = sessions.map((s) => {
    const mine = local.get(s.id)
    if (mine) return {...s, origin: {kind: 'local'}, local: mine}
    const remote = from.get(s.id)
    return {...s, origin: remote ? {kind: 'remote', remote} : {kind: 'unknown'}}
  })
  const rank = (e: SessionEntry) => (e.local ? 0 : 1)
  return entries.sort((a, b) => rank(a) - rank(b) || (a.local && b.local ? b.local.last.localeCompare(a.local.last) : b.time.getTime() - a.time.getTime()))
}

/** The session `--continue` and the default of `session show|rollback` mean: the one this clone used last, or null. */
export function latestLocal(entries: SessionEntry[]): SessionEntry | null {
  return entries.find((e) => e.origin.kind === 'local') ?? null
}

/** The session `session show|rollback` use when none is named: the one used last here, or a usage error. */
export async function defaultSession(ctx: StoreContext): Promise<string> {
  const entries = await listSessionsWithOrigin(ctx)
  const mine = latestLocal(entries)
  if (mine) return mine.id
  if (entries.length) throw new UsageError('no session was started here (the sessions here were pulled from a remote)', 'name one: see `git pare session list`', 'no_session')
  throw new UsageError('there are no sessions yet', 'start one with `git pare run "task"`', 'no_session')
}
