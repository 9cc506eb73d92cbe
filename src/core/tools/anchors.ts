/**
 * Line anchors shared by read_file (which prints them) and edit_file (which checks them).
 *
 * A line is shown as `N#hash:text` (anchors on) or `N:text` (anchors off, per profile edit_format).
 * The hash is FNV-1a 32-bit of the line's content, base36, 4 chars. It ignores a trailing `\r` and a
 * leading BOM, so CRLF files and BOM-prefixed files hash the same as their LF/BOM-less equivalents.
 * There is no space after the colon: the text after the first `:` is the line, byte for byte.
 */

const SPACE = 36 ** 4

/** 4 base36 chars identifying a line's content (FNV-1a 32-bit). */
export function lineHash(line: string): string {
  let s = line
  if (s.endsWith('\r')) s = s.slice(0, -1)
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1)
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // Hash UTF-16 code units as two bytes each so non-ASCII text spreads as well as ASCII.
    h ^= c & 0xff
    h = Math.imul(h, 0x01000193)
    if (c > 0xff) {
      h ^= c >>> 8
      h = Math.imul(h, 0x01000193)
    }
  }
  return ((h >>> 0) % SPACE).toString(36).padStart(4, '0')
}

/** The prefix read_file puts before line `n`: `n#hash:` with anchors, `n:` without. */
export function linePrefix(n: number, line: string, anchors = true): string {
  return anchors ? `${n}#${lineHash(line)}:` : `${n}:`
}

/** A line as read_file shows it (the text itself is not altered here; cutting long lines is the caller's job). */
export function formatLine(n: number, line: string, anchors = true): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line
  return linePrefix(n, line, anchors) + text
}

export interface Anchor {
  line: number
  hash: string
}

/** Parse an anchor the model sent back: `42#a3f0`, `42#a3f0:`, or `42#a3f0: some text`. */
export function parseAnchor(s: unknown): Anchor | undefined {
  if (typeof s !== 'string') return undefined
  const m = /^\s*(\d+)#([0-9a-z]{4})(?::|\s|$)/i.exec(s)
  if (!m) return undefined
  return {line: Number(m[1]), hash: m[2]!.toLowerCase()}
}

/** True when line `n` (1-based) of `lines` still has `hash`. */
export function anchorMatches(lines: string[], anchor: Anchor): boolean {
  const line = lines[anchor.line - 1]
  return line !== undefined && lineHash(line) === anchor.hash
}

const PREFIX_RE = /^(\d+)#([0-9a-z]{4}):/

/**
 * Remove read_file prefixes a model copied into text it sends back (write_file content, old_str).
 * Only `N#hash:` prefixes, only when every line carries one, numbered consecutively, and every hash
 * matches its line. Plain `N:` prefixes (anchors off) are never stripped: `1: one` is valid YAML.
 */
export function stripLinePrefixes(text: string): string {
  const lines = text.split('\n')
  const last = lines.length > 1 && lines[lines.length - 1] === '' ? lines.pop() : undefined
  if (lines.length === 0) return text
  let prev: number | undefined
  const out: string[] = []
  for (const l of lines) {
    const m = PREFIX_RE.exec(l)
    if (!m) return text
    const n = Number(m[1])
    if (prev !== undefined && n !== prev + 1) return text
    prev = n
    const body = l.slice(m[0].length)
    if (lineHash(body) !== m[2]) return text
    out.push(body)
  }
  if (last !== undefined) out.push(last)
  return out.join('\n')
}
