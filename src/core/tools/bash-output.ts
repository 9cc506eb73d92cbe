import {cutLine} from './text.js'

/** Lines of command output the model sees at most. */
export const MAX_OUTPUT_LINES = 200
const HEAD = 40
const TAIL = 80
const MAX_ERROR_LINES = 60
const MAX_CHARS = 500

const ERROR_LINE = /error[:\s[]|\berror\b|exception|FAILED|FAIL\b|✗|✘|panic|Traceback|fatal:|warning:|assert|expected|not ok\b/i
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g

/** Terminal clean-up: drop colour codes, keep what a `\r` progress line ends as. */
export function cleanOutput(raw: string): string[] {
  const text = raw.replace(ANSI, '').replace(/\r\n/g, '\n')
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines.map((l) => {
    const i = l.lastIndexOf('\r', l.length - 2)
    return cutLine((i >= 0 ? l.slice(i + 1) : l).replace(/\r$/, ''), MAX_CHARS)
  })
}

/**
 * Cap output at MAX_OUTPUT_LINES: the head, the tail, and the error-looking lines in between (a
 * failing build's errors are what the model needs), with markers where lines were left out.
 */
export function capOutput(lines: string[]): string[] {
  if (lines.length <= MAX_OUTPUT_LINES) return lines
  const keep = new Set<number>()
  for (let i = 0; i < HEAD; i++) keep.add(i)
  for (let i = lines.length - TAIL; i < lines.length; i++) keep.add(i)
  let errors = 0
  for (let i = HEAD; i < lines.length - TAIL && errors < MAX_ERROR_LINES; i++) {
    if (ERROR_LINE.test(lines[i]!)) {
      keep.add(i)
      errors++
    }
  }
  const out: string[] = []
  let gap = 0
  for (let i = 0; i < lines.length; i++) {
    if (keep.has(i)) {
      if (gap) out.push(`…[${gap} lines omitted]`)
      gap = 0
      out.push(lines[i]!)
    } else gap++
  }
  return out
}
