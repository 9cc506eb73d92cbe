import {splitFile, splitText, type FileLines} from './lines.js'
import {locateIn, type Located, type Match} from './match.js'
import {mostSimilar} from './similar.js'
import {elidedNew, findElision, lineKeys, markerLang, type LineSet} from './elision.js'
import {decodeJsonEscapes, looksJsonEncoded} from './transforms.js'

export type EditFailure = 'empty_old' | 'no_change' | 'elision' | 'elided_new' | 'encoded_new' | 'cut_line' | 'ambiguous' | 'no_match' | 'anchor_elsewhere'

export type EditResult =
  | {ok: true; text: string; level: string; line: number; endLine: number; match: Match}
  | {ok: false; kind: EditFailure; message: string; level?: string}

export interface EditOptions {
  /** 1-based line the model anchored the edit to: picks one of several candidates. */
  anchorLine?: number
  /** Show file lines with N#hash: anchors (default) or plain N: prefixes, as read_file does. */
  anchors?: boolean
  /** The file's path: its extension says whether a bare `...` line is content (Python, YAML, Markdown). */
  path?: string
}

/** Where old_str is in the file: the first cascade level that finds it, with every place it finds. */
export function locate(fileText: string, oldStr: string, newStr = oldStr): Located {
  return locateIn(splitFile(fileText), oldStr, newStr)
}

const LEVEL_TEXT: Record<string, string> = {
  'line-endings': 'line endings',
  'trailing-blanks': 'trailing blanks',
  'inner-blanks': 'runs of blanks',
  'blank-lines': 'blank lines at the edges',
  'final-newline': 'the final newline',
  indentation: 'indentation',
  'line-prefixes': 'line-number prefixes',
  escaping: 'one level of escaping',
  'html-entities': 'HTML entities',
  'code-fence': 'the code fence around it',
  quotes: 'typographic quotes and spaces',
  unicode: 'Unicode form',
}

const HASH_PREFIX = /^[ \t]*\d+#[0-9a-z]{4}:/m
const HASH_PREFIX_ALL = /^[ \t]*\d+#[0-9a-z]{4}:/gm

const range = (m: Match) => (m.line === m.endLine ? `${m.line}` : `${m.line}-${m.endLine}`)
/** Candidate ranges, the first ten then a count. */
const ranges = (ms: Match[]) => ms.slice(0, 10).map(range).join(', ') + (ms.length > 10 ? `, … ${ms.length - 10} more` : '')

/** A cascade level in words, for messages ("matched when ignoring indentation"). */
export function levelText(level: string): string {
  return LEVEL_TEXT[level] ?? level
}
const clip = (s: string, n = 100) => (s.length > n ? `${s.slice(0, n)}…` : s)

/**
 * new_str JSON-encoded once more than old_str: literal `\n` + indentation where line breaks belong.
 * Writing it would put `\n` into the code, so it is refused with what to send instead.
 */
function encodedNew(oldStr: string, newStr: string, body: string): string | undefined {
  if (newStr.includes('\n') || !/\\n/.test(newStr)) return undefined
  const indented = /\\n[ \t]+\S/.test(newStr) && !/\\n[ \t]+\S/.test(body)
  if (!oldStr.includes('\n') && !indented) return undefined
  if (looksJsonEncoded(oldStr) && !oldStr.includes('\n')) return undefined
  return 'new_str has literal \\n instead of line breaks (JSON-encoded twice?); send new_str with real line breaks'
}

/** Pick the one candidate the anchor line points to: starting at it, else containing it. */
export function byAnchor(matches: Match[], line: number | undefined): Match | undefined {
  if (line === undefined) return undefined
  const starts = matches.filter((m) => m.line === line)
  if (starts.length === 1) return starts[0]
  const within = matches.filter((m) => m.line <= line && line <= m.endLine)
  return within.length === 1 ? within[0] : undefined
}

/** The no-match message: what differs, and the closest region with anchors so the model can retry at once. */
export function noMatchMessage(f: FileLines, oldStr: string, what = 'old_str', anchors = true): string {
  const lines = splitText(oldStr).filter((l) => l.trim() !== '')
  const prefixed = lines.filter((l) => HASH_PREFIX.test(l)).length
  if (prefixed > 0 && prefixed < lines.length) return `${what} has N#hash: prefixes on some lines but not all; send it without the prefixes`
  // With prefixes on every line, show the model the text it meant (they were stripped for matching).
  const sim = mostSimilar(f, prefixed ? lines.map((l) => l.replace(HASH_PREFIX, '')) : splitText(oldStr), anchors)
  if (!sim) return `${what} was not found in the file (nothing similar either); read the file and copy ${what} exactly`
  if (sim.sameText) {
    return `${what} was not found as written: its lines are at lines ${sim.from}-${sim.to}, but indented differently (not by one constant shift), which changes their nesting. Those lines:\n${sim.text}\nCopy their indentation exactly.`
  }
  const d = sim.differs
  const why = d ? `; its line ${d.oldLine} \`${clip(d.oldText)}\` is not there (closest: line ${d.fileLine} \`${clip(d.fileText)}\`)` : ''
  return `${what} was not found in the file${why}. Most similar region, lines ${sim.from}-${sim.to}:\n${sim.text}\nCopy ${what} exactly from these lines.`
}

/**
 * Replace old_str by new_str in a file's text when exactly one place matches, exactly or after
 * formatting-only normalisations; otherwise say why, leaving the text alone.
 */
export function applyEdit(fileText: string, oldStr: string, newStr: string, opts: EditOptions = {}): EditResult {
  // N#hash: prefixes copied into new_str alone (old_str has none) are never content: drop them.
  if (!HASH_PREFIX.test(oldStr) && HASH_PREFIX.test(newStr)) newStr = newStr.replace(HASH_PREFIX_ALL, '')
  const f = splitFile(fileText)
  if (oldStr === '') {
    // Only an empty file takes new_str whole; anything else needs the lines to change.
    if (f.body !== '') return {ok: false, kind: 'empty_old', message: 'old_str is empty; copy the lines to change (to replace the whole file use write_file with overwrite: true)'}
    if (newStr === '') return {ok: false, kind: 'no_change', message: 'the file is empty and new_str is empty; nothing to change (send new_str with the text to write)'}
    const lines = newStr.split('\n').length - (newStr.endsWith('\n') ? 1 : 0)
    return {ok: true, text: f.bom + newStr, level: 'exact', line: 1, endLine: Math.max(1, lines), match: {start: 0, end: 0, line: 1, endLine: 1, replacement: newStr}}
  }
  if (oldStr === newStr) return {ok: false, kind: 'no_change', message: 'new_str is identical to old_str; nothing to change'}
  const lang = markerLang(opts.path)
  const fileLines = lineKeys(f.lines)
  // A line of new_str that only marks elided code (`// ...`, `# rest unchanged`) where code is missing would delete it.
  const encoded = (x: string) => (!x.includes('\n') && /\\n/.test(x) && looksJsonEncoded(x) ? decodeJsonEscapes(x) : x)
  const elided = (before?: LineSet, after?: LineSet): EditResult | undefined => {
    const lazy = elidedNew(encoded(oldStr), encoded(newStr), {lang, fileLines, before, after})
    if (!lazy) return undefined
    const text = clip(splitText(encoded(newStr))[lazy.line]!.trim())
    return {
      ok: false,
      kind: 'elided_new',
      message:
        lazy.why === 'missing'
          ? `new_str line ${lazy.line + 1} \`${text}\` stands for elided code, which would delete it; write new_str in full`
          : `new_str line ${lazy.line + 1} \`${text}\` stands for code outside old_str; leave that line out`,
    }
  }
  const lazy = elided()
  if (lazy) return lazy
  const enc = encodedNew(oldStr, newStr, f.body)
  if (enc) return {ok: false, kind: 'encoded_new', message: enc}
  const loc = locateIn(f, oldStr, newStr)
  if (loc.matches.length === 0) {
    const el = findElision(splitText(oldStr), {lang, fileLines})
    if (el >= 0) {
      return {
        ok: false,
        kind: 'elision',
        message: `old_str line ${el + 1} \`${clip(splitText(oldStr)[el]!.trim())}\` elides code; old_str must be copied in full from the file (or split the change into smaller edits)`,
      }
    }
    if (loc.cutProblem !== undefined) {
      return {
        ok: false,
        kind: 'cut_line',
        message: `new_str line ${loc.cutProblem} would drop or invent the unseen rest of a line read_file cut (…[+N chars]); keep that marker at the end of the changed line, or edit a shorter fragment of it`,
      }
    }
    const pm = loc.prefixMismatch
    if (pm) {
      const at = [...new Set(pm.at)].slice(0, 5).join(', ')
      return {ok: false, kind: 'no_match', message: `old_str's line-number prefixes say line ${pm.says}, but that text is at line ${at} now; copy the lines from a fresh read, or leave the prefixes out`}
    }
    return {ok: false, kind: 'no_match', message: noMatchMessage(f, oldStr, 'old_str', opts.anchors !== false)}
  }
  let m = loc.matches[0]!
  const anchor = opts.anchorLine
  if (loc.matches.length === 1 && anchor !== undefined && (anchor < m.line - 1 || anchor > m.endLine)) {
    // The anchor says where the model means to edit; a unique old_str elsewhere is a look-alike it confused.
    return {
      ok: false,
      kind: 'anchor_elsewhere',
      level: loc.level,
      message: `old_str is at line${m.line === m.endLine ? '' : 's'} ${range(m)}, but anchor points to line ${anchor}; copy old_str from the anchored place or drop the anchor`,
    }
  }
  if (loc.matches.length > 1) {
    const picked = byAnchor(loc.matches, anchor)
    if (!picked) {
      const after = loc.level === 'exact' ? '' : ` when ignoring ${levelText(loc.level)}`
      return {
        ok: false,
        kind: 'ambiguous',
        level: loc.level,
        message:
          anchor === undefined
            ? `old_str matches ${loc.matches.length} places${after} (lines ${ranges(loc.matches)}); add surrounding lines to make it unique, or pass anchor (N#hash of its first line)`
            : `old_str matches ${loc.matches.length} places${after} (lines ${ranges(loc.matches)}) and anchor line ${anchor} does not pick one; anchor the first line of the one to change`,
      }
    }
    m = picked
  }
  // With the place known: a marker between old_str's lines and lines copied from beyond it stands for what lies between.
  const around = elided(lineKeys(f.lines.slice(0, m.line - 1)), lineKeys(f.lines.slice(m.endLine)))
  if (around) return around
  const body = f.body.slice(0, m.start) + m.replacement + f.body.slice(m.end)
  if (body === f.body) return {ok: false, kind: 'no_change', level: loc.level, message: `the edit changes nothing: ${m.line === m.endLine ? `line ${m.line} already reads` : `lines ${range(m)} already read`} like new_str`}
  const before = f.body.slice(0, m.start)
  const line = before.split('\n').length
  const rl = m.replacement.split('\n')
  const endLine = line + rl.length - (rl.length > 1 && rl[rl.length - 1] === '' ? 2 : 1)
  return {ok: true, text: f.bom + body, level: loc.level, line, endLine, match: m}
}
