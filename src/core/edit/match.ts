import {lineHash} from '../tools/anchors.js'
import {findShift, reindent, type Shift} from './indent.js'
import {indentOf, isBlank, lineAt, splitText, type FileLines} from './lines.js'
import {CURLY_RE, normLine, normText, origEnd, origStart, straightenQuotes, type NormOpts} from './normalize.js'
import {pairChanged, transplant} from './transplant.js'
import {decodeHtmlEntities, decodeJsonEscapes, looksJsonEncoded, stripPrefixes, trimBlankEdges, type Pair} from './transforms.js'

/** One place old_str matches: the body range it covers and the text that replaces it. */
export interface Match {
  start: number
  end: number
  /** 1-based first and last file line of the range. */
  line: number
  endLine: number
  replacement: string
}

export interface Located {
  level: string
  matches: Match[]
  /** Where old_str would match without its line-number prefixes, which named other lines. */
  prefixMismatch?: {says: number; at: number[]}
}

type PairKind = 'plain' | 'edges' | 'prefix' | 'json' | 'html'

interface Level {
  name: string
  pair: PairKind
  norms: NormOpts[]
  finalNewline?: boolean
}

const C0: NormOpts = {}
const C1: NormOpts = {rstrip: true}
const C2: NormOpts = {rstrip: true, collapse: true}
const C3: NormOpts = {rstrip: true, collapse: true, stripIndent: true}
const Q = (o: NormOpts): NormOpts => ({...o, quotes: true})
const U = (o: NormOpts): NormOpts => ({...o, quotes: true, nfc: true})

/** The cascade after an exact match failed, strictest first; each level names the slip it forgives. */
export const LEVELS: Level[] = [
  {name: 'line-endings', pair: 'plain', norms: [C0]},
  {name: 'trailing-blanks', pair: 'plain', norms: [C1]},
  {name: 'inner-blanks', pair: 'plain', norms: [C2]},
  {name: 'blank-lines', pair: 'edges', norms: [C2]},
  {name: 'final-newline', pair: 'edges', norms: [C2], finalNewline: true},
  {name: 'indentation', pair: 'edges', norms: [C3], finalNewline: true},
  {name: 'line-prefixes', pair: 'prefix', norms: [C1, C2, C3], finalNewline: true},
  {name: 'escaping', pair: 'json', norms: [C1, C2, C3], finalNewline: true},
  {name: 'html-entities', pair: 'html', norms: [C1, C2, C3], finalNewline: true},
  {name: 'quotes', pair: 'edges', norms: [Q(C1), Q(C2), Q(C3)], finalNewline: true},
  {name: 'unicode', pair: 'edges', norms: [U(C1), U(C2), U(C3)], finalNewline: true},
]

function makePair(kind: PairKind, oldStr: string, newStr: string): Pair | undefined {
  const plain = (o: string, n: string): Pair => ({old: splitText(o), new: splitText(n)})
  switch (kind) {
    case 'plain':
      return plain(oldStr, newStr)
    case 'edges':
      return trimBlankEdges(plain(oldStr, newStr))
    case 'prefix': {
      const p = stripPrefixes(plain(oldStr, newStr))
      return p && trimBlankEdges(p)
    }
    case 'json': {
      if (!looksJsonEncoded(oldStr)) return undefined
      const o = decodeJsonEscapes(oldStr)
      return o === oldStr ? undefined : trimBlankEdges(plain(o, decodeJsonEscapes(newStr)))
    }
    case 'html': {
      const o = decodeHtmlEntities(oldStr)
      return o === oldStr ? undefined : trimBlankEdges(plain(o, decodeHtmlEntities(newStr)))
    }
  }
}

const WORD = /[\p{L}\p{N}_$]/u
const SYMBOL = /[^\s\p{L}\p{N}_$]/u
const isWord = (c: string | undefined) => c !== undefined && WORD.test(c)
const isSymbol = (c: string | undefined) => c !== undefined && SYMBOL.test(c)
const joined = (a: string | undefined, b: string | undefined) => (isWord(a) && isWord(b)) || (isSymbol(a) && isSymbol(b))

/** A partial line match must not cut through a word or a run of symbols (the star of a comment end). */
function cleanCut(text: string, at: number, piece: string, side: 'start' | 'end'): boolean {
  if (piece === '') return true
  return side === 'start' ? !joined(text[at - 1], piece[0]) : !joined(piece[piece.length - 1], text[at])
}

interface Cand {
  i: number
  last: number
  startCol: number
  endCol: number
  firstFull: boolean
  pastEof: boolean
}

function findCands(f: FileLines, fn: string[], on: string[], pair: Pair, o: NormOpts, finalNewline: boolean, wholeLines: boolean): Cand[] {
  const old = pair.old
  const k = on.length
  const n = f.lines.length
  const out: Cand[] = []
  if (k === 0 || on.every((x) => x === '')) return out
  const full = (i: number) => normLine(f.lines[i]!, o)
  // A first line copied without its indentation matches after the file's indentation.
  const wholeFirst = wholeLines || !!pair.wholeFirst
  const firstBare = (i: number) => !wholeFirst && !!o.stripIndent && indentOf(old[0]!) === '' && indentOf(f.lines[i]!) !== ''
  if (k === 1) {
    const p = on[0]!
    for (let i = 0; i < n; i++) {
      const s = fn[i]!
      if (s === p) {
        const bare = firstBare(i)
        out.push({i, last: i, startCol: bare ? indentOf(f.lines[i]!).length : 0, endCol: f.lines[i]!.length, firstFull: !bare, pastEof: false})
        continue
      }
      // Leading blanks in old_str mean the model copied a whole line: no fragment match then.
      if (wholeFirst || pair.wholeLast || indentOf(old[0]!) !== '') continue
      for (let q = s.indexOf(p); q >= 0; q = s.indexOf(p, q + 1)) {
        if (!cleanCut(s, q, p, 'start') || !cleanCut(s, q + p.length, p, 'end')) continue
        const l = full(i)
        out.push({i, last: i, startCol: origStart(l, q, f.lines[i]!.length), endCol: origEnd(l, q + p.length), firstFull: false, pastEof: false})
      }
    }
    return out
  }
  const o0 = on[0]!
  const ok = on[k - 1]!
  for (let i = 0; i < n; i++) {
    let last = i + k - 1
    let pastEof = false
    if (last >= n) {
      if (!(finalNewline && last === n && ok === '' && !f.endsWithNewline)) break
      pastEof = true
      last = n - 1
    }
    const l0 = fn[i]!
    let firstFull = l0 === o0
    let startCol = 0
    if (firstFull) {
      if (firstBare(i)) {
        firstFull = false
        startCol = indentOf(f.lines[i]!).length
      }
    } else {
      if (wholeFirst || indentOf(old[0]!) !== '') continue
      const q = l0.length - o0.length
      if (q < 0 || !l0.endsWith(o0) || !cleanCut(l0, q, o0, 'start')) continue
      startCol = origStart(full(i), q, f.lines[i]!.length)
    }
    let mid = true
    for (let j = 1; j < k - 1 && mid; j++) mid = fn[i + j] === on[j]
    if (!mid) continue
    let endCol: number
    if (pastEof) endCol = f.lines[last]!.length
    else {
      const lk = fn[last]!
      if (lk === ok) endCol = f.lines[last]!.length
      else {
        // Over several lines the model means whole lines: only a final newline may end mid-way (at column 0).
        if (ok !== '') continue
        endCol = origEnd(full(last), ok.length)
      }
    }
    out.push({i, last, startCol, endCol, firstFull, pastEof})
  }
  return out
}

/** Indentation of the file's region decides tabs or spaces for re-indented lines. */
function usesTabs(f: FileLines, from: number, to: number): boolean {
  for (let i = from; i <= to; i++) {
    const c = f.lines[i]![0]
    if (c === '\t') return true
    if (c === ' ' && !isBlank(f.lines[i]!)) return false
  }
  let tabs = 0
  let spaces = 0
  for (const l of f.lines) {
    if (l[0] === '\t') tabs++
    else if (l[0] === ' ') spaces++
  }
  return tabs > spaces
}

/** Pairs of equal lines (longest common subsequence): new line index -> old line index. */
export function commonLines(a: string[], b: string[]): Map<number, number> {
  const map = new Map<number, number>()
  let s = 0
  while (s < a.length && s < b.length && a[s] === b[s]) map.set(s, s), s++
  let ea = a.length
  let eb = b.length
  while (ea > s && eb > s && a[ea - 1] === b[eb - 1]) map.set(--eb, --ea)
  const n = ea - s
  const m = eb - s
  if (n === 0 || m === 0 || n * m > 4_000_000) return map
  const dp = Array.from({length: n + 1}, () => new Uint32Array(m + 1))
  for (let x = n - 1; x >= 0; x--)
    for (let y = m - 1; y >= 0; y--) dp[x]![y] = a[s + x] === b[s + y] ? dp[x + 1]![y + 1]! + 1 : Math.max(dp[x + 1]![y]!, dp[x]![y + 1]!)
  let x = 0
  let y = 0
  while (x < n && y < m) {
    if (a[s + x] === b[s + y]) map.set(s + y++, s + x++)
    else if (dp[x + 1]![y]! >= dp[x]![y + 1]!) x++
    else y++
  }
  return map
}

interface Fix {
  shift?: Shift
  quotes?: string[]
  form?: 'NFC' | 'NFD'
}

function build(f: FileLines, c: Cand, pair: Pair, fix: Fix, o: NormOpts): string {
  let oldL = pair.old
  let newL = pair.new
  if (c.pastEof) {
    oldL = oldL.slice(0, -1)
    if (newL.length > 1 && newL[newL.length - 1] === '') newL = newL.slice(0, -1)
  }
  const slices = oldL.map((_, j) => {
    const line = f.lines[c.i + j]!
    return line.slice(j === 0 ? c.startCol : 0, j === oldL.length - 1 ? c.endCol : line.length)
  })
  const same = commonLines(oldL, newL)
  const changed = pairChanged(oldL, newL, same)
  const last = oldL.length - 1
  const adapt = (t: string) => {
    for (const q of fix.quotes ?? []) t = t.split(q).join(straightenQuotes(q))
    return fix.form ? t.normalize(fix.form) : t
  }
  return newL
    .map((nl, m) => {
      const j = same.get(m)
      if (j !== undefined) return slices[j]!
      const k = changed.get(m)
      // A partial first/last line only lines up with the first/last new line.
      const partial = (k === 0 && c.startCol > 0) || (k === last && c.endCol < f.lines[c.i + last]!.length)
      if (k !== undefined && (!partial || (k === 0 ? m === 0 : m === newL.length - 1))) {
        const t = transplant(slices[k]!, oldL[k]!, nl, o)
        if (t) return t.head + adapt(t.mid) + t.tail
      }
      return adapt(fix.shift && !(m === 0 && !c.firstFull) ? reindent(nl, fix.shift) : nl)
    })
    .join(f.eol)
}

function toMatch(f: FileLines, c: Cand, replacement: string): Match {
  const start = f.starts[c.i]! + c.startCol
  const end = f.starts[c.last]! + c.endCol
  return {start, end, line: c.i + 1, endLine: c.last + 1, replacement}
}

/** Exact occurrences of old_str; the replacement only takes the file's line endings. */
function exact(f: FileLines, oldStr: string, newStr: string): Match[] {
  const out: Match[] = []
  const replacement = splitText(newStr).join(f.eol)
  for (let p = f.body.indexOf(oldStr); p >= 0; p = f.body.indexOf(oldStr, p + 1)) {
    out.push({start: p, end: p + oldStr.length, line: lineAt(f.starts, p), endLine: lineAt(f.starts, p + Math.max(0, oldStr.length - 1)), replacement})
  }
  return out
}

/** Locate old_str in the file: exact first, then each formatting-only level until one finds a place. */
export function locateIn(f: FileLines, oldStr: string, newStr: string, opts: {wholeLines?: boolean} = {}): Located {
  const lineStart = (p: number) => p === 0 || f.body[p - 1] === '\n'
  const ex = exact(f, oldStr, newStr).filter((m) => !opts.wholeLines || lineStart(m.start))
  if (ex.length > 0) return {level: 'exact', matches: ex}
  const cache = new Map<string, string[]>()
  const fileNorm = (o: NormOpts) => {
    const key = JSON.stringify(o)
    let v = cache.get(key)
    if (!v) cache.set(key, (v = f.lines.map((l) => normText(l, o))))
    return v
  }
  const curly = CURLY_RE.test(oldStr) || CURLY_RE.test(f.body)
  CURLY_RE.lastIndex = 0
  const nfcAll = oldStr === oldStr.normalize('NFC') && f.body === f.body.normalize('NFC')
  const form = f.body !== f.body.normalize('NFC') && f.body === f.body.normalize('NFD') ? 'NFD' : 'NFC'
  let prefixMismatch: Located['prefixMismatch']
  for (const level of LEVELS) {
    if (level.name === 'quotes' && !curly) continue
    if (level.name === 'unicode' && nfcAll) continue
    const pair = makePair(level.pair, oldStr, newStr)
    if (!pair) continue
    for (const o of level.norms) {
      const fn = fileNorm(o)
      const on = pair.old.map((l) => normText(l, o))
      const matches: Match[] = []
      for (const c of findCands(f, fn, on, pair, o, !!level.finalNewline, !!opts.wholeLines)) {
        if (pair.prefixes && !prefixesAgree(f, c, pair.prefixes)) {
          prefixMismatch = {says: pair.prefixes.first, at: [...(prefixMismatch?.at ?? []), c.i + 1]}
          continue
        }
        if (opts.wholeLines && c.startCol !== 0) continue
        const fix: Fix = {}
        if (o.stripIndent) {
          const shift = shiftFor(f, c, pair.old)
          if (!shift) continue
          fix.shift = shift
        }
        if (o.quotes) {
          const region = f.lines.slice(c.i, c.last + 1).join('\n')
          fix.quotes = [...new Set(oldStr.match(CURLY_RE) ?? [])].filter((q) => !region.includes(q))
        }
        if (o.nfc) fix.form = form
        matches.push(toMatch(f, c, build(f, c, pair, fix, o)))
      }
      if (matches.length > 0) return {level: level.name, matches}
    }
  }
  return {level: 'none', matches: [], prefixMismatch}
}

function prefixesAgree(f: FileLines, c: Cand, p: NonNullable<Pair['prefixes']>): boolean {
  if (p.first === c.i + 1) return true
  return !!p.hashes && p.hashes.every((h, j) => c.i + j < f.lines.length && lineHash(f.lines[c.i + j]!) === h)
}

function shiftFor(f: FileLines, c: Cand, old: string[]): Shift | undefined {
  const pairs: {file: string; model: string}[] = []
  const k = c.pastEof ? old.length - 1 : old.length
  for (let j = 0; j < k; j++) {
    if (j === 0 && !c.firstFull) continue
    if (j === k - 1 && k > 1 && c.endCol < f.lines[c.i + j]!.length) continue
    if (isBlank(old[j]!)) continue
    pairs.push({file: indentOf(f.lines[c.i + j]!), model: indentOf(old[j]!)})
  }
  return findShift(pairs, usesTabs(f, c.i, c.last))
}
