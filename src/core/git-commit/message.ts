import type {FileSymbolChange} from '../index/symbol-changes.js'

const SUBJECT_MAX = 72
const FILES_MAX = 20
const SYMBOLS_MAX = 6

/** The task's first line as a subject: one line, capitalised, no final period, at most 72 characters (cut at a word). */
export function subjectOf(task: string): string {
  let s = (task.split('\n').find((l) => l.trim()) ?? 'git pare run').replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '')
  s = s.charAt(0).toUpperCase() + s.slice(1)
  if (s.length <= SUBJECT_MAX) return s
  const cut = s.slice(0, SUBJECT_MAX - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > SUBJECT_MAX / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`
}

function describe(c: FileSymbolChange): string {
  if (c.status === 'added' && !c.added.length) return `${c.path} (new file)`
  if (c.status === 'deleted') return `${c.path} (deleted)`
  const parts: string[] = []
  // One symbol gone and one of the same shape come: a rename, said as one.
  if (c.removed.length === 1 && c.added.length === 1) parts.push(`${c.removed[0]} -> ${c.added[0]}`)
  else {
    parts.push(...c.added.map((n) => `${n} (new)`))
    parts.push(...c.removed.map((n) => `${n} (removed)`))
  }
  parts.push(...c.modified)
  if (!parts.length) return c.status === 'added' ? `${c.path} (new file)` : c.path
  const shown = parts.slice(0, SYMBOLS_MAX).join(', ') + (parts.length > SYMBOLS_MAX ? `, +${parts.length - SYMBOLS_MAX} more` : '')
  return `${c.path}${c.status === 'added' ? ' (new file)' : ''}: ${shown}`
}

/**
 * A commit message made only from the task and what changed: subject from the task, a body listing each file with
 * the symbols it added, removed or changed, and a `Pare-Session` trailer (git interpret-trailers format).
 */
export function commitMessage(task: string, changes: FileSymbolChange[], session: string): string {
  const lines = changes.slice(0, FILES_MAX).map((c) => `- ${describe(c)}`)
  if (changes.length > FILES_MAX) lines.push(`- and ${changes.length - FILES_MAX} more files`)
  return `${subjectOf(task)}\n\nChanged by git pare run:\n${lines.join('\n')}\n\nPare-Session: ${session}\n`
}
