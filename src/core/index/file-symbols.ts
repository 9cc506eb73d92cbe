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

/** Symbols of one file. The index module may replace this with a parser-backed version. */
export async function fileSymbols(_relPath: string, text: string): Promise<SymbolInfo[]> {
  return regexSymbols(text)
}
