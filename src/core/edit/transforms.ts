import {isBlank} from './lines.js'

/** Old/new text as lines after an old-side transformation, plus what must hold where it matches. */
export interface Pair {
  old: string[]
  new: string[]
  /** old_str's first/last line is known to be a whole line (a newline or a read prefix stood next to it). */
  wholeFirst?: boolean
  wholeLast?: boolean
  /** Lines read_file cut (`…[+N chars]`, marker removed): N unseen chars follow on that old/new line. */
  cut?: (number | undefined)[]
  newCut?: (number | undefined)[]
  /** Line-number prefixes that were stripped: the match must agree with them. */
  prefixes?: {form: string; first: number; hashes?: string[]}
}

/** Drop blank lines at the start and end of old_str (and as many from new_str where it has them). */
export function trimBlankEdges(p: Pair): Pair {
  const core = (ls: string[]) => (ls.length > 1 && ls[ls.length - 1] === '' ? {c: ls.slice(0, -1), nl: true} : {c: ls, nl: false})
  const o = core(p.old)
  let a = 0
  while (a < o.c.length && isBlank(o.c[a]!)) a++
  if (a === o.c.length) return p
  let b = 0
  while (b < o.c.length - a && isBlank(o.c[o.c.length - 1 - b]!)) b++
  if (a === 0 && b === 0) return p
  const n = core(p.new)
  let na = 0
  while (na < a && na < n.c.length && isBlank(n.c[na]!)) na++
  let nb = 0
  while (nb < b && nb < n.c.length - na && isBlank(n.c[n.c.length - 1 - nb]!)) nb++
  // Prefixes stripped earlier now start a lines later.
  const prefixes = p.prefixes && {...p.prefixes, first: p.prefixes.first + a, hashes: p.prefixes.hashes?.slice(a)}
  return {
    ...p,
    prefixes,
    wholeFirst: p.wholeFirst || a > 0,
    wholeLast: p.wholeLast || b > 0,
    old: [...o.c.slice(a, o.c.length - b), ...(o.nl ? [''] : [])],
    new: [...n.c.slice(na, n.c.length - nb), ...(n.nl ? [''] : [])],
  }
}

/** Lines inside a Markdown code fence (```lang … ```) wrapped around the whole text, else undefined. */
function unfence(ls: string[]): string[] | undefined {
  let a = 0
  let b = ls.length
  while (a < b && isBlank(ls[a]!)) a++
  while (b > a && isBlank(ls[b - 1]!)) b--
  if (b - a < 3 || !/^\s*(```|~~~)[\w+#.-]*\s*$/.test(ls[a]!) || !/^\s*(```|~~~)\s*$/.test(ls[b - 1]!)) return undefined
  return [...ls.slice(a + 1, b - 1), '']
}

/** Drop a code fence the model wrapped old_str in, and the same from new_str (its lines are whole lines). */
export function stripFence(p: Pair): Pair | undefined {
  const old = unfence(p.old)
  return old && {old, new: unfence(p.new) ?? p.new, wholeFirst: true, wholeLast: true}
}

const CUT_RE = /\u2026\[\+(\d+) chars\]$/

/** Take read_file's cut markers off the ends of lines, remembering how many chars each hid. */
export function withCuts(p: Pair): Pair {
  const marks = (ls: string[]) => ls.map((l) => {
    const m = CUT_RE.exec(l)
    return m ? Number(m[1]) : undefined
  })
  const cut = marks(p.old)
  if (cut.every((c) => c === undefined)) return p
  const strip = (l: string) => l.replace(CUT_RE, '')
  return {...p, old: p.old.map(strip), new: p.new.map(strip), cut, newCut: marks(p.new)}
}

const PREFIX_FORMS: {form: string; re: RegExp; spaced?: 'first' | 'second'}[] = [
  {form: 'hash', re: /^\s*(\d+)#([0-9a-z]{4}):/, spaced: 'second'},
  {form: 'arrow', re: /^\s*(\d+)\u2192/},
  {form: 'tab', re: /^\s*(\d+)\t/},
  {form: 'colon', re: /^\s*L?(\d+):/, spaced: 'first'},
  {form: 'pipe', re: /^\s*(\d+) ?\| ?/},
]

/**
 * Strip line-number prefixes copied from read output (`12#ab3f:`, `  12→`, `12\t`, `12: `, `L12: `),
 * only when every line of old_str has one of the same form and the numbers are consecutive.
 * `N#hash:` and `N:` may be followed by a separator space or not: when every line has one, both
 * readings are returned (the likelier first) and the matcher takes the one that needs no re-indenting.
 */
export function stripPrefixes(p: Pair): Pair[] {
  const old = p.old.length > 1 && p.old[p.old.length - 1] === '' ? p.old.slice(0, -1) : p.old
  for (const {form, re, spaced} of PREFIX_FORMS) {
    const ms = old.map((l) => re.exec(l))
    if (ms.length === 0 || ms.some((m) => !m)) continue
    const nums = ms.map((m) => Number(m![1]))
    if (nums.some((n, i) => n !== nums[0]! + i)) continue
    const reading = (sep: boolean): Pair => {
      const strip = (l: string) => {
        const m = re.exec(l)
        if (!m) return l
        const rest = l.slice(m[0].length)
        return sep && rest[0] === ' ' ? rest.slice(1) : rest
      }
      return {
        old: p.old.map((l, i) => (i < old.length ? strip(l) : l)),
        new: p.new.map(strip),
        prefixes: {form, first: nums[0]!, hashes: form === 'hash' ? ms.map((m) => m![2]!) : undefined},
        wholeFirst: true,
        wholeLast: true,
      }
    }
    // The separator reading exists when every line with text has a space after its prefix.
    const sep = spaced !== undefined && old.some((l, i) => l.length > ms[i]![0].length) && old.every((l, i) => l.length === ms[i]![0].length || l[ms[i]![0].length] === ' ')
    if (!sep) return [reading(false)]
    return spaced === 'first' ? [reading(true), reading(false)] : [reading(false), reading(true)]
  }
  return []
}

const JSON_ESC: Record<string, string> = {n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f'}

/** Undo one level of JSON string encoding (`\n`, `\t`, `\"`, `\\`, `\uXXXX`). */
export function decodeJsonEscapes(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|[ntr"'\\/bf])/g, (_, e: string) => (e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : JSON_ESC[e]!))
}

/** True when text looks JSON-encoded once more than it should: escapes present that decode to line breaks or quotes. */
export function looksJsonEncoded(s: string): boolean {
  return /\\[nt"]/.test(s)
}

/**
 * One line escaped like a string literal (`\"`, `\\`, `\'`) with no `\n`: JSON-encoded once more, or
 * code that really has them. Its decoded reading is tried only after every literal one found nothing.
 */
export function oneLineEscapes(s: string): boolean {
  return !s.includes('\n') && /\\[\\'"]/.test(s)
}

const ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0'}

/** Decode HTML entities (`&amp;`, `&lt;`, `&quot;`, `&#39;`, `&#x27;`). */
export function decodeHtmlEntities(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e]!,
  )
}
