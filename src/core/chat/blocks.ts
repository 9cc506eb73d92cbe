/**
 * Streams markdown by blocks: text is held until a block is complete (a blank line outside a code fence), so each
 * block can be rendered whole (a list, a code block) while the answer is still being written.
 */
export class BlockSplitter {
  private buf = ''

  /** Add streamed text; returns the blocks now complete (possibly ''). */
  push(text: string): string {
    this.buf += text
    const cut = lastBlockEnd(this.buf)
    if (cut <= 0) return ''
    const done = this.buf.slice(0, cut)
    this.buf = this.buf.slice(cut)
    return done
  }

  /** The text held so far (an incomplete block). */
  get held(): string {
    return this.buf
  }

  /** Whatever is left (the end of the answer). */
  flush(): string {
    const rest = this.buf
    this.buf = ''
    return rest
  }
}

/** The offset just after the last blank line that is outside a code fence, or 0. */
export function lastBlockEnd(text: string): number {
  let fenceMark: string | undefined
  let end = 0
  let pos = 0
  let prevBlank = false
  const lines = text.split('\n')
  // The last piece has no newline yet: it is not a whole line.
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!
    pos += line.length + 1
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line)
    if (f) {
      if (!fenceMark) fenceMark = f[1]
      else if (f[1]!.startsWith(fenceMark[0]!) && f[1]!.length >= fenceMark.length && line.trim() === f[1]) {
        fenceMark = undefined
        end = pos
      }
      prevBlank = false
      continue
    }
    const blank = line.trim() === ''
    if (!fenceMark && blank && !prevBlank) end = pos
    prevBlank = blank
  }
  return end
}

/**
 * How many characters at the start of an incomplete block are whole lines of a plain paragraph, which can be shown
 * before the block ends (inline markup only). Stops at the first line that could make it something else: a list,
 * heading, quote, table, fence, indented code, or a setext underline.
 */
export function plainLines(held: string): number {
  let n = 0
  const lines = held.split('\n')
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!
    if (!line.trim() || /^(\s{4}|\t)|^\s{0,3}([-*+]\s|\d+[.)]\s|#{1,6}(\s|$)|>|\||`{3}|~{3}|[-=_*]{2,}\s*$|<)/.test(line) || /\|\s*$/.test(line)) break
    n += line.length + 1
  }
  return n
}
