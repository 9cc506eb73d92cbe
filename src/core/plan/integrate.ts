import type {Store} from '../store/store.js'

/** A step commit that did not apply: the files in conflict, the commit that failed (`at`), and what applied before it. */
export interface IntegrationConflict {
  conflict: string[]
  at: string
  /** The result of the commits before `at` (`base` when it was the first). */
  applied: string
}

const splitZ = (s: string) => s.split('\0').filter(Boolean)

/**
 * Apply step commits, in order, on top of `base` as cherry-picks made without a work tree (`git merge-tree
 * --write-tree`, the step's parent as the merge base): each becomes one commit with the step's own message, so the
 * integrated branch reads like a sequential run, and nothing already integrated is rewritten. A commit whose parent
 * is where the integration stands is taken as it is (a fast-forward). Refs, index and work tree are not touched.
 */
export async function mergeStepBranches(store: Store, base: string, commits: string[]): Promise<{commit: string} | IntegrationConflict> {
  let head = base
  for (const c of commits) {
    const next = await applyOne(store, head, c)
    if ('conflict' in next) return {conflict: next.conflict, at: c, applied: head}
    head = next.commit
  }
  return {commit: head}
}

async function applyOne(store: Store, head: string, c: string): Promise<{commit: string} | {conflict: string[]}> {
  const parent = await store.revParse(`${c}^1`)
  if (!parent) throw new Error(`commit ${c} has no parent to take its change from`)
  if (parent === head) return {commit: c}
  const ctx = store.ctx
  // merge-tree picks the merge base itself (git 2.39 has no --merge-base): the step's parent, when it is in the
  // integration's history. Otherwise a stand-in commit with head's tree on that parent makes it so.
  const inHistory = (await ctx.run(['merge-base', '--is-ancestor', parent, head], {allowFail: true})).code === 0
  const ours = inHistory ? head : await store.writeCommit(await tree(store, head), [parent], 'pare: integration stand-in\n')
  const [res, headTree, message] = await Promise.all([
    ctx.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, c], {allowFail: true}),
    tree(store, head),
    commitMessage(store, c),
  ])
  const [treeId, ...files] = splitZ(res.stdout)
  if (res.code === 1) return {conflict: [...new Set(files)]}
  if (res.code !== 0 || !treeId) throw new Error(`git merge-tree failed (${res.code}): ${res.stderr.trim().split('\n')[0] ?? ''}`)
  if (treeId === headTree) return {commit: head}
  return {commit: await store.writeCommit(treeId, [head], message)}
}

async function tree(store: Store, commit: string): Promise<string> {
  const t = await store.revParse(`${commit}^{tree}`)
  if (!t) throw new Error(`commit ${commit} has no tree`)
  return t
}

/** The commit's message, as written (subject, body and trailers). */
async function commitMessage(store: Store, c: string): Promise<string> {
  const [obj] = await store.readObjects([c])
  const raw = obj?.type === 'commit' ? obj.content.toString('utf8') : undefined
  const i = raw?.indexOf('\n\n') ?? -1
  return raw && i >= 0 ? raw.slice(i + 2) : `pare: step ${c.slice(0, 7)}\n`
}
