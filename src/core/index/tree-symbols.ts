import type {Node} from '@vscode/tree-sitter-wasm'
import type {Collector, Found} from './extract-common.js'
import {extractC} from './extract-c.js'
import {extractCsharp} from './extract-csharp.js'
import {extractGo} from './extract-go.js'
import {extractJava} from './extract-java.js'
import {extractJs} from './extract-js.js'
import {extractPhp} from './extract-php.js'
import {extractPython} from './extract-python.js'
import {extractRuby} from './extract-ruby.js'
import {extractRust} from './extract-rust.js'
import type {SymbolInfo} from './file-symbols.js'
import type {LanguageInfo} from './languages.js'
import {withTree} from './parser.js'

const extractors: Record<NonNullable<LanguageInfo['grammar']>, (root: Node) => Collector> = {
  typescript: extractJs,
  tsx: extractJs,
  javascript: extractJs,
  python: extractPython,
  rust: extractRust,
  go: extractGo,
  java: extractJava,
  cpp: extractC,
  ruby: extractRuby,
  php: extractPhp,
  'c-sharp': extractCsharp,
}

export interface TreeSymbols {
  symbols: SymbolInfo[]
  /** The tree had syntax errors (the caller may add what a regex scan finds). */
  hasError: boolean
  /** `parent.name` -> whitespace-normalised signature (declaration without its body); only when asked. */
  signatures?: Map<string, string>
}

/** Symbols from a tree-sitter parse; undefined when the language has no grammar or parsing failed. */
export async function treeSymbols(lang: LanguageInfo, text: string, opts: {signatures?: boolean; timeoutMs?: number} = {}): Promise<TreeSymbols | undefined> {
  if (!lang.grammar) return undefined
  const extract = extractors[lang.grammar]
  return withTree(lang, text, (tree) => {
    const found = extract(tree.rootNode).found
    found.sort((a, b) => a.sym.startLine - b.sym.startLine)
    const res: TreeSymbols = {symbols: found.map((f) => f.sym), hasError: tree.rootNode.hasError}
    if (opts.signatures) res.signatures = new Map(found.map((f) => [symbolKey(f.sym), signature(f)]))
    return res
  }, {timeoutMs: opts.timeoutMs})
}

/** Key of a symbol within its file. */
export function symbolKey(s: Pick<SymbolInfo, 'name' | 'parent'>): string {
  return s.parent ? `${s.parent}.${s.name}` : s.name
}

const headerKinds = new Set<SymbolInfo['kind']>(['function', 'method', 'class', 'impl', 'module', 'trait'])

const valueKinds = new Set<SymbolInfo['kind']>(['constant', 'variable', 'field'])

// What callers depend on: a function's parameters and return type, not its body; a value's name and declared type,
// not the value; a type's whole shape.
function signature(f: Found): string {
  const text = f.node.text
  let cutAt: number | undefined
  if (headerKinds.has(f.sym.kind)) {
    // Classes, traits and modules: the header only, their members are symbols of their own.
    cutAt = f.decl.childForFieldName('body')?.startIndex
  } else if (valueKinds.has(f.sym.kind)) {
    const d = f.decl.type === 'expression_statement' ? f.decl.namedChildren[0] : f.decl
    cutAt = (d?.childForFieldName('value') ?? d?.childForFieldName('right'))?.startIndex
  }
  let sig = text
  if (cutAt !== undefined) {
    const cut = cutAt - f.node.startIndex
    if (cut > 0 && cut <= text.length) sig = text.slice(0, cut)
  }
  return sig.replace(/\s+/g, ' ').trim()
}
