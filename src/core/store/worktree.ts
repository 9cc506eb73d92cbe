import {existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import {RepoStateError} from '../errors/index.js'
import type {StoreContext} from './context.js'
import {GitError} from './git.js'
import {revParse} from './objects.js'

/**
 * The private index (`<gitDir>/parecode/index`, one per work tree) is a stat cache of the work tree,
 * kept between runs so unchanged files are not hashed again. Git writes it through its own
 * `index.lock` + rename, so a crash leaves either the old or the new file, never a torn one; it is
 * only a cache, so either is fine. The user's `.git/index` is only ever read.
 */
export function privateIndex(ctx: StoreContext): string {
  return path.join(ctx.paths.gitDir, 'parecode', 'index')
}

function userIndex(ctx: StoreContext): string {
  return process.env.GIT_INDEX_FILE ? path.resolve(ctx.paths.root, process.env.GIT_INDEX_FILE) : path.join(ctx.paths.gitDir, 'index')
}

// Callers hold the repository lock, so an index.lock here was left by a git we started and that was killed.
async function prepareIndex(ctx: StoreContext): Promise<NodeJS.ProcessEnv> {
  const file = privateIndex(ctx)
  mkdirSync(path.dirname(file), {recursive: true})
  rmSync(`${file}.lock`, {force: true})
  const env = {GIT_INDEX_FILE: file}
  if (!existsSync(file)) {
    const head = await revParse(ctx, 'HEAD^{tree}')
    if (head) await ctx.run(['read-tree', head], {env})
  }
  return env
}

const splitZ = (s: string) => s.split('\0').filter(Boolean)

function asStateError(err: unknown, what: string): unknown {
  if (!(err instanceof GitError)) return err
  const line = err.stderr.split('\n').map((l) => l.replace(/^(error|fatal): /, '').trim()).find(Boolean) ?? `git exited with ${err.code}`
  return new RepoStateError(`${what}: ${line}`, 'fix the file named above and run the command again', 'worktree')
}

/**
 * Hash the whole work tree (tracked and untracked non-ignored files, deletions, modes, symlinks,
 * gitlinks as they are) into a tree object. Files the user tracks despite .gitignore are kept;
 * files that became ignored since the last snapshot are dropped.
 */
export async function worktreeTree(ctx: StoreContext): Promise<string> {
  try {
    return await hashWorktree(ctx)
  } catch (err) {
    // The private index is only a cache: if it is damaged, start it again from HEAD.
    if (!(err instanceof RepoStateError) || !/index file|bad signature|bad index/i.test(err.message)) throw err
    rmSync(privateIndex(ctx), {force: true})
    return hashWorktree(ctx)
  }
}

async function hashWorktree(ctx: StoreContext): Promise<string> {
  const env = await prepareIndex(ctx)
  const ignoredArgs = ['ls-files', '-z', '-c', '-i', '--exclude-standard']
  try {
    const [, userTracked, ours] = await Promise.all([
      ctx.run(['-c', 'advice.addEmbeddedRepo=false', '-c', 'core.quotePath=false', 'add', '-A', '--', '.'], {env}),
      ctx.run(ignoredArgs, {env: {GIT_INDEX_FILE: userIndex(ctx)}}),
      // Run against the index before `add -A` rewrites it: ignored entries can only shrink.
      ctx.run(ignoredArgs, {env}),
    ])
    const keep = new Set(splitZ(userTracked.stdout))
    const drop = splitZ(ours.stdout).filter((p) => !keep.has(p))
    const have = new Set(splitZ(ours.stdout))
    const add = [...keep].filter((p) => !have.has(p))
    if (drop.length > 0) await ctx.run(['update-index', '-z', '--force-remove', '--stdin'], {env, input: drop.join('\0') + '\0'})
    if (add.length > 0) await ctx.run(['update-index', '-z', '--add', '--remove', '--stdin'], {env, input: add.join('\0') + '\0'})
    return (await ctx.run(['write-tree'], {env})).stdout.trim()
  } catch (err) {
    throw asStateError(err, 'could not read the work tree')
  }
}

/**
 * Move the work tree from tree `from` (what `worktreeTree` just returned) to tree `to` and return what
 * changed: files added
 * since are removed, changed ones rewritten, ignored files left alone. Git checks every path before
 * writing any, and refuses (nothing written) if an ignored file would be overwritten.
 */
export async function checkoutTree(ctx: StoreContext, from: string, to: string): Promise<Change[]> {
  if (from === to) return []
  const env = await prepareIndex(ctx)
  // Git treats ignored files as expendable and would overwrite them; we refuse instead.
  const changes = await diffNames(ctx, from, to)
  const leaving = new Set(changes.filter((d) => d.status === 'D').map((d) => d.path))
  const inTheWay = changes.filter((d) => d.status === 'A').map((d) => d.path).filter((p) => blocked(ctx.paths.root, p, leaving))
  if (inTheWay.length > 0) {
    const list = inTheWay.slice(0, 3).join(', ') + (inTheWay.length > 3 ? ` and ${inTheWay.length - 3} more` : '')
    throw new RepoStateError(`restoring would overwrite ignored files: ${list}`, 'move them out of the way (or delete them) and run the command again', 'ignored_in_the_way')
  }
  try {
    await ctx.run(['read-tree', '-m', '-u', from, to], {env})
  } catch (err) {
    throw asStateError(err, 'could not restore the work tree')
  }
  return changes
}

// Added by the restore, yet something (necessarily ignored) is already there or where a parent folder must go.
function blocked(root: string, rel: string, leaving: Set<string>): boolean {
  const here = path.join(root, rel)
  if (isLink(here)) return !leaving.has(rel)
  try {
    if (!statSync(here).isDirectory()) return true
    // A folder in the way is fine if the restore removes everything in it.
    if (holdsOthers(root, rel, leaving)) return true
  } catch {}
  for (let dir = path.dirname(rel); dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    if (leaving.has(dir)) continue
    const p = path.join(root, dir)
    if (isLink(p)) return true
    try {
      if (!statSync(p).isDirectory()) return true
    } catch {}
  }
  return false
}

function holdsOthers(root: string, rel: string, leaving: Set<string>): boolean {
  for (const e of readdirSync(path.join(root, rel), {withFileTypes: true})) {
    const child = path.join(rel, e.name)
    if (e.isDirectory() ? holdsOthers(root, child, leaving) : !leaving.has(child)) return true
  }
  return false
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink()
  } catch {
    return false
  }
}

/** One changed path: A(dded), D(eleted), M(odified) or T(ype changed). */
export interface Change {
  status: string
  path: string
}

/** Changed paths between two trees (`git diff --name-status`), for summaries. */
export async function diffNames(ctx: StoreContext, from: string, to: string): Promise<Change[]> {
  if (from === to) return []
  const res = await ctx.run(['diff-tree', '-r', '-z', '--no-renames', '--name-status', from, to])
  const parts = splitZ(res.stdout)
  const out: Change[] = []
  for (let i = 0; i + 1 < parts.length; i += 2) out.push({status: parts[i]!, path: parts[i + 1]!})
  return out
}

// A throwaway index for building a variant of a tree, so neither the user's index nor our cache changes.
async function withTempIndex<T>(ctx: StoreContext, fn: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const file = path.join(ctx.paths.gitDir, 'parecode', `tmp-index-${process.pid}-${Math.random().toString(36).slice(2)}`)
  mkdirSync(path.dirname(file), {recursive: true})
  try {
    return await fn({GIT_INDEX_FILE: file})
  } finally {
    rmSync(file, {force: true})
    rmSync(`${file}.lock`, {force: true})
  }
}

/**
 * `tree` without the files that `match` selects and the user's index does not track (untracked files
 * with secret names, for trees that are pushed). Tracked files stay: they are in the user's history already.
 */
export async function withoutUntracked(ctx: StoreContext, tree: string, match: (repoPath: string) => boolean): Promise<{tree: string; dropped: string[]}> {
  const listed = await ctx.run(['-c', 'core.quotePath=false', 'ls-tree', '-r', '-z', '--name-only', '--full-tree', tree])
  const candidates = splitZ(listed.stdout).filter(match)
  if (candidates.length === 0) return {tree, dropped: []}
  const tracked = new Set(splitZ((await ctx.run(['ls-files', '-z', '--cached'], {env: {GIT_INDEX_FILE: userIndex(ctx)}, allowFail: true})).stdout))
  const dropped = candidates.filter((p) => !tracked.has(p))
  if (dropped.length === 0) return {tree, dropped}
  return withTempIndex(ctx, async (env) => {
    await ctx.run(['read-tree', tree], {env})
    await ctx.run(['update-index', '-z', '--force-remove', '--stdin'], {env, input: dropped.join('\0') + '\0'})
    return {tree: (await ctx.run(['write-tree'], {env})).stdout.trim(), dropped}
  })
}

/**
 * `to` with the files of `from` that `keep` selects and `to` lacks added back, so that moving the work
 * tree from `from` to the result leaves them exactly as they are (a session restore never deletes the
 * `.env.local` its `work` tree was recorded without). Refuses, writing nothing, when one cannot be kept.
 */
export async function keepAbsent(ctx: StoreContext, from: string, to: string, keep: (repoPath: string) => boolean): Promise<{tree: string; kept: string[]}> {
  const kept = (await diffNames(ctx, from, to)).filter((d) => d.status === 'D' && keep(d.path)).map((d) => d.path)
  if (kept.length === 0) return {tree: to, kept}
  const listed = await ctx.run(['--literal-pathspecs', '-c', 'core.quotePath=false', 'ls-tree', '-r', '-z', '--full-tree', from, '--', ...kept])
  const info = splitZ(listed.stdout).map((line) => {
    const [meta, p] = [line.slice(0, line.indexOf('\t')), line.slice(line.indexOf('\t') + 1)]
    const [mode, , oid] = meta.split(' ')
    return `${mode} ${oid}\t${p}`
  })
  try {
    return await withTempIndex(ctx, async (env) => {
      await ctx.run(['read-tree', to], {env})
      await ctx.run(['update-index', '-z', '--add', '--index-info'], {env, input: info.join('\0') + '\0'})
      return {tree: (await ctx.run(['write-tree'], {env})).stdout.trim(), kept}
    })
  } catch (err) {
    const list = kept.slice(0, 3).join(', ') + (kept.length > 3 ? ` and ${kept.length - 3} more` : '')
    if (err instanceof GitError) throw new RepoStateError(`restoring would remove files kept out of the session: ${list}`, 'move them out of the way and run the command again', 'kept_in_the_way')
    throw err
  }
}
