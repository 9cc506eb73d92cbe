import {indentOf} from './lines.js'
import {normLine, normText, type NormOpts} from './normalize.js'
import {similarity} from './similar.js'

/**
 * A changed line keeps the file's bytes around the part the model changed: the model's old line
 * and the file's line are equal once normalised, so the unchanged head and tail are taken from the
 * file (alignment, a real ’, a Markdown hard break) and only the middle from new_str. The common
 * head and tail are found on the normalised lines, so a run of blanks is kept or replaced whole,
 * never cut in two; a line that differs from the model's old line only where normalising forgives
 * comes out byte-identical to the file.
 * Undefined when the change touches the indentation (the caller re-indents the whole line instead).
 */
export function transplant(fileLine: string, oldLine: string, newLine: string, o: NormOpts): {head: string; mid: string; tail: string} | undefined {
  if (normText(fileLine, o) !== normText(oldLine, o) || indentOf(newLine) !== indentOf(oldLine)) return undefined
  const no = normLine(oldLine, o)
  const nn = normLine(newLine, o)
  const nf = normLine(fileLine, o)
  const a = no.s
  const b = nn.s
  if (a === '' || b === '') return undefined
  // A boundary inside one normalised unit (an … read as ...) is moved out of it.
  const unit = (n: typeof no, q: number) => q === 0 || q >= n.s.length || n.start[q] !== n.start[q - 1]
  const max = Math.min(a.length, b.length)
  let p = 0
  while (p < max && a[p] === b[p]) p++
  while (p > 0 && !(unit(no, p) && unit(nn, p) && unit(nf, p))) p--
  let s = 0
  while (s < max - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++
  while (s > 0 && !(unit(no, a.length - s) && unit(nn, b.length - s) && unit(nf, a.length - s))) s--
  if (!o.stripIndent && p < indentOf(oldLine).length) return undefined
  const at = (n: typeof no, q: number, whole: number) => (q < n.s.length ? n.start[q]! : n.s.length > 0 ? n.end[n.s.length - 1]! : whole)
  const fp = at(nf, p, fileLine.length)
  const fe = Math.max(fp, at(nf, a.length - s, fileLine.length))
  return {head: fileLine.slice(0, fp), mid: newLine.slice(at(nn, p, newLine.length), at(nn, b.length - s, newLine.length)), tail: fileLine.slice(fe)}
}

/** Which old line each changed new line replaces: positional when a gap has as many on both sides, else the most similar. */
export function pairChanged(oldL: string[], newL: string[], same: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>()
  const anchors: [number, number][] = [[-1, -1], ...[...same.entries()].sort((a, b) => a[0] - b[0]).map(([n, o]) => [o, n] as [number, number]), [oldL.length, newL.length]]
  for (let g = 0; g + 1 < anchors.length; g++) {
    const [oa, na] = anchors[g]!
    const [ob, nb] = anchors[g + 1]!
    const olds = Array.from({length: ob - oa - 1}, (_, k) => oa + 1 + k)
    const news = Array.from({length: nb - na - 1}, (_, k) => na + 1 + k)
    if (olds.length === 0 || news.length === 0) continue
    if (olds.length === news.length) {
      news.forEach((n, k) => out.set(n, olds[k]!))
      continue
    }
    // Similarity pairing is quadratic: large rewrites keep the plain re-indent path.
    if (olds.length * news.length > 10_000) continue
    const used = new Set<number>()
    for (const n of news) {
      let best = -1
      let score = 0.5
      for (const o of olds) {
        if (used.has(o)) continue
        const v = similarity(oldL[o]!.trim(), newL[n]!.trim())
        if (v > score) (score = v), (best = o)
      }
      if (best >= 0) used.add(best), out.set(n, best)
    }
  }
  return out
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
