import {RepoStateError, UsageError} from '../errors/index.js'
import type {StoreContext} from './context.js'
import {formatMessage, parseTrailers, readCommits, readObjects, revParse, writeBlob, writeCommit, writeTree, type CommitInfo, type TreeEntry} from './objects.js'
import {checkRefId, listRefs, readRef, updateRefs} from './refs.js'
import {isSecretFileName, redact, redactJsonl, redactYaml} from '../secrets/index.js'
import {restoreTree, type RestoreResult} from './snapshots.js'
import {withoutUntracked, worktreeTree} from './worktree.js'

export const SESSIONS = 'refs/parecode/sessions'

export interface TurnInput {
  /** The whole chat.jsonl at this turn. */
  chat: string
  /** meta.yaml text. */
  meta: string
  /** A tree id for `work`, or true to record the work tree as it is now. */
  workTree?: string | true
  /** Subject line of the turn commit. */
  title?: string
  /**
   * Keep untracked files with secret names (`.env.local`, `id_rsa`, see secrets/names.ts) in `work`: the
   * user's `sessions: {secret_files: true}`. Default false: they stay out, because session refs are pushed.
   */
  secretFiles?: boolean
}

export interface SessionTurn {
  id: string
  turn: number
  turns: number
  commit: string
  chat: string
  meta: string
  workTree: string | null
  time: Date
}

export interface SessionListing {
  id: string
  commit: string
  turns: number
  time: Date
  title: string
}

export interface RollbackResult {
  id: string
  turn: number
  commit: string
  archived: string
  restore?: RestoreResult
}

const sessionRef = (id: string) => `${SESSIONS}/${checkRefId('session', id)}`

/**
 * Add one turn (one commit: chat.jsonl, meta.yaml, work) to a session; returns the commit and turn number.
 * Session refs are pushed, so secrets are redacted from chat.jsonl, meta.yaml and the subject first, and
 * untracked secret-named files are left out of `work` unless `secretFiles`.
 */
export async function appendTurn(ctx: StoreContext, id: string, input: TurnInput): Promise<{commit: string; turn: number}> {
  const ref = sessionRef(id)
  const prev = await readRef(ctx, ref)
  const prevCommit = prev ? (await readCommits(ctx, [prev]))[0] : null
  const prevTurn = prevCommit ? Number(parseTrailers(prevCommit.message)['Pare-Turn'] ?? 0) : 0
  const turn = prevTurn + 1
  const [chatText, metaText, title] = await Promise.all([
    redactJsonl(input.chat, 'chat.jsonl'),
    redactYaml(input.meta, 'meta.yaml'),
    redact(input.title ?? `turn ${turn}`, 'subject'),
  ])
  // A session is named by its first task, not by its latest reply ("yes"): carried forward turn to turn.
  const sessionTitle = prevCommit ? await firstTitle(ctx, prevCommit) : title.text
  const sessionWork = async () => {
    const tree = input.workTree === true ? await worktreeTree(ctx) : input.workTree
    return tree && !input.secretFiles ? (await withoutUntracked(ctx, tree, isSecretFileName)).tree : tree
  }
  const [chat, meta, work] = await Promise.all([writeBlob(ctx, chatText.text), writeBlob(ctx, metaText.text), sessionWork()])
  const entries: TreeEntry[] = [
    {mode: '100644', type: 'blob', oid: chat, name: 'chat.jsonl'},
    {mode: '100644', type: 'blob', oid: meta, name: 'meta.yaml'},
  ]
  if (work) entries.push({mode: '040000', type: 'tree', oid: work, name: 'work'})
  const tree = await writeTree(ctx, entries)
  const commit = await writeCommit(ctx, tree, prev ? [prev] : [], formatMessage(title.text, {'Pare-Kind': 'session', 'Pare-Session': id, 'Pare-Turn': turn, 'Pare-Title': oneLine(sessionTitle)}))
  await updateRefs(ctx, [{ref, new: commit, old: prev}], `git-pare: session ${id}`)
  return {commit, turn}
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 72)

// The session's title from a turn commit: its `Pare-Title`, or (sessions written before titles were carried) the subject
// of the session's first commit.
async function firstTitle(ctx: StoreContext, c: CommitInfo): Promise<string> {
  const t = parseTrailers(c.message)['Pare-Title']
  if (t) return t
  const roots = (await ctx.run(['rev-list', '--max-parents=0', c.oid], {allowFail: true})).stdout.split('\n').filter(Boolean)
  const [root] = roots.length ? await readCommits(ctx, [roots[roots.length - 1]!]) : [null]
  return root?.message.split('\n')[0] ?? c.message.split('\n')[0] ?? ''
}

/** Every session, most recent first, each titled by its first task. */
export async function listSessions(ctx: StoreContext): Promise<SessionListing[]> {
  const refs = await listRefs(ctx, SESSIONS)
  const commits = await readCommits(ctx, refs.map((r) => r.oid))
  return refs
    .flatMap((r, i) => {
      const c = commits[i]
      if (!c) return []
      const t = parseTrailers(c.message)
      return [{id: r.ref.slice(SESSIONS.length + 1), commit: c.oid, turns: Number(t['Pare-Turn'] ?? 0), time: c.time, title: t['Pare-Title'] || (c.message.split('\n')[0] ?? '')}]
    })
    .sort((a, b) => b.time.getTime() - a.time.getTime())
}

/** A session at its newest turn, or at `turn` (1-based). Null when the session does not exist. */
export async function readSession(ctx: StoreContext, id: string, opts: {turn?: number} = {}): Promise<SessionTurn | null> {
  const tip = await readRef(ctx, sessionRef(id))
  if (!tip) return null
  const [tipCommit] = await readCommits(ctx, [tip])
  const turns = Number(parseTrailers(tipCommit!.message)['Pare-Turn'] ?? 1)
  const turn = opts.turn ?? turns
  if (!Number.isInteger(turn) || turn < 1 || turn > turns) throw new UsageError(`session ${id} has turns 1..${turns}, not ${turn}`)
  const commit = turn === turns ? tip : await revParse(ctx, `${tip}~${turns - turn}`)
  const [c, chat, meta, work] = await readObjects(ctx, [commit!, `${commit}:chat.jsonl`, `${commit}:meta.yaml`, `${commit}:work`])
  return {
    id,
    turn,
    turns,
    commit: commit!,
    chat: chat?.content.toString('utf8') ?? '',
    meta: meta?.content.toString('utf8') ?? '',
    workTree: work?.type === 'tree' ? work.oid : null,
    time: c && c.type === 'commit' ? (readTime(c.content) ?? new Date(0)) : new Date(0),
  }
}

function readTime(raw: Buffer): Date | null {
  const m = /\ncommitter .* (\d+) [+-]\d{4}\n/.exec(raw.toString('utf8'))
  return m ? new Date(Number(m[1]) * 1000) : null
}

/**
 * Move the session back `n` turns. The old tip is archived under refs/parecode/archive/sessions/<id>/<time>
 * so nothing is lost; the work tree is restored to the target turn's `work` when it has one (undoable).
 * Secret-named files the turn's `work` lacks are left in place: it was recorded without them, so their
 * absence there says nothing about the user's file.
 */
export async function rollbackSession(ctx: StoreContext, id: string, n: number, opts: {restoreWork?: boolean; force?: boolean} = {}): Promise<RollbackResult> {
  const current = await readSession(ctx, id)
  if (!current) throw new RepoStateError(`no session "${id}"`, 'see `git pare log` for sessions', 'no_session')
  if (!Number.isInteger(n) || n < 1 || n >= current.turns) {
    throw new UsageError(`cannot roll session ${id} back ${n} turn(s): it has ${current.turns}`, 'roll back at least 1 and fewer than all turns')
  }
  const target = await readSession(ctx, id, {turn: current.turns - n})
  // The work tree is restored first: a refusal (files git pare did not make) must leave the session as it was.
  // What the newest turn left (its `work`) is git pare's; so is whatever git pare last left the work tree in.
  const guard = {
    command: `git pare session rollback ${n}`,
    action: `rolling session ${id} back`,
    label: `kept: your changes before rolling session ${id} back to turn ${target!.turn}`,
    known: current.workTree ? [current.workTree] : [],
    force: opts.force,
  }
  const restore = target!.workTree && opts.restoreWork !== false ? await restoreTree(ctx, target!.workTree, {keepAbsent: isSecretFileName, guard}) : undefined
  const archived = `refs/parecode/archive/sessions/${id}/${ctx.now().getTime()}`
  await updateRefs(ctx, [
    {ref: archived, new: current.commit, old: null},
    {ref: sessionRef(id), new: target!.commit, old: current.commit},
  ], `git-pare: rollback session ${id}`)
  return {id, turn: target!.turn, commit: target!.commit, archived, restore}
}
