/** A file split for matching: BOM set aside, lines without their line ending, offsets into `body`. */
export interface FileLines {
  bom: string
  body: string
  eol: '\n' | '\r\n'
  lines: string[]
  starts: number[]
  endsWithNewline: boolean
}

/** Split text (BOM removed, `\r` of CRLF dropped per line); the dominant line ending is kept for new text. */
export function splitFile(text: string): FileLines {
  const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : ''
  const body = bom ? text.slice(1) : text
  const raw = body.split('\n')
  const lines: string[] = []
  const starts: number[] = []
  let pos = 0
  let crlf = 0
  for (const [i, l] of raw.entries()) {
    starts.push(pos)
    const cr = i < raw.length - 1 && l.endsWith('\r')
    if (cr) crlf++
    lines.push(cr ? l.slice(0, -1) : l)
    pos += l.length + 1
  }
  const lf = raw.length - 1
  return {bom, body, eol: lf > 0 && crlf * 2 > lf ? '\r\n' : '\n', lines, starts, endsWithNewline: body.endsWith('\n')}
}

/** Split model text into lines, accepting LF or CRLF. */
export function splitText(text: string): string[] {
  return text.split(/\r?\n/)
}

/** Leading blanks of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0]
}

export function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line)
}

/** 1-based line number of a body offset. */
export function lineAt(starts: number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}
