/**
 * Splits streamed content into answer text, `<think>` reasoning and `<tool_call>` blocks,
 * as it arrives: a tag may be cut anywhere between two deltas.
 */

type Mode = 'text' | 'think' | 'tool'

const OPEN_THINK = '<think>'
const CLOSE_THINK = '</think>'
const OPEN_TOOL = '<tool_call>'
const CLOSE_TOOL = '</tool_call>'

export interface SplitOut {
  text: string
  reasoning: string
}

/** Longest suffix of s that is a proper prefix of one of the tags (may still become a tag). */
function partialTagSuffix(s: string, tags: string[]): number {
  const start = s.lastIndexOf('<')
  if (start < 0) return 0
  const tail = s.slice(start)
  return tags.some((t) => t.length > tail.length && t.startsWith(tail)) ? tail.length : 0
}

export class TagSplitter {
  private mode: Mode = 'text'
  private pending = ''
  private tool = ''
  /** Text of each `<tool_call>` block, in order. */
  readonly toolBlocks: string[] = []
  /** All reasoning seen in think tags. */
  reasoning = ''
  /** All answer text. */
  text = ''

  /** Feed a content delta; returns what is now certain to be text or reasoning. */
  push(delta: string): SplitOut {
    this.pending += delta
    return this.drain(false)
  }

  /** End of stream: flush what was held back (an unclosed tool_call block still counts). */
  flush(): SplitOut {
    const out = this.drain(true)
    if (this.mode === 'tool' && this.tool.trim()) this.toolBlocks.push(this.tool)
    this.tool = ''
    return out
  }

  private drain(final: boolean): SplitOut {
    const out: SplitOut = {text: '', reasoning: ''}
    for (;;) {
      const tags = this.mode === 'text' ? [OPEN_THINK, OPEN_TOOL, CLOSE_THINK] : this.mode === 'think' ? [CLOSE_THINK] : [CLOSE_TOOL]
      let at = -1
      let tag = ''
      for (const t of tags) {
        const k = this.pending.indexOf(t)
        if (k >= 0 && (at < 0 || k < at)) {
          at = k
          tag = t
        }
      }
      if (at < 0) {
        const keep = final ? 0 : partialTagSuffix(this.pending, tags)
        this.emit(this.pending.slice(0, this.pending.length - keep), out)
        this.pending = this.pending.slice(this.pending.length - keep)
        return out
      }
      this.emit(this.pending.slice(0, at), out)
      this.pending = this.pending.slice(at + tag.length)
      if (tag === OPEN_THINK) this.mode = 'think'
      else if (tag === OPEN_TOOL) this.mode = 'tool'
      else if (tag === CLOSE_TOOL) {
        this.toolBlocks.push(this.tool)
        this.tool = ''
        this.mode = 'text'
      } else if (this.mode === 'think') this.mode = 'text'
      else {
        // A `</think>` with no opener: the chat template opened the block, so everything so far was reasoning.
        this.reasoning += this.text
        this.text = ''
      }
    }
  }

  private emit(s: string, out: SplitOut): void {
    if (!s) return
    if (this.mode === 'text') {
      this.text += s
      out.text += s
    } else if (this.mode === 'think') {
      this.reasoning += s
      out.reasoning += s
    } else this.tool += s
  }
}
