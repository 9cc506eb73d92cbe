/** Where normalised old_str lines sit in the file, and how its indentation maps onto the file's. */
import {findShift, type Shift} from './indent.js'
import {indentOf, isBlank, type FileLines} from './lines.js'
import {normLine, origEnd, origStart, type NormOpts} from './normalize.js'
import type {Pair} from './transforms.js'

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

/** A place old_str's lines match: file lines i..last, columns where the match starts and ends. */
export interface Cand {
  i: number
  last: number
  startCol: number
  endCol: number
  firstFull: boolean
  pastEof: boolean
}

/** Every place the normalised old lines match the normalised file lines, under the cascade's rules for partial lines. */
export function findCands(f: FileLines, fn: string[], on: string[], pair: Pair, o: NormOpts, finalNewline: boolean, wholeLines: boolean): Cand[] {
  const old = pair.old
  const k = on.length
  const n = f.lines.length
  const out: Cand[] = []
  if (k === 0 || on.every((x) => x === '')) return out
  const full = (i: number) => normLine(f.lines[i]!, o)
  // A line read_file cut matches a file line that starts with its visible part and has exactly the hidden rest.
  const eq = (i: number, j: number) => {
    const hidden = pair.cut?.[j]
    if (hidden === undefined) return fn[i] === on[j]
    return fn[i]!.startsWith(on[j]!) && f.lines[i]!.length - origEnd(full(i), on[j]!.length) === hidden
  }
  // A first line copied without its indentation matches after the file's indentation.
  const wholeFirst = wholeLines || !!pair.wholeFirst
  const firstBare = (i: number) => !wholeFirst && !!o.stripIndent && indentOf(old[0]!) === '' && indentOf(f.lines[i]!) !== ''
  if (k === 1) {
    const p = on[0]!
    for (let i = 0; i < n; i++) {
      const s = fn[i]!
      if (eq(i, 0)) {
        const bare = firstBare(i)
        out.push({i, last: i, startCol: bare ? indentOf(f.lines[i]!).length : 0, endCol: f.lines[i]!.length, firstFull: !bare, pastEof: false})
        continue
      }
      // Leading blanks in old_str mean the model copied a whole line: no fragment match then.
      if (wholeFirst || pair.wholeLast || indentOf(old[0]!) !== '' || pair.cut?.[0] !== undefined) continue
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
    let firstFull = eq(i, 0)
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
    for (let j = 1; j < k - 1 && mid; j++) mid = eq(i + j, j)
    if (!mid) continue
    let endCol: number
    if (pastEof) endCol = f.lines[last]!.length
    else {
      if (eq(last, k - 1)) endCol = f.lines[last]!.length
      // Over several lines the model means whole lines: only a final newline may end mid-way (at column 0).
      else if (ok === '') endCol = 0
      else continue
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

/** The indentation mapping for a candidate, from its whole lines; undefined when none is constant. */
export function shiftFor(f: FileLines, c: Cand, old: string[]): Shift | undefined {
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
