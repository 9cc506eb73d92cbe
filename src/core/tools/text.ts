/** Small text helpers shared by the tools: every byte sent to the model counts. */

/** Cut a line longer than `max` chars, marking how much was left out: `…[+N chars]`. */
export function cutLine(line: string, max: number): string {
  if (line.length <= max) return line
  // Do not split a surrogate pair: a lone half would become U+FFFD in the request.
  let end = max
  const c = line.charCodeAt(end - 1)
  if (c >= 0xd800 && c <= 0xdbff) end--
  return `${line.slice(0, end)}…[+${line.length - end} chars]`
}

/** "1 line" / "3 lines". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** True when the buffer looks binary (a NUL byte in its first 8 KB, as git does). */
export function looksBinary(buf: Uint8Array): boolean {
  const end = Math.min(buf.length, 8000)
  for (let i = 0; i < end; i++) if (buf[i] === 0) return true
  return false
}

/** Split file text into lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** A short quoted form of model-given text for summaries. */
export function quote(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ')
  return JSON.stringify(one.length > max ? `${one.slice(0, max)}…` : one)
}

/** FNV-1a 32-bit of bytes, hex: a cheap content fingerprint for caches. */
export function fnv1a(buf: Uint8Array): string {
  let h = 0x811c9dc5
  for (let i = 0; i < buf.length; i++) {
    h ^= buf[i]!
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16)
}

/** Decode file bytes: UTF-8 when valid (BOM kept), else latin1 so every byte still shows. */
export function decodeText(buf: Uint8Array): {text: string; utf8: boolean} {
  try {
    return {text: new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(buf), utf8: true}
  } catch {
    return {text: Buffer.from(buf).toString('latin1'), utf8: false}
  }
}
