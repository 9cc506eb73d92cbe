import {RepoStateError} from '../errors/index.js'
import {languageOf} from '../index/languages.js'
import {symbolChanges} from '../index/symbol-changes.js'
import {updateRefs} from '../store/refs.js'
import type {Store} from '../store/store.js'
import {applyTreeDiff} from '../store/tree-patch.js'
import {diffNames} from '../store/worktree.js'
import {commitMessage} from './message.js'

export interface RunCommit {
  commit: string
  branch: string
  parent: string
  subject: string
  files: string[]
}

const list = (paths: string[]) => paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '')

/** The checked-out branch and its tip; refused (one line) on a detached HEAD or a branch with no commit yet. */
export async function committableHead(store: Store): Promise<{ref: string; name: string; tip: string}> {
  const sym = await store.ctx.run(['symbolic-ref', '-q', 'HEAD'], {allowFail: true})
  const ref = sym.stdout.trim()
  if (sym.code !== 0 || !ref.startsWith('refs/heads/')) throw new RepoStateError('run --commit needs a branch, but HEAD is detached', 'switch to a branch first (`git switch -c my-branch` keeps this commit)', 'detached_head')
  const tip = await store.revParse(`${ref}^{commit}`)
  if (!tip) throw new RepoStateError(`run --commit needs a commit to build on, but ${ref.slice(11)} has none yet`, 'make a first commit, then run again', 'unborn_head')
  return {ref, name: ref.slice(11), tip}
}

/**
 * Commit what a run changed (checkpoint tree -> work tree now) on the checked-out branch, and nothing else: the
 * change is applied three-way onto the branch's tree in a private index, so the user's other uncommitted work (other
 * files, or their own hunks in the same files) stays uncommitted. The branch moves by compare-and-swap; then the
 * user's index is set to the new commit for exactly the run's paths. Refused when the user staged changes to those
 * paths, or when the run's change does not apply to the branch. Null when the run changed nothing.
 */
export async function commitRun(store: Store, opts: {task: string; session: string; checkpoint: string}): Promise<RunCommit | null> {
  return store.withLock(async () => {
    store.assertWorkable()
    const head = await committableHead(store)
    const [from, headTree, to] = await Promise.all([store.revParse(`${opts.checkpoint}^{tree}`), store.revParse(`${head.tip}^{tree}`), store.worktreeTree()])
    const changes = await diffNames(store.ctx, from!, to)
    if (!changes.length) return null
    const paths = changes.map((c) => c.path)
    const staged = await store.ctx.run(['--literal-pathspecs', 'diff-index', '--cached', '--name-only', '-z', head.tip, '--', ...paths])
    const clash = staged.stdout.split('\0').filter(Boolean)
    if (clash.length) {
      throw new RepoStateError(
        `not committed: you have staged changes to ${list(clash)}, which the run also changed`,
        'commit or unstage yours first, then commit the run\'s change (`git pare show N` shows it)',
        'staged_conflict',
      )
    }
    const applied = await applyTreeDiff(store.ctx, from!, to, headTree!)
    if ('conflicts' in applied) {
      throw new RepoStateError(`not committed: the run's change to ${list(applied.conflicts)} does not apply to ${head.name} without your uncommitted changes there`, 'commit the files yourself (git add -p), or undo the run with `git pare undo`', 'commit_conflict')
    }
    if (applied.tree === headTree) return null
    // Only files of a known language are read (their symbols name the change); others are listed by path.
    const text = async (tree: string, p: string) => (languageOf(p) ? await store.readText(`${tree}:${p}`) : '')
    const symbolic = await Promise.all(changes.map(async (c) => symbolChanges(c.path, c.status === 'A' ? null : await text(from!, c.path), c.status === 'D' ? null : await text(to, c.path))))
    const message = commitMessage(opts.task, symbolic, opts.session)
    const commit = await store.writeCommit(applied.tree, [head.tip], message)
    await updateRefs(store.ctx, [{ref: head.ref, new: commit, old: head.tip}], `git pare run --commit: ${message.split('\n')[0]}`)
    await refreshIndex(store, commit, paths)
    return {commit, branch: head.name, parent: head.tip, subject: message.split('\n')[0]!, files: paths}
  })
}

/** The user's index entries for `paths` become the commit's (or go, where the commit has none); stat data refreshed. */
async function refreshIndex(store: Store, commit: string, paths: string[]): Promise<void> {
  const tree = await store.ctx.run(['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths])
  const present = new Map<string, string>()
  for (const rec of tree.stdout.split('\0').filter(Boolean)) {
    const tab = rec.indexOf('\t')
    const [mode, , oid] = rec.slice(0, tab).split(' ')
    present.set(rec.slice(tab + 1), `${mode} ${oid}\t`)
  }
  const info = paths.map((p) => `${present.get(p) ?? `0 ${'0'.repeat(40)}\t`}${p}\0`).join('')
  await store.ctx.run(['update-index', '-z', '--index-info'], {input: info})
  // Stat data only (content is unchanged), so `git status` does not hash those files again.
  await store.ctx.run(['update-index', '-q', '--refresh'], {allowFail: true})
}
