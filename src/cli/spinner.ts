const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/**
 * A one-line spinner on a terminal stream: redrawn in place every 80 ms, erased by `stop`. The timer is unref'd so
 * it never keeps the process alive. Callers decide whether to use one (a TTY, colour allowed, not --json).
 */
export class Spinner {
  private timer: NodeJS.Timeout | undefined
  private frame = 0
  private text = ''

  constructor(private readonly out: NodeJS.WriteStream) {}

  /** Show (or relabel) the spinner. */
  start(text: string): void {
    this.text = text
    if (this.timer) return
    this.draw()
    this.timer = setInterval(() => this.draw(), 80)
    this.timer.unref()
  }

  /** Erase it; what is written next starts on a clean line. */
  stop(): void {
    if (!this.timer) return
    clearInterval(this.timer)
    this.timer = undefined
    this.out.write('\r\x1b[2K')
  }

  get spinning(): boolean {
    return this.timer !== undefined
  }

  private draw(): void {
    const width = Math.max(20, (this.out.columns || 80) - 1)
    const line = `${FRAMES[this.frame++ % FRAMES.length]} ${this.text}`
    this.out.write(`\r\x1b[2K${[...line].slice(0, width).join('')}`)
  }
}
