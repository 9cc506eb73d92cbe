import {languageOf} from './languages.js'
import {withTree} from './parser.js'

/** One occurrence of a name as code in a file. `index`/`end`: offsets into the JS string; line and column are 1-based. */
export interface Occurrence {
  index: number
  end: number
  line: number
  column: number
}

// Leaf node types that name something: every grammar's *identifier kinds, Ruby's constants, PHP's names.
const NAMING = /(^|_)identifier$|^constant$|^name$/

/**
 * Where `name` occurs as an identifier in `text`: with a grammar, the syntax tree's identifier leaves (so strings and
 * comments are left out); without one, whole-word matches. `exact` says which of the two it was.
 */
export async function identifierOccurrences(relPath: string, text: string, name: string): Promise<{occurrences: Occurrence[]; exact: boolean}> {
  if (!text.includes(name)) return {occurrences: [], exact: true}
  const lang = languageOf(relPath)
  const viaTree = lang
    ? await withTree(lang, text, (tree) => {
        const out: Occurrence[] = []
        const cursor = tree.walk()
        // Depth-first over the whole tree with one cursor (no recursion, no node objects kept). Strings and comments
        // are leaves or hold only their interpolations' code, so only code is found.
        for (;;) {
          const type = cursor.nodeType
          const start = cursor.startIndex
          if (cursor.endIndex - start === name.length && NAMING.test(type) && cursor.nodeText === name) {
            out.push({index: start, end: cursor.endIndex, line: 0, column: 0})
          } else if (cursor.gotoFirstChild()) continue
          while (!cursor.gotoNextSibling()) {
            if (!cursor.gotoParent()) {
              cursor.delete()
              return out
            }
          }
        }
      })
    : undefined
  // Offsets must point at the name in this very string (they are UTF-16 offsets like String.slice).
  if (viaTree && viaTree.every((o) => text.slice(o.index, o.end) === name)) return {occurrences: withLines(text, viaTree), exact: true}
  return {occurrences: wordOccurrences(text, name), exact: false}
}

function withLines(text: string, occ: Occurrence[]): Occurrence[] {
  let line = 1
  let lineStart = 0
  let at = 0
  return occ.map((o) => {
    for (let i = text.indexOf('\n', at); i !== -1 && i < o.index; i = text.indexOf('\n', i + 1)) {
      line++
      lineStart = i + 1
    }
    at = Math.max(at, lineStart)
    return {...o, line, column: o.index - lineStart + 1}
  })
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Whole-word matches (word characters: letters, digits, `_` and `$`, as identifiers see them). */
export function wordOccurrences(text: string, word: string, wordChars = '\\w$'): Occurrence[] {
  const before = /^[\w$]/.test(word) ? `(?<![${wordChars}])` : ''
  const after = /[\w$]$/.test(word) ? `(?![${wordChars}])` : ''
  const re = new RegExp(`${before}${escape(word)}${after}`, 'g')
  const found = [...text.matchAll(re)].map((m) => ({index: m.index, end: m.index + word.length, line: 0, column: 0}))
  return withLines(text, found)
}

/** `text` with every occurrence replaced by `replacement` (occurrences in any order, not overlapping). */
export function replaceOccurrences(text: string, occurrences: Occurrence[], replacement: string): string {
  const sorted = [...occurrences].sort((a, b) => a.index - b.index)
  let out = ''
  let at = 0
  for (const o of sorted) {
    out += text.slice(at, o.index) + replacement
    at = o.end
  }
  return out + text.slice(at)
}
