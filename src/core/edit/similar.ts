import {formatLine} from '../tools/anchors.js'
import type {FileLines} from './lines.js'
import {normText} from './normalize.js'

const C3 = {rstrip: true, collapse: true, stripIndent: true, quotes: true}
const words = (s: string) => s.match(/[\p{L}\p{N}_$]+/gu) ?? []

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>()
  for (let i = 0; i < s.length - 1; i++) {
    const g = s.slice(i, i + 2)
    m.set(g, (m.get(g) ?? 0) + 1)
  }
  return m
}

/** Dice similarity of two strings by character bigrams (0..1). */
export function similarity(a: string, b: string): number {
  if (a === b) return 1
  if (a.length < 2 || b.length < 2) return 0
  const x = bigrams(a)
  let hit = 0
  for (const [g, n] of bigrams(b)) {
    const c = x.get(g)
    if (c) hit += Math.min(c, n)
  }
  return (2 * hit) / (a.length + b.length - 2)
}

export interface Similar {
  /** 1-based range of the most similar region. */
  from: number
  to: number
  /** The first line of old_str that is not in that region, and the file line closest to it. */
  differs?: {oldLine: number; oldText: string; fileLine: number; fileText: string}
  /** The region holds old_str's lines, word for word (so only their indentation differed). */
  sameText: boolean
  /** The region's lines as read_file shows them (N#hash: or N:), ±15 lines around it. */
  text: string
}

/** The region of the file most like old_str, for a no-match error the model can act on without re-reading. */
export function mostSimilar(f: FileLines, oldLines: string[], anchors = true): Similar | undefined {
  const n = f.endsWithNewline ? f.lines.length - 1 : f.lines.length
  let old = oldLines.map((l) => normText(l, C3))
  while (old.length && old[0] === '') old = old.slice(1)
  while (old.length && old[old.length - 1] === '') old = old.slice(0, -1)
  if (n === 0 || old.length === 0) return undefined
  const file = f.lines.slice(0, n).map((l) => normText(l, C3))
  const k = Math.min(old.length, n)
  // Coarse: shared words per line (cosine-like, so short lines do not win), summed over a window.
  const lines = old.filter((l) => l !== '')
  const oldSet = new Set(lines)
  const vocab = new Set(lines.flatMap(words))
  const avg = Math.max(1, lines.reduce((a, l) => a + new Set(words(l)).size, 0) / lines.length)
  const sum = new Float64Array(n + 1)
  for (let i = 0; i < n; i++) {
    const t = file[i]!
    let v = 0
    if (t !== '' && oldSet.has(t)) v = 1
    else {
      const w = new Set(words(t))
      let hit = 0
      for (const x of w) if (vocab.has(x)) hit++
      if (w.size) v = Math.min(1, hit / Math.sqrt(w.size * avg)) * 0.9
    }
    sum[i + 1] = sum[i]! + v
  }
  const starts = Array.from({length: n - k + 1}, (_, i) => i)
    .filter((i) => sum[i + k]! - sum[i]! > 0)
    .sort((a, b) => sum[b + k]! - sum[b]! - (sum[a + k]! - sum[a]!))
    .slice(0, 20)
  if (starts.length === 0) return undefined
  // Fine: line-by-line character similarity of the best coarse windows.
  const fine = (i: number) => old.slice(0, k).reduce((a, l, j) => a + (l === '' && file[i + j] === '' ? 1 : similarity(l, file[i + j]!)), 0)
  let best = starts[0]!
  let bestScore = -1
  for (const i of starts) {
    const v = fine(i)
    if (v > bestScore) (bestScore = v), (best = i)
  }
  const region = file.slice(best, best + k)
  let differs: Similar['differs']
  const j = old.findIndex((l) => l !== '' && !region.includes(l))
  if (j >= 0) {
    let at = 0
    let sim = -1
    for (let r = 0; r < region.length; r++) {
      const v = similarity(old[j]!, region[r]!)
      if (v > sim) (sim = v), (at = r)
    }
    differs = {oldLine: j + 1, oldText: old[j]!, fileLine: best + at + 1, fileText: f.lines[best + at]!.trim()}
  }
  const sameText = k === old.length && old.every((l, i) => l === region[i])
  const pad = Math.max(3, Math.floor((31 - k) / 2))
  const from = Math.max(0, best - pad)
  const to = Math.min(n - 1, best + k - 1 + pad, from + 59)
  const text = f.lines
    .slice(from, to + 1)
    .map((l, r) => formatLine(from + r + 1, l, anchors))
    .join('\n')
  return {from: best + 1, to: best + k, differs, sameText, text}
}
