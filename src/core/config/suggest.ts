/** Edit distance between two short strings (for "did you mean" suggestions). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  let prev = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]!
}

/** The candidate closest to `input`, or undefined when none is close enough to be a plausible typo. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = levenshtein(input.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  // A prefix ("conf" for "config") is a fine suggestion; otherwise allow about a third of the letters wrong.
  if (best && (best.startsWith(input) || bestDistance <= Math.max(2, Math.floor(input.length / 3)))) return best
  return undefined
}
