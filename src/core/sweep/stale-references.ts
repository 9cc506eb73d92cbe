import {identifierOccurrences} from '../index/identifiers.js'
import {languageOf} from '../index/languages.js'
import {symbolChanges} from '../index/symbol-changes.js'
import type {Index} from '../index/symbol-index.js'
import {git} from '../store/git.js'
import type {Store} from '../store/store.js'
import {diffNames} from '../store/worktree.js'
import {readRepoText} from '../fs/repo-file.js'

/** A symbol a change removed or renamed, and the places in the work tree that still name it. */
export interface StaleReference {
  name: string
  how: 'removed' | 'renamed'
  /** The new name, for a rename. */
  renamed_to: string | null
  /** The file it was defined in. */
  file: string
  /** `path:line`, at most a few per name. */
  refs: string[]
  /** References left out of `refs` (over the cap). */
  more: number
}

const PER_NAME = 5
const NAMES_MAX = 20
const last = (key: string) => key.split('.').at(-1)!

/**
 * After a task or plan: symbols the change (tree `from` -> tree `to`) removed or renamed that nothing defines any
 * more, with the code in the work tree that still names them (identifier leaves only: strings and comments do not
 * count). Deterministic, no model. `index`: the work tree's symbol index (built when not given).
 */
export async function staleReferences(store: Store, from: string, to: string, opts: {index?: Index; signal?: AbortSignal} = {}): Promise<StaleReference[]> {
  const changes = (await diffNames(store.ctx, from, to)).filter((c) => c.status !== 'A' && languageOf(c.path))
  const gone: Array<Omit<StaleReference, 'refs' | 'more'>> = []
  for (const c of changes) {
    const before = await store.readText(`${from}:${c.path}`)
    const after = c.status === 'D' ? null : await store.readText(`${to}:${c.path}`)
    const sc = await symbolChanges(c.path, before, after)
    const renamedTo = sc.removed.length === 1 && sc.added.length === 1 ? last(sc.added[0]!) : null
    for (const key of sc.removed) gone.push({name: last(key), how: renamedTo ? 'renamed' : 'removed', renamed_to: renamedTo, file: c.path})
  }
  if (!gone.length) return []
  const index = opts.index ?? (await (await import('../index/build-index.js')).buildIndex(store.paths, {signal: opts.signal}))
  // A name still defined somewhere (moved, or another definition) cannot be told apart from its old uses.
  const candidates = gone.filter((g, i) => g.name.length >= 3 && !index.findSymbol(g.name).length && gone.findIndex((x) => x.name === g.name) === i).slice(0, NAMES_MAX)
  if (!candidates.length) return []
  const root = store.paths.root
  const res = await git(['grep', '-l', '-z', '-I', '-F', '-w', '--untracked', '--no-color', ...candidates.flatMap((c) => ['-e', c.name]), '--', '.'], {cwd: root, allowFail: true, signal: opts.signal})
  const files = res.code === 0 ? res.stdout.split('\0').filter((f) => f && languageOf(f)).sort() : []
  const out: StaleReference[] = []
  for (const c of candidates) {
    const refs: string[] = []
    for (const f of files) {
      const text = await readRepoText(root, f, {maxBytes: 4 << 20})
      if (text === undefined) continue
      for (const o of (await identifierOccurrences(f, text, c.name)).occurrences) refs.push(`${f}:${o.line}`)
    }
    const unique = [...new Set(refs)]
    if (unique.length) out.push({...c, refs: unique.slice(0, PER_NAME), more: Math.max(0, unique.length - PER_NAME)})
  }
  return out
}

/** Text lines for the terminal: one heading per name, then its `file:line` references (capped). */
export function staleLines(stale: StaleReference[], max = 20): string[] {
  const lines: string[] = []
  for (const s of stale) {
    if (lines.length >= max) break
    lines.push(`⚠ ${s.name} was ${s.how === 'renamed' ? `renamed to ${s.renamed_to}` : 'removed'} in ${s.file}, but is still used:`)
    for (const r of s.refs) lines.push(`  ${r}`)
    if (s.more) lines.push(`  … ${s.more} more`)
  }
  return lines
}
