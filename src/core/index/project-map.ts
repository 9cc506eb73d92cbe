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
  const exported = syms.filter((x) => x.exported && !x.parent).length
  s += Math.min(exported, 10) * 2 + Math.min(syms.length, 20) * 0.25
  if (entryNames.test(path)) s += 3
  if (manifests.test(path) && path.split('/').length <= 2) s += 6
  s -= path.split('/').length * 0.75
  if (testPath.test(path)) s -= 8
  if (generated.test(path)) s -= 20
  return s
}

/** `validate, Session{refresh,close}, Role` — the file's main symbols, members folded into their class. */
export function describeFile(index: Index, path: string, perFile: number): string {
  const top = index.topSymbols(path, perFile * 2)
  const parts: string[] = []
  for (const s of top) {
    if (s.parent) continue
    if (parts.length >= perFile) break
    const members = top.filter((m) => m.parent === s.name && m.exported && m.kind === 'method').map((m) => m.name).slice(0, 4)
    parts.push(members.length ? `${s.name}{${members.join(',')}}` : s.name)
  }
  const rest = index.symbolsOf(path).filter((s) => !s.parent).length - parts.length
  return parts.join(', ') + (rest > 0 ? ', …' : '')
}

/** A compact project map within a token budget: one `path: symbols` line per file, chosen by importance, printed by path. */
export function projectMap(index: Index, opts: ProjectMapOptions): string {
  const count = opts.countTokens ?? ((t: string) => Math.ceil(t.length / 4))
  const focus = new Set(opts.focus ?? [])
  const perFile = opts.perFile ?? 8
  const ranked = index.paths
    .map((p) => ({p, s: score(p, index.symbolsOf(p), focus)}))
    .filter((x) => x.s > -15 || focus.has(x.p))
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
  chosen.sort()
  const omitted = index.paths.length - chosen.length
  if (omitted > 0) {
    const note = `(+${omitted} more files)`
    if (used + count(note) + 1 <= opts.budgetTokens) chosen.push(note)
  }
  return chosen.join('\n')
}
