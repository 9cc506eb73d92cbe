import {stat} from 'node:fs/promises'
import {defineTool, toolError} from './define.js'
import {resolveInRepo} from './paths.js'
import {listRepoFiles} from './repo-files.js'
import {plural} from './text.js'

/** Most entries one listing shows; bigger trees show folders as `dir/ (N files)`. */
export const MAX_ENTRIES = 200

export interface ListFilesArgs {
  path?: string
}

interface Dir {
  files: string[]
  dirs: Map<string, Dir>
  count: number
}

function buildTree(paths: string[], prefix: string): Dir {
  const root: Dir = {files: [], dirs: new Map(), count: 0}
  for (const p of paths) {
    const parts = p.slice(prefix.length).split('/')
    let d = root
    d.count++
    for (let i = 0; i < parts.length - 1; i++) {
      let next = d.dirs.get(parts[i]!)
      if (!next) {
        next = {files: [], dirs: new Map(), count: 0}
        d.dirs.set(parts[i]!, next)
      }
      next.count++
      d = next
    }
    d.files.push(parts[parts.length - 1]!)
  }
  return root
}

/**
 * Expand folders breadth-first while the listing stays within `max` entries; what cannot be expanded
 * is shown as `dir/ (N files)`. Returns repo-relative lines, sorted.
 */
export function summarise(paths: string[], prefix: string, max = MAX_ENTRIES): {lines: string[]; collapsed: number; omitted: number} {
  const tree = buildTree(paths, prefix)
  const rows = new Map<string, number | undefined>() // path -> count when collapsed
  let used = 0
  const queue: Array<[string, Dir]> = [[prefix, tree]]
  let collapsed = 0
  while (queue.length) {
    const [at, d] = queue.shift()!
    const cost = d.files.length + d.dirs.size
    // The folder's own row is replaced by its children, except for the top, which has no row.
    const extra = at === prefix ? cost : cost - 1
    if (at !== prefix && used + extra > max) {
      collapsed++
      continue
    }
    if (at !== prefix) {
      rows.delete(at)
      used--
    }
    for (const f of d.files) rows.set(at + f, undefined)
    used += d.files.length
    for (const [name, sub] of d.dirs) {
      const p = `${at}${name}/`
      rows.set(p, sub.count)
      used++
      queue.push([p, sub])
    }
  }
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  // A single folder with more entries than the cap cannot be folded: cut it.
  const omitted = sorted.slice(max).reduce((sum, [, n]) => sum + (n ?? 1), 0)
  const lines = sorted.slice(0, max).map(([p, n]) => (n === undefined ? p : `${p} (${plural(n, 'file')})`))
  return {lines, collapsed, omitted}
}

/** Names with spaces are quoted so the space-separated form stays unambiguous. */
function name(n: string): string {
  return /\s|^"/.test(n) ? JSON.stringify(n) : n
}

/**
 * Print a flat listing grouped by folder, so a folder's path is paid for once:
 * `src/core/: a.ts b.ts` and `vendor/ (300 files)`. Files at the top of the repository go under `./:`.
 */
export function groupByFolder(flat: string[]): string[] {
  const out: string[] = []
  let dir: string | undefined
  let names: string[] = []
  const flush = (): void => {
    if (dir !== undefined) out.push(`${dir === '' ? '.' : dir.slice(0, -1)}/: ${names.join(' ')}`)
    dir = undefined
    names = []
  }
  const isFolder = (l: string): boolean => /\/ \(\d+ files?\)$/.test(l)
  const key = (l: string): string => (isFolder(l) ? l : l.slice(0, l.lastIndexOf('/') + 1))
  const sorted = flat
    .map((l, i) => [key(l), i, l] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
    .map(([, , l]) => l)
  for (const line of sorted) {
    if (isFolder(line)) {
      flush()
      out.push(line)
      continue
    }
    const cut = line.lastIndexOf('/') + 1
    const d = line.slice(0, cut)
    if (d !== dir) flush()
    dir = d
    names.push(name(line.slice(cut)))
  }
  flush()
  return out
}

export default defineTool<ListFilesArgs>({
  name: 'list_files',
  description: 'List files (git-ignored skipped); big folders shown as counts.',
  parameters: {
    type: 'object',
    properties: {path: {type: 'string', description: 'folder, default root'}},
  },
  async run(args, ctx) {
    let rel = '.'
    if (args.path !== undefined && args.path !== '' && args.path !== '.' && args.path !== './') {
      const r = resolveInRepo(ctx.root, args.path)
      if (!r.ok) return toolError(r.error)
      let isDir = false
      try {
        isDir = (await stat(r.abs)).isDirectory()
      } catch {
        return toolError(`${r.rel} does not exist${r.rel.includes('/') ? '' : '; list_files without path shows the top level'}`)
      }
      if (!isDir) return toolError(`${r.rel} is a file; use read_file`)
      rel = r.rel
    }
    const files = await listRepoFiles(ctx.root, rel, ctx.signal)
    const where = rel === '.' ? 'the repository' : `${rel}/`
    if (files.length === 0) return {content: `no files in ${where} (empty or all git-ignored)`, summary: `list ${rel}: empty`, ok: true}
    const prefix = rel === '.' ? '' : `${rel}/`
    const {lines, collapsed, omitted} = summarise(files, prefix)
    const footer = omitted
      ? `\n[${plural(files.length, 'file')}, ${omitted} not shown; list_files a subfolder or use search]`
      : collapsed
        ? `\n[${plural(files.length, 'file')}; list a folder to see inside]`
        : ''
    return {content: groupByFolder(lines).join('\n') + footer, summary: `list ${rel}: ${plural(files.length, 'file')}`, ok: true}
  },
})
