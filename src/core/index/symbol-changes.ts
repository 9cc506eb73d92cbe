import {fileSymbols, type SymbolInfo} from './file-symbols.js'
import {languageOf} from './languages.js'
import {symbolKey} from './tree-symbols.js'

/** What a change did to one file's symbols. Names are `Class.method` for members. */
export interface FileSymbolChange {
  path: string
  status: 'added' | 'deleted' | 'modified'
  added: string[]
  removed: string[]
  modified: string[]
}

const body = (lines: string[], s: SymbolInfo) => lines.slice(s.startLine - 1, s.endLine).join('\n').replace(/\s+/g, ' ').trim()

async function keyed(path: string, text: string | null): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (text === null) return out
  const lines = text.split('\n')
  for (const s of await fileSymbols(path, text)) if (s.kind !== 'impl') out.set(symbolKey(s), body(lines, s))
  return out
}

/**
 * The symbols a change added, removed and modified in one file (by name within the file; a symbol whose text changed
 * is modified). `before`/`after`: the file's text, null when it did not exist.
 */
export async function symbolChanges(path: string, before: string | null, after: string | null): Promise<FileSymbolChange> {
  const status = before === null ? 'added' : after === null ? 'deleted' : 'modified'
  const change: FileSymbolChange = {path, status, added: [], removed: [], modified: []}
  if (!languageOf(path)) return change
  const [b, a] = await Promise.all([keyed(path, before), keyed(path, after)])
  for (const [k, text] of a) {
    const old = b.get(k)
    if (old === undefined) change.added.push(k)
    else if (old !== text) change.modified.push(k)
  }
  for (const k of b.keys()) if (!a.has(k)) change.removed.push(k)
  return change
}
