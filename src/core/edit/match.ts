import {lineHash} from '../tools/anchors.js'
import {findCands, shiftFor, type Cand} from './candidates.js'
import {reindent, type Shift} from './indent.js'
import {indentOf, lineAt, splitText, type FileLines} from './lines.js'
import {CURLY_RE, hasTypography, normText, straightenQuotes, type NormOpts} from './normalize.js'
import {commonLines, pairChanged, transplant} from './transplant.js'
import {decodeHtmlEntities, decodeJsonEscapes, looksJsonEncoded, oneLineEscapes, stripFence, stripPrefixes, trimBlankEdges, withCuts, type Pair} from './transforms.js'

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
  /** new_str line that would lose or invent the unseen rest of a line read_file cut. */
  cutProblem?: number
}

type PairKind = 'plain' | 'edges' | 'prefix' | 'json' | 'json-line' | 'html' | 'fence'

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
  {name: 'code-fence', pair: 'fence', norms: [C1, C2, C3], finalNewline: true},
  {name: 'quotes', pair: 'edges', norms: [Q(C1), Q(C2), Q(C3)], finalNewline: true},
  {name: 'unicode', pair: 'edges', norms: [U(C1), U(C2), U(C3)], finalNewline: true},
  // One line with only \\ or \' escapes: decoded only when no literal reading found it anywhere.
  {name: 'escaping', pair: 'json-line', norms: [C1, C2, C3], finalNewline: true},
]

/** The readings of old/new for a level (most have one; copied prefixes may have two). */
function makePairs(kind: PairKind, oldStr: string, newStr: string): Pair[] {
  return makePairsOf(kind, oldStr, newStr).map(withCuts)
}

function makePairsOf(kind: PairKind, oldStr: string, newStr: string): Pair[] {
  const plain = (o: string, n: string): Pair => ({old: splitText(o), new: splitText(n)})
  const json = (): Pair[] => {
    const o = decodeJsonEscapes(oldStr)
    return o === oldStr ? [] : [trimBlankEdges(plain(o, decodeJsonEscapes(newStr)))]
  }
  switch (kind) {
    case 'plain':
      return [plain(oldStr, newStr)]
    case 'edges':
      return [trimBlankEdges(plain(oldStr, newStr))]
    case 'prefix':
      return stripPrefixes(plain(oldStr, newStr)).map(trimBlankEdges)
    case 'json':
      return looksJsonEncoded(oldStr) ? json() : []
    case 'json-line':
      return oneLineEscapes(oldStr) && !looksJsonEncoded(oldStr) ? json() : []
    case 'fence': {
      const p = stripFence(plain(oldStr, newStr))
      return p ? [trimBlankEdges(p)] : []
    }
    case 'html': {
      const o = decodeHtmlEntities(oldStr)
      return o === oldStr ? [] : [trimBlankEdges(plain(o, decodeHtmlEntities(newStr)))]
    }
  }
}

interface Fix {
  shift?: Shift
  quotes?: string[]
  form?: 'NFC' | 'NFD'
}

/** A changed line the model cannot have written in full: read_file cut it and the marker was dropped or invented. */
export class CutLineError extends Error {}

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
  const cut = pair.cut ?? []
  const newCut = pair.newCut ?? []
  // Equal lines pair only when their cut markers agree too.
  const key = (l: string, n: number | undefined) => (n === undefined ? l : `${l}\u0000${n}`)
  const same = commonLines(oldL.map((l, j) => key(l, cut[j])), newL.map((l, m) => key(l, newCut[m])))
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
      if (newCut[m] !== undefined || (k !== undefined && cut[k] !== undefined)) {
        // Only the visible part of a cut line may change; the unseen rest is kept as it is.
        if (k === undefined || cut[k] !== newCut[m]) throw new CutLineError(`${m + 1}`)
        const at = slices[k]!.length - cut[k]!
        const t = transplant(slices[k]!.slice(0, at), oldL[k]!, nl, o)
        return (t ? t.head + adapt(t.mid) + t.tail : adapt(fix.shift ? reindent(nl, fix.shift) : nl)) + slices[k]!.slice(at)
      }
      // A partial first/last line only lines up with the first/last new line.
      const partial = (k === 0 && c.startCol > 0) || (k === last && c.endCol < f.lines[c.i + last]!.length)
      if (k !== undefined && (!partial || (k === 0 ? m === 0 : m === newL.length - 1))) {
        const t = transplant(slices[k]!, oldL[k]!, nl, o)
        if (t) return t.head + adapt(t.mid) + t.tail
      }
      if (m === 0 && !c.firstFull) {
        // The first line starts after the file's indentation; indentation the model gave it would double it.
        const atIndent = c.startCol === indentOf(f.lines[c.i]!).length && indentOf(oldL[0]!) === ''
        return adapt(atIndent ? nl.trimStart() : nl)
      }
      return adapt(fix.shift ? reindent(nl, fix.shift) : nl)
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
  // old_str copied from after the indentation, new_str written with it: do not indent twice.
  const bareOld = !/^[ \t]/.test(oldStr)
  const trimmed = replacement.replace(/^[ \t]+/, '')
  for (let p = f.body.indexOf(oldStr); p >= 0; p = f.body.indexOf(oldStr, p + 1)) {
    const line = lineAt(f.starts, p)
    const before = f.body.slice(f.starts[line - 1]!, p)
    const atIndent = bareOld && before !== '' && /^[ \t]+$/.test(before)
    out.push({start: p, end: p + oldStr.length, line, endLine: lineAt(f.starts, p + Math.max(0, oldStr.length - 1)), replacement: atIndent ? trimmed : replacement})
  }
  return out
}

/** Locate old_str in the file: exact first, then each formatting-only level until one finds a place. */
export function locateIn(f: FileLines, oldStr: string, newStr: string, opts: {wholeLines?: boolean} = {}): Located {
  const lineStart = (p: number) => p === 0 || f.body[p - 1] === '\n'
  const lineEnd = (p: number) => p === f.body.length || f.body[p] === '\n' || f.body[p] === '\r' || f.body[p - 1] === '\n'
  const ex = exact(f, oldStr, newStr).filter((m) => !opts.wholeLines || (lineStart(m.start) && lineEnd(m.end)))
  if (ex.length > 0) return {level: 'exact', matches: ex}
  const cache = new Map<string, string[]>()
  const fileNorm = (o: NormOpts) => {
    const key = JSON.stringify(o)
    let v = cache.get(key)
    if (!v) cache.set(key, (v = f.lines.map((l) => normText(l, o))))
    return v
  }
  const curly = hasTypography(oldStr) || hasTypography(f.body)
  const nfcAll = oldStr === oldStr.normalize('NFC') && f.body === f.body.normalize('NFC')
  const form = f.body !== f.body.normalize('NFC') && f.body === f.body.normalize('NFD') ? 'NFD' : 'NFC'
  let prefixMismatch: Located['prefixMismatch']
  let cutProblem: number | undefined
  for (const level of LEVELS) {
    if (level.name === 'quotes' && !curly) continue
    if (level.name === 'unicode' && nfcAll) continue
    const pairs = makePairs(level.pair, oldStr, newStr)
    for (const o of level.norms) {
      const fn = fileNorm(o)
      // Several readings (a prefix with or without its separator space): one that needs no re-indenting wins, else the likelier (first).
      let best: {matches: Match[]; shift: number} | undefined
      for (const pair of pairs) {
        const on = pair.old.map((l) => normText(l, o))
        const matches: Match[] = []
        let shift = 0
        for (const c of findCands(f, fn, on, pair, o, !!level.finalNewline, !!opts.wholeLines)) {
          if (pair.prefixes && !prefixesAgree(f, c, pair.prefixes)) {
            prefixMismatch = {says: pair.prefixes.first, at: [...(prefixMismatch?.at ?? []), c.i + 1]}
            continue
          }
          if (opts.wholeLines && c.startCol !== 0) continue
          const fix: Fix = {}
          if (o.stripIndent) {
            const sh = shiftFor(f, c, pair.old)
            if (!sh) continue
            fix.shift = sh
            shift += sh.same ? 0 : sh.scale === 1 && sh.delta === 0 ? 1 : 2
          }
          if (o.quotes) {
            const region = f.lines.slice(c.i, c.last + 1).join('\n')
            fix.quotes = [...new Set(oldStr.match(CURLY_RE) ?? [])].filter((q) => !region.includes(q))
          }
          if (o.nfc) fix.form = form
          try {
            matches.push(toMatch(f, c, build(f, c, pair, fix, o)))
          } catch (e) {
            if (!(e instanceof CutLineError)) throw e
            cutProblem = Number(e.message)
          }
        }
        if (matches.length > 0 && (!best || shift < best.shift)) best = {matches, shift}
      }
      if (best) return {level: level.name, matches: best.matches}
    }
  }
  return {level: 'none', matches: [], prefixMismatch, cutProblem}
}

function prefixesAgree(f: FileLines, c: Cand, p: NonNullable<Pair['prefixes']>): boolean {
  if (p.first === c.i + 1) return true
  return !!p.hashes && p.hashes.every((h, j) => c.i + j < f.lines.length && lineHash(f.lines[c.i + j]!) === h)
}
