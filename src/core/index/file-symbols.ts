import {languageOf} from './languages.js'
import {treeSymbols} from './tree-symbols.js'

/** A symbol found in a file. Lines are 1-based, inclusive. */
export interface SymbolInfo {
  name: string
  kind: 'function' | 'class' | 'method' | 'interface' | 'type' | 'enum' | 'variable' | 'constant' | 'module' | 'struct' | 'trait' | 'impl' | 'field' | 'other'
  startLine: number
  endLine: number
  exported: boolean
  /** Enclosing class/impl for class-level symbols. */
  parent?: string
}

const patterns: Array<[RegExp, SymbolInfo['kind']]> = [
  [/^\s*(export\s+)?(default\s+)?(async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/, 'function'],
  [/^\s*(export\s+)?(default\s+)?(abstract\s+)?class\s+([A-Za-z_$][\w$]*)/, 'class'],
  [/^\s*(export\s+)?()()interface\s+([A-Za-z_$][\w$]*)/, 'interface'],
  [/^\s*(export\s+)?()()type\s+([A-Za-z_$][\w$]*)\s*(<[^=]*>)?\s*=/, 'type'],
  [/^\s*(export\s+)?()(const\s+)?enum\s+([A-Za-z_$][\w$]*)/, 'enum'],
  [/^\s*(export\s+)?()()(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>/, 'function'],
  [/^()()(async\s+)?def\s+([A-Za-z_]\w*)/, 'function'],
  [/^()()()class\s+([A-Za-z_]\w*)/, 'class'],
  [/^\s*(pub(?:\([^)]*\))?\s+)?()(async\s+)?fn\s+([A-Za-z_]\w*)/, 'function'],
  [/^\s*(pub(?:\([^)]*\))?\s+)?()()struct\s+([A-Za-z_]\w*)/, 'struct'],
  [/^\s*(pub(?:\([^)]*\))?\s+)?()()trait\s+([A-Za-z_]\w*)/, 'trait'],
  [/^func\s+(?:\([^)]*\)\s*)?()()()([A-Za-z_]\w*)/, 'function'],
  // Regex-only languages (Ruby, Kotlin, Swift, C#, PHP, Lua, …): the common declaration shapes.
  [/^\s*(public\s+|export\s+)?()((?:private|protected|internal|static|open|override|suspend|inline|local)\s+)*(?:def|fun|func|function)\s+(?:self\.)?([A-Za-z_][\w$]*[?!]?)/, 'function'],
  [/^\s*(public\s+)?()((?:private|internal|abstract|sealed|data|open|final|static|partial)\s+)*(?:class|module|object|record)\s+([A-Za-z_]\w*)/, 'class'],
  [/^\s*(public\s+)?()((?:private|internal)\s+)*(?:interface|protocol)\s+([A-Za-z_]\w*)/, 'interface'],
]

/** Regex symbol extraction (fallback; the index replaces it with tree-sitter where a grammar exists). */
export function regexSymbols(text: string): SymbolInfo[] {
  const out: SymbolInfo[] = []
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    for (const [re, kind] of patterns) {
      const m = re.exec(line)
      if (m && m[4]) {
        out.push({name: m[4], kind, startLine: i + 1, endLine: i + 1, exported: Boolean(m[1]) || /^[A-Z]/.test(m[4]) && kind === 'function' && line.startsWith('func')})
        break
      }
    }
  })
  return out
}

/** Symbols of one file: tree-sitter where a grammar exists, the regex scan otherwise (or for what a broken parse missed). */
export async function fileSymbols(relPath: string, text: string, opts: {parseTimeoutMs?: number} = {}): Promise<SymbolInfo[]> {
  const lang = languageOf(relPath)
  if (!lang) return []
  const tree = await treeSymbols(lang, text, {timeoutMs: opts.parseTimeoutMs})
  if (!tree) return regexSymbols(text)
  if (!tree.hasError) return tree.symbols
  // Syntax errors: keep the parse, and add declarations the regex sees that error recovery swallowed.
  const seen = new Set(tree.symbols.map((s) => s.name))
  const extra = regexSymbols(text).filter((s) => !seen.has(s.name))
  return extra.length ? [...tree.symbols, ...extra].sort((a, b) => a.startLine - b.startLine) : tree.symbols
}
