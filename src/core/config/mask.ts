/** A key as it may be shown: `sk-…abcd` (first 3, last 4), or `(set, hidden)` when too short to show any of it safely. */
export function maskKey(key: string | undefined): string | undefined {
  if (key === undefined || key === '') return undefined
  if (key.length < 16) return '(set, hidden)'
  return `${key.slice(0, 3)}…${key.slice(-4)}`
}
