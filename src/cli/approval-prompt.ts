import {closeSync, openSync} from 'node:fs'
import {neutraliseLine} from '../core/text/terminal.js'

/** Asks whether to run one command; true to run it. */
export type Approver = (command: string, signal?: AbortSignal) => Promise<boolean>

interface Terminal {
  input: NodeJS.ReadableStream
  output: NodeJS.WritableStream
  close(): void
}

/** stdin/stderr when both are terminals; else /dev/tty while stderr is one (input piped in); else nothing. */
async function openTerminal(): Promise<Terminal | undefined> {
  if (process.stdin.isTTY && process.stderr.isTTY) return {input: process.stdin, output: process.stderr, close() {}}
  // Without a terminal on stderr nobody is watching (a test, CI, a pipe): never reach for /dev/tty then.
  if (!process.stderr.isTTY) return undefined
  try {
    const fd = openSync('/dev/tty', 'r+')
    const tty = await import('node:tty')
    const input = new tty.ReadStream(fd)
    return {
      input,
      output: process.stderr,
      close() {
        input.destroy()
        try {
          closeSync(fd)
        } catch {
          // already closed by the stream
        }
      },
    }
  } catch {
    return undefined
  }
}

async function ask(command: string, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false
  const term = await openTerminal()
  if (!term) return false
  const {createInterface} = await import('node:readline/promises')
  const rl = createInterface({input: term.input, output: term.output, terminal: true})
  const ac = new AbortController()
  const onAbort = () => ac.abort()
  signal?.addEventListener('abort', onAbort, {once: true})
  // readline swallows Ctrl+C unless someone listens: give it back to the process (which aborts the run).
  rl.on('SIGINT', () => {
    ac.abort()
    process.kill(process.pid, 'SIGINT')
  })
  try {
    // The command is model output: shown on one line with every control character escaped.
    term.output.write(`\nThe model wants to run:\n  ${neutraliseLine(command)}\n`)
    const answer = await rl.question('Run it? [y/N] ', {signal: ac.signal})
    return /^\s*y(es)?\s*$/i.test(answer)
  } catch {
    term.output.write('\n')
    return false
  } finally {
    signal?.removeEventListener('abort', onAbort)
    rl.close()
    term.close()
  }
}

/** An approver that asks on the terminal, one question at a time; undefined when there is no terminal to ask on. */
export function terminalApprover(): Approver | undefined {
  if (!process.stderr.isTTY) return undefined
  let queue: Promise<unknown> = Promise.resolve()
  return (command, signal) => {
    const next = queue.then(() => ask(command, signal))
    queue = next.catch(() => undefined)
    return next
  }
}
