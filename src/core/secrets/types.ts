/** One secret found in a text: which rule matched, where (UTF-16 offsets, end exclusive) and on which 1-based line. Never the secret itself. */
export interface Finding {
  rule: string
  start: number
  end: number
  line: number
}

/** A secret in an object that would leave the repository: the ref that carries it, the path in that ref's tree (or `commit <id> message`), its line and rule. */
export interface ObjectFinding {
  ref: string
  path: string
  line: number
  rule: string
}
