import {createHash} from 'node:crypto'
import {lstat, mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import {readRepoFile} from '../fs/repo-file.js'
import path from 'node:path'
import {git} from '../store/git.js'
import {fileSymbols, type SymbolInfo} from './file-symbols.js'
import {languageOf} from './languages.js'
import {Index} from './symbol-index.js'

export interface BuildIndexOptions {
  signal?: AbortSignal
  /** Files larger than this get no symbols (minified bundles, generated code). Default 512 KiB. */
  maxFileBytes?: number
  /** At most this many files are parsed per build; the rest keep no symbols until a later build. Default 20,000. */
  maxParse?: number
}

export interface IndexStats {
  files: number
  parsed: number
  cached: number
  ms: number
}

const CACHE_VERSION = 2
const KINDS: SymbolInfo['kind'][] = ['function', 'class', 'method', 'interface', 'type', 'enum', 'variable', 'constant', 'module', 'struct', 'trait', 'impl', 'field', 'other']
// One string per file (`name\tkind\tstart\tend\texported[\tparent]` lines): the cache of a big repository parses
// several times faster than nested arrays, and files are decoded only when asked for.
type Packed = string

const pack = (syms: SymbolInfo[]): Packed =>
  syms.map((s) => [s.name, KINDS.indexOf(s.kind), s.startLine, s.endLine, s.exported ? 1 : 0, ...(s.parent ? [s.parent] : [])].join('\t')).join('\n')

/** Decode one file's cached symbols. */
export function unpackSymbols(p: Packed): SymbolInfo[] {
  if (!p) return []
  return p.split('\n').map((line) => {
    const f = line.split('\t')
    const s: SymbolInfo = {name: f[0]!, kind: KINDS[Number(f[1])] ?? 'other', startLine: Number(f[2]), endLine: Number(f[3]), exported: f[4] === '1'}
    if (f[5] !== undefined) s.parent = f[5]
    return s
  })
}

/** Git's blob id of content (as `git hash-object` without filters): a cache key that matches the index's ids. */
export function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
}

interface Listing {
  /** path -> blob id, when git's index holds the work tree's content. */
  clean: Map<string, string>
  /** Modified or untracked files: their id has to come from their content. */
  dirty: Set<string>
  all: string[]
}

// Two git calls: the staged ids, and what differs from them (modified, deleted, untracked but not ignored).
async function listFiles(root: string, signal?: AbortSignal): Promise<Listing> {
  const [staged, changes] = await Promise.all([
    git(['ls-files', '-s', '-z'], {cwd: root, signal}),
    git(['ls-files', '-t', '-m', '-d', '-o', '--exclude-standard', '-z'], {cwd: root, signal}),
  ])
  const clean = new Map<string, string>()
  for (const rec of staged.stdout.split('\0')) {
    // "<mode> <id> <stage>\t<path>"; skip submodules (160000) and symlinks (120000).
    const tab = rec.indexOf('\t')
    if (tab < 0 || !rec.startsWith('100')) continue
    clean.set(rec.slice(tab + 1), rec.slice(7, 47))
  }
  const dirty = new Set<string>()
  const removed = new Set<string>()
  for (const rec of changes.stdout.split('\0')) {
    if (rec.length < 3) continue
    const tag = rec[0]
    const p = rec.slice(2)
    if (tag === 'R') removed.add(p)
    else if (tag === 'C' || tag === '?') dirty.add(p)
  }
  for (const p of removed) {
    clean.delete(p)
    dirty.delete(p)
  }
  for (const p of dirty) clean.delete(p)
  const all = [...new Set([...clean.keys(), ...dirty])].sort()
  return {clean, dirty, all}
}

interface CacheData {
  entries: Map<string, Packed>
  /** Modified or untracked path -> `mtimeMs:size:blobId`, so an unchanged dirty file is not read again. */
  stats: Map<string, string>
}

async function loadCache(file: string): Promise<CacheData> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as {v?: number; entries?: Record<string, Packed>; stats?: Record<string, string>}
    if (data.v !== CACHE_VERSION || !data.entries) return {entries: new Map(), stats: new Map()}
    return {entries: new Map(Object.entries(data.entries)), stats: new Map(Object.entries(data.stats ?? {}))}
  } catch {
    return {entries: new Map(), stats: new Map()}
  }
}

// Written to a temporary file and renamed over the old one, so a reader never sees half a cache.
async function saveCache(file: string, data: CacheData): Promise<void> {
  await mkdir(path.dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  await writeFile(tmp, JSON.stringify({v: CACHE_VERSION, entries: Object.fromEntries(data.entries), stats: Object.fromEntries(data.stats)}))
  await rename(tmp, file)
}

/** Where the index cache of a repository lives. */
export function indexCachePath(gitDir: string): string {
  return path.join(gitDir, 'parecode', 'index-cache.json')
}

/**
 * Symbol index of the work tree (tracked and untracked, not ignored). Symbols are cached by blob id in
 * `<gitDir>/parecode/index-cache.json`, so only new or changed contents are parsed.
 */
export async function buildIndex(repo: {root: string; gitDir: string}, opts: BuildIndexOptions = {}): Promise<Index & {stats: IndexStats}> {
  const t0 = performance.now()
  const maxBytes = opts.maxFileBytes ?? 512 * 1024
  let budget = opts.maxParse ?? 20_000
  const cacheFile = indexCachePath(repo.gitDir)
  const [listing, {entries: cache, stats: oldStats}] = await Promise.all([listFiles(repo.root, opts.signal), loadCache(cacheFile)])
  const files = new Map<string, Packed>()
  const used = new Map<string, Packed>()
  const stats = new Map<string, string>()
  let parsed = 0
  let cached = 0
  for (const p of listing.all) {
    opts.signal?.throwIfAborted()
    const lang = languageOf(p)
    if (!lang) continue
    let id = listing.clean.get(p)
    let content: Buffer | undefined
    if (!id) {
      try {
        // lstat: a symlink is indexed by nobody (its target may be outside the repository, or a device).
        const st = await lstat(path.join(repo.root, p))
        if (!st.isFile() || st.size > maxBytes) continue
        const sig = `${st.mtimeMs}:${st.size}:`
        const known = oldStats.get(p)
        if (known?.startsWith(sig)) id = known.slice(sig.length)
        else {
          content = await readFile(path.join(repo.root, p))
          id = blobId(content)
        }
        // A file changed within the last seconds could change again without its mtime moving: do not trust it yet.
        if (Date.now() - st.mtimeMs > 2000) stats.set(p, sig + id)
      } catch {
        continue
      }
    }
    const key = `${lang.id}:${id}`
    let packed = used.get(key) ?? cache.get(key)
    if (packed !== undefined) cached++
    else {
      if (budget-- <= 0) continue
      if (!content) {
        const r = await readRepoFile(repo.root, p, {maxBytes})
        if (!r.ok) continue
        content = r.content
      }
      // Names with tabs or newlines cannot occur in these languages; drop any such oddity rather than corrupt the cache.
      const syms = content.length > maxBytes || content.includes(0) ? [] : (await fileSymbols(p, content.toString('utf8'))).filter((x) => !/[\t\n]/.test(x.name + (x.parent ?? '')))
      packed = pack(syms)
      parsed++
    }
    used.set(key, packed)
    files.set(p, packed)
  }
  // Rewrite only when something changed. Entries of contents no longer in the tree are kept (switching back to a
  // branch is then free) until they outnumber the live ones, then pruned.
  const prune = cache.size > used.size * 2 + 500
  const statsChanged = stats.size !== oldStats.size || [...stats].some(([k, v]) => oldStats.get(k) !== v)
  if (parsed > 0 || prune || statsChanged) {
    try {
      await saveCache(cacheFile, {entries: prune ? used : new Map([...cache, ...used]), stats})
    } catch {
      // A read-only git dir still gets an index, just not a cached one.
    }
  }
  const index = new Index(files, listing.all, unpackSymbols) as Index & {stats: IndexStats}
  index.stats = {files: files.size, parsed, cached, ms: Math.round(performance.now() - t0)}
  return index
}
