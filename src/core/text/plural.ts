/** "1 tool call", "2 tool calls", "0 files": the count and the word, plural unless the count is 1 (or the given plural). */
export function plural(n: number, word: string, many?: string): string {
  return `${n} ${n === 1 ? word : (many ?? `${word}s`)}`
}
