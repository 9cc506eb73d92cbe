// Text that came from a model, a tool, a repository or a remote is printed only after this: no escape sequence
// (OSC 52 clipboard writes, window titles, cursor moves, colours), no carriage return or backspace that makes a
// line show other text than it holds, and no bidirectional override or invisible character that makes a reader
// see other text than is there.
//
// Every unsafe character is shown as a visible escape rather than dropped, so nothing disappears silently and
// an ESC that starts a sequence leaves the rest of it as harmless printable text (`\e]52;c;…`).

// C0 controls except tab and newline, DEL, C1 controls (U+009B is an 8-bit CSI, U+009D an 8-bit OSC), soft
// hyphen, Arabic letter mark, Hangul fillers, Mongolian vowel separator, zero-width space / non-joiner / joiner,
// LRM/RLM, bidi embeddings, overrides and isolates, line/paragraph separators, invisible operators, BOM,
// interlinear annotations, and the invisible tag characters (used to smuggle hidden text past a reader).
const UNSAFE_CLASS =
  '[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\xad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2028\\u2029\\u2060-\\u2064\\u2066-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb\\u{e0000}-\\u{e007f}]'
// A subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿) is WAVING BLACK FLAG, printable tag characters and CANCEL TAG: kept whole.
const TOKEN = new RegExp(`(\\u{1f3f4}[\\u{e0020}-\\u{e007e}]+\\u{e007f})|${UNSAFE_CLASS}`, 'gu')
const UNSAFE_ONE = new RegExp(`^${UNSAFE_CLASS}$`, 'u')
const ANY_UNSAFE = new RegExp(UNSAFE_CLASS, 'u')

function visible(ch: string): string {
  const code = ch.codePointAt(0)!
  if (code === 0x1b) return '\\e'
  if (code === 0x0d) return '\\r'
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`
  return `\\u{${code.toString(16)}}`
}

/** The code point that ends just before `offset`. */
function before(s: string, offset: number): number | undefined {
  if (offset <= 0) return undefined
  const low = s.charCodeAt(offset - 1)
  if (low >= 0xdc00 && low <= 0xdfff && offset >= 2) {
    const high = s.charCodeAt(offset - 2)
    if (high >= 0xd800 && high <= 0xdbff) return s.codePointAt(offset - 2)
  }
  return low
}

// Zero-width joiner / non-joiner between two visible non-ASCII characters is ordinary text: emoji sequences
// (👨‍👩‍👧) and Persian or Indic words need it. Next to ASCII, another invisible or an edge it only hides something.
const joinable = (code: number | undefined): boolean => code !== undefined && code > 0x7f && !UNSAFE_ONE.test(String.fromCodePoint(code))

function replaceUnsafe(text: string, lines: boolean): string {
  if (!ANY_UNSAFE.test(text)) return text
  return text.replace(TOKEN, (m: string, flag: string | undefined, offset: number) => {
    if (flag) return m
    // CRLF only ends a line (the cursor returns, then moves down): nothing is overwritten, so Windows line
    // endings in a diff or an answer stay readable. A CR anywhere else is shown.
    if (lines && m === '\r' && text.charCodeAt(offset + 1) === 0x0a) return m
    if ((m === '\u200c' || m === '\u200d') && joinable(before(text, offset)) && joinable(text.codePointAt(offset + 1))) return m
    return visible(m)
  })
}

/** Text safe to print on a terminal: control and formatting characters shown as visible escapes (`\e`, `\r`, `\x07`, `\u{202e}`); newlines, tabs and CRLF line ends kept. */
export function neutralise(text: string): string {
  return replaceUnsafe(text, true)
}

/** One line safe to print: like `neutralise`, with newlines and tabs escaped too (for a command shown for approval, a subject, a name). */
export function neutraliseLine(text: string): string {
  return replaceUnsafe(text, false).replace(/\n/g, '\\n').replace(/\t/g, '\\t')
}

/** Whether text holds a control or formatting character other than newline and tab (the CR of a CRLF counts). */
export function hasControlChars(text: string): boolean {
  return replaceUnsafe(text, false) !== text
}
