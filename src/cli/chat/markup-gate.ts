/**
 * Tool calls some models write as text (`<function=read_file>…`, `<tool_call>`, `[TOOL_CALLS]`, a fenced JSON call)
 * are parsed out of the answer by the client; while the answer streams, this gate keeps them off the screen too.
 * Text passes as it comes, except a line that could still turn out to open such a call, which waits for its end.
 */
const OPENERS = ['<function', '<tool_call', '<|tool_call', '[TOOL_CALLS]']
const FENCE = /^```[\w-]*\s*$/
/** How much of a fenced block is read, at most, to tell a call from an example. */
const FENCE_LOOKAHEAD = 400

export class MarkupGate {
  private held = ''
  private cut = false
  /** Whether `held` starts a line (markup is looked for only there). */
  private lineStart = true

  /** @param tools the tool names a fenced JSON call would name */
  constructor(private readonly tools: ReadonlySet<string>) {}

  /** Feed streamed text; returns what is safe to show now. */
  push(text: string): string {
    if (this.cut) return ''
    this.held += text
    let out = ''
    for (;;) {
      if (!this.held) return out
      const nl = this.held.indexOf('\n')
      if (!this.lineStart) {
        // The rest of a line already on screen streams as it is.
        const end = nl < 0 ? this.held.length : nl + 1
        out += this.held.slice(0, end)
        this.held = this.held.slice(end)
        this.lineStart = nl >= 0
        continue
      }
      const line = (nl < 0 ? this.held : this.held.slice(0, nl)).trimStart()
      if (OPENERS.some((o) => line.startsWith(o))) return this.stop(out)
      if (FENCE.test(line) || (nl < 0 && /^`{1,3}[\w-]*$/.test(line))) {
        const verdict = this.fence()
        if (verdict === 'call') return this.stop(out)
        if (verdict === 'wait') return out
      } else if (nl < 0) {
        // A partial line that may still become an opener waits; anything else streams.
        if (OPENERS.some((o) => o.startsWith(line) || line.startsWith(o))) return out
        out += this.held
        this.held = ''
        this.lineStart = false
        return out
      }
      const end = nl < 0 ? this.held.length : nl + 1
      out += this.held.slice(0, end)
      this.held = this.held.slice(end)
    }
  }

  /** The response ended (or a tool line is next): what was held back and is not call markup. Resets the gate. */
  end(): string {
    const rest = this.cut ? '' : this.held
    this.held = ''
    this.cut = false
    this.lineStart = true
    return rest
  }

  private stop(out: string): string {
    this.cut = true
    this.held = ''
    return out
  }

  /** A fence at the start of `held`: a JSON object naming one of our tools is a call; other fences are text. */
  private fence(): 'call' | 'text' | 'wait' {
    const body = this.held.slice(this.held.indexOf('\n') + 1)
    if (this.held.indexOf('\n') < 0) return 'wait'
    const start = body.trimStart()
    if (start && !start.startsWith('{') && !start.startsWith('[')) return 'text'
    const name = /"(?:name|tool|function)"\s*:\s*"([^"]+)"/.exec(body)
    if (name) return this.tools.has(name[1]!) ? 'call' : 'text'
    return body.length > FENCE_LOOKAHEAD || /\n```/.test(body) ? 'text' : 'wait'
  }
}
