import type {SymbolInfo} from './file-symbols.js'
import type {Index} from './symbol-index.js'

export interface ProjectMapOptions {
  budgetTokens: number
  /** Token counter of the model's tokenizer; a 4-characters-per-token estimate without one. */
  countTokens?: (text: string) => number
  /** Paths to rank first (files of the task at hand). */
  focus?: string[]
  /** Symbols shown per file (default 8). */
  perFile?: number
}

const manifests = /(^|\/)(README(\.\w+)?|package\.json|Cargo\.toml|go\.mod|pyproject\.toml|setup\.py|pom\.xml|build\.gradle(\.kts)?|CMakeLists\.txt|Makefile)$/i
const entryNames = /(^|\/)(index|main|mod|lib|app|cli|server|__init__|__main__)\.[^/]+$/
const generated = /(^|\/)(vendor|third_party|node_modules|dist|build|out|target|\.next|coverage)\/|\.min\.[^/]+$|\.(lock|map|snap)$|(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml)$/
const testPath = /(^|\/)(tests?|__tests__|spec|testdata|fixtures?)\/|[._-](test|spec)\.[^/]+$|(^|\/)test_[^/]+\.py$|_test\.go$/

// Importance without reading file contents again: API surface, entry points, shallow paths; tests and generated files last.
function score(path: string, syms: SymbolInfo[], focus: Set<string>): number {
  if (focus.has(path)) return 1000
  let s = 0
  // Code (functions, classes) says more about what a file does than its exported constants and types.
  const weight = (x: SymbolInfo) => (x.kind === 'function' || x.kind === 'class' || x.kind === 'struct' || x.kind === 'trait' ? 2 : 1)
  const exported = syms.filter((x) => x.exported && !x.parent).reduce((n, x) => n + weight(x), 0)
  s += Math.min(exported, 20) + Math.min(syms.length, 20) * 0.25
  if (entryNames.test(path)) s += 3
  if (manifests.test(path) && path.split('/').length <= 2) s += 20
  s -= path.split('/').length * 0.75
  // Tests and fixtures come after every source file; generated and vendored files are left out.
  if (testPath.test(path)) s -= 40
  if (generated.test(path)) s -= 100
  return s
}

/**
 * `validate, Session{refresh,close}, Role`: the file's main symbols, members folded into their class. A file's API
 * is its exported symbols; private ones are listed only for files that export nothing (scripts, Go main packages).
 */
export function describeFile(index: Index, path: string, perFile: number): string {
  const syms = index.symbolsOf(path)
  const top = syms.filter((s) => !s.parent)
  const api = top.some((s) => s.exported) ? top.filter((s) => s.exported) : top
  const parts = api.slice(0, perFile).map((s) => {
    const members = syms.filter((m) => m.parent === s.name && m.exported && m.kind === 'method' && m.name !== 'constructor').map((m) => m.name).slice(0, 4)
    return members.length ? `${s.name}{${members.join(',')}}` : s.name
  })
  return parts.join(', ') + (api.length > parts.length ? ', …' : '')
}

/** A compact project map within a token budget: one `path: symbols` line per file, most important first. */
export function projectMap(index: Index, opts: ProjectMapOptions): string {
  const count = opts.countTokens ?? ((t: string) => Math.ceil(t.length / 4))
  const focus = new Set(opts.focus ?? [])
  const perFile = opts.perFile ?? 8
  const scored = index.paths
    .map((p) => ({p, s: score(p, index.symbolsOf(p), focus)}))
    .filter((x) => x.s > -80 || focus.has(x.p))
    .sort((a, b) => b.s - a.s || a.p.localeCompare(b.p))
  // Breadth over depth: each further file of the same folder ranks a little lower, so one big folder cannot fill the map.
  const perDir = new Map<string, number>()
  const ranked = scored
    .map(({p, s}) => {
      const dir = p.slice(0, p.lastIndexOf('/') + 1)
      const n = perDir.get(dir) ?? 0
      perDir.set(dir, n + 1)
      return {p, s: s - 3 * n}
    })
    .sort((a, b) => b.s - a.s || a.p.localeCompare(b.p))
  const chosen: string[] = []
  let used = 0
  let skipped = 0
  for (const {p} of ranked) {
    const desc = describeFile(index, p, perFile)
    const line = desc ? `${p}: ${desc}` : p
    const cost = count(line) + 1
    if (used + cost > opts.budgetTokens) {
      skipped++
      // Far past the budget nothing else will fit; stop paying for token counts.
      if (skipped > 200) break
      continue
    }
    used += cost
    chosen.push(line)
  }
  const omitted = index.paths.length - chosen.length
  if (omitted > 0) {
    const note = `(+${omitted} more files)`
    if (used + count(note) + 1 <= opts.budgetTokens) chosen.push(note)
  }
  return chosen.join('\n')
}
