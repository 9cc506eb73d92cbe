import type {SymbolInfo} from './file-symbols.js'
import {projectMap, type ProjectMapOptions} from './project-map.js'

export interface SymbolHit {
  path: string
  symbol: SymbolInfo
}

const rank = (s: SymbolInfo) => (s.exported ? 0 : 2) + (s.parent ? 1 : 0)
const isTestPath = (p: string) => /(^|\/)(tests?|__tests__|spec|testdata|fixtures?)\//.test(p) || /[._-](test|spec)\.[^/]+$|(^|\/)test_[^/]+\.py$|_test\.go$/.test(p)

/** Symbols of a repository, by file. Built by `buildIndex`; immutable. */
export class Index {
  private byName?: Map<string, SymbolHit[]>
  private pathSet: Set<string>
  private decoded = new Map<string, SymbolInfo[]>()
  private all?: Map<string, SymbolInfo[]>

  /**
   * `files`: repo-relative path -> its symbols (files with a known language), or an encoded form that `decode`
   * turns into symbols on first use. `paths`: every file of the work tree (tracked and untracked, not ignored).
   */
  constructor(
    private readonly source: ReadonlyMap<string, SymbolInfo[] | string>,
    readonly paths: readonly string[],
    private readonly decode?: (encoded: string) => SymbolInfo[],
  ) {
    this.pathSet = new Set(paths)
  }

  /** Path -> symbols for every file with a known language (decoded on first use). */
  get files(): ReadonlyMap<string, SymbolInfo[]> {
    if (!this.all) {
      this.all = new Map()
      for (const p of this.source.keys()) this.all.set(p, this.symbolsOf(p))
    }
    return this.all
  }

  /** True when the path is a file of the work tree. */
  has(path: string): boolean {
    return this.pathSet.has(path)
  }

  /** Symbols of one file, in source order ([] when unknown). */
  symbolsOf(path: string): SymbolInfo[] {
    let syms = this.decoded.get(path)
    if (!syms) {
      const raw = this.source.get(path)
      if (raw === undefined) return []
      syms = typeof raw === 'string' ? (this.decode?.(raw) ?? []) : raw
      this.decoded.set(path, syms)
    }
    return syms
  }

  /** Definitions of a name (`validate`, or `Session.refresh` for a member), exported ones and non-test files first. */
  findSymbol(name: string): SymbolHit[] {
    if (!this.byName) {
      this.byName = new Map()
      for (const [path, syms] of this.files) {
        for (const symbol of syms) {
          for (const key of symbol.parent ? [symbol.name, `${symbol.parent}.${symbol.name}`] : [symbol.name]) {
            let list = this.byName.get(key)
            if (!list) this.byName.set(key, (list = []))
            list.push({path, symbol})
          }
        }
      }
    }
    const hits = this.byName.get(name.replace(/::/g, '.')) ?? []
    return [...hits].sort((a, b) => rank(a.symbol) - rank(b.symbol) || Number(isTestPath(a.path)) - Number(isTestPath(b.path)) || a.path.localeCompare(b.path))
  }

  /**
   * Names a model gave for "files" -> paths: a path stays a path (also a new one); a bare file name finds its file;
   * a symbol name gives the file(s) that define it. Unknown names are reported, not guessed.
   */
  resolve(names: string[]): {paths: string[]; unresolved: string[]} {
    const out = new Set<string>()
    const unresolved: string[] = []
    for (const raw of names) {
      const name = raw.trim().replace(/^[`'"]+|[`'"]+$/g, '').replace(/\(\)$/, '').replace(/^\.\//, '')
      if (!name) continue
      if (this.pathSet.has(name)) {
        out.add(name)
        continue
      }
      const hits = /^[A-Za-z_$][\w$]*((\.|::)[A-Za-z_$][\w$]*)?$/.test(name) ? this.findSymbol(name) : []
      if (hits.length) {
        // The best-ranked definitions only: an exported definition beats private ones of the same name elsewhere.
        const best = rank(hits[0]!.symbol)
        const files = [...new Set(hits.filter((h) => rank(h.symbol) === best).map((h) => h.path))]
        files.slice(0, 3).forEach((f) => out.add(f))
        continue
      }
      // `auth.ts`, `core/auth.ts`: a partial path finds its file(s) wherever they are.
      const matches = this.paths.filter((p) => p.endsWith(`/${name}`))
      if (matches.length >= 1 && matches.length <= 3) matches.forEach((m) => out.add(m))
      else if (name.includes('/') || /\.[A-Za-z0-9]{1,8}$/.test(name)) out.add(name)
      else unresolved.push(raw)
    }
    return {paths: [...out], unresolved}
  }

  /** `resolve(names).paths`. */
  resolveNames(names: string[]): string[] {
    return this.resolve(names).paths
  }

  /** The n symbols that best describe a file: exported before private, top level before members, then source order. */
  topSymbols(path: string, n: number): SymbolInfo[] {
    const syms = this.symbolsOf(path)
    return syms
      .map((s, i) => ({s, i}))
      .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
      .slice(0, n)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.s)
  }

  /** A compact map of the project (paths with their main symbols), most important files first, within a token budget. */
  projectMap(opts: ProjectMapOptions): string {
    return projectMap(this, opts)
  }

  /** True for test and fixture files (ranked last). */
  static isTestPath(path: string): boolean {
    return isTestPath(path)
  }
}
