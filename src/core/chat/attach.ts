import {lstat, readFile, realpath} from 'node:fs/promises'
import path from 'node:path'

/** One attached file at most this many characters (the rest is cut, and the model is told so). */
export const ATTACH_MAX_CHARS = 24_000
/** All attachments of one turn together. */
export const ATTACH_TOTAL_CHARS = 64_000

export interface Attached {
  path: string
  chars: number
  truncated: boolean
}

export interface AttachResult {
  /** The task as the agent gets it: the typed text, then each file in a fenced block under its path. */
  task: string
  attached: Attached[]
  /** One line each: an `@name` that is not a file of the repository, a binary file, one over the total cap. */
  skipped: string[]
}

/** The `@path` mentions of a line: `@` at the start or after a space, up to the next space. */
export function mentions(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/(?:^|\s)@([^\s@]+)/g)) {
    const p = m[1]!.replace(/[.,;:!?)]+$/, '')
    if (p && !out.includes(p)) out.push(p)
  }
  return out
}

/** A fence longer than any run of backticks in the text, so the file cannot close it. */
function fence(text: string): string {
  let longest = 0
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length)
  return '`'.repeat(Math.max(3, longest + 1))
}

/**
 * Attach the files a line mentions with `@path` (inside the repository only, symlinks resolved): their text goes
 * into the turn's task, where it counts against the context budget like any read. Mentions that are not files
 * stay as typed.
 */
export async function attachFiles(text: string, root: string): Promise<AttachResult> {
  const attached: Attached[] = []
  const skipped: string[] = []
  const blocks: string[] = []
  let total = 0
  const realRoot = await realpath(root)
  for (const rel of mentions(text)) {
    const abs = path.resolve(root, rel)
    let real: string
    try {
      real = await realpath(abs)
      if (!(await lstat(real)).isFile()) throw new Error('not a file')
    } catch {
      if (/[/.]/.test(rel)) skipped.push(`@${rel}: no such file in the repository (sent as text)`)
      continue
    }
    const inside = path.relative(realRoot, real)
    if (inside.startsWith('..') || path.isAbsolute(inside) || inside.split(path.sep)[0] === '.git') {
      skipped.push(`@${rel}: outside the repository (not attached)`)
      continue
    }
    const buf = await readFile(real)
    if (buf.subarray(0, 8000).includes(0)) {
      skipped.push(`@${rel}: a binary file (not attached)`)
      continue
    }
    let content = buf.toString('utf8')
    const room = Math.min(ATTACH_MAX_CHARS, ATTACH_TOTAL_CHARS - total)
    if (room <= 0) {
      skipped.push(`@${rel}: over the ${ATTACH_TOTAL_CHARS}-character limit for attachments of one turn (not attached)`)
      continue
    }
    const truncated = content.length > room
    if (truncated) content = content.slice(0, room)
    total += content.length
    const shown = inside.split(path.sep).join('/')
    const f = fence(content)
    const note = truncated ? ` (first ${room} of ${buf.length} bytes; read_file for the rest)` : ''
    blocks.push(`Attached file ${shown}${note}:\n${f}\n${content}${content.endsWith('\n') ? '' : '\n'}${f}`)
    attached.push({path: shown, chars: content.length, truncated})
  }
  return {task: blocks.length ? `${text}\n\n${blocks.join('\n\n')}` : text, attached, skipped}
}

/** Tab completion of `@path` at the end of the line, from the paths git tracks. */
export function completeMention(line: string, files: readonly string[]): [string[], string] {
  const m = /(?:^|\s)@([^\s@]*)$/.exec(line)
  if (!m) return [[], line]
  const typed = m[1]!
  const hits = files.filter((f) => f.startsWith(typed))
  // Many hits: offer the next directory level rather than every file under it.
  const levels = [...new Set(hits.map((f) => {
    const slash = f.indexOf('/', typed.length)
    return slash === -1 ? f : f.slice(0, slash + 1)
  }))]
  return [levels.map((f) => `@${f}`), `@${typed}`]
}
