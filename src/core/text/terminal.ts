// Text that came from a model, a tool, a repository or a remote is printed only after this: no escape sequence
// (OSC 52 clipboard writes, window titles, cursor moves, colours), no carriage return or backspace that makes a
// line show other text than it holds, and no bidirectional override that reorders what a reader sees.

// C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidi / invisible formatting characters.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]/g

function visible(ch: string): string {
  const code = ch.codePointAt(0)!
  if (code === 0x1b) return '\\e'
  if (code === 0x0d) return '\\r'
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`
  return `\\u{${code.toString(16)}}`
}

/** Text safe to print on a terminal: control and formatting characters shown as visible escapes (`\e`, `\r`, `\x07`, `\u{202e}`); newlines and tabs kept. */
export function neutralise(text: string): string {
  return text.replace(UNSAFE, visible)
}

/** One line safe to print: like `neutralise`, with newlines and tabs escaped too (for a command shown for approval, a subject, a name). */
export function neutraliseLine(text: string): string {
  return neutralise(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t')
}

/** Whether text holds anything `neutralise` would change. */
export function hasControlChars(text: string): boolean {
  UNSAFE.lastIndex = 0
  const hit = UNSAFE.test(text)
  UNSAFE.lastIndex = 0
  return hit
}
