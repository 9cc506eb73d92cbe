/** Formatting-only normalisations of one line, with a map back to the original offsets. */
export interface NormOpts {
  rstrip?: boolean
  collapse?: boolean
  stripIndent?: boolean
  quotes?: boolean
  nfc?: boolean
}

export interface Norm {
  s: string
  /** Original offset of the unit holding each char of `s`. */
  start: number[]
  /** Original offset just past the unit holding each char of `s`. */
  end: number[]
}

/** Typography a model (or a word processor) puts where code has plain ASCII. */
const QUOTES: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"',
  '\u00A0': ' ', '\u202F': ' ', '\u2026': '...',
}
/** All typographic characters (global: for match/replace). */
export const CURLY_RE = /[\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u201F\u00A0\u202F\u2026]/g
/** Whether text has any (no global state). */
export const hasTypography = (s: string) => /[\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u201F\u00A0\u202F\u2026]/.test(s)

/** Typographic quotes, non-breaking spaces and … to their ASCII forms. */
export function straightenQuotes(s: string): string {
  return s.replace(CURLY_RE, (c) => QUOTES[c]!)
}

interface Unit {
  t: string
  a: number
  b: number
}

/** Normalise a line under `o`; identity options give the line back with an identity map. */
export function normLine(line: string, o: NormOpts): Norm {
  let units: Unit[] = []
  if (o.nfc) {
    for (const m of line.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) units.push({t: m[0].normalize('NFC'), a: m.index, b: m.index + m[0].length})
  } else {
    for (let i = 0; i < line.length; i++) units.push({t: line[i]!, a: i, b: i + 1})
  }
  if (o.quotes) for (const u of units) if (QUOTES[u.t]) u.t = QUOTES[u.t]!
  const blank = (u: Unit) => u.t === ' ' || u.t === '\t'
  let lo = 0
  let hi = units.length
  if (o.stripIndent) while (lo < hi && blank(units[lo]!)) lo++
  if (o.rstrip || o.collapse) while (hi > lo && blank(units[hi - 1]!)) hi--
  units = units.slice(lo, hi)
  if (o.collapse) {
    let ind = 0
    while (ind < units.length && blank(units[ind]!)) ind++
    const out = units.slice(0, ind)
    let run: Unit | undefined
    for (let i = ind; i < units.length; i++) {
      const u = units[i]!
      if (!blank(u)) {
        run = undefined
        out.push(u)
      } else if (run) run.b = u.b
      else {
        run = {t: ' ', a: u.a, b: u.b}
        out.push(run)
      }
    }
    units = out
  }
  let s = ''
  const start: number[] = []
  const end: number[] = []
  for (const u of units) {
    s += u.t
    for (let k = 0; k < u.t.length; k++) {
      start.push(u.a)
      end.push(u.b)
    }
  }
  return {s, start, end}
}

/** Original offset where normalised offset `q` begins (q may equal s.length). */
export function origStart(n: Norm, q: number, lineLength: number): number {
  return q < n.s.length ? n.start[q]! : lineLength
}

/** Original offset where normalised offset `q` ends (q = 0 means before everything). */
export function origEnd(n: Norm, q: number): number {
  return q === 0 ? 0 : n.end[q - 1]!
}

/** The normalised text alone (same result as normLine(...).s), fast enough for every line of a large file. */
export function normText(line: string, o: NormOpts): string {
  if (o.nfc) return normLine(line, o).s
  let s = o.quotes ? straightenQuotes(line) : line
  if (o.stripIndent) s = s.replace(/^[ \t]+/, '')
  if (o.rstrip || o.collapse) s = s.replace(/[ \t]+$/, '')
  if (o.collapse) {
    const ind = /^[ \t]*/.exec(s)![0]
    s = ind + s.slice(ind.length).replace(/[ \t]+/g, ' ')
  }
  return s
}
