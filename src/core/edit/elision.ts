/**
 * Elision markers: a line that stands in for code the model left out (`// ...`, `# rest unchanged`,
 * `/* (unchanged) *\/`). Writing one would delete the code it stands for, so edits with one are refused,
 * but only when both hold:
 *  (a) the line is essentially nothing but a marker: comment syntax around dots or a short marker phrase,
 *      never a sentence about what the code does ("returns the path unchanged");
 *  (b) code is missing where it stands: lines of old_str it takes the place of are not in new_str,
 *      or it stands for file lines beyond old_str: it sits at an edge of new_str, or new_str copies
 *      file lines around it that old_str does not have.
 * A marker-like line that old_str or the file already has is content, never a marker.
 */
import {splitText} from './lines.js'
import {similarity} from './similar.js'
import {commonLines} from './transplant.js'

export type MarkerKind = 'bare' | 'dots' | 'worded'

/** What the file's language makes of marker-like lines. */
export interface MarkerLang {
  /**
   * What a bare `...` line is: always a marker (most code), prose (Markdown, text), Python's Ellipsis when
   * it is a whole body (a stub), or YAML's document end at column 0.
   */
  bare: 'marker' | 'content' | 'python' | 'yaml'
  /** `#`, `*`, `--`, `;`, `%` start headings or list items, not comments (Markdown, plain text). */
  prose: boolean
}

const CODE: MarkerLang = {bare: 'marker', prose: false}

/** The marker rules for a file path (by extension). */
export function markerLang(path: string | undefined): MarkerLang {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path ?? '')?.[1]?.toLowerCase() ?? ''
  if (['md', 'markdown', 'mdx', 'txt', 'text', 'rst', 'adoc'].includes(ext)) return {bare: 'content', prose: true}
  if (['py', 'pyi', 'pyw'].includes(ext)) return {bare: 'python', prose: false}
  if (['yml', 'yaml'].includes(ext)) return {bare: 'yaml', prose: false}
  return CODE
}

const OPEN_CODE = /^(?:\{\s*\/\*+|\/\*+!?|\/\/+!?|<!--+|#+|--+|;+|%+|\*+|'''|""")/
const OPEN_PROSE = /^(?:\{\s*\/\*+|\/\*+!?|\/\/+!?|<!--+)/
const CLOSE = /(?:\*+\/\s*\}?|--+>|'''|""")$/
const ELL = /\.{3,}|\u2026|\u22EE|(?:\.\s){2,}\./g
const HAS_ELL = /\.{3,}|\u2026|\u22EE|(?:\.\s){2,}\./
/** Brackets and rules a marker is often wrapped in: `(unchanged)`, `[...]`, `<snip>`, `--- snip ---`. */
const WRAP = /^[\s([{<\-=~_*]+|[\s)\]}>\-=~_*]+$/g

/** Words a marker phrase is made of. Anything else reads as prose about the code. */
const VOCAB = new Set(
  (
    'the a an of to for in on at by from with without is are was were be been stays stay remains remain remained ' +
    'kept keep keeps leave left as and or so etc this that these those here there it its all any other others more ' +
    'rest remaining remainder everything else same before above below previous previously prior earlier existing ' +
    'original old current unchanged unmodified untouched unaltered intact identical omitted omit omitting elided elide ' +
    'skipped snip snipped truncated brevity shortened abbreviated not shown no changes change changed needed as-is ' +
    'goes your our code file files function functions method methods class classes module modules body block blocks ' +
    'section sections part parts portion logic implementation implementations line lines content contents stuff ' +
    'definitions definition declarations imports import exports tests test cases case props properties fields ' +
    'members helpers handlers routes config configuration options settings styles rules steps items entries ' +
    'statements setup markup elements components hooks state types interfaces constants variables values keys ' +
    'similar similarly following further additional note todo'
  ).split(' '),
)
/** Words that make a phrase of VOCAB words a marker ("rest of the file", not just "other options"). */
const STRONG = new Set(
  (
    'unchanged unmodified untouched unaltered intact omitted omit omitting elided elide skipped snip snipped ' +
    'truncated brevity shortened abbreviated existing rest remaining remainder previous previously prior earlier original as-is etc'
  ).split(' '),
)
/** A word of the marker vocabulary, a number, or a plural/singular of one. */
const known = (w: string) => VOCAB.has(w) || VOCAB.has(`${w}s`) || (w.endsWith('s') && VOCAB.has(w.slice(0, -1))) || /^\d+$/.test(w)
/** Status words that end a marker phrase. */
const STATUS = '(?:unchanged|unmodified|untouched|intact|omitted|elided|snipped|truncated|as-is|as before|the same|here|goes here|follows?)'
/**
 * Marker phrases around a name the vocabulary cannot know: "rest of the reducer (unchanged)",
 * "remaining handlers omitted", "existing useEffect here". At most two such words.
 */
const TEMPLATE = new RegExp(
  `^(?:the )?(?:rest|remainder) of (?:the |this |your |our )?\\S+(?: \\S+)?(?: (?:is |are |remains? |stays? |kept |left )?${STATUS})?$` +
    `|^(?:all )?(?:other|remaining|existing|previous|original) \\S+(?: \\S+)? (?:(?:is |are |remains? |stays? |kept |left )?${STATUS})$`,
)
/** "same" is a marker word only as "same as before" / "remains the same". */
const SAME_WITH = new Set(['before', 'remain', 'remains', 'remained', 'stay', 'stays', 'kept', 'keep', 'previously'])
/** A comment line ending in one of these runs on into the next line (a sentence, not a marker). */
const RUNS_ON = new Set('the a an of to by in and or for with from on at is are was were be that which as may might will would can could should must not also then'.split(' '))

interface Parsed {
  comment: string | undefined
  text: string
}

function parse(line: string, lang: MarkerLang): Parsed {
  let t = line.trim()
  const open = (lang.prose ? OPEN_PROSE : OPEN_CODE).exec(t)
  if (!open) return {comment: undefined, text: t}
  t = t.slice(open[0].length)
  t = t.replace(CLOSE, '')
  return {comment: open[0].replace(/\s+/g, ''), text: t.trim()}
}

const wordsOf = (s: string) => (s.replace(ELL, ' ').match(/[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu) ?? []).map((w) => w.toLowerCase().replace(/'s$/, ''))

/**
 * Whether a line, on its own, is nothing but an elision marker: `bare` (`...` with no comment syntax),
 * `dots` (a comment of dots), `worded` (a short marker phrase). Undefined for code and for prose.
 */
export function markerKind(line: string, lang: MarkerLang = CODE): MarkerKind | undefined {
  const {comment, text} = parse(line, lang)
  const inner = text.replace(WRAP, '')
  const bracketed = inner !== text
  const words = wordsOf(inner)
  const stripped = inner.trim()
  const lead = /^(?:\.{3,}|\u2026|\u22EE)/.test(stripped)
  const trail = /(?:\.{3,}|\u2026|\u22EE)$/.test(stripped)
  const ell = lead || trail || HAS_ELL.test(stripped)
  if (words.length === 0) {
    if (!ell || /[^.\u2026\u22EE\s]/.test(stripped)) return undefined
    return comment ? 'dots' : 'bare'
  }
  if (words.length > 12) return undefined
  // Symbols beyond a sentence's punctuation (`->`, `=`, `;`, `%`, `**/`) mean code or notation, not a marker phrase.
  if (/[^\p{L}\p{N}\s.,:!?'"()[\]\u2026\u22EE\u2013\u2014-]/u.test(inner.replace(/(?<=\p{L})\/(?=\p{L})/gu, ' '))) return undefined
  const other = words.filter((w) => !known(w))
  const said = words.join(' ')
  // "Unchanged entries are skipped": a status word describing a subject of a sentence, not standing in for code.
  if (/^(?:unchanged|omitted|skipped|elided|truncated|untouched|unmodified) \S+ (?:is|are|was|were|get|gets|will|can|must|should|may)\b/.test(said)) return undefined
  const strong = words.some((w) => STRONG.has(w)) || (words.includes('same') && words.some((w) => SAME_WITH.has(w))) || /\bno (?:other )?changes?\b/.test(said) || (bracketed && words.includes('same'))
  const phrase = (other.length === 0 && strong && words.length <= 10) || TEMPLATE.test(said)
  // Not a comment: a marker only in a form that is neither code (`...args`) nor prose: `... x ...`, `(unchanged)`.
  if (!comment) {
    if (lead && trail) return words.length <= 12 ? 'worded' : undefined
    return bracketed && !ell && phrase ? 'worded' : undefined
  }
  if (lead && trail) return words.length <= 12 ? 'worded' : undefined
  if (lead) return other.length === 0 || (other.length <= 1 && words.length <= 4) || (strong && other.length <= 2 && words.length <= 8) ? 'worded' : undefined
  if (ell) return other.length === 0 && (strong || trail) ? 'worded' : undefined
  return phrase ? 'worded' : undefined
}

const indentLen = (l: string) => /^[ \t]*/.exec(l)![0].replace(/\t/g, '    ').length

/** Whether the bare `...` at line n is content in this language (a Python stub body, YAML's document end). */
function bareContent(lines: string[], n: number, lang: MarkerLang): boolean {
  if (lang.bare === 'content') return true
  if (lang.bare === 'yaml') return /^\.\.\.\s*$/.test(lines[n]!)
  if (lang.bare !== 'python') return false
  let p = n - 1
  while (p >= 0 && (lines[p]!.trim() === '' || lines[p]!.trim().startsWith('#'))) p--
  let q = n + 1
  while (q < lines.length && lines[q]!.trim() === '') q++
  // A stub body: the line before opens the block (or is its docstring), and nothing follows inside it.
  if (p >= 0 && !/:\s*(#.*)?$|("""|''')\s*$/.test(lines[p]!)) return false
  return q >= lines.length || indentLen(lines[q]!) < indentLen(lines[n]!)
}

/** A worded marker right after a comment line that runs on into it is the end of a sentence. */
function continues(prev: string | undefined, line: string, lang: MarkerLang): boolean {
  if (prev === undefined) return false
  const a = parse(prev, lang)
  const b = parse(line, lang)
  if (!a.comment || a.comment !== b.comment || HAS_ELL.test(b.text) || markerKind(prev, lang)) return false
  const last = wordsOf(a.text).pop()
  return last !== undefined && RUNS_ON.has(last) && !/[.:;!?]$/.test(a.text)
}

/** Index of the first line of old_str that is an elision marker (and not a line the file has), or -1. */
export function findElision(lines: string[], opts: {lang?: MarkerLang; fileLines?: LineSet} = {}): number {
  const lang = opts.lang ?? CODE
  lines = lines.map(unprefixed)
  return lines.findIndex((l, i) => {
    const kind = markerKind(l, lang)
    if (!kind || (kind === 'bare' && bareContent(lines, i, lang))) return false
    return (kind !== 'worded' || !continues(lines[i - 1], l, lang)) && !opts.fileLines?.has(key(l))
  })
}

const PREFIX = /^[ \t]*(?:\d+#[0-9a-z]{4}:|L?\d+:|\d+\u2192|\d+\t)/
const unprefixed = (l: string) => l.replace(PREFIX, '')
/** A line compared for elision purposes: read prefix off, blanks collapsed. */
const key = (l: string) => unprefixed(l).trim().replace(/\s+/g, ' ')

/** Lines looked up by their comparison key. */
export interface LineSet {
  has(k: string): boolean
}

/** The file's lines by comparison key, to tell markers the file already has (built on first use). */
export function lineKeys(lines: string[]): LineSet {
  let set: Set<string> | undefined
  return {has: (k) => (set ??= new Set(lines.map(key))).has(k)}
}

export interface Elided {
  /** 0-based line of new_str. */
  line: number
  /** `missing`: old_str lines it stands for are gone; `edge`: it stands for file lines beyond old_str (it sits at an edge of new_str, or new_str copies file lines around it that old_str lacks). */
  why: 'missing' | 'edge'
}

/**
 * The first marker line of new_str that stands for code the edit would delete (rules (a) and (b) above),
 * or undefined. Lines are compared without read prefixes and with blanks collapsed. `before`/`after`:
 * the file's lines before and after the place old_str matched, once that is known.
 */
export function elidedNew(oldStr: string, newStr: string, opts: {lang?: MarkerLang; fileLines?: LineSet; before?: LineSet; after?: LineSet} = {}): Elided | undefined {
  const lang = opts.lang ?? CODE
  const newL = splitText(newStr).map(unprefixed)
  const a = splitText(oldStr).map(key)
  const b = newL.map(key)
  const olds = new Set(a)
  const marker = b.map((x, n) => {
    if (x === '' || olds.has(x)) return false
    const kind = markerKind(newL[n]!, lang)
    if (!kind || (kind === 'bare' && bareContent(newL, n, lang))) return false
    return (kind !== 'worded' || !continues(newL[n - 1], newL[n]!, lang)) && !opts.fileLines?.has(x)
  })
  if (!marker.includes(true)) return undefined
  const same = commonLines(a, b)
  // New lines that stand for old_str's lines: kept, or rewritten in place.
  const paired = new Set(same.keys())
  const anchors: [number, number][] = [[-1, -1], ...[...same.entries()].sort((x, y) => x[0] - y[0]).map(([n, o]) => [o, n] as [number, number]), [a.length, b.length]]
  for (let g = 0; g + 1 < anchors.length; g++) {
    const [oa, na] = anchors[g]!
    const [ob, nb] = anchors[g + 1]!
    const news = Array.from({length: Math.max(0, nb - na - 1)}, (_, k) => na + 1 + k)
    const marks = news.filter((n) => marker[n])
    // Old lines of this gap that no other new line of the gap rewrites: a marker there took their place.
    const rewrites = news.filter((n) => !marker[n] && b[n] !== '')
    const used = new Set<number>()
    for (let o = oa + 1; o < ob; o++) {
      if (a[o] === '') continue
      let best = -1
      let score = 0.5
      for (const n of rewrites) {
        if (used.has(n)) continue
        const v = similarity(a[o]!, b[n]!)
        if (v >= score) (score = v), (best = n)
      }
      if (best >= 0) used.add(best)
      else if (marks.length > 0) return {line: marks[0]!, why: 'missing'}
    }
    for (const n of used) paired.add(n)
  }
  // A marker before or after everything else stands for file lines outside old_str; so does one between
  // old_str's lines and lines copied from the file beyond old_str on the marker's side.
  const content = b.map((x, n) => (x !== '' ? n : -1)).filter((n) => n >= 0)
  const first = content[0]!
  const last = content[content.length - 1]!
  if (content.length > 1 && marker[last]) return {line: last, why: 'edge'}
  if (content.length > 1 && marker[first]) return {line: first, why: 'edge'}
  const copies = (ns: number[], side: LineSet | undefined) =>
    side !== undefined && ns.length > 0 && ns.every((n) => !paired.has(n) && !olds.has(b[n]!) && side.has(b[n]!)) && ns.some((n) => b[n]!.length >= 12)
  const lo = Math.min(...paired)
  const hi = Math.max(...paired)
  for (const n of content) {
    if (!marker[n] || paired.size === 0) continue
    if (n < lo && copies(content.filter((x) => x < n && !marker[x]), opts.before)) return {line: n, why: 'edge'}
    if (n > hi && copies(content.filter((x) => x > n && !marker[x]), opts.after)) return {line: n, why: 'edge'}
  }
  return undefined
}
