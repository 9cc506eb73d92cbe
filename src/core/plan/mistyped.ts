/** Edit distance with adjacent transpositions (optimal string alignment): "shwo" is one slip from "show". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The subcommand a one-word task most likely meant (`plan shw` -> `show`), or undefined. A task of several words
 * is a task. A single word is a slip when it is a prefix of exactly one subcommand (two letters or more), or
 * within one edit of it (two for words of six letters or more), and nearer to it than to any other; words
 * further away ("refactor", "audit", "docs") are tasks.
 */
export function mistypedSubcommand(task: string, subcommands: string[]): string | undefined {
  const word = task.trim().toLowerCase()
  if (!/^[a-z][a-z-]{1,15}$/.test(word)) return undefined
  const prefixed = subcommands.filter((s) => s.startsWith(word))
  if (prefixed.length === 1) return prefixed[0]
  const allowed = word.length >= 6 ? 2 : 1
  const near = subcommands.map((s) => ({s, d: editDistance(word, s)})).filter((x) => x.d <= allowed).sort((x, y) => x.d - y.d)
  if (!near.length || (near.length > 1 && near[0]!.d === near[1]!.d)) return undefined
  return near[0]!.s
}
