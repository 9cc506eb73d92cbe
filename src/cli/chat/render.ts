import {neutralise} from '../../core/text/terminal.js'
import {BlockSplitter, plainLines} from '../../core/chat/blocks.js'

export type Markdown = ((md: string) => string) & {
  /** Inline markup only (bold, code spans, links): for lines of a paragraph shown before it ends. */
  inline(text: string): string
}

let cached: Promise<Markdown> | undefined

/**
 * Markdown for a terminal (marked + marked-terminal), imported on first use. The model's text is neutralised
 * first, so it can never emit an escape sequence of its own; only the renderer's styling reaches the terminal.
 */
export function loadMarkdown(opts: {width?: number} = {}): Promise<Markdown> {
  cached ??= (async () => {
    const [{Marked}, {markedTerminal}] = await Promise.all([import('marked'), import('marked-terminal')])
    const marked = new Marked()
    marked.use(markedTerminal({width: Math.max(40, Math.min(opts.width ?? 100, 120)), reflowText: false, tab: 2}) as never)
    // marked-terminal prints the inline text of tight list items raw (`**bold**` stays as typed): parse it.
    marked.use({
      renderer: {
        text(this: {parser: {parseInline(t: unknown[]): string}}, token: unknown): string | false {
          const t = token as {tokens?: unknown[]}
          return typeof token === 'object' && t.tokens ? this.parser.parseInline(t.tokens) : false
        },
      },
    } as never)
    const render = (md: string) => (marked.parse(neutralise(md), {async: false}) as string).replace(/\n{3,}$/, '\n\n')
    return Object.assign(render, {inline: (text: string) => marked.parseInline(neutralise(text), {async: false}) as string})
  })()
  return cached
}

/** Writes a streamed answer: rendered block by block on a terminal, else as plain neutralised text as it comes. */
export class AnswerWriter {
  private split = new BlockSplitter()
  private pending: Promise<void> = Promise.resolve()
  private wrote = false
  private endsWithNewline = true
  /** Characters of the held block already on screen (whole lines of a paragraph). */
  private shown = 0

  constructor(
    private out: NodeJS.WritableStream,
    private md: Promise<Markdown> | undefined,
  ) {}

  push(text: string): void {
    if (!text) return
    this.wrote = true
    if (!this.md) return this.write(neutralise(text))
    const block = this.split.push(text)
    if (block) {
      // A paragraph whose first lines are on screen already: the rest of it (and any blocks after it).
      const rest = block.slice(this.shown)
      this.shown = 0
      if (rest.trim()) this.render(rest)
      else if (block.trim()) this.write('\n')
    }
    // Whole lines of a paragraph still being written show at once, with their inline markup.
    const ready = plainLines(this.split.held)
    if (ready > this.shown) {
      const lines = this.split.held.slice(this.shown, ready)
      this.shown = ready
      this.renderInline(lines)
    }
  }

  /** Print what is held (before a tool line, at the end of the turn); resolves once written. */
  async flush(): Promise<void> {
    if (this.md) {
      const rest = this.split.flush().slice(this.shown)
      this.shown = 0
      if (rest.trim()) this.render(rest)
    }
    await this.pending
    if (this.wrote && !this.endsWithNewline) this.write('\n')
  }

  /** Whether any answer text came. */
  get any(): boolean {
    return this.wrote
  }

  private renderInline(lines: string): void {
    const md = this.md!
    this.pending = this.pending.then(async () => {
      const render = await md
      this.write(lines.split('\n').slice(0, -1).map((l) => `${render.inline(l)}\n`).join(''))
    })
  }

  private render(block: string): void {
    const md = this.md!
    this.pending = this.pending.then(async () => {
      const render = await md
      this.write(render(block))
    })
  }

  private write(s: string): void {
    if (!s) return
    this.out.write(s)
    this.endsWithNewline = s.endsWith('\n')
  }
}
