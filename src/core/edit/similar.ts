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
  /** The region's lines as read_file shows them (N#hash: or N:), ±15 lines around it. */
  text: string
}

/** The region of the file most like old_str, for a no-match error the model can act on without re-reading. */
export function mostSimilar(f: FileLines, oldLines: string[], anchors = true): Similar | undefined {
  const n = f.endsWithNewline ? f.lines.length - 1 : f.lines.length
  const old = oldLines.map((l) => normText(l, C3)).filter((l) => l !== '')
  if (n === 0 || old.length === 0) return undefined
  const oldSet = new Set(old)
  const vocab = new Set(old.flatMap(words))
  const score = new Float64Array(n + 1)
  for (let i = 0; i < n; i++) {
    const t = normText(f.lines[i]!, C3)
    let s = 0
    if (oldSet.has(t)) s = 2
    else {
      const w = words(t)
      if (w.length) s = w.filter((x) => vocab.has(x)).length / w.length
    }
    score[i + 1] = score[i]! + s
  }
  const k = Math.min(old.length, n)
  let best = 0
  let bestScore = -1
  for (let i = 0; i + k <= n; i++) {
    const s = score[i + k]! - score[i]!
    if (s > bestScore) (bestScore = s), (best = i)
  }
  if (bestScore <= 0) return undefined
  const region = f.lines.slice(best, best + k).map((l) => normText(l, C3))
  let differs: Similar['differs']
  const j = old.findIndex((l) => !region.includes(l))
  if (j >= 0) {
    let at = 0
    let sim = -1
    for (let r = 0; r < region.length; r++) {
      const v = similarity(old[j]!, region[r]!)
      if (v > sim) (sim = v), (at = r)
    }
    differs = {oldLine: j + 1, oldText: old[j]!, fileLine: best + at + 1, fileText: f.lines[best + at]!.trim()}
  }
  const pad = Math.max(3, Math.floor((31 - k) / 2))
  const from = Math.max(0, best - pad)
  const to = Math.min(n - 1, best + k - 1 + pad, from + 59)
  const text = f.lines
    .slice(from, to + 1)
    .map((l, r) => formatLine(from + r + 1, l, anchors))
    .join('\n')
  return {from: best + 1, to: best + k, differs, text}
}
