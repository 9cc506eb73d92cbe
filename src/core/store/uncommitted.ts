import {closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs'
import path from 'node:path'
import {RepoStateError} from '../errors/index.js'
import type {StoreContext} from './context.js'
import {formatMessage, parseTrailers, readCommits, readObjects, revParse, writeBlob, writeCommit, writeTree} from './objects.js'
import {checkRefId, readRef, updateRef} from './refs.js'
import {applyTreeDiff, withScratch} from './tree-patch.js'
import {checkoutTree, worktreeTree} from './worktree.js'

/**
 * The user's uncommitted state when a plan starts (tracked, staged and untracked), kept under
 * `<base>/uncommitted/<plan-id>` so abort and finish can give it back. The ref is a commit in `git stash` format
 * (parents: HEAD, the index, the untracked files, plus one more holding the index file's own bytes and the whole
 * work tree), so `git stash apply <ref>` brings it back by hand too. It stays local: push never sends it.
 */
export interface UncommittedRecord {
  plan: string
  ref: string
  commit: string
  /** The commit HEAD was at, and its tree. */
  head: string
  headTree: string
  branch: string | null
  /** The whole work tree (tracked and untracked, not ignored). */
  worktree: string
  /** What was staged, as a tree. */
  index: string
  /** The index file itself, byte for byte (null: there was none). */
  indexBlob: string | null
  flags: IndexFlags
  counts: {staged: number; unstaged: number; untracked: number}
}

interface IndexFlags {
  intent_to_add: string[]
  assume_unchanged: string[]
  skip_worktree: string[]
}

/** What giving the state back did. */
export type GiveBack =
  | {status: 'restored'} // exactly as recorded: same HEAD, same bytes
  | {status: 'reapplied'} // on top of another HEAD, as a three-way change
  | {status: 'kept'; conflicts: string[]} // could not apply cleanly; nothing changed, the record stays

export const uncommittedRef = (ctx: StoreContext, planId: string) => `${ctx.base}/uncommitted/${checkRefId('plan', planId)}`

function userIndex(ctx: StoreContext): string {
  return process.env.GIT_INDEX_FILE ? path.resolve(ctx.paths.root, process.env.GIT_INDEX_FILE) : path.join(ctx.paths.gitDir, 'index')
}

// Reading the user's state must not refresh (rewrite) their index.
const READ = {env: {GIT_OPTIONAL_LOCKS: '0'}}

/** Porcelain v2 status: counts, untracked paths and intent-to-add entries. */
async function readStatus(ctx: StoreContext): Promise<{counts: UncommittedRecord['counts']; untracked: string[]; ita: string[]}> {
  const res = await ctx.run(['-c', 'core.quotePath=false', 'status', '--porcelain=v2', '-z', '--untracked-files=all', '--ignore-submodules=none'], READ)
  const counts = {staged: 0, unstaged: 0, untracked: 0}
  const untracked: string[] = []
  const ita: string[] = []
  const items = res.stdout.split('\0')
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!
    if (it.startsWith('? ')) {
      counts.untracked++
      untracked.push(it.slice(2))
    } else if (it.startsWith('1 ') || it.startsWith('2 ') || it.startsWith('u ')) {
      const xy = it.slice(2, 4)
      if (xy[0] !== '.') counts.staged++
      if (xy[1] !== '.') counts.unstaged++
      if (xy === '.A') ita.push(it.split(' ').slice(8).join(' '))
      if (it.startsWith('2 ')) i++ // a rename carries its source path as the next item
    }
  }
  return {counts, untracked, ita}
}

async function readFlags(ctx: StoreContext, ita: string[]): Promise<IndexFlags> {
  const res = await ctx.run(['ls-files', '-v', '-z'], READ)
  const flags: IndexFlags = {intent_to_add: ita, assume_unchanged: [], skip_worktree: []}
  for (const e of res.stdout.split('\0').filter(Boolean)) {
    const tag = e[0]!
    const p = e.slice(2)
    if (tag === 'S' || tag === 's') flags.skip_worktree.push(p)
    if (tag !== tag.toUpperCase()) flags.assume_unchanged.push(p)
  }
  return flags
}

/** Tree entries of `tree` split by whether `pick` selects their path (for the stash-format parents). */
async function splitTree(ctx: StoreContext, dir: string, tree: string, pick: Set<string>): Promise<{picked: string; rest: string}> {
  const list = await ctx.run(['ls-tree', '-r', '-z', '--full-tree', tree])
  const picked: string[] = []
  const rest: string[] = []
  for (const e of list.stdout.split('\0').filter(Boolean)) (pick.has(e.slice(e.indexOf('\t') + 1)) ? picked : rest).push(e)
  const build = async (entries: string[], name: string) => {
    const env = {GIT_INDEX_FILE: path.join(dir, name)}
    await ctx.run(['read-tree', '--empty'], {env})
    if (entries.length) await ctx.run(['update-index', '-z', '--index-info'], {env, input: entries.join('\0') + '\0'})
    return (await ctx.run(['write-tree'], {env})).stdout.trim()
  }
  return {picked: await build(picked, 'picked'), rest: await build(rest, 'rest')}
}

/**
 * Record the uncommitted state (callers hold the repository lock). Null when there is none: the work tree and
 * the index both match HEAD.
 */
export async function recordUncommitted(ctx: StoreContext, planId: string): Promise<UncommittedRecord | null> {
  const ref = uncommittedRef(ctx, planId)
  const head = await revParse(ctx, 'HEAD^{commit}')
  if (!head) throw new RepoStateError('this repository has no commit yet', 'make a first commit, then run `git pare step`', 'unborn_head')
  const sym = await ctx.run(['symbolic-ref', '-q', '--short', 'HEAD'], {allowFail: true})
  const branch = sym.code === 0 ? sym.stdout.trim() : null
  const file = userIndex(ctx)
  return withScratch(ctx, async (dir) => {
    const copy = path.join(dir, 'index.copy')
    const has = existsSync(file)
    if (has) {
      copyFileSync(file, copy)
      // A split index needs its shared part: keep a standalone copy so the bytes restore on their own.
      if (readdirSync(ctx.paths.gitDir).some((f) => f.startsWith('sharedindex.'))) await ctx.run(['update-index', '--no-split-index'], {env: {GIT_INDEX_FILE: copy}})
    }
    const raw = has ? readFileSync(copy) : null
    // write-tree may add its cache to the index it reads: a second copy keeps the recorded bytes as they were.
    const forTree = path.join(dir, 'index.tree')
    if (raw) copyFileSync(copy, forTree)
    // (No index file at all reads as an empty index.)
    const treeRes = await ctx.run(['write-tree'], {env: {GIT_INDEX_FILE: forTree}, allowFail: true})
    if (treeRes.code !== 0) throw new RepoStateError('the index has unresolved conflicts', 'resolve them (`git add` the files) or reset them, then run the command again', 'unmerged')
    const index = treeRes.stdout.trim()
    const [worktree, headTree, status] = await Promise.all([worktreeTree(ctx), revParse(ctx, `${head}^{tree}`), readStatus(ctx)])
    if (worktree === headTree && index === headTree && !status.ita.length) return null
    const flags = await readFlags(ctx, status.ita)
    const {picked: untrackedTree, rest: trackedTree} = await splitTree(ctx, dir, worktree, new Set(status.untracked))
    const subject = (await ctx.run(['log', '-1', '--format=%h %s', head])).stdout.trim()
    const on = `${branch ?? '(no branch)'}: ${subject}`
    const [indexBlob, flagsBlob] = await Promise.all([raw ? writeBlob(ctx, raw) : Promise.resolve(null), writeBlob(ctx, JSON.stringify(flags) + '\n')])
    const bytesTree = await writeTree(ctx, [
      ...(indexBlob ? [{mode: '100644' as const, type: 'blob' as const, oid: indexBlob, name: 'index'}] : []),
      {mode: '100644', type: 'blob', oid: flagsBlob, name: 'flags.json'},
      {mode: '040000', type: 'tree', oid: worktree, name: 'worktree'},
    ])
    const [iCommit, uCommit, xCommit] = await Promise.all([
      writeCommit(ctx, index, [head], `index on ${on}\n`),
      writeCommit(ctx, untrackedTree, [], `untracked files on ${on}\n`),
      writeCommit(ctx, bytesTree, [], `git-pare: the index file and work tree of ${on}\n`),
    ])
    const counts = status.counts
    const message = formatMessage(`WIP on ${on}`, {'Pare-Kind': 'uncommitted', 'Pare-Plan': planId, 'Pare-Staged': counts.staged, 'Pare-Unstaged': counts.unstaged, 'Pare-Untracked': counts.untracked}, `git-pare kept your uncommitted changes from before plan ${planId}. Bring them back with: git stash apply ${ref}`)
    const commit = await writeCommit(ctx, trackedTree, [head, iCommit, uCommit, xCommit], message)
    await updateRef(ctx, ref, commit, await readRef(ctx, ref), 'git-pare: uncommitted changes')
    return {plan: planId, ref, commit, head, headTree: headTree!, branch, worktree, index, indexBlob, flags, counts}
  })
}

/** The recorded state of a plan, or null. */
export async function readUncommitted(ctx: StoreContext, planId: string): Promise<UncommittedRecord | null> {
  const ref = uncommittedRef(ctx, planId)
  const commit = await readRef(ctx, ref)
  if (!commit) return null
  const [w] = await readCommits(ctx, [commit])
  if (!w || w.parents.length < 4) return null
  const t = parseTrailers(w.message)
  if (t['Pare-Kind'] !== 'uncommitted') return null
  const [head, iCommit, , xCommit] = w.parents as [string, string, string, string]
  const [hc, ic, xc] = await readCommits(ctx, [head, iCommit, xCommit])
  const [indexObj, flagsObj, worktree] = await Promise.all([
    revParse(ctx, `${xCommit}:index`),
    readObjects(ctx, [`${xCommit}:flags.json`]).then(([o]) => o),
    revParse(ctx, `${xCommit}:worktree`),
  ])
  if (!hc || !ic || !xc || !worktree || !flagsObj) return null
  let flags: IndexFlags = {intent_to_add: [], assume_unchanged: [], skip_worktree: []}
  try {
    const parsed = JSON.parse(flagsObj.content.toString('utf8')) as Partial<IndexFlags>
    flags = {intent_to_add: strings(parsed.intent_to_add), assume_unchanged: strings(parsed.assume_unchanged), skip_worktree: strings(parsed.skip_worktree)}
  } catch {
    // Flags are a nicety; the content restores without them.
  }
  const sym = /^WIP on (.*?): /.exec(w.message)?.[1]
  const counts = {staged: Number(t['Pare-Staged'] ?? 0), unstaged: Number(t['Pare-Unstaged'] ?? 0), untracked: Number(t['Pare-Untracked'] ?? 0)}
  return {plan: planId, ref, commit, head, headTree: hc.tree, branch: sym && sym !== '(no branch)' ? sym : null, worktree, index: ic.tree, indexBlob: indexObj, flags, counts}
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

/** Forget a record once its state is back (compare-and-swap: a newer record is left alone). */
export async function dropUncommitted(ctx: StoreContext, rec: UncommittedRecord): Promise<void> {
  await updateRef(ctx, rec.ref, null, rec.commit, 'git-pare: uncommitted changes given back')
}

/**
 * Lay the recorded state over the checked-out HEAD, whose work tree and index must be clean (callers hold the lock).
 * On the recorded HEAD it comes back byte for byte: the work tree, and the index file's own bytes. On another HEAD
 * (finish made a new commit) the recorded change is applied three-way, to the work tree and to the index; when
 * either does not apply cleanly nothing is touched and the record stays.
 */
export async function giveBackUncommitted(ctx: StoreContext, rec: UncommittedRecord): Promise<GiveBack> {
  const head = await revParse(ctx, 'HEAD^{commit}')
  const headTree = head ? await revParse(ctx, `${head}^{tree}`) : null
  if (!head || !headTree) throw new RepoStateError('HEAD has no commit', undefined, 'unborn_head')
  const current = await worktreeTree(ctx)
  if (head === rec.head) {
    await checkoutTree(ctx, current, rec.worktree)
    await writeIndexBytes(ctx, rec.indexBlob)
    if ((await worktreeTree(ctx)) !== rec.worktree) {
      throw new RepoStateError('the work tree did not come back exactly as recorded', `nothing is lost: compare with \`git diff ${rec.ref}^4:worktree\` or run \`git stash apply ${rec.ref}\``, 'restore_mismatch')
    }
    return {status: 'restored'}
  }
  const [work, staged] = await Promise.all([applyTreeDiff(ctx, rec.headTree, rec.worktree, headTree), applyTreeDiff(ctx, rec.headTree, rec.index, headTree)])
  if ('conflicts' in work || 'conflicts' in staged) {
    return {status: 'kept', conflicts: [...new Set([...('conflicts' in work ? work.conflicts : []), ...('conflicts' in staged ? staged.conflicts : [])])].sort()}
  }
  await checkoutTree(ctx, current, work.tree)
  await ctx.run(['read-tree', staged.tree])
  await restoreFlags(ctx, rec.flags)
  await ctx.run(['update-index', '-q', '--refresh'], {allowFail: true})
  return {status: 'reapplied'}
}

async function restoreFlags(ctx: StoreContext, flags: IndexFlags): Promise<void> {
  const present = (p: string) => existsSync(path.join(ctx.paths.root, p))
  const ita = flags.intent_to_add.filter(present)
  if (ita.length) await ctx.run(['add', '--intent-to-add', '--pathspec-from-file=-', '--pathspec-file-nul'], {input: ita.join('\0'), allowFail: true})
  for (const [list, flag] of [[flags.assume_unchanged, '--assume-unchanged'], [flags.skip_worktree, '--skip-worktree']] as const) {
    if (list.length) await ctx.run(['update-index', flag, '-z', '--stdin'], {input: list.join('\0') + '\0', allowFail: true})
  }
}

/** Put the index file back as it was, through git's own lock file so no git process sees half of it. */
async function writeIndexBytes(ctx: StoreContext, blob: string | null): Promise<void> {
  const file = userIndex(ctx)
  const bytes = blob ? (await readObjects(ctx, [blob]))[0]?.content : undefined
  if (blob && !bytes) throw new RepoStateError(`the recorded index (${blob.slice(0, 7)}) is missing from the object store`, 'run `git fsck`; your work tree is restored', 'index_missing')
  const lock = `${file}.lock`
  let fd: number
  try {
    fd = openSync(lock, 'wx')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new RepoStateError(`${path.relative(ctx.paths.root, lock) || lock} exists: another git process is writing the index`, 'wait for it to end (or remove the file if no git is running), then run the command again', 'index_locked')
    }
    throw err
  }
  try {
    if (bytes) writeSync(fd, bytes)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  if (bytes) renameSync(lock, file)
  else {
    rmSync(file, {force: true})
    rmSync(lock, {force: true})
  }
}
