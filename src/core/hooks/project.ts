import {languageOf} from '../index/languages.js'
import {detectEditorconfig, detectGo, detectJvm, detectMake, detectOthers, detectRust} from './detect-misc.js'
import {detectNode} from './detect-node.js'
import {detectPython} from './detect-python.js'
import {emptyFacts, type ProjectFacts} from './project-facts.js'
import {ProjectFiles} from './project-files.js'

/** Learn a project's language, commands and conventions from its files (no model, no network). */
export async function detectProject(root: string | ProjectFiles, env?: NodeJS.ProcessEnv): Promise<ProjectFacts> {
  const f = typeof root === 'string' ? await ProjectFiles.load(root, env) : root
  const facts = emptyFacts()
  readme(f, facts)
  await detectNode(f, facts)
  detectPython(f, facts)
  detectRust(f, facts)
  detectGo(f, facts)
  detectJvm(f, facts)
  detectOthers(f, facts)
  detectMake(f, facts)
  detectEditorconfig(f, facts)
  facts.languages = languages(f)
  facts.testLayout = testLayout(f.paths)
  facts.agentDocs = ['AGENTS.md', 'CLAUDE.md'].filter((d) => f.exists(d))
  facts.deps = [...new Set(facts.deps)]
  return facts
}

function readme(f: ProjectFiles, facts: ProjectFacts): void {
  const name = f.first('README.md', 'README.rst', 'README.txt', 'README', 'readme.md')
  const text = name ? f.text(name) : undefined
  if (!name || text === undefined) return
  facts.sources.push(name)
  const lines = text.split('\n').slice(0, 50)
  const title = lines.find((l) => /^#\s+\S/.test(l))?.replace(/^#\s+/, '').trim()
  if (title && !/[[<]/.test(title)) facts.name ??= title
  // The first paragraph of prose: no headings, badges, HTML, code fences or rules.
  const para: string[] = []
  let fence = false
  for (const l of lines) {
    if (/^```|^~~~/.test(l.trim())) {
      fence = !fence
      if (para.length) break
      continue
    }
    if (fence) continue
    const t = l.trim()
    if (!t) {
      if (para.length) break
      continue
    }
    if (/^(#|\[!\[|!\[|<|---|===|\*\*\*|\|)/.test(t) || /^[=-]+$/.test(t)) {
      if (para.length) break
      continue
    }
    para.push(t)
  }
  const desc = para.join(' ').replace(/\s+/g, ' ')
  if (desc) facts.description = desc.length > 300 ? `${desc.slice(0, 297).replace(/\s\S*$/, '')}…` : desc
}

function languages(f: ProjectFiles): string[] {
  const counts = new Map<string, number>()
  for (const p of f.paths) {
    const label = languageOf(p)?.label
    if (label && !/(^|\/)(node_modules|vendor|dist|build|third_party)\//.test(p)) counts.set(label, (counts.get(label) ?? 0) + 1)
  }
  // A manifest makes its language count even before there is much code.
  const marks: Array<[string, string]> = [['tsconfig.json', 'TypeScript'], ['Cargo.toml', 'Rust'], ['go.mod', 'Go'], ['pyproject.toml', 'Python'], ['setup.py', 'Python'], ['pom.xml', 'Java'], ['Gemfile', 'Ruby'], ['composer.json', 'PHP']]
  for (const [file, label] of marks) if (f.exists(file)) counts.set(label, (counts.get(label) ?? 0) + 5)
  if (f.exists('package.json') && !counts.has('TypeScript')) counts.set('JavaScript', (counts.get('JavaScript') ?? 0) + 5)
  const sorted = [...counts].sort((a, b) => b[1] - a[1])
  const top = sorted[0]?.[1] ?? 0
  // Languages with a handful of files next to a big one (a build script, a shim) are noise.
  return sorted.filter(([, n], i) => i === 0 || n >= Math.max(3, top * 0.05)).map(([l]) => l).slice(0, 4)
}

const testDir = /(^|\/)(tests?|__tests__|spec|testing)\//
const testFile: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/\.(test|spec)\.([cm]?[jt]sx?)$/, (m) => `*.${m[1]}.${m[2]}`],
  [/(^|\/)test_[^/]+\.py$/, () => 'test_*.py'],
  [/[^/]_test\.py$/, () => '*_test.py'],
  [/_test\.go$/, () => '*_test.go'],
  [/[^/]Tests?\.(java|kt)$/, (m) => `*Test.${m[1]}`],
  [/(^|\/)tests\/[^/]+\.rs$/, () => 'tests/*.rs'],
]

/** Where tests live, from the file list: `test/ (*.test.ts)`. */
export function testLayout(paths: string[]): string[] {
  const dirs = new Map<string, number>()
  const patterns = new Map<string, number>()
  for (const p of paths) {
    if (/(^|\/)(node_modules|vendor|fixtures?)\//.test(p)) continue
    let matched = false
    for (const [re, label] of testFile) {
      const m = re.exec(p)
      if (m) {
        patterns.set(label(m), (patterns.get(label(m)) ?? 0) + 1)
        matched = true
        break
      }
    }
    const d = testDir.exec(p)
    if (d && (matched || languageOf(p))) {
      const dir = p.slice(0, d.index + d[0].length)
      dirs.set(dir, (dirs.get(dir) ?? 0) + 1)
    }
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([k]) => k)
  return [...top(dirs, 2), ...top(patterns, 2)]
}
