import type {Node} from '@vscode/tree-sitter-wasm'
import type {SymbolInfo} from './file-symbols.js'

/** A symbol and the syntax node it came from (the node is only valid while its tree lives). */
export interface Found {
  sym: SymbolInfo
  /** The whole declaration (with decorators, `export`, attributes). */
  node: Node
  /** The declaration proper, whose `body` field (if any) is left out of its signature. */
  decl: Node
}

/** Collects symbols for one file. */
export class Collector {
  readonly found: Found[] = []

  add(node: Node, name: string | undefined, kind: SymbolInfo['kind'], exported: boolean, opts: {parent?: string; decl?: Node} = {}): void {
    if (!name) return
    const end = node.endPosition
    // Some nodes (preprocessor lines) end at column 0 of the next line: that line is not theirs.
    const endLine = end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1
    const sym: SymbolInfo = {name, kind, startLine: node.startPosition.row + 1, endLine, exported}
    if (opts.parent) sym.parent = opts.parent
    this.found.push({sym, node, decl: opts.decl ?? node})
  }
}

/** Text of a named field, if present. */
export function fieldText(node: Node, field: string): string | undefined {
  return node.childForFieldName(field)?.text
}

/** True when one of the node's direct children (named or not) has this type. */
export function hasChild(node: Node, type: string): boolean {
  for (const c of node.children) if (c?.type === type) return true
  return false
}

/** Non-null named children (the runtime's arrays may hold nulls). */
export function kids(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null)
}
