import type {Interface} from 'node:readline'
import {HISTORY_MAX} from '../../core/chat/history.js'

export type Completer = (line: string) => [string[], string]

/** Where chat input comes from: the terminal (editing, history, completion) or stdin lines (scripts, tests). */
export interface LineReader {
  /** The next input (a trailing `\` or a paste joins lines), or null at the end (Ctrl+D, EOF, Ctrl+C twice). */
  read(): Promise<string | null>
  /** While a turn runs: Ctrl+C calls onInterrupt (a second one exits 130). Returns the release. */
  busy(onInterrupt: () => void): () => void
  /** Newest first. */
  history: string[]
  readonly tty: boolean
  close(): void
}

const PROMPT = '› '
const MORE = '… '
const PASTE_ON = '\x1b[?2004h'
const PASTE_OFF = '\x1b[?2004l'

/** A line that ends with an unescaped `\` continues on the next. */
function continues(line: string): boolean {
  const m = /(\\+)$/.exec(line)
  return Boolean(m && m[1]!.length % 2 === 1)
}

/** Input from a terminal: node:readline with history, tab completion, multi-line input and Ctrl+C handling. */
export function terminalReader(opts: {history: string[]; completer: Completer; onHistory?: (h: string[]) => void}): LineReader {
  const stdin = process.stdin
  const out = process.stdout
  let pasting = false
  let readlineMod: typeof import('node:readline') | undefined
  const onKey = (_: string, key?: {name?: string}) => {
    if (key?.name === 'paste-start') pasting = true
    else if (key?.name === 'paste-end') pasting = false
  }
  const reader: LineReader = {
    history: opts.history,
    tty: true,
    async read() {
      readlineMod ??= await import('node:readline')
      const rl: Interface = readlineMod.createInterface({
        input: stdin,
        output: out,
        terminal: true,
        history: [...reader.history],
        historySize: HISTORY_MAX,
        removeHistoryDuplicates: true,
        completer: opts.completer,
        tabSize: 2,
      })
      stdin.on('keypress', onKey)
      out.write(PASTE_ON)
      return new Promise<string | null>((resolve) => {
        const parts: string[] = []
        let armed = false
        let done = false
        const finish = (v: string | null) => {
          if (done) return
          done = true
          stdin.off('keypress', onKey)
          out.write(PASTE_OFF)
          rl.close()
          resolve(v)
        }
        rl.on('line', (line) => {
          armed = false
          if (pasting) {
            parts.push(line)
            rl.setPrompt(MORE)
            rl.prompt()
            return
          }
          if (continues(line)) {
            parts.push(line.slice(0, -1))
            rl.setPrompt(MORE)
            rl.prompt()
            return
          }
          parts.push(line)
          const text = parts.join('\n')
          if (text.trim()) {
            reader.history = pushEntry(reader.history, text)
            opts.onHistory?.(reader.history)
          }
          finish(text)
        })
        rl.on('SIGINT', () => {
          const typed = rl.line || parts.length > 0
          if (!typed && armed) {
            out.write('\n')
            return finish(null)
          }
          out.write(typed ? '^C\n' : '\n(Ctrl+C again or Ctrl+D to exit)\n')
          parts.length = 0
          armed = !typed
          // Drop what was typed and start a fresh prompt.
          ;(rl as unknown as {line: string}).line = ''
          rl.setPrompt(PROMPT)
          rl.prompt()
        })
        rl.on('close', () => {
          if (!done) out.write('\n')
          finish(null)
        })
        rl.setPrompt(PROMPT)
        rl.prompt()
      })
    },
    busy(onInterrupt) {
      let count = 0
      const onData = (d: Buffer | string) => {
        if (!String(d).includes('\x03')) return
        count++
        if (count > 1) {
          stdin.setRawMode?.(false)
          process.exit(130)
        }
        onInterrupt()
      }
      stdin.setRawMode?.(true)
      stdin.on('data', onData)
      stdin.resume()
      return () => {
        stdin.off('data', onData)
        stdin.pause()
      }
    },
    close() {
      out.write(PASTE_OFF)
      stdin.setRawMode?.(false)
      stdin.pause()
    },
  }
  return reader
}

function pushEntry(history: string[], entry: string): string[] {
  const e = entry.trim()
  if (history[0] === e) return history
  return [e, ...history.filter((h) => h !== e)].slice(0, HISTORY_MAX)
}

/** Input from a pipe: one turn per line (a trailing `\` joins the next); interrupts come as SIGINT to the process. */
export function pipeReader(): LineReader {
  const queue: (string | null)[] = []
  const waiting: ((v: string | null) => void)[] = []
  let started = false
  let parts: string[] = []
  const give = (v: string | null) => {
    const w = waiting.shift()
    if (w) w(v)
    else queue.push(v)
  }
  const start = async () => {
    started = true
    const {createInterface} = await import('node:readline')
    const rl = createInterface({input: process.stdin, terminal: false, crlfDelay: Infinity})
    rl.on('line', (line) => {
      if (continues(line)) {
        parts.push(line.slice(0, -1))
        return
      }
      parts.push(line)
      give(parts.join('\n'))
      parts = []
    })
    rl.on('close', () => {
      if (parts.length) give(parts.join('\n'))
      parts = []
      give(null)
    })
  }
  return {
    history: [],
    tty: false,
    read() {
      if (!started) void start()
      if (queue.length) {
        const v = queue.shift()!
        if (v === null) queue.unshift(null)
        return Promise.resolve(v)
      }
      return new Promise((resolve) => waiting.push(resolve))
    },
    busy() {
      return () => undefined
    },
    close() {
      process.stdin.pause()
    },
  }
}
